"""Accent- and case-insensitive phrase matching on word boundaries."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from apertura.text import normalize

YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


@lru_cache(maxsize=4096)
def pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for a set of terms; `*` inside a term matches any run of letters."""
    alternatives = sorted({normalize(t) for t in terms if t.strip()}, key=len, reverse=True)
    if not alternatives:
        return None
    parts = [re.escape(term).replace(r"\*", r"\w*") for term in alternatives]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


def find(terms: tuple[str, ...], text: str) -> str | None:
    """The first term found in `text`, as it appears there (normalized), or None."""
    compiled = pattern(terms)
    if compiled is None or not text:
        return None
    match = compiled.search(normalize(text))
    return match.group(0) if match else None


def url_slug_match(url_terms: tuple[str, ...], url: str) -> str | None:
    """URL terms match inside the path and query, with -, _, / and . as separators."""
    slug = re.sub(r"[-_/.?=&%+]+", " ", url.split("://", 1)[-1].split("/", 1)[-1])
    return find(url_terms, slug)


def years(text: str, until: date) -> list[date]:
    """Years named in a title or URL ("Bando Municipal 2026", "PDM 2025-2027") as 31 Dec of that year."""
    return [date(int(y), 12, 31) for y in YEAR.findall(text) if int(y) <= until.year + 5]
