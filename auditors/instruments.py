"""A label that names a normative instrument, a privacy notice or a trámite's sheet: «Reglamento de la Gaceta Municipal»
is a regulation about the gaceta, not the gaceta; «Reglamento Municipal de Transparencia» is not the transparency
section; «Aviso de privacidad de solicitudes de información» says how the requesters' data are treated, not which
requests were answered; the sheet of the tax on acquiring real estate is not the inventory of real estate. Such a label,
or a page or document that names itself so, publishes the instrument, the notice or the sheet: it counts only for a rule
that looks for one (one of its terms opens with one: «reglamentos municipales», «manual de organización», «decretos de
expropiación», «aviso de privacidad integral», «cédulas de trámites»)."""

from __future__ import annotations

import re

from auditors.matching import LABEL_PARTS, folded, per_site
from auditors.periods import filename_text
from models import ResourceArtifact

_SEPARATORS = re.compile(r"[-_]+")  # a file name as a label: «Aviso-de-Privacidad-Integral.pdf»
# An office suite's title prefix on a PDF («Microsoft Word - Reglamento … .doc») and a numbering («1.», «IV -»).
_NOISE = re.compile(r"^(?:microsoft \w+ - |[\divxl]+\s*[.)-]\s*|\W+)+")
# A law's name is not in the list: a section is often named after the law it complies with («Ley General de Contabilidad
# Gubernamental», «Ley de Transparencia, artículo 70»), and a decree may be the publication (a budget's).
INSTRUMENT = re.compile(
    r"(?:(?:nuevo|proyecto de|iniciativa de|reformas? (?:al|a la|del|de la))\s+)?"
    r"(?:reglamentos?|codigos?|lineamientos|bando|estatutos?|normas? tecnicas?"
    r"|manual(?:es)? (?:de|general de) (?:organizacion|procedimientos|puestos|operacion|politicas)"
    r"|avisos? (?:integral(?:es)? |simplificados? )?de privacidad"
    r"|nombre del tramite|cedulas? de (?:tramites?|servicios?)"
    r"|(?:listado de )?requisitos (?:para (?:solicitar|obtener|tramitar|realizar)|del tramite)"
    r"|quien (?:realiza|puede realizar|debe realizar) (?:este|el) tramite)\b"
)
# A law's own text (the constitution's, a state or federal law, a municipality's Ley de Ingresos): its first line names
# it, and its head sets it out in titles, chapters or articles, or gives its last reform. Only a document's: a section
# or a format is often headed with the law it complies with.
LAW = re.compile(r"(?:ley|leyes|constitucion politica)\b")
LAW_BODY = re.compile(
    r"\b(?:titulo (?:primero|i)|capitulo (?:primero|i|unico)|articulo (?:1|primero)\b|disposiciones generales"
    r"|ultima reforma|texto vigente)"
)
LAW_HEAD_CHARS = 3000
# where a law's name says whose it is («ley de ingresos para el ejercicio fiscal 2024 del municipio de…»)
LAW_NAME_CHARS = 90
# A compiler's note heading a law's text («[N. DE E. EN RELACIÓN CON LA ENTRADA EN VIGOR …]»): not its name.
EDITORS_NOTE = re.compile(r"^\s*\[[^\]]*\]\s*")
# Whose a law is, by the first government its name names: «Ley de Ingresos del Municipio de Terrenate», «… de los
# Municipios del Estado de México» are the municipalities' own; «Ley de Ingresos del Estado de Tlaxcala», «Ley General
# de …», «Ley Federal de …», «… de la Federación» another government's. «Código Financiero para el Estado de Tlaxcala
# y sus Municipios» is the state's. A name that names none («Ley de Ingresos 2026») is read as the municipality's.
LAW_OWNER = re.compile(
    r"(?<!\by )(?<!\by sus )(?<!\by los )\b(?P<own>(?:del|de los|para el|para los) municipios?)\b"
    r"|\b(?:(?:del|para el) estado|estatal|general|federal|de la federacion|de la union|de los estados unidos mexicanos|de las entidades federativas)\b"
)
# by how it starts; else "regulation" (a law is "others_law" when its name names another government first)
KINDS = {
    "ley": "law",
    "constitucion": "law",
    "aviso": "notice",
    "nombre": "procedure",
    "cedula": "procedure",
    "listado": "procedure",
    "requisitos": "procedure",
    "quien": "procedure",
}
LAWS = frozenset({"law", "others_law"})
PROCEDURE_HEAD_LINES = 25  # a unit's sheet of its trámites opens with its name, then each trámite's requisitos


@per_site
def instrument_named(label: str) -> str | None:
    """The instrument a label opens with («reglamento», «manual de organizacion», «aviso de privacidad»), folded, or
    None."""
    match = INSTRUMENT.match(_bare(label))
    return match.group(0) if match else None


def _bare(label: str) -> str:
    """A label folded, without a file name's separators, an office suite's prefix or a numbering."""
    return _NOISE.sub("", _SEPARATORS.sub(" ", folded(label)).strip())


def instrument_of(resource: ResourceArtifact) -> str | None:
    """The instrument a page or document names itself as: its title (or a page's first heading; a document's first
    line or file name)."""
    if resource.page:
        return instrument_named(resource.page.title) or instrument_named(next(iter(resource.page.headings), ""))
    if resource.document:
        return _document_instrument(resource.document.title, resource.document.text, resource.final_url)
    return None


@per_site
def _document_instrument(title: str, text: str, url: str) -> str | None:
    first = next((line for line in text.splitlines() if line.strip()), "")
    named = instrument_named(title) or instrument_named(first) or instrument_named(filename_text(url))
    return named or _law_text(title, text) or _procedure_in_head(text)


def _law_text(title: str, text: str) -> str | None:
    """The law a document is the text of («ley de transparencia…»), folded, or None: the name printed on its first
    lines (often two, after a compiler's note), or its title."""
    head = folded(text[:LAW_HEAD_CHARS])
    if not LAW_BODY.search(head):
        return None
    lines = [line for line in EDITORS_NOTE.sub("", text[:LAW_HEAD_CHARS]).splitlines() if line.strip()]
    for name in (" ".join(lines[:2]), title):
        cleaned = _bare(name)
        if LAW.match(cleaned):
            return cleaned[:LAW_NAME_CHARS]
    return None


def _procedure_in_head(text: str) -> str | None:
    """A trámite's requisitos heading one of a document's first lines («DIRECCIÓN DE DESARROLLO URBANO … Requisitos para
    solicitar licencia de alineamiento»): the document is the sheet of a unit's trámites."""
    lines = [line for line in text.splitlines() if line.strip()][:PROCEDURE_HEAD_LINES]
    found = (instrument_named(line) for line in lines)
    return next((named for named in found if named and kind_of(named) == "procedure"), None)


def kind_of(instrument: str) -> str:
    """What `instrument_named` or `instrument_of` found: a privacy "notice", a trámite's sheet ("procedure"), the text
    of the municipality's own law ("law") or of another government's ("others_law"), or a "regulation"."""
    kind = next((kind for start, kind in KINDS.items() if instrument.startswith(start)), "regulation")
    if kind == "law" and (owner := LAW_OWNER.search(instrument)) and not owner.group("own"):
        return "others_law"
    return kind


def others_law_named(label: str) -> str | None:
    """The law a label, or one part of a label read from its card or table row («Normatividad · Ley de Ingresos del
    Estado»), opens with when it names another government's, folded, or None. A label naming a law is otherwise a
    section's name (the law it complies with)."""
    for part in LABEL_PARTS.split(label):
        text = _bare(part)
        if LAW.match(text) and kind_of(text) == "others_law":
            return text[:LAW_NAME_CHARS]
    return None


def kinds_sought(terms: tuple[str, ...]) -> frozenset[str]:
    """The kinds of instrument a rule looks for: those its terms open with («ley de ingresos»: a law's text)."""
    named = {kind_of(named) for term in terms if (named := instrument_named(term))}
    return frozenset(named | ({"law"} if any(LAW.match(folded(term)) for term in terms) else set()))
