"""The attacks of issue 17, each against a live `eventql serve` on loopback, on both databases.

Each attack must be refused (a GraphQL error, a 4xx or a 503, with a message) or answered
within the server's whole-request deadline plus slack; meanwhile a probe's small query (every
100 ms) and `/healthz` (every 500 ms) must each answer within 1.5 s; the server's memory must
stay under 400 MB; and two seconds after the attack, no PostgreSQL backend may still be busy
with its work nor the server still burning CPU for it. The bounds are in
`tests/adversarial/bounds.py`; `python -m tests.adversarial` prints the figures.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.adversarial.attacks import ATTACKS, Attack
from tests.adversarial.harness import run_attack, seeded
from tests.conftest import POSTGRES_URL, skip_or_fail

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def attacked_database(request: pytest.FixtureRequest) -> Iterator[str]:
    """A database seeded once per module and backend with the generated events (read only:
    no attack writes)."""
    if request.param == "postgresql" and not request.getfixturevalue("postgres_available"):
        skip_or_fail(f"PostgreSQL is not reachable at {POSTGRES_URL}")
    with seeded(POSTGRES_URL if request.param == "postgresql" else None) as url:
        yield url


@pytest.mark.parametrize("attack", ATTACKS, ids=[attack.name for attack in ATTACKS])
def test_attack_is_refused_or_answered_in_time_while_the_server_stays_responsive(
    attacked_database: str, attack: Attack
) -> None:
    report = run_attack(attack, attacked_database)
    print(report.render())  # noqa: T201  (the figures: shown with -rA, and on failure)
    problems = report.problems()
    assert not problems, "\n".join(problems)
