"""A label that names a normative instrument: «Reglamento de la Gaceta Municipal» is a regulation about the gaceta,
not the gaceta; «Reglamento Municipal de Transparencia» is not the transparency section. Such a label, or a page or
document that names itself so, publishes the instrument: it counts only for a rule that looks for instruments (one of
its terms opens with one: «reglamentos municipales», «manual de organización», «decretos de expropiación»)."""

from __future__ import annotations

import re

from auditors.matching import folded
from models import ResourceArtifact

# An office suite's title prefix on a PDF («Microsoft Word - Reglamento … .doc») and a numbering («1.», «IV -»).
_NOISE = re.compile(r"^(?:microsoft \w+ - |[\divxl]+\s*[.)-]\s*|\W+)+")
# A law's name is not in the list: a section is often named after the law it complies with («Ley General de Contabilidad
# Gubernamental», «Ley de Transparencia, artículo 70»), and a decree may be the publication (a budget's).
INSTRUMENT = re.compile(
    r"(?:(?:nuevo|proyecto de|iniciativa de|reformas? (?:al|a la|del|de la))\s+)?"
    r"(?:reglamentos?|codigos?|lineamientos|bando|estatutos?|normas? tecnicas?"
    r"|manual(?:es)? (?:de|general de) (?:organizacion|procedimientos|puestos|operacion|politicas))\b"
)


def instrument_named(label: str) -> str | None:
    """The instrument a label opens with («reglamento», «manual de organizacion»), folded, or None."""
    text = _NOISE.sub("", folded(label).strip())
    match = INSTRUMENT.match(text)
    return match.group(0) if match else None


def instrument_of(resource: ResourceArtifact) -> str | None:
    """The instrument a page or document names itself as: its title (or a page's first heading, a document's first
    line)."""
    if resource.page:
        return instrument_named(resource.page.title) or instrument_named(next(iter(resource.page.headings), ""))
    if resource.document:
        first = next((line for line in resource.document.text.splitlines() if line.strip()), "")
        return instrument_named(resource.document.title) or instrument_named(first)
    return None


def seeks_instruments(terms: tuple[str, ...]) -> bool:
    return any(instrument_named(term) for term in terms)
