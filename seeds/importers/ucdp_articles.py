"""The articles a UCDP GED row cites (`source_article`), as sources of its records.

Entries read "Outlet,YYYY-MM-DD,Headline" and are deduplicated on outlet, date and headline;
older rows cite free text ("Burma Human Rights Yearbook 2000"), which becomes the headline.
"""

from __future__ import annotations

import re
from functools import partial

from schema.records import SourceRecord
from seeds.importers.collect import Collector, short_hash
from seeds.importers.reading import Cells

_ARTICLE = re.compile(r"^(?P<outlet>.*?),(?P<date>\d{4}-\d{2}-\d{2}),(?P<headline>.*)$", re.S)


def first_article(cells: Cells, collector: Collector) -> str | None:
    """The slug of the first article the row cites (each cited article becomes a source)."""
    first: str | None = None
    for outlet, published, headline in articles(cells.raw("source_article") or ""):
        key = f"{outlet}\x1f{published}\x1f{headline}"
        build = partial(_article, cells, collector, key, outlet, published, headline)
        slug = collector.source(key, cells.line, build)
        first = first or slug
    return first


def articles(cell: str) -> list[tuple[str | None, str | None, str]]:
    """The (outlet, date, headline) of each article a `source_article` cell cites."""
    text = cell.strip()
    if not text:
        return []
    if not text.startswith('"'):
        return [(None, None, " ".join(text.split()))]
    found: list[tuple[str | None, str | None, str]] = []
    for entry in re.split(r'"\s*;\s*"', text.strip('"')):
        match = _ARTICLE.match(entry)
        if match is None:
            found.append((None, None, " ".join(entry.split())))
        else:
            headline = " ".join(match["headline"].split()) or match["outlet"].strip()
            found.append((match["outlet"].strip() or None, match["date"], headline))
    return [item for item in found if item[2]]


def _article(
    cells: Cells,
    collector: Collector,
    key: str,
    outlet: str | None,
    published: str | None,
    headline: str,
) -> SourceRecord | None:
    day = cells.parse_date("source_article", published) if published else None
    return collector.make(
        SourceRecord,
        cells.line,
        id=f"ucdp-src-{short_hash(key)}",
        headline=headline,
        outlet=outlet,
        published={"start": day} if day else None,
    )
