"""Whose is a document: one issued by another municipality (a Bando or reglamento copied from a neighbour's site,
a contractor's file left with the municipality it was first made for), or by another obligated subject (the
municipality's DIF or water utility, the state government: bodies.yaml), is not the ayuntamiento's publication."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from apertura.registry.padron import municipality_names
from auditors.matching import folded, per_site

HEAD_CHARS = 1000  # the issuing authority is named in a document's title and first lines
# «H. Ayuntamiento Constitucional de X», «Bando Municipal de X», «Municipio de X»… followed by a municipality's name
_ISSUER = (
    r"\b(?:ayuntamiento|municipio|bando municipal|gobierno municipal|presidencia municipal|president[ea] municipal"
    r"|plan de desarrollo municipal|tesoreria municipal|contraloria municipal|cabildo)(?: constitucional)? de "
)

# What names the ayuntamiento itself, once the bodies' names are masked («Sistema Municipal DIF» is a body's)
AYUNTAMIENTO = re.compile(
    r"\b(?:ayuntamiento|municipios?|municipal(?:es)?|presidencia municipal|cabildo|gobierno municipal)\b"
)


# What makes a body a party to the ayuntamiento's publication rather than its author
PARTY = re.compile(r"\b(?:con|al|a|para|entre|hacia) (?:el |la |los |las )?$")


@cache
def _bodies() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((body["name"], _named(body)) for body in _listed())


@cache
def _any_body() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in _bodies()))


@cache
def _listed() -> list[dict]:
    return yaml.safe_load(Path(__file__).with_name("bodies.yaml").read_text(encoding="utf-8"))["bodies"]


def _named(body: dict) -> re.Pattern[str]:
    """A body's phrases and patterns, and «… del municipio» after one («Sistema para el Desarrollo Integral de la Familia
    del Municipio de X» names the body, not the ayuntamiento)."""
    phrases = sorted((re.escape(folded(phrase)) for phrase in body.get("phrases", [])), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join([*body.get("patterns", []), *phrases]) + r")(?: del municipio)?\b")


@per_site
def body_named(head: str) -> str | None:
    """The other obligated subject (bodies.yaml) a title, first heading, link text or document's first line names as
    its author, when it does not name the ayuntamiento too («Presupuesto de Egresos 2026 del SMDIF»: the DIF's;
    «Presupuesto del Municipio y del DIF»: not only the DIF's; «Convenio con el DIF»: the ayuntamiento's)."""
    text = folded(head)
    name = next(
        (name for name, pattern in _bodies() for m in pattern.finditer(text) if _as_issuer(text, m.start())), None
    )
    if name is None or AYUNTAMIENTO.search(_any_body().sub(" | ", text)):
        return None
    return name


def _as_issuer(text: str, at: int) -> bool:
    """Named as who publishes, not as a party or a recipient («Convenio con el DIF», «apoyos al DIF»)."""
    return not PARTY.search(text[max(0, at - 20) : at])


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
