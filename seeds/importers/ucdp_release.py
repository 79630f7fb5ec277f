"""Which UCDP release a file is, read from its name: the dataset it imports into, and how to
cite it.

UCDP names its downloads by release: GED `ged191.csv`, `GEDEvent_v24_1.csv` (from
`ged241-csv.zip`) → `ucdp-ged-19.1`, `ucdp-ged-24.1`; the monthly Candidate events
`GEDEvent_v24_0_1.csv` (release 24.0.1, January 2024) → `ucdp-candidate-24.0.1`. A file named
otherwise (an HDX extract such as `conflict_data_BGD.csv`) is named from its file name,
`ucdp-ged-conflict-data-bgd`, unless `--dataset` names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from schema.records import DatasetInfo
from seeds.importers.collect import slugify

_PREFIX = r"ged(?:[_-]?event)?[_-]?v?"
# The Candidate events' monthly releases: `_0_<month>` after the year's two digits.
_CANDIDATE = re.compile(_PREFIX + r"(\d{2})_0_(\d{1,2})(?!\d)", re.I)
# GED releases: two digits of the year and the release's one, not followed by more numbers.
_GED = re.compile(_PREFIX + r"(\d{2})[_.-]?(\d)(?![_.]?\d)", re.I)

_GED_CITE = (
    "Sundberg, Ralph and Erik Melander (2013). Introducing the UCDP Georeferenced Event "
    "Dataset. Journal of Peace Research 50(4): 523-532."
)
_RELEASE_CITES = {
    "19.1": "Pettersson, Therése, Stina Högbladh and Magnus Öberg (2019). Organized violence, "
    "1989-2018 and peace agreements. Journal of Peace Research 56(4)."
}
_CANDIDATE_CITE = (
    "Hegre, Håvard, Mihai Croicu, Kristine Eck and Stina Högbladh (2020). Introducing the UCDP "
    "Candidate Events Dataset. Research & Politics 7(3)."
)


@dataclass(frozen=True)
class Release:
    """A UCDP release: `candidate` for the monthly Candidate events, else GED; its version."""

    candidate: bool
    version: str | None


def release_of(path: Path) -> Release:
    """The release a file is, by its name (version None when the name does not say)."""
    match = _CANDIDATE.search(path.name)
    if match:
        return Release(True, f"{match.group(1)}.0.{int(match.group(2))}")
    match = _GED.search(path.name)
    if match:
        return Release(False, f"{match.group(1)}.{match.group(2)}")
    return Release("candidate" in path.name.lower(), None)


def dataset_name(path: Path) -> str:
    """The dataset an import of `path` goes into: `ucdp-ged-19.1` for `ged191.csv`."""
    release = release_of(path)
    family = "ucdp-candidate" if release.candidate else "ucdp-ged"
    return f"{family}-{release.version or slugify(path.stem) or 'import'}"


def dataset_info(name: str, path: Path) -> DatasetInfo:
    """The dataset's title, licence, citation and home page."""
    release = release_of(path)
    version = release.version
    cites = [_GED_CITE]
    if release.candidate:
        title = f"UCDP Candidate Events Dataset {version or ''}".strip()
        cites.append(_CANDIDATE_CITE)
        description = (
            f"Imported by eventql from {path.name}. Candidate events are UCDP's preliminary "
            "monthly data: `code_status` says what is still to be checked."
        )
    else:
        title = f"UCDP Georeferenced Event Dataset (GED) {version or ''}".strip()
        if version in _RELEASE_CITES:
            cites.append(_RELEASE_CITES[version])
        description = f"Imported by eventql from {path.name}."
    cites.append(f"Högbladh, Stina. UCDP GED Codebook version {version or '(see file)'}.")
    return DatasetInfo(
        name=name,
        title=title,
        description=description,
        licence="CC BY 4.0: free to use and redistribute, citing the relevant publications.",
        citation=" ".join(cites),
        url="https://ucdp.uu.se/downloads/",
    )
