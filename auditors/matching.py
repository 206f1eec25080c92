"""Accent- and case-insensitive phrase matching on word boundaries."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from apertura.text import normalize

YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
SEPARATORS = re.compile(r"[-_/.?=&%+]+")
WORD = re.compile(r"\w+")
LEADING_WORD = re.compile(r"\w+(?![\w*])")


@lru_cache(maxsize=4096)
def pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for a set of terms; `*` inside a term matches any run of letters."""
    alternatives = sorted({normalize(t) for t in terms if t.strip()}, key=len, reverse=True)
    if not alternatives:
        return None
    parts = [re.escape(term).replace(r"\*", r"\w*") for term in alternatives]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


@lru_cache(maxsize=65536)
def folded(text: str) -> str:
    """normalize(), cached: the same link texts and page texts are searched by every rule."""
    return normalize(text)


@lru_cache(maxsize=4096)
def literals(terms: tuple[str, ...]) -> tuple[str, ...]:
    """The longest fixed piece of each term: any match of `pattern(terms)` contains one of them."""
    return tuple(max(normalize(t).split("*"), key=len) for t in terms if t.strip())


@lru_cache(maxsize=4096)
def first_words(terms: tuple[str, ...]) -> frozenset[str] | None:
    """The whole word each term starts with (a match starts on a word boundary, so that word is in the
    text); None if some term starts with a wildcard or a non-word character."""
    words = set()
    for term in terms:
        if term.strip():
            leading = LEADING_WORD.match(normalize(term).strip())
            if leading is None:
                return None
            words.add(leading.group(0))
    return frozenset(words)


@lru_cache(maxsize=65536)
def words(text: str) -> frozenset[str]:
    return frozenset(WORD.findall(text))


def find(terms: tuple[str, ...], text: str) -> str | None:
    """The first term found in `text`, as it appears there (normalized), or None."""
    compiled = pattern(terms)
    if compiled is None or not text:
        return None
    text = folded(text)
    # Cheap tests first, the regex only when one passes: whole words in a set, else substrings.
    anchors = first_words(terms)
    if anchors is not None and anchors.isdisjoint(words(text)):
        return None
    if not any(piece in text for piece in literals(terms)):
        return None
    match = compiled.search(text)
    return match.group(0) if match else None


@lru_cache(maxsize=65536)
def _slug(url: str) -> str:
    return SEPARATORS.sub(" ", url.split("://", 1)[-1].split("/", 1)[-1])


def url_slug_match(url_terms: tuple[str, ...], url: str) -> str | None:
    """URL terms match inside the path and query, with -, _, / and . as separators."""
    return find(url_terms, _slug(url))


def years(text: str, until: date) -> list[date]:
    """Years named in a title or URL ("Bando Municipal 2026", "PDM 2025-2027") as 31 Dec of that year."""
    return [date(int(y), 12, 31) for y in YEAR.findall(text) if int(y) <= until.year + 5]
