"""UCDP's breakdown of a death toll, as eventql stores it and as exports write it again.

UCDP GED splits its best estimate of an event's deaths four ways: `deaths_a` (side A's),
`deaths_b` (side B's), `deaths_civilians` and `deaths_unknown` (persons of unknown status). The
importer stores each as a `killed` figure that is `part_of` the event's total, the sides' by
`counted_actor` (the side's actor) and the other two by `counted_group`; the CSV export reads
the same figures back into the same four columns. Declared once here for both.
"""

from __future__ import annotations

from dataclasses import dataclass

#: `counted_group` of civilians' deaths.
CIVILIANS = "civilians"
#: `counted_group` of the deaths of persons whose status is unknown.
UNKNOWN_STATUS = "persons of unknown status"


@dataclass(frozen=True)
class DeathsPart:
    """One part of a death toll: UCDP's column, the figure slug's suffix, and who is counted
    (`side` 0 for side A / the export's actor 1, 1 for side B / actor 2; else `group`)."""

    column: str
    suffix: str
    side: int | None
    group: str | None


#: The parts, in UCDP's column order.
DEATHS_PARTS = (
    DeathsPart("deaths_a", "side-a", 0, None),
    DeathsPart("deaths_b", "side-b", 1, None),
    DeathsPart("deaths_civilians", "civilians", None, CIVILIANS),
    DeathsPart("deaths_unknown", "unknown", None, UNKNOWN_STATUS),
)
