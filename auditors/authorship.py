"""Whose is a document: one issued by another municipality (a Bando or reglamento copied from a neighbour's site,
a contractor's file left with the municipality it was first made for) is not this municipality's publication."""

from __future__ import annotations

import re
from functools import cache

from apertura.registry.padron import municipality_names
from auditors.matching import folded

HEAD_CHARS = 1000  # the issuing authority is named in a document's title and first lines
# «H. Ayuntamiento Constitucional de X», «Bando Municipal de X», «Municipio de X»… followed by a municipality's name
_ISSUER = (
    r"\b(?:ayuntamiento|municipio|bando municipal|gobierno municipal|presidencia municipal)(?: constitucional)? de "
)


@cache
def _names() -> dict[str, str]:
    return {folded(name): name for name in municipality_names()}


@cache
def _issuers() -> re.Pattern[str]:
    names = sorted(_names(), key=len, reverse=True)
    return re.compile(_ISSUER + "(" + "|".join(re.escape(name) for name in names) + r")\b")


def key(name: str) -> str:
    """The longest word of a municipality's name: how texts shorten it («Ecatepec» for «Ecatepec de Morelos»)."""
    return max(folded(name).split(), key=len)


def issued_elsewhere(title: str, text: str, municipality: str) -> str | None:
    """The other municipality a document (its `title` and `text`, folded) names as its issuer in its title or first
    lines, when it never names this one anywhere; None when the document is this municipality's or names no issuer."""
    own = folded(municipality)
    if any(own in part or key(municipality) in part for part in (title, text)):
        return None
    names = (match.group(1) for match in _issuers().finditer(f"{title}\n{text[:HEAD_CHARS]}"))
    other = next((name for name in names if name not in own and own not in name), None)
    return _names()[other] if other else None
