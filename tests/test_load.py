"""The short load run of CI: 16 clients for about 10 s with full reseeds in the middle.

The full run (30 s) is `python -m tests.load`; see `tests/load.py` for what is checked.
"""

from __future__ import annotations

import pytest

from tests.load import run_load

pytestmark = pytest.mark.slow


def test_load_with_reseeds_has_no_failures_and_no_mixed_or_stale_answers(
    database_url: str,
) -> None:
    report = run_load(database_url, seconds=10, n_events=1000)
    print(report.render())  # noqa: T201  (shown with -rA or on failure)
    assert report.reseeds >= 1
    assert report.failures == 0, report.failure_samples
    assert report.mixed == 0
    assert report.stale == 0
    assert len(report.versions_seen) >= 2
