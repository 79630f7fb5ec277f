"""The attacks of issue 17 against a live `eventql serve` on loopback, on both databases.

Each attack must be refused (a GraphQL error, a 4xx or a 503, with a message) or answered
within the server's whole-request deadline plus slack; meanwhile a probe's small query (every
100 ms) and `/healthz` (every 500 ms) must each answer within 1.5 s; the server's memory must
stay under 400 MB; and two seconds after the attack, no PostgreSQL backend may still be busy
with its work nor the server still burning CPU for it. The bounds are in
`tests/adversarial/bounds.py`; `python -m tests.adversarial` prints the figures.

One test per database runs every attack in turn, each against a fresh server over one seeded
database: the data is loaded once, and the attacks never compete with each other for the CPU
(which would blur what each does to the server). A failure names each attack and bound broken.
"""

from __future__ import annotations

import pytest

from tests.adversarial.attacks import ATTACKS
from tests.adversarial.harness import run_attack, seeded
from tests.conftest import POSTGRES_URL, skip_or_fail

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_every_attack_is_refused_or_answered_in_time_while_the_server_stays_responsive(
    request: pytest.FixtureRequest, backend: str
) -> None:
    if backend == "postgresql" and not request.getfixturevalue("postgres_available"):
        skip_or_fail(f"PostgreSQL is not reachable at {POSTGRES_URL}")
    with seeded(POSTGRES_URL if backend == "postgresql" else None) as url:
        reports = [run_attack(attack, url) for attack in ATTACKS]
    for report in reports:
        print(report.render())  # noqa: T201  (the figures: shown with -rA, and on failure)
    problems = [f"{r.attack.name}: {problem}" for r in reports for problem in r.problems()]
    assert not problems, "\n".join(problems)
