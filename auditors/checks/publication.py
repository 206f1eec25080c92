"""`publication`: the municipality publishes the obligation as a page or document of its own.

Words only point at candidates. A candidate counts only once the resource behind it was fetched and judged:
a link by its target (live, substantive, the municipality's own), a page by its own content beyond the site's
template, a document by its content. What is only mentioned, broken, a placeholder or another government's
resource scores 0 and is cited so a reviewer sees it; a target that could not be fetched leaves the source
not verifiable, never compliant.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import TypeGuard
from urllib.parse import unquote

from auditors import periods
from auditors.authorship import body_named
from auditors.checks import Outcome, cite
from auditors.instruments import LAWS, instrument_named, instrument_of, kind_of, kinds_sought, others_law_named
from auditors.listing import MONTHS, is_document_link, publication_entries
from auditors.matching import LABEL_PARTS, as_url_words, find, folded, named_by_address, per_site, url_slug_match
from auditors.ownership import (
    OTHER_GOVERNMENT,
    PORTAL,
    PORTAL_LINK,
    is_service_system,
    names_a_subject,
    on_form_service,
    within,
)
from auditors.recognizers import (
    BY_SECTION,
    CARGO,
    MIN_ENTRIES,
    MIN_SUPPLIERS,
    OWN_TEXT,
    PERSONAL_DATA,
    PHONE,
    PRIVACY_NOTICES,
    RECOGNIZERS,
    REGISTRATION,
    SUPPLIER,
    UNIT,
    Found,
    contacts,
    in_articles,
    is_letter,
    sections,
)
from auditors.site import LinkOn, Site, document_of, is_broken, is_contact_link, is_live, page_of
from auditors.substance import (
    DEFINITION_REASON,
    FRAMES,
    JUSTIFIED,
    NUMBERED_ORDINAL,
    PLACEHOLDER,
    SERVER_ERROR_REASON,
    UNSENT_MAX_WORDS,
    UNSENT_REASON,
    WORD,
    Substance,
    defines_only,
    lists_sessions_only,
    own_body_links,
    shows_server_error,
)
from auditors.topic import Topic, topic_of
from crawler.dates import find_dates
from models import Dimension, DocumentArtifact, Evidence, Link, PageArtifact, ResourceArtifact, Rule, Status
from models.finding import EvidenceKind
from models.rule import PublicationCheck
from models.text import normalize

STRONG = ("link", "page", "document", "content")
UNVERIFIED = ("unverified", "portal", "shared")
LABELS = {
    "link": "enlace",
    "page": "página",
    "document": "documento",
    "content": "contenido reconocido",
    "mention": "mención en texto",
    "broken": "enlace roto",
    "placeholder": "página o documento sin contenido",
    "context": "recurso ajeno",
    "regulation": "instrumento normativo",
    "notice": "aviso de privacidad",
    "procedure": "ficha de trámite",
    "law": "texto de una ley",
    "others_law": "ley de otro gobierno",
    "no_amounts": "descripción sin importes",
    "no_contacts": "lista sin teléfonos ni correos",
    "no_suppliers": "cómo inscribirse, sin el padrón",
    "no_documents": "página sin documentos",
    "announcement": "anuncio",
    "sessions": "lista de sesiones, sin sus actas",
    "description": "descripción del tema, sin periodo, fecha ni cifra",
    "remark": "una frase bajo un encabezado",
    "not_notice": "no es un aviso de privacidad",
    "unverified": "enlace no verificado",
    "shared": "un enlace común a varias entradas",
    "portal": "enlace al portal de transparencia",
    "offline": "descripción del servicio, sin el servicio en línea",
    "record": "otro documento sobre el tema",
    "body": "publicación de otro sujeto obligado",
}
MESSAGES = {
    "mention": "solo se menciona; no se publica",
    "broken": "el enlace está roto",
    "placeholder": "lo enlazado no tiene contenido",
    "context": "solo se enlaza a un recurso de otro gobierno o a una noticia, no a una publicación del municipio",
    "regulation": "solo hay un reglamento o manual que regula el tema, no la publicación",
    "notice": "solo hay un aviso de privacidad sobre el tema, no la publicación",
    "procedure": "solo hay la ficha de un trámite sobre el tema, no la publicación",
    "law": "solo se enlaza el texto de una ley, no la publicación",
    "others_law": "solo se enlaza una ley del Estado o de la Federación, no la del municipio",
    "offline": "solo se describe el servicio; no se ofrece",
    "no_amounts": "la página o el documento lo describe sin dar importes",
    "no_contacts": "no da teléfonos ni correos de quienes enlista",
    "no_suppliers": "solo se explica cómo inscribirse en el padrón; no se publica quiénes lo integran",
    "no_documents": "la página habla del tema sin publicar ni enlazar un solo documento",
    "announcement": "solo se anuncia el tema (qué se hizo y cuándo), sin publicarlo",
    "sessions": "solo se enlistan las sesiones por su nombre y fecha; no se publican ni se enlazan sus actas",
    "description": "solo se describe el tema; no se publica lo que se informa (ni un periodo, una fecha o una cifra)",
    "remark": "bajo su encabezado solo hay una frase, sin documento, enlace, fecha ni cifra",
    "not_notice": "lo enlazado no es un aviso de privacidad: no habla de datos personales",
    "record": "solo hay otro documento sobre el tema (una convocatoria, un acta, un informe), no la publicación",
    "body": "solo se publica la de otro sujeto obligado (el DIF, el organismo de agua, el Gobierno del Estado…), no la del ayuntamiento",
}
INSTRUMENT_NOTES = {
    "regulation": "un instrumento normativo",
    "notice": "un aviso de privacidad",
    "procedure": "la ficha de un trámite",
    "law": "el texto de una ley",
    "others_law": "una ley de otro gobierno",
}
CONTEXT_EXTRA_WORDS = 3  # words beside a short label («Directorio 2026», «Trámites que se ofrecen»)
MIN_BROKEN_ENTRIES = 3  # a page's own entries all broken: a list of what is not there, not one dead link
DIRECTORY_OFFICES = 5  # headings naming offices on one page: a directory of them
UNLOADED = "los scripts de la página no pudieron cargar sus datos de {} (servidor del municipio)"
TRANSPARENCY = re.compile(r"transparencia|obligaciones|ipomex|articulo 9[24]|art 9[24]")
YEAR_MONTHS = 12  # a subject reported by year (a cuenta pública) or longer (a plan)
DESCRIBED = "describe el tema sin nombrar un periodo, una fecha ni una cifra"
RUNNING_TEXT_CHARS = 1500  # of a document's or a section's text, read for the period it reports
DOCUMENT_HEAD_LINES = 3  # a document names itself in its first lines; a word further down is a mention
HEAD_LINE_CHARS = 100  # a first line longer than this is a sentence («En la ciudad de…, siendo las 10:00 horas…»)
# what a page lacks that only describes a service («online»: a procedure, a payment; «contact»: a complaints channel)
OFFERED = {
    "online": "formulario propio ni enlace a un sistema para hacerlo en línea",
    "contact": "formulario, datos de contacto propios ni enlace a un sistema para presentarla",
}
# A page or an oficio saying where the information is published instead of publishing it
REFERS_TO_PORTAL = re.compile(
    r"\b(?:se encuentran?|estan?|puede(?:n)? (?:ser )?consultar\w*|puede(?:n)? ser consultad[ao]s?|consult[ae]\w*"
    r"|disponibles?|publicad[ao]s?)\b[^.]{0,100}?\b(?:ipomex|plataforma nacional de transparencia|sipot|pnt"
    r"|portal de (?:transparencia|informacion publica(?: de oficio)?))\b"
)
POINTER_MAX_WORDS = 120
# A page this long, linking nothing, holds a document's text (a plan, a Bando), not a mention of it
DOCUMENT_TEXT_WORDS = 300
DOCUMENT_MIN_WORDS = 40  # a document's text that says something (a scan without OCR, a cover, says nothing)
MAP = re.compile(r"\bgoogle\.[a-z.]+/maps\b|\bmaps\.google\.|\bopenstreetmap\.org\b|\bwaze\.com\b|\bbing\.com/maps\b")
CAPTION_MAX_WORDS = 30  # a page's own words over the viewer it embeds: a caption, not a publication of its own
# what a card's link leads to when it opens nothing that publishes: another server that did not answer, a broken link,
# a placeholder («Próximamente»), a news item about the subject, the transparency portal (judged there, not here)
UNOPENED = ("unverified", "broken", "placeholder", "context", "portal")
# A page saying it sends the reader elsewhere («Redirigiendo…», «Serás enviado a…»)
REDIRECTING = re.compile(r"\b(?:redirig\w*|redireccion\w*|seras? (?:enviad|llevad)\w*)")
REMARK_MAX_WORDS = 30  # one sentence under a heading; a section that says more is judged as the page
# Entries of one page leading to the same target (the law, the tabla de aplicabilidad or an oficio under every fraction):
# it is not the publication of each, and which one it publishes, if any, is for a reviewer to say.
SHARED_ENTRIES = 5
YEAR = re.compile(r"(19|20)\d\d")
# A figure of a budget or a salary: money, thousands, cents, or four digits or more that are not a year («68500»)
FIGURE = re.compile(r"\$ ?\d|\b\d{1,3}(?:,\d{3})+\b|\b\d+\.\d{2}\b|\b\d{4,}\b")
# A postal code, a street or office number, the house number before the colonia («Instituto Literario 510, Col. Centro»)
ADDRESS_NUMBERS = (
    r"\b(?:c\.? ?p\.?|codigo postal):? ?\d{5}\b|(?:\b(?:no|num|numero|oficina|piso|local|lote|manzana|mz|lt|int|interior"
    r"|nivel)\.?|#) ?\d+\b|\b\d+\w?,? (?=(?:col|colonia|fracc|fraccionamiento|barrio)\b)"
)
# The articles of a law a page cites («artículo 49», «arts. 92 y 94»)
LEGAL_REFERENCES = r"\bart(?:iculos?|s?\.) ?\d+\w*(?: ?(?:,|y|al|a) ?\d+\w*)*"
# A day of the month with no year: when something happens every year («se publica el 5 de febrero de cada año»)
YEARLESS_DAYS = rf"\b\d{{1,2}}o? de (?:{MONTHS})\b(?! del? (?:ano )?\d)"
# Numbers of a page that say nothing of what it reports: how to reach an office (a phone, an extension, its hours, its
# address), the articles it cites, a day of no year. A page that reports a period names a year, a date or a figure;
# prose with no other number describes.
UNREPORTED_NUMBERS = re.compile(
    "|".join((PHONE.pattern, r"\b\d{1,2}:\d{2}\b", ADDRESS_NUMBERS, LEGAL_REFERENCES, YEARLESS_DAYS))
)
# Numbers of four digits or more a page that only describes the subject gives: how to reach an office («(722) 123-4567»:
# the area code is too short to be a figure), the articles it cites and dates
NUMERIC_DATE = r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"
NOT_FIGURES = re.compile(UNREPORTED_NUMBERS.pattern + "|" + NUMERIC_DATE)
# Numbers that date what happened to the subject, not what it reports: a day with its month («del 3 al 7 de agosto»), a
# numeric date, a year, an ordinal («1er», «2do»)
DATING_NUMBERS = re.compile(
    rf"\b\d{{1,2}}o?(?: (?:al|y|a) \d{{1,2}}o?)? de (?:{MONTHS})\b"
    rf"|{NUMERIC_DATE}|\b(?:19|20)\d\d\b"
    rf"|\b{NUMBERED_ORDINAL}\b"
)
# A call to take part in a mechanism: «se convoca», «invitamos», «participa», «inscríbete», «regístrate», «acude»
CALL = re.compile(
    r"\b(?:convoca(?:mos|n)?|invita(?:mos|n)?|participa(?:r|n)?|inscribete|inscribanse|registrate|registrense|acude"
    r"|acudan|asiste|asistan)\b|\bte invit"
)
ANNOUNCEMENT_SENTENCES = 2  # what publishes a report or a mechanism says more than when it happened
# Prose, not a list of names («Convenio con la UAEMéx. Convenio con el IMSS.») nor a catalogue's words run together: its
# sentences (of three words or more) run PROSE_WORDS words on average, and FUNCTION_SHARE of its words or more are
# articles, prepositions…
PROSE_WORDS = 12
FUNCTION_SHARE = 0.3
FUNCTION_WORDS = frozenset(
    "el la los las un una de del al a en y e o que se su sus por para con es son lo como le".split()
)
# the site's name with its term of office in a page title: «H. Ayuntamiento de X 2025-2027», «Gobierno Municipal 2025 - 2027»
LETTERHEAD_TERM = re.compile(
    r"(\b(?:ayuntamiento|gobierno municipal|gobierno de|administraci[oó]n municipal)\b[^|:·»]{0,40}?)\s*\b20\d\d\s*[-–/]\s*20\d\d\b",
    re.IGNORECASE,
)
SENTENCE = re.compile(r"[.!?;:]+(?:\s|$)")
SENTENCE_MIN_WORDS = 3  # «N/A», «Ver más.», «Descargar»: a mark or a button's words, not a sentence of the text
# A legend the site prints on every page (its footer's «Última actualización: …»): the site's, not each publication's
TEMPLATE_LEGEND = "la leyenda «{}» es de la plantilla del sitio, igual en todas sus páginas, no de cada publicación"
LEGEND_DATE_CHARS = 40  # «Fecha de actualización: miércoles, 15 de octubre de 2026»
INDEX_DEPTH = 2  # levels of index pages (a year's list of quarters' lists) followed down to a document


@dataclass
class Hit:
    kind: str  # a key of LABELS
    label: str  # the words that matched: link text, page title, document title
    where: ResourceArtifact  # the page or document holding the match
    target: ResourceArtifact | None = None  # for links: the fetched destination
    href: str | None = None
    note: str | None = None  # why it does not count, or what was recognised
    via: str = "a"  # how the crawler found the link (crawler/extract_html.py): <a href>, onclick, a rendered menu…
    shortfall: str | None = None  # what a real publication lacks (its documents, costs…): it is then partial
    text_from: str = ""  # "row", "item": a link named by its table's row, its card or its item (models/artifact.py)
    section: str | None = None  # content recognised under this heading of the page, not in the whole page

    @property
    def evidence_resource(self) -> ResourceArtifact:
        return self.target or self.where


def check_publication(rule: Rule, site: Site, fecha_corte: date) -> Outcome:
    check = rule.check
    assert isinstance(check, PublicationCheck)
    hits = _hits(check, site, reports_period=rule.currency is not None)
    strong = [h for h in hits if h.kind in STRONG]
    if strong:
        return _judge_strong(rule, strong, fecha_corte, site)
    unverified = [h for h in hits if h.kind in UNVERIFIED]
    if unverified:
        kinds = ", ".join(sorted({LABELS[h.kind] for h in unverified}))
        return Outcome(
            Status.NOT_VERIFIABLE,
            f"Solo se halló {kinds}: su destino no se pudo juzgar; revisar a mano.",
            _evidence(unverified),
        )
    weak = [h for h in hits if h.kind in MESSAGES]
    definite = any(h.kind in ("broken", "placeholder") for h in weak)  # the item's own link or page failed
    if definite or rule.dimension is not Dimension.TRANSPARENCIA or not site.unreached_section:
        if weak:
            reasons = "; ".join(dict.fromkeys(MESSAGES[h.kind] for h in weak))
            return Outcome(Status.NON_COMPLIANT, f"No se publica: {reasons}.", _evidence(weak))
        searched = (*check.terms, *check.context_terms, *check.url_terms)
        return Outcome(Status.NON_COMPLIANT, "No se encontró la publicación.", [_absence(searched, site)])
    # Not on the pages we could read, but the site's transparency section could not be consulted.
    section = site.unreached_section[0]
    return Outcome(
        Status.NOT_VERIFIABLE,
        f"No se halló en las páginas consultadas, y la sección de transparencia del sitio («{section.text}», "
        f"{section.href}) no se pudo consultar; revisar a mano.",
        [
            Evidence(
                kind="link",
                url=section.href,
                matched=f"sección de transparencia: «{section.text}»",
                note=(
                    "registros del municipio en una plataforma nacional de transparencia, que Apertura no consulta"
                    if names_a_subject(section.href)
                    else "el destino no se descargó o no respondió"
                ),
            ),
            *_evidence(weak),
        ],
    )


def _hits(check: PublicationCheck, site: Site, reports_period: bool) -> list[Hit]:
    hits = [*_link_hits(check, site), *_page_hits(check, site), *_document_hits(check, site)]
    sought = _instruments_sought(check)
    hits = [
        *(
            _as_pointer(
                _as_shared(_as_instrument(_as_missing(_as_failed_entry(hit, check, site), site), sought), site), site
            )
            for hit in hits
        ),
        *_content_hits(check, site, sought),
        *_unjudged_instruments(check, site, sought, {hit.href for hit in hits}),
    ]
    if check.records_apart:
        hits = [_as_record(hit, tuple(check.records_apart), tuple(check.terms), site) for hit in hits]
    if check.amounts:
        hits = [_as_amounts(hit, site, tuple(check.none_legends)) for hit in hits]
    if check.contacts:
        hits = [_as_contacts(hit, site) for hit in hits]
    if check.suppliers:
        hits = [_as_suppliers(hit, site) for hit in hits]
    if check.letters_apart:
        hits = [_as_letter(hit) for hit in hits]
    if reports_period:
        hits = [_as_description(hit, site) for hit in hits]
    if check.announcements_apart:
        hits = [_as_announcement(hit, site, check.announcements_apart) for hit in hits]
    if check.session_list_apart:
        hits = [_as_session_list(hit, site, tuple(check.records_apart)) for hit in hits]
    if check.documents:  # after the description: a page that describes the subject says so
        hits = [_as_documents(hit, site) for hit in hits]
    if check.recognizer in PRIVACY_NOTICES:
        hits = [_as_notice(hit, site) for hit in hits]
    if check.service:  # a service the site offers serves its citizens, whichever body provides it
        return [_as_service(hit, site, check.service) for hit in hits]
    return [_as_body(hit, site) for hit in hits]


def _as_description(hit: Hit, site: Site) -> Hit:
    """A strong hit by words (not content a recogniser found) on a page that links nothing of its own, shows no image of
    its own and whose text is prose naming no time or quantity (no number but a phone's, an hour's or an address's):
    it describes the subject. What reports a period («Cuenta pública», «Indicadores») names a year, a date or a figure."""
    resource = hit.evidence_resource
    if hit.kind not in STRONG or hit.kind == "content" or resource.page is None:
        return hit
    if hit.section is not None and hit.target is None:
        return _as_described_section(hit, site)
    if not site.once(_prose, resource):
        return hit
    if not _shows_own(resource, site):
        return replace(hit, kind="description", note=f"la página {DESCRIBED}")
    # prose that sends to documents nobody could read (a shared folder on Drive): the publication is there
    links = own_body_links(page_of(resource), site.template_for(resource))
    unread = [link.href for link in links if is_document_link(link.href) and _unread(link.href, site)]
    if unread and len(unread) == len(links) and not _shows_apart_from_links(resource, site):
        return replace(
            hit, kind="unverified", note=f"la página describe el tema y remite a {unread[0]}, que no se leyó"
        )
    return hit


def _as_described_section(hit: Hit, site: Site) -> Hit:
    """`_as_description` for one entry of a page (a heading's section): prose naming no time or quantity that links
    nothing describes the subject; one whose every link leads where nothing is published (another server nobody could
    read: «Presente su solicitud en el SAIMEX»; another government's resource) is judged by them."""
    section = _section(hit.where, hit.section or "", site) or ""
    if not _is_prose(section):
        return hit
    links = [link for link in _own_links(hit, section, site) if not link.href.startswith(("mailto:", "tel:"))]
    if not links:
        return replace(hit, kind="description", note=f"la sección «{hit.section}» {DESCRIBED}")
    judged = [(link, *_judge_target(link.href, site, False, ())) for link in links]
    if any(kind not in UNOPENED for _, kind, _, _ in judged):
        return hit
    link, kind, _, note = next((j for j in judged if j[1] == "unverified"), judged[0])
    return replace(hit, kind=kind, note=f"la sección «{hit.section}» describe el tema y remite a {link.href}: {note}")


def _unread(href: str, site: Site) -> bool:
    """A link whose target could not be read: not fetched (another server), or not answering; a 404 is broken."""
    return not is_live(target := site.target(href)) and not is_broken(target)


def _shows_apart_from_links(page: ResourceArtifact, site: Site) -> bool:
    facts, template = page_of(page), site.template_for(page)
    return facts.images > template.images or any(_own_frame(link, page, site) for link in facts.links)


def _prose(resource: ResourceArtifact, site: Site) -> bool:
    return _is_prose(site.own_text(resource))


def _is_prose(text: str) -> bool:
    """Whether a text is prose naming no time or quantity (no number but a phone's, an hour's or an address's)."""
    text = UNREPORTED_NUMBERS.sub(" ", text)
    if any(character.isdigit() for character in text):
        return False
    sentences = _sentences(text)
    words = [word for sentence in sentences for word in sentence]
    prose = bool(sentences) and len(words) >= PROSE_WORDS * len(sentences)
    return prose and sum(word in FUNCTION_WORDS for word in words) >= FUNCTION_SHARE * len(words)


def _sentences(text: str) -> list[list[str]]:
    """The words of each sentence of a text that has SENTENCE_MIN_WORDS or more."""
    return [words for sentence in SENTENCE.split(text) if len(words := WORD.findall(sentence)) >= SENTENCE_MIN_WORDS]


def _as_notice(hit: Hit, site: Site) -> Hit:
    """A strong hit on a page or document, not a list of documents, that never speaks of personal data: a privacy
    notice names them in every form the law gives it; a site's cookie policy («Este sitio utiliza cookies…») does not."""
    resource = hit.evidence_resource
    if hit.kind not in STRONG or (resource.page and site.substance(resource).index_of):
        return hit
    if resource.page is None and resource.document is None:
        return hit
    text = _own_text(resource, site) + (f" {folded(resource.page.script_text)}" if resource.page else "")
    if not text.strip() or PERSONAL_DATA.search(text):
        return hit
    return replace(
        hit, kind="not_notice", note="no habla de datos personales (una política de cookies o de uso del sitio)"
    )


def _as_amounts(hit: Hit, site: Site, none_legends: tuple[str, ...]) -> Hit:
    """A strong hit on a page of the site's own, not a list of documents, or on a document with a text of its own (a
    gazette's issue that names the «tabulador de sueldos» among its acuerdos), whose text gives no figure but years (a
    phone, an hour or an address is no figure) nor says there is nothing to report (one of `none_legends`). A document
    without text (a scan) is not judged so."""
    resource = hit.evidence_resource
    if hit.kind not in STRONG or (resource.page is not None and site.substance(resource).index_of):
        return hit
    text = _hit_text(hit, site)
    if resource.page is None and len(text.split()) < DOCUMENT_MIN_WORDS:
        return hit
    if _has_figures(text) or (none_legends and find(none_legends, text)):
        return hit
    what = "la página" if resource.page is not None else "el documento"
    return replace(hit, kind="no_amounts", note=f"{what} describe el tema sin dar un solo importe")


def _own_text(resource: ResourceArtifact, site: Site) -> str:
    """What a page says beyond the site's template, or a document's whole text; folded."""
    return site.own_text(resource) if resource.page else folded(document_of(resource).text)


def _hit_text(hit: Hit, site: Site) -> str:
    """What the hit's publication says: its section of a page found by one of its later headings (the other sections
    are other entries), else the page's own text or the document's."""
    if hit.section is not None and hit.target is None and hit.where.page is not None:
        return _section_body(hit.where, hit.section, site)
    return _own_text(hit.evidence_resource, site)


def _has_figures(text: str) -> bool:
    """Whether a text gives a figure: money, thousands, cents, four digits or more that are not a year (a phone, an
    extension, a date, an address are no figure)."""
    return any(not YEAR.fullmatch(figure) for figure in FIGURE.findall(NOT_FIGURES.sub(" ", text)))


def _as_contacts(hit: Hit, site: Site) -> Hit:
    """A strong hit on a page of the site's own, not a list of documents, or on a document, that gives no phone or
    e-mail of its own is no directory: a list of people with their posts (cards of the cabinet with their photos) tells
    who they are, not how to reach them, which is what the directory publishes. A scan whose text could not be read may
    hold them: the hit stays."""
    resource = hit.evidence_resource
    if hit.kind not in STRONG or (resource.page and site.substance(resource).index_of):
        return hit
    # a phone as a directory writes it («283 0101» under «Teléfono»), an e-mail, or a mailto:/tel: link of its own
    text = _hit_text(hit, site)
    if resource.document is not None and not text:
        return hit  # a scan with no text read
    if resource.page and hit.section is None:
        contact = bool(site.own_contact(resource))
    else:  # one entry of a page (or a document, which links nothing): a contact link its section holds
        contact = _holds_a_link(resource, text, site, is_contact_link)
    if contacts(text) or contact:
        return hit
    if len(CARGO.findall(text)) >= MIN_ENTRIES:
        return replace(hit, kind="no_contacts", note="enlista personas con su cargo, sin un teléfono ni un correo")
    return replace(hit, kind="no_contacts", note="no da un teléfono ni un correo propios")


def _as_suppliers(hit: Hit, site: Site) -> Hit:
    """A strong hit on a page or document that, with the documents it lists, names fewer than MIN_SUPPLIERS suppliers
    and says how to join the register (its requirements, the form): not the register. A listed document with no text
    (a scan) may be the register: the hit stays."""
    resource = hit.evidence_resource
    if hit.kind not in STRONG:
        return hit
    held = [resource]
    if resource.page and (listed := site.substance(resource).index_of):
        held += [t for t in (site.target(href) for href in listed) if is_live(t) and site.substance(t).ok]
    texts = [_own_text(r, site) for r in held]
    if any(not text for text in texts[1:]) or sum(len(SUPPLIER.findall(text)) for text in texts) >= MIN_SUPPLIERS:
        return hit
    if not any(REGISTRATION.search(text) for text in texts):
        return hit
    return replace(hit, kind="no_suppliers", note="explica cómo inscribirse en el padrón y no nombra a sus integrantes")


def _as_documents(hit: Hit, site: Site) -> Hit:
    """A strong hit on a page of the site's own that links nothing of its own (no document, no system) and is not a
    document's text itself (written in articles, or DOCUMENT_TEXT_WORDS long): it speaks of what is published as
    documents (a reminder of when servants declare, a page naming the Bando and the day it was published), it publishes
    none. A frame it embeds is judged through the page's link, by what it shows."""
    resource = hit.evidence_resource
    if hit.kind not in STRONG or resource.page is None:
        return hit
    text = _hit_text(hit, site)
    if _own_links(hit, text, site) or in_articles(text) or len(text.split()) >= DOCUMENT_TEXT_WORDS:
        return hit
    return replace(hit, kind="no_documents", note="no enlaza ningún documento ni sistema")


def _as_session_list(hit: Hit, site: Site, records: tuple[str, ...]) -> Hit:
    """A strong hit on a page of the site's own, or one of its sections, whose text only names sessions and their dates
    and that links none of its own but other records of them (`records`: their calls, their agendas): the minutes are
    not there. On a page of several sections (the cabildo's members, then its sessions), the section that lists the
    sessions is where the minutes would be."""
    resource = hit.evidence_resource
    if hit.kind not in STRONG or resource.page is None:
        return hit
    text = _hit_text(hit, site)
    named = re.compile(r"\b" + _opening(records).pattern) if records else None
    if any(not (named and _names_a_record(link.text, named)) for link in _own_links(hit, text, site)):
        return hit
    text = named.sub(" ", text) if named else text
    sections = _sections(text, resource.page) if hit.section is None else []
    if not lists_sessions_only(text) and not any(lists_sessions_only(body) for _, body in sections):
        return hit
    return replace(hit, kind="sessions", note="solo enlista sesiones por su nombre y fecha, sin sus actas")


def _names_a_record(text: str, named: re.Pattern[str]) -> bool:
    """A link named as another record of a session («Convocatoria», «Orden del día»), not as its minutes."""
    name = folded(text)
    return bool(named.search(name)) and not re.search(r"\bactas?\b", name)


def _own_links(hit: Hit, text: str, site: Site) -> list[Link]:
    """The hit's page's links of its own; for one entry of a page (`text`, its section), those the section holds."""
    page = hit.evidence_resource
    if hit.section is None:
        return own_body_links(page_of(page), site.template_for(page))
    return _links_in(page, text, site, heading=hit.section)


def _section_body(page: ResourceArtifact, heading: str, site: Site) -> str:
    """What a heading's section of the page says after the heading."""
    return _after_heading(_section(page, heading, site) or "", heading)


def _after_heading(section: str, heading: str) -> str:
    return section[len(normalize(heading)) :]


def _holds_a_link(
    page: ResourceArtifact, body: str, site: Site, which: Callable[[str], bool] = lambda href: True
) -> bool:
    """Whether a section's text holds one of the page's own links, of `which` hrefs."""
    return bool(_links_in(page, body, site, which))


def _links_in(
    page: ResourceArtifact,
    body: str,
    site: Site,
    which: Callable[[str], bool] = lambda href: True,
    heading: str | None = None,
) -> list[Link]:
    """The page's own links, of `which` hrefs, whose text is in a section's text: compared word by word, since the
    page's own text ends a stretch at a word («(PDF)» as «(pdf»). Under a `heading`, a link named by its card's
    heading («Remuneraciones · Leer más») is that card's: another card's «Leer más» is not this section's."""
    if page.page is None:
        return []
    words = f" {' '.join(WORD.findall(folded(body)))} "
    itself = {page.url, page.final_url}  # a menu entry for the page itself shares words with its sections
    return [
        link
        for link in own_body_links(page_of(page), site.template_for(page))
        if link.href not in itself
        and (text := " ".join(WORD.findall(folded(_own_words(link)))))
        and f" {text} " in words
        and which(link.href)
        and (heading is None or link.text_from != "item" or _card_of(link) == WORD.findall(folded(heading)))
    ]


def _card_of(link: Link) -> list[str]:
    """The words of the card heading a terse link is named by («Remuneraciones · Leer más»: remuneraciones)."""
    return WORD.findall(folded(link.text.rsplit(" · ", 1)[0]))


def _own_words(link: Link) -> str:
    """A link's words as the page shows them: a terse link named with its card's heading keeps its own after « · »
    (one whose words name nothing, «Consultar», is the heading alone)."""
    return link.text.rsplit(" · ", 1)[-1] if link.text_from == "item" else link.text


def _as_announcement(hit: Hit, site: Site, subject: str) -> Hit:
    """A strong hit by words on a page that links, frames and shows nothing of its own (or on a heading of a page whose
    section holds none of its links, or on a report's one-page document), whose text there is at most
    ANNOUNCEMENT_SENTENCES sentences naming a date and no other number (beside a phone, an hour, an address): it tells
    what happened to the subject and when («rindió su Primer Informe de Gobierno el 12 de diciembre»), it does not hold
    it. A legend that nothing was generated in the period is the publication, and so is a mechanism's call to take
    part."""
    resource = hit.evidence_resource
    if hit.kind not in STRONG or hit.kind == "content":
        return hit
    if resource.page is None and not (subject == "report" and _one_page_of_text(resource)):
        return hit  # of documents, only a report's one page of text (a mechanism's may be its convocatoria)
    text = _hit_text(hit, site)
    if resource.page is not None and hit.section is None and _shows_own(resource, site):
        return hit
    # one entry of a page: what its section says, unless the section holds a link or the page shows images (an entry
    # whose page embeds a document in a viewer is that document's text)
    if (
        hit.section is not None
        and hit.target is None
        and (page_of(resource).images > site.template_for(resource).images or _holds_a_link(resource, text, site))
    ):
        return hit
    numbers = UNREPORTED_NUMBERS.sub(" ", text)
    if JUSTIFIED.search(text) or (subject == "mechanism" and CALL.search(text)) or not DATING_NUMBERS.search(numbers):
        return hit  # the legend that nothing was generated; or no date, when an announcement says when
    if any(character.isdigit() for character in DATING_NUMBERS.sub(" ", numbers)):
        return hit  # a figure
    if len(_sentences(text)) > ANNOUNCEMENT_SENTENCES:
        return hit
    return replace(hit, kind="announcement", note="solo dice qué se hizo con el tema y cuándo, sin publicarlo")


def _one_page_of_text(resource: ResourceArtifact) -> bool:
    """A one-page document with a text layer (an invitation, an acknowledgement of receipt), not a scan or a sheet."""
    document = resource.document
    return bool(document and document.pages == 1 and not (document.image_only or document.ocr or document.rows))


def _as_letter(hit: Hit) -> Hit:
    """A strong hit on a document that is a letter (an oficio answering a request): what its letterhead and signature
    say of the office that sent it is not that office's publication."""
    resource = hit.evidence_resource
    if hit.kind not in STRONG or resource.document is None or not is_letter(resource.document.text):
        return hit
    return replace(hit, kind="record", note="es un oficio dirigido a alguien, no la publicación")


def _as_pointer(hit: Hit, site: Site) -> Hit:
    """A strong hit on a short page or document, giving no figure and listing no documents, that only says where the
    information is published: the transparency portal («se encuentra publicada en IPOMEX», an oficio of the Unidad de
    Transparencia). It is judged there."""
    if hit.kind not in STRONG or not site.once(_only_points_to_portal, hit.evidence_resource):
        return hit
    return replace(hit, kind="portal", note=f"solo remite al portal de transparencia; {PORTAL_LINK}")


def _only_points_to_portal(resource: ResourceArtifact, site: Site) -> bool:
    if resource.page is None and resource.document is None:
        return False
    if resource.page and site.substance(resource).index_of:
        return False
    text = _own_text(resource, site)
    return len(text.split()) <= POINTER_MAX_WORDS and bool(REFERS_TO_PORTAL.search(text)) and not _has_figures(text)


def _as_shared(hit: Hit, site: Site) -> Hit:
    """A strong hit by its label (a link's, or a document's title) on a target that one page links under other entries
    too (SHARED_ENTRIES or more). A page found by its own title, or content found by what it holds, stays."""
    if hit.kind not in STRONG or (hit.href is None and hit.where.document is None):
        return hit
    count = site.entries_sharing(hit.href if hit.href is not None else hit.where)
    if count < SHARED_ENTRIES:
        return hit
    return replace(hit, kind="shared", note=f"una misma página enlaza este destino en {count} entradas distintas")


def _as_record(hit: Hit, records: tuple[str, ...], terms: tuple[str, ...], site: Site) -> Hit:
    """A strong hit whose label, or the page or document it leads to, opens as another record on the subject (the
    rule's `records_apart`), or an index page all of whose documents with content do: that record's."""
    if hit.kind not in STRONG:
        return hit
    resource = hit.evidence_resource
    opening = _record_opening(hit.label, records, terms) or _record_opening(resource, records, terms)
    if opening is None and resource.page and (listed := site.substance(resource).index_of):
        held = [t for t in (site.target(href) for href in listed) if is_live(t) and site.substance(t).ok]
        openings = [_record_opening(target, records, terms) for target in held]
        opening = openings[0] if held and all(openings) else None
    if opening is None:
        return hit
    return replace(hit, kind="record", note=f"es otro documento sobre el tema: «{opening[:80]}»")


def _record_opening(labelled: str | ResourceArtifact, records: tuple[str, ...], terms: tuple[str, ...]) -> str | None:
    """The label, or the title, first heading or first lines of a page or document, that opens as one of `records`
    before one of them names the publication itself (an acta whose third line is its «Orden del día»)."""
    if isinstance(labelled, str):
        heads = [labelled]
    elif labelled.page:
        heads = [labelled.page.title, *labelled.page.headings[:1]]
    elif labelled.document:
        heads = [labelled.document.title, *_head_lines(labelled.document)]
    else:
        heads = []
    opens = _opening(records)
    for head in heads:
        if opens.match(folded(head).strip(" .-:")):
            return head
        if find(terms, head):
            return None
    return None


def _as_body(hit: Hit, site: Site) -> Hit:
    """A strong hit whose label, or the page or document it leads to or is found in, names another obligated subject
    (the municipality's DIF or water utility, the state government; auditors/bodies.yaml) and not the ayuntamiento:
    that subject's publication."""
    if hit.kind not in STRONG:
        return hit
    resource = hit.where if hit.href is None else hit.target
    body = body_named(hit.label) or (resource and site.once(_body_of, resource))
    if not body:
        return hit
    return replace(
        hit, kind="body", note=f"es de {body}, sujeto obligado con obligaciones propias, no del ayuntamiento"
    )


def _body_of(resource: ResourceArtifact, site: Site) -> str | None:
    """The other obligated subject a page or document names itself after (its title, first heading or first lines),
    or the one every page linking it in its content is named after (a DIF's list of its documents). Not a law's text:
    the state's laws are the municipality's framework (_as_instrument judges them)."""
    body = _names_body(resource)
    if body is None and (linking := site.linking_pages(resource)):
        bodies = [_names_body(page) for page in linking]
        body = bodies[0] if all(bodies) else None
    if body and (instrument := instrument_of(resource)) and kind_of(instrument) in LAWS:
        return None
    return body


def _names_body(resource: ResourceArtifact) -> str | None:
    """The body a page's title (each part: «Organigrama del DIF | H. Ayuntamiento de X») or first heading names, or a
    document's title or first lines, taken together: a letterhead naming the ayuntamiento above the body is not only
    the body's."""
    if resource.page:
        heads = [*LABEL_PARTS.split(resource.page.title), *resource.page.headings[:1]]
    elif resource.document:
        heads = [resource.document.title or "", "\n".join(_head_lines(resource.document))]
    else:
        heads = []
    return next((body for head in heads if (body := body_named(head))), None)


# What reports on a record opens as that record too («Resultados de los foros», «Memoria de la convocatoria»)
REPORT_OF = r"(?:(?:resultados|memoria|relatoria|sintesis|conclusiones) de(?:l| l[oa]s?)? )?"


@lru_cache(maxsize=64)
def _opening(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(REPORT_OF + r"(?:" + "|".join(re.escape(folded(phrase)) for phrase in phrases) + r")\b")


def _head_lines(document: DocumentArtifact) -> tuple[str, ...]:
    """A document's first lines, where it names itself; an XLSX's after its sheet's name, «Reporte de Formatos», which
    opens its text (crawler/extract_office.py)."""
    return _first_lines(document.text, skip=int(document.kind == "xlsx"))


@per_site
def _first_lines(text: str, skip: int) -> tuple[str, ...]:
    return tuple(line for line in text.splitlines() if line.strip())[skip : skip + DOCUMENT_HEAD_LINES]


def _as_service(hit: Hit, site: Site, service: str) -> Hit:
    """A service's publication is the service: a form of the page's own to fill in (or of a page of the site its
    content links to), contact details of its own for a «contact» service, or a link from its content to the system on
    another server (not verifiable here); a page that only describes it, or a document, is not."""
    resource = hit.evidence_resource
    if hit.kind not in STRONG:
        return hit
    if resource.page is None:
        return replace(hit, kind="offline", note="un documento describe el servicio; no lo ofrece")
    if site.forms(resource, service) > site.template_forms(service):
        return hit
    if service == "contact" and (contact := site.own_contact(resource)):
        return replace(hit, note=f"datos de contacto propios: {contact}")
    # the page's own links (an entry's: those of its section), and what it embeds (a Google Form in an iframe)
    template = site.template_for(resource)
    frames = [link for link in resource.page.links if link.via in FRAMES and link.href not in template.links]
    own_links = _own_links(hit, _hit_text(hit, site), site)
    targets = (site.target(link.href) for link in own_links + frames)
    if form := next(
        (t for t in targets if is_live(t) and t.page and site.forms(t, service) > site.template_forms(service)), None
    ):
        return replace(hit, target=form, note=f"el formulario del servicio está en {form.final_url}")
    if system := next(
        (
            link.href
            for link in own_links + [frame for frame in frames if on_form_service(frame.href)]
            if is_service_system(link.href, resource.final_url, site.owners)
        ),
        None,
    ):
        return replace(hit, kind="unverified", note=f"enlaza un sistema en otro servidor ({system}) que no se verificó")
    return replace(
        hit,
        kind="offline",
        note=f"la página describe el servicio, sin {OFFERED[service]}",
    )


def _instruments_sought(check: PublicationCheck) -> frozenset[str]:
    """The kinds of instrument the rule looks for (auditors/instruments.py): regulations for the marco normativo, the
    Bando, a manual de organización; notices for the privacy-notice rules; trámite sheets for the catalogues. Of any
    other kind, a label, page or document about the rule's subject is not its publication."""
    sought = kinds_sought(tuple(check.terms))
    return sought | {"regulation", *LAWS} if check.recognizer == "normative_instrument" else sought


def _as_instrument(hit: Hit, sought: frozenset[str]) -> Hit:
    """A strong hit whose label, or the page or document it leads to, names an instrument, a notice or a trámite's sheet
    of a kind the rule does not look for: the instrument's. What the target names itself wins over its label («Reglamento
    de Participación Ciudadana» leading to the state's Ley de Participación Ciudadana is a law's text)."""
    if hit.kind not in STRONG:
        return hit
    instrument = (hit.target and instrument_of(hit.target)) or instrument_named(hit.label)
    if "law" in sought:  # a rule that seeks the municipality's own law (its Ley de Ingresos): the state's is not it
        instrument = instrument or others_law_named(hit.label)
    if hit.href is None:
        instrument = instrument or instrument_of(hit.where)
    if not instrument or (kind := kind_of(instrument)) in sought:
        return hit
    if kind == "others_law" and "law" not in sought:
        kind = "law"  # whose law it is matters only to a rule that seeks the municipality's own
    return replace(hit, kind=kind, note=f"se publica {INSTRUMENT_NOTES[kind]} («{instrument}…») sobre el tema")


def _unjudged_instruments(
    check: PublicationCheck, site: Site, sought: frozenset[str], linked: set[str | None]
) -> list[Hit]:
    """For the marco normativo, recognised by content (`normative_instrument`): the links named after an instrument it
    looks for («Bando Municipal», «Reglamento Interior») whose target could not be fetched (another server that did not
    answer). Fetched, the recogniser judges what they hold; unfetched, each is a candidate nobody could read, so the
    rule is «no verificable». One broken link to one instrument says nothing of the marco normativo: not kept."""
    if check.recognizer != "normative_instrument":
        return []
    hits = []
    for text, href, positions in site.distinct_links:
        if href in linked or not (instrument := instrument_named(text)) or kind_of(instrument) not in sought:
            continue
        kind, target, note = _judge_target(href, site, check.news, tuple(check.accepted_domains))
        if kind == "unverified":
            on = site.links[positions[0]]
            hits.append(Hit(kind, text, on.page, target, href, note, on.link.via))
    return hits


def _link_hits(check: PublicationCheck, site: Site) -> list[Hit]:
    terms, context_terms, url_terms = tuple(check.terms), tuple(check.context_terms), tuple(check.url_terms)
    exclude = tuple(check.exclude_terms)
    # Only the links holding the terms' words (site.*_words) are tested.
    positions = _union(
        site.link_words.candidates(terms + context_terms),
        site.link_url_words.candidates(as_url_words(url_terms)) if url_terms else (),
    )
    matched: list[LinkOn] = []
    for text, href, indexes in (site.distinct_links[position] for position in positions):
        if href.startswith(("mailto:", "tel:")):
            continue
        if find(terms, text, exclude) or (
            url_terms and named_by_address(text, href, terms + context_terms, url_terms, exclude)
        ):
            matched.extend(site.links[index] for index in indexes)
        elif context_terms and _short_label(context_terms, text, exclude):
            matched.extend(on for on in (site.links[index] for index in indexes) if _in_context(on, site))
    hits, judged, topic = [], {}, _topic(check)
    for on in matched:
        href = on.link.href
        if href not in judged:  # a menu link is one hit per page: its target is judged once
            kind, target, note = _judge_target(href, site, check.news, tuple(check.accepted_domains), topic)
            if kind == "link" and target is not None and (card := _subject_card(target, check, site)):
                kind, note = card.kind, f"la página enlazada trata otro tema; {card.note}"
            shortfall = _missing_documents(target, site) if kind == "link" and target is not None else None
            judged[href] = kind, target, note, shortfall
        kind, target, note, shortfall = judged[href]
        if target is on.page and kind in STRONG:  # «Consultar» in a row of the table leads back to the table
            kind, note, shortfall = "mention", "el enlace lleva de vuelta a la página que lo contiene", None
        hit = Hit(kind, on.link.text or href, on.page, target, href, note, on.link.via, shortfall)
        hits.append(hit if not on.link.text_from else replace(hit, text_from=on.link.text_from))
    return hits


def _short_label(context_terms: tuple[str, ...], label: str, exclude: tuple[str, ...]) -> bool:
    """A short label (`context_terms`: «Directorio», «Sueldos») is a label's whole part, give or take a few words, not
    a word of a longer one: «VIII Remuneración bruta y neta de todos los servidores públicos» is fraction VIII's."""
    return any(
        (found := find(context_terms, part, exclude)) and len(part.split()) <= len(found.split()) + CONTEXT_EXTRA_WORDS
        for part in LABEL_PARTS.split(label)
    )


def _judge_target(
    href: str,
    site: Site,
    news_counts: bool,
    accepted: tuple[str, ...],
    topic: Topic | None = None,
    in_viewer: bool = False,
) -> tuple[str, ResourceArtifact | None, str | None]:
    """What a link leads to: (hit kind, the fetched target, the note a reviewer reads). A page that only embeds
    a viewer is judged by what the viewer shows (once: a viewer inside a viewer is not followed)."""
    owner = site.owners.of(href)
    if owner == PORTAL:
        return "portal", None, PORTAL_LINK
    target = site.target(href)
    foreign = [
        url
        for url in (href, target.final_url if target else None)
        if url and site.owners.of(url) == OTHER_GOVERNMENT and not within(url, accepted)
    ]
    if foreign:
        return "context", target, "recurso de otro gobierno u organismo, no del municipio"
    if target is None:
        return "unverified", None, "el destino no se descargó"
    if site.owners.of(target.final_url) == PORTAL:
        return "portal", target, PORTAL_LINK
    if target.ok and target.page and shows_server_error(target.page):
        return "placeholder", target, SERVER_ERROR_REASON
    if not is_live(target):
        failure = _failure(target)
        return ("broken" if is_broken(target) else "unverified"), target, failure
    if not news_counts and site.is_news(target):
        return "context", target, "es una noticia sobre el tema, no la publicación"
    if site.is_home(target):  # its sections are read as the home page's own (a link to «#tramites» is not one)
        return "context", target, "lleva a la página de inicio, no a una publicación"
    if unloaded := site.unloaded(target):
        return "unverified", target, UNLOADED.format(unloaded[0])
    if host := _redirects_to(target, site):
        return "unverified", target, f"la página solo redirige por script a {host}, que no se consultó"
    substance = site.substance(target)
    if not in_viewer and (frame := _viewer(target)) and (not substance.ok or _captions(target, frame, site)):
        kind, shown, note = _judge_target(frame.href, site, news_counts, accepted, topic, in_viewer=True)
        shows = f"la página enlazada solo incrusta un visor ({frame.via}) y se juzgó lo que muestra"
        return kind, shown, f"{shows}: {note}" if note else shows
    if not substance.ok:
        return "placeholder", target, substance.reason
    return _behind_index(target, substance, site, topic) or ("link", target, substance.detail)


def _captions(page: ResourceArtifact, frame: Link, site: Site) -> bool:
    """Whether a page's own text only captions the viewer it embeds («Sueldos y salarios de los servidores públicos»
    over a Power BI report): a few words, no list of documents."""
    if not _own_frame(frame, page, site) or site.substance(page).index_of:
        return False
    return len(site.own_text(page).split()) <= CAPTION_MAX_WORDS


def _shows_own(page: ResourceArtifact, site: Site) -> bool:
    """Whether a page links, shows or embeds anything of its own: a body link, an image, a frame."""
    return bool(own_body_links(page_of(page), site.template_for(page))) or _shows_apart_from_links(page, site)


def _own_frame(link: Link, page: ResourceArtifact, site: Site) -> bool:
    """Whether a link is a frame the page embeds of its own (not the template's Facebook feed) that is no map (the
    office's location beside what the page says): a report, a document, a video it shows."""
    if link.via not in FRAMES or link.context != "body" or MAP.search(link.href):
        return False
    return link.href not in site.template_for(page).links


def _redirects_to(page: ResourceArtifact, site: Site) -> str | None:
    """The server a page sends its reader to by script, when all it says is that it does so («Serás redirigido a la
    carpeta de documentos…»): what it names is there, not on the page."""
    if page.page is None or not page.page.script_hosts:
        return None
    text = site.own_text(page)
    if len(WORD.findall(text)) > REMARK_MAX_WORDS or not REDIRECTING.search(text):
        return None
    return ", ".join(page.page.script_hosts[:3])  # the scripts' hosts: the page does not say which it opens


def _viewer(page: ResourceArtifact) -> Link | None:
    """The first embedded viewer of a page (an iframe, embed or object showing a PDF or a Google Docs view)."""
    return next((link for link in page_of(page).links if link.via in FRAMES), None) if page.page else None


def _publishes(resource: ResourceArtifact | None, site: Site, depth: int) -> TypeGuard[ResourceArtifact]:
    if not is_live(resource) or not (substance := site.substance(resource)).ok:
        return False
    if site.once(_body_of, resource):
        return False  # another obligated subject's (_as_body)
    if not substance.index_of:
        return True
    return depth < INDEX_DEPTH and _behind_index(resource, substance, site, None, depth + 1) is None


def _behind_index(
    index: ResourceArtifact, substance: Substance, site: Site, topic: Topic | None, depth: int = 0
) -> tuple[str, None, str] | None:
    """An index page counts through what it lists: None when one of its links leads to a live resource with
    content (an index listing indexes is followed two levels down) about the rule's subject, else why not (none
    fetched or answering: not verifiable; all 404 or soft 404: broken; none about the subject: no content)."""
    if not substance.index_of:
        return None
    targets = [site.target(href) for href in substance.index_of]
    published = [(href, t) for href, t in zip(substance.index_of, targets, strict=True) if _publishes(t, site, depth)]
    if published:
        texts = {link.href: link.text for link in page_of(index).links}
        if topic is None or any(_about(t, texts.get(href, ""), topic, site) for href, t in published):
            return None
        return "placeholder", None, f"ninguno de los {len(published)} documentos o páginas que lista trata del tema"
    if all(is_broken(t) for t in targets):
        return "broken", None, f"los {len(targets)} enlaces que lista la página están rotos"
    empty = [t for t in targets if is_live(t) and not site.substance(t).ok]
    if empty and all(t in empty or is_broken(t) for t in targets):  # each one fetched and judged: nothing in them
        reason = site.substance(empty[0]).reason
        return "placeholder", None, f"lo que lista la página no tiene contenido ({empty[0].final_url}: {reason})"
    return "unverified", None, f"ninguno de los {len(targets)} documentos o páginas que lista se pudo descargar"


def _topic(check: PublicationCheck) -> Topic | None:
    """Only a rule that states what its content must include can tell a listing of unrelated files: elsewhere
    a document's words ("Cuenta pública 2025" under "Armonización contable") may not repeat the label's."""
    if not check.require_terms:
        return None
    return topic_of(tuple(check.terms) + tuple(check.context_terms), tuple(check.require_terms))


def _about(resource: ResourceArtifact, link_text: str, topic: Topic, site: Site) -> bool:
    """Whether a listed resource is about the subject: its link text, address, title or opening text names it.
    One whose text cannot be read (a scan, an image) or that lists further documents is given the benefit."""
    facts = resource.document or resource.page
    if facts is None or not facts.text.strip() or (resource.page and site.substance(resource).index_of):
        return True
    sample = " ".join([link_text, unquote(resource.final_url), facts.title or "", facts.text])
    return topic.named_in(normalize(re.sub(r"[\W_]+", " ", sample)))


def _in_context(on: LinkOn, site: Site) -> bool:
    """A short label counts in the main menu or on a page of the transparency section."""
    return on.link.context == "nav" or _is_transparency_page(on.page)


def _names_an_office(label: str) -> bool:
    return bool(UNIT.match(folded(label).strip()))


def _is_transparency_page(resource: ResourceArtifact) -> bool:
    return bool(TRANSPARENCY.search(folded(page_of(resource).title)) or TRANSPARENCY.search(folded(resource.final_url)))


def _page_hits(check: PublicationCheck, site: Site) -> list[Hit]:
    terms, context_terms, exclude = tuple(check.terms), tuple(check.context_terms), tuple(check.exclude_terms)
    hits = []
    for page in (site.pages[position] for position in site.page_words.candidates(terms + context_terms)):
        facts = page_of(page)
        # The home page's headings label sections of a portal, not the page's subject: only its links count.
        headings = [] if site.is_home(page) else facts.headings
        # A page that heads its entries with offices is a directory: «Coordinación de Fiscalización y Normatividad» or
        # «Ramo 33» is an entry in it, not a publication of the normatividad or of the Ramo 33 funds.
        offices = sum(_names_an_office(heading) for heading in headings)
        if offices >= DIRECTORY_OFFICES and 2 * offices >= len(headings):
            headings = []
        labels = [label for label in (facts.title, *headings) if not site.template_for(page).is_shared(label)]
        in_context = context_terms and _is_transparency_page(page)
        label = next(
            (
                label
                for label in labels
                if find(terms, label, exclude) or (in_context and _short_label(context_terms, label, exclude))
            ),
            None,
        )
        if label is not None:
            hit = _judged_page(page, label, site, check.news, _topic(check))
            section = _section(page, label, site) if hit.kind == "page" and label != labels[0] else None
            if section is not None and (defined := defines_only(section)):
                hits.append(
                    replace(hit, kind="mention", note=f"la sección «{label}» {DEFINITION_REASON.format(defined)}")
                )
                continue
            if section is not None and (remark := _remark(section, label, page, site)):
                pointer = REFERS_TO_PORTAL.search(remark)
                note = f"la sección «{label}» solo dice «{remark[:80]}»" + (f"; {PORTAL_LINK}" if pointer else "")
                hits.append(replace(hit, kind="portal" if pointer else "remark", section=label, note=note))
                continue
            if section is not None and _empty_table_section(section, label, page, site):
                note = f"la sección «{label}» solo muestra una tabla sin registros (sus encabezados)"
                hits.append(replace(hit, kind="placeholder", section=label, note=note))
                continue
            if section is not None and (empty := _placeholder_section(section, label, page, site)):
                hits.append(
                    replace(hit, kind="placeholder", section=label, note=f"la sección «{label}» dice «{empty}»")
                )
                continue
            if section is not None and (card := _unopened_card(page, section, label, site, check)):
                hits.append(card)
                continue
            if section is not None and _only_named_links(section, label, page, site, check):
                continue  # an entry that is only its links, named for the subject: they are judged where they lead
            # A later heading is one entry of a page that lists several («Convocatorias»: one per heading): its
            # period is that entry's, not the other entries'.
            hits.append(replace(hit, section=label) if hit.kind == "page" and label != labels[0] else hit)
        elif mention := find(terms, facts.text, exclude):
            if not check.legend and (entries := publication_entries(terms, facts.text)):
                hits.append(_listing(page, mention, entries, site))
                continue
            if check.legend and not find(terms, site.own_text(page), exclude):
                hits.append(Hit("mention", mention, page, note=TEMPLATE_LEGEND.format(mention)))
                continue
            if check.legend and check.dated and not _dated_legend(facts.text, mention):
                hits.append(Hit("mention", mention, page, note=f"la leyenda «{mention}» no da una fecha"))
                continue
            kind = "page" if check.legend else "mention"
            hits.append(
                Hit(
                    kind,
                    mention,
                    page,
                    note="leyenda en el texto de la página" if check.legend else MESSAGES["mention"],
                )
            )
    return hits


def _dated_legend(text: str, legend: str) -> bool:
    """A year in the words after one of the legend's occurrences («Fecha de actualización: 15/10/2026»)."""
    text = folded(text)
    return any(YEAR.search(text[at + len(legend) : at + len(legend) + LEGEND_DATE_CHARS]) for at in _at(text, legend))


def _at(text: str, phrase: str) -> Iterator[int]:
    at = text.find(phrase)
    while at >= 0:
        yield at
        at = text.find(phrase, at + 1)


def _section(page: ResourceArtifact, heading: str, site: Site) -> str | None:
    """A heading's section of the page's own text, from the heading to the next one of its level or higher."""
    facts = page_of(page)
    stretches = sections(site.own_text(page), facts.headings, facts.heading_levels)
    return next((text for name, text in stretches if name == heading), None)


def _placeholder_section(section: str, heading: str, page: ResourceArtifact, site: Site) -> str | None:
    """What a heading's section says when, in a sentence or two holding no link of the page, it says there is nothing
    yet («Sin información en este periodo», «en proceso de actualización»): the subject's place, kept empty, whatever
    images the page shows elsewhere."""
    body = _short_entry(section, heading, page, site)
    match = PLACEHOLDER.search(body) if body else None
    return match.group() if match else None


def _empty_table_section(section: str, heading: str, page: ResourceArtifact, site: Site) -> bool:
    """Whether all a heading's section shows is a table's column names with no row under them (the calendar of
    sessions printed empty), and no link of the page."""
    body = WORD.findall(_after_heading(section, heading))
    columns = set(WORD.findall(folded(page_of(page).empty_table_text)))
    return bool(body) and all(word in columns for word in body) and not _holds_a_link(page, " ".join(body), site)


def _remark(section: str, heading: str, page: ResourceArtifact, site: Site) -> str | None:
    """What a heading's section says when it is one short sentence with no number and no link of the page in it
    («Próximamente», «Consulta la información en IPOMEX», «Disponibles en la Secretaría del Ayuntamiento»): a remark on
    the subject, not its publication. A section holding links, a list, a table or a figure stays."""
    facts, template = page_of(page), site.template_for(page)
    # a year in the heading dates the entry («Agenda Regulatoria 2026»); an image or a form may be what the section
    # shows (an organigrama, the complaints form), unless every page has it (a newsletter form in the footer)
    if (
        any(character.isdigit() for character in heading)
        or facts.images > template.images
        or site.forms(page, "contact") > site.template_forms("contact")
    ):
        return None
    body = _short_entry(section, heading, page, site)
    if not body or any(character.isdigit() for character in body) or len(_sentences(body)) > 1:
        return None
    return body


def _short_entry(section: str, heading: str, page: ResourceArtifact, site: Site) -> str | None:
    """What a heading's section says after the heading when that is a sentence or two (REMARK_MAX_WORDS) holding no
    link of the page."""
    body = _after_heading(section, heading).strip()
    if not WORD.findall(body) or len(WORD.findall(body)) > REMARK_MAX_WORDS or _holds_a_link(page, body, site):
        return None
    return body


def _subject_card(page: ResourceArtifact, check: PublicationCheck, site: Site) -> Hit | None:
    """On a page whose title and first heading do not name the rule's subject («Estructura orgánica»), the card a later
    heading gives it («Organigrama» over a link to its PDF) when none of the card's links opens (_unopened_card)."""
    if page.page is None:
        return None
    terms, exclude = tuple(check.terms), tuple(check.exclude_terms)
    facts = page_of(page)
    if find(terms, facts.title, exclude) or find(terms, next(iter(facts.headings), ""), exclude):
        return None
    for heading in facts.headings[1:]:
        if find(terms, heading, exclude) and (section := _section(page, heading, site)) is not None:
            return _unopened_card(page, section, heading, site, check)
    return None


def _unopened_card(
    page: ResourceArtifact, section: str, heading: str, site: Site, check: PublicationCheck
) -> Hit | None:
    """A later heading's section that is a card, a sentence or two and the link to what it names («Plan de Desarrollo
    Municipal 2025-2027. Documento rector de la administración. Ver documento»), publishes what the link leads to. When
    none of its links opens to a publication (`UNOPENED`), the entry is judged by them, not by the rest of the page. A
    link named for what the rule leaves to another format (`exclude_terms`: fraction II's organigrama) is not its."""
    body = _after_heading(section, heading)
    if len(WORD.findall(body)) > REMARK_MAX_WORDS:
        return None
    named = WORD.findall(folded(heading))
    links = (
        _links_in(page, body, site, _on_the_web, heading)
        or [  # a card that is its link, named by its heading
            link
            for link in _links_in(page, section, site, _on_the_web)
            if WORD.findall(folded(_own_words(link)))[: len(named)] == named
        ]
    )
    terms, exclude = tuple(check.terms), tuple(check.exclude_terms)
    sought = _instruments_sought(check)
    judged = [
        _as_instrument(_card_link(link, page, site, check), sought)
        for link in links
        if not (exclude and find(exclude, link.text) and not find(terms, link.text, exclude))  # another format's
    ]
    # an instrument the rule does not seek (the federal guidelines of a fund, a trámite's sheet) is not the entry either
    if not judged or any(hit.kind not in UNOPENED and hit.kind not in INSTRUMENT_NOTES for hit in judged):
        return None
    hit = next((hit for hit in judged if hit.kind == "unverified"), judged[0])
    return replace(hit, label=heading, where=page, note=f"la sección «{heading}»: {hit.note}", section=heading)


def _card_link(link: Link, page: ResourceArtifact, site: Site, check: PublicationCheck) -> Hit:
    kind, target, note = _judge_target(link.href, site, check.news, tuple(check.accepted_domains), _topic(check))
    return Hit(kind, link.text, page, target, link.href, note, link.via)


def _dead_entries(page: ResourceArtifact, site: Site) -> set[str]:
    """The headings of a page's entries whose every link of their own leads to a document that is not there (404): the
    card «Plan de Desarrollo Municipal 2025-2027» over a missing PDF does not make the page report 2025-2027."""
    facts = page_of(page)
    dead = set()
    for heading, section in sections(site.own_text(page), facts.headings, facts.heading_levels)[1:]:
        links = _links_in(page, section, site, heading=heading)
        if links and all(is_document_link(link.href) and is_broken(site.target(link.href)) for link in links):
            dead.add(heading)
    return dead


def _only_named_links(section: str, heading: str, page: ResourceArtifact, site: Site, check: PublicationCheck) -> bool:
    """Whether a heading's section says nothing but its links, each named for the rule's subject («Fracción II b).
    Actas de cabildo» over the link «Actas de cabildo»): those links are the rule's own hits."""
    body = WORD.findall(_after_heading(section, heading))
    links = _links_in(page, " ".join(body), site, heading=heading)
    if not links or not all(find(tuple(check.terms), link.text, tuple(check.exclude_terms)) for link in links):
        return False
    said = Counter(body)
    said.subtract(word for link in links for word in WORD.findall(folded(_own_words(link))))
    return not +said


def _on_the_web(href: str) -> bool:
    return href.startswith(("http://", "https://"))


def _listing(page: ResourceArtifact, mention: str, entries: int, site: Site) -> Hit:
    """A page listing the subject's publications (auditors/listing.py) publishes them."""
    note = f"{entries} entradas que nombran el tema con su fecha y datos de publicación oficial (un listado)"
    return Hit("page", mention, page, note=note, shortfall=_missing_documents(page, site))


# The frame of an official format (Lineamientos Técnicos Generales): the columns every format has, whatever it reports
FORMAT_FRAME = re.compile(
    r"\bejercicio\b|\bfecha de (?:inicio|termino) del periodo que se informa\b|\bfecha de (?:validacion|actualizacion)\b"
    r"|\barea\W*s?\W*responsables?\b.{0,60}?\bla informacion\b|\bnota\b|\bno aplica\b|\bhipervinculo\b"
)


def _as_missing(hit: Hit, site: Site) -> Hit:
    """A page whose every link of its own is a document that is not there (404), and that shows nothing else (no
    image, no frame; apart from those links, its title and a format's frame, fewer than DOCUMENT_MIN_WORDS words)
    publishes nothing: a format row whose hyperlink is broken, a list of dead files."""
    page = hit.evidence_resource
    if hit.kind not in STRONG or hit.kind == "content" or hit.shortfall is None or page.page is None:
        return hit
    links = own_body_links(page.page, site.template_for(page))
    if not links or not all(is_document_link(link.href) and is_broken(site.target(link.href)) for link in links):
        return hit
    if _shows_apart_from_links(page, site) or _words_apart_from_links(page, links, site) >= DOCUMENT_MIN_WORDS:
        return hit
    note = f"los {len({link.href for link in links})} documentos que enlaza no están (enlaces rotos) y la página no publica otra cosa"
    return replace(hit, kind="broken", note=note, shortfall=None)


def _as_failed_entry(hit: Hit, check: PublicationCheck, site: Site) -> Hit:
    """A link's target page that does not name the rule's subject in its title or first heading (fraction II's page,
    reached by a link «Estructura orgánica y organigrama») and whose own links named for the subject (its
    «Organigrama») all failed: on that page, the subject's publication is what those links lead to."""
    page = hit.evidence_resource
    if hit.kind not in STRONG or hit.target is None or hit.section is not None or page.page is None:
        return hit
    terms, exclude = tuple(check.terms), tuple(check.exclude_terms)
    facts = page_of(page)
    if find(terms, facts.title, exclude) or find(terms, next(iter(facts.headings), ""), exclude):
        return hit
    named = [link for link in own_body_links(facts, site.template_for(page)) if find(terms, link.text, exclude)]
    targets = [target for link in named if (target := site.target(link.href)) is not None]
    if not named or len(targets) < len(named) or any(is_live(target) for target in targets):
        return hit
    note = f"su enlace «{named[0].text[:60]}» no abre ({_failure(targets[0])})"
    # an image of its own may be the subject shown (an organigrama): then a reviewer looks
    broken = all(is_broken(target) for target in targets) and not _shows_apart_from_links(page, site)
    return replace(hit, kind="broken" if broken else "unverified", note=note, shortfall=None)


def _words_apart_from_links(page: ResourceArtifact, links: list[Link], site: Site) -> int:
    text = site.own_text(page)
    shown = {folded(link.text) for link in links} | {folded(heading) for heading in page_of(page).headings}
    for words in shown - {""}:
        text = text.replace(words, " ")
    return sum(not word.isdigit() for word in WORD.findall(FORMAT_FRAME.sub(" ", text)))


def _missing_documents(page: ResourceArtifact, site: Site) -> str | None:
    """A page whose documents on the site are all missing, or most of them (3 or more), is published but
    incomplete: what it lists is not there. Documents not fetched are not counted either way."""
    if page.page is None:
        return None
    hrefs = {link.href for link in page.page.links if is_document_link(link.href)}
    fetched = [t for t in map(site.target, hrefs) if t is not None and site.owners.of(t.final_url) != OTHER_GOVERNMENT]
    broken = sum(is_broken(t) for t in fetched)
    if broken and broken == len(fetched):
        return f"los {broken} documentos que enlaza no están (enlaces rotos)"
    if broken >= 3 and 2 * broken >= len(fetched):
        return f"{broken} de los {len(fetched)} documentos que enlaza no están (enlaces rotos)"
    # a list of entries each on its own page (news cards' «Leer nota»), none of which opens
    entries = {link.href for link in own_body_links(page.page, site.template_for(page))}
    opened = [t for t in map(site.target, entries) if t is not None and site.owners.of(t.final_url) != OTHER_GOVERNMENT]
    if len(opened) >= MIN_BROKEN_ENTRIES and all(map(is_broken, opened)):
        return f"las {len(opened)} entradas que enlaza no abren (enlaces rotos)"
    return None


def _judged_page(page: ResourceArtifact, label: str, site: Site, news_counts: bool, topic: Topic | None) -> Hit:
    if not news_counts and site.is_news(page):
        return Hit("context", label, page, note="es una noticia sobre el tema, no la publicación")
    if unloaded := site.unloaded(page):
        return Hit("unverified", label, page, note=UNLOADED.format(unloaded[0]))
    substance = site.substance(page)
    if (frame := _viewer(page)) and (not substance.ok or _captions(page, frame, site)):
        # A page that only embeds a viewer (a PDF, a Google Docs iframe), or captions it, publishes what it shows.
        kind, target, note = _judge_target(frame.href, site, news_counts, (), topic)
        return Hit("page" if kind == "link" else kind, label, page, target, frame.href, note, frame.via)
    if not substance.ok:
        return Hit("placeholder", label, page, note=substance.reason)
    if page.page and page.page.fields_unsent and _only_a_field(page.page, site.own_text(page), label):
        return Hit("placeholder", label, page, note=f"la sección «{label}»: {UNSENT_REASON}")
    if behind := _behind_index(page, substance, site, topic):
        return Hit(behind[0], label, page, note=behind[2])
    return Hit("page", label, page, note=substance.detail, shortfall=_missing_documents(page, site))


def _only_a_field(page: PageArtifact, own_text: str, heading: str) -> bool:
    """The section under `heading`, in the page's own text, holds little more than fields with their labels and a
    button: on a page whose fields no form or script sends, a «Buzón ciudadano» that receives nothing."""
    stretch = dict(_sections(own_text, page)).get(heading)
    return stretch is not None and len(stretch.split()) - len(heading.split()) <= UNSENT_MAX_WORDS


def _sections(text: str, page: PageArtifact) -> list[tuple[str, str]]:
    """The stretches of `text` under each of the page's headings (h1–h4, as the crawler keeps them)."""
    return sections(text, page.headings, [level for level in page.heading_levels if level <= 4])


# A document's head saying when it was approved («Aprobado por el H. Ayuntamiento en sesión ordinaria de cabildo del 20
# de marzo de 2025») names the session that approved it, not itself: a plan or a budget is not the session's minutes.
APPROVED_IN_SESSION = re.compile(r"\baprobad[oa]s?\b.{0,80}?\bsesion\b.{0,80}")


def _document_hits(check: PublicationCheck, site: Site) -> list[Hit]:
    terms, exclude = tuple(check.terms), tuple(check.exclude_terms)
    hits = []
    # a document is named by its title and first lines; its address names it only through a link that names nothing
    for doc in (site.documents[position] for position in site.document_words.candidates(terms)):
        facts = document_of(doc)
        head = APPROVED_IN_SESSION.sub(" | ", folded("\n".join(_head_lines(facts))[:400]))
        if find(terms, facts.title, exclude) or find(terms, head, exclude):
            substance = site.substance(doc)
            kind = "document" if substance.ok else "placeholder"
            hits.append(Hit(kind, facts.title or doc.final_url, doc, note=substance.reason or substance.detail))
        elif mention := find(terms, facts.text, exclude):
            hits.append(Hit("mention", mention, doc, note=MESSAGES["mention"]))
    return hits


def _content_hits(check: PublicationCheck, site: Site, sought: frozenset[str]) -> list[Hit]:
    """Pages and documents recognised by what they contain (a directory, minutes, a budget), whatever their label."""
    if check.recognizer is None:
        return []
    recognise, exclude = RECOGNIZERS[check.recognizer], tuple(check.exclude_terms)
    hits = []
    for resource in (*site.pages, *site.documents):
        facts = resource.page or document_of(resource)
        if exclude and (find(exclude, facts.title) or url_slug_match(exclude, resource.final_url)):
            continue  # labelled as something else (SEVAC's budget approval is not the minutes' publication)
        if (not check.news and site.is_news(resource)) or not site.substance(resource).ok:
            continue
        # a reglamento's or a law's articles are rules, not the acts they rule (minutes, fees); a manual's structure and
        # the office a privacy notice or a trámite's sheet names (its address, phone) are content
        instrument = instrument_of(resource) or ""
        kind = kind_of(instrument) if instrument else None
        if kind in ("regulation", *LAWS) and not instrument.startswith("manual") and kind not in sought:
            continue
        if check.recognizer in OWN_TEXT and resource.page:
            text = site.own_text(resource)
        else:
            text = folded(facts.text)
        found, section = recognise(text), None
        if not found and check.recognizer in BY_SECTION and resource.page:
            found, section = _in_a_section(BY_SECTION[check.recognizer], text, resource.page, site.is_home(resource))
        if not found and resource.page and resource.page.script_text:
            if found := recognise(folded(resource.page.script_text)):
                found = found.within(", en el texto que un script de la página inserta (ventana emergente o aviso)")
        if found:
            label = facts.title or resource.final_url
            hits.append(Hit("content", label, resource, note=found.note, shortfall=found.shortfall, section=section))
    return hits


def _in_a_section(
    recognise: Callable[[str], Found | None], text: str, page: PageArtifact, home: bool
) -> tuple[Found | None, str | None]:
    """What a recogniser finds under one heading of a page (headings h1–h4, as the crawler keeps them), and that
    heading. The narrowest section is cited. On the home page the texts of links are left out: a portal's tiles (a
    grid of departments) are navigation; cards of the cabildo's members, names and posts, are not."""
    if home:
        for link_text in sorted(
            {folded(link.text) for link in page.links if len(link.text) > 2}, key=len, reverse=True
        ):
            text = re.sub(rf"\b{re.escape(link_text)}\b", " ", text)
    for heading, stretch in sorted(_sections(text, page), key=lambda found: len(found[1])):
        if found := recognise(stretch):
            return found.within(f" en la sección «{heading}»"), heading
    return None, None


def _union(positions: Iterable[int], more_positions: Iterable[int]) -> Iterable[int]:
    return sorted({*positions, *more_positions}) if more_positions else positions


def _judge_strong(rule: Rule, hits: list[Hit], fecha_corte: date, site: Site) -> Outcome:
    check = rule.check
    assert isinstance(check, PublicationCheck)
    if all(h.shortfall for h in hits):
        return Outcome(Status.PARTIAL, f"Publicado, pero {hits[0].shortfall}.", _evidence(hits))
    # each publication is judged whole: the period of one that lacks something (a directory read as the structure,
    # without its attributions) does not make another, complete but older, current
    lacking = [h for h in hits if h.shortfall]
    hits = [h for h in hits if not h.shortfall]
    if check.require_terms:
        complete = [
            h
            for h in hits
            if _has_required(check.require_terms, h.evidence_resource, site) and not _speaks_for_unread(h, site)
        ]
        if not complete:
            wanted = ", ".join(check.require_terms)
            if unread := next((url for h in hits if (url := _unread_document(h, site))), None):
                return Outcome(
                    Status.NOT_VERIFIABLE,
                    f"Se publica, pero sus documentos no se pudieron leer ({unread}): no consta si dan {wanted};"
                    " revisar a mano.",
                    _evidence(hits),
                )
            return Outcome(Status.PARTIAL, f"Publicado, pero sin {wanted}.", _evidence(hits))
        hits = complete
    if rule.currency is None:
        return Outcome(Status.COMPLIANT, f"Publicado ({LABELS[hits[0].kind]}).", _evidence(hits + lacking))
    # A menu link repeated on every page is one hit per page: each distinct one is read once.
    seen: dict[tuple[str, str, int], periods.Published] = {}
    # A page that lists a yearly subject's documents, or a series of dated records (`dated_records`: actas), reports
    # what they name: a date of the page (its last update) or another entry's period («Ingresos enero-septiembre 2026»)
    # does not make them newer («Cuenta Pública 2024» on a page of financial documents updated in 2026). A list kept by
    # quarter (the marco normativo) is current by its update.
    by_documents = rule.currency.months >= YEAR_MONTHS or check.dated_records
    documents = {
        u
        for h in hits
        if h.evidence_resource.document
        for u in (h.evidence_resource.url, h.evidence_resource.final_url)
    }
    for hit in hits:
        key = (hit.label, hit.href or hit.where.final_url, id(hit.evidence_resource))
        if key not in seen:
            resource = hit.evidence_resource
            listed = (
                by_documents
                and resource.page is not None
                and any(link.href in documents for link in resource.page.links)
            )
            seen[key] = periods.Published(None) if listed else period_found(hit, rule, fecha_corte, site)
    located = [
        (f, h) for h in hits if (f := seen[(h.label, h.href or h.where.final_url, id(h.evidence_resource))]).period
    ]
    judgement = periods.judge(rule.currency, seen.values(), fecha_corte)
    if judgement.current is None:
        return Outcome(Status.PARTIAL, f"Publicado; {judgement.message}", _evidence(hits + lacking))
    best = next(h for f, h in located if f.period == judgement.found)
    ordered = [best] + [h for h in hits if h is not best] + lacking
    if not judgement.current:
        return Outcome(Status.PARTIAL, f"Publicado pero {judgement.shortfall}: {judgement.message}", _evidence(ordered))
    return Outcome(Status.COMPLIANT, f"Publicado y vigente: {judgement.message}", _evidence(ordered))


def period_found(hit: Hit, rule: Rule, fecha_corte: date, site: Site) -> periods.Published:
    """The period a publication reports (auditors/periods.py): from its label, file name, the head of a
    document or a page's title and headings, else from the dates it holds."""
    assert rule.currency is not None  # only rules that require currency read a period
    resource = hit.evidence_resource
    document, page = resource.document, resource.page
    own_title = (page and page.title) or (document and document.title)
    label = _without_letterhead(hit.label) if hit.label == own_title else hit.label
    texts = [("título", label), ("nombre del archivo", periods.filename_text(hit.href or hit.where.final_url))]
    if hit.target is not None or hit.href is None:
        texts.append(("nombre del archivo", periods.filename_text(resource.final_url)))
    if document is not None:
        # a short first line names the document as a title does («TABULADOR DE SUELDOS 2022»): its year is the period's;
        # the administration's term its letterhead carries («H. Ayuntamiento de … 2025-2027») is not
        heads = [line.strip() for line in _head_lines(document) if len(line.strip()) <= HEAD_LINE_CHARS]
        texts += [
            ("título del documento", _without_letterhead(document.title or "")),
            ("encabezado del documento", _without_letterhead(" · ".join(heads))),
            ("texto del documento", _without_letterhead(document.text[:RUNNING_TEXT_CHARS])),
        ]
    elif page is not None and hit.section is not None:
        # a list under one heading: the page's other headings and dates are the rest of the page's (its news cards)
        section = _section(resource, hit.section, site) or ""
        texts += [
            ("título de la página", _without_letterhead(page.title)),
            ("encabezado de la sección", hit.section),
            ("texto del apartado", _after_heading(section, hit.section)[:RUNNING_TEXT_CHARS]),
        ]
    elif page is not None:
        dead = site.once(_dead_entries, resource)
        texts += [
            ("título de la página", _without_letterhead(page.title)),
            ("encabezados", " · ".join(heading for heading in page.headings[:20] if heading not in dead)),
        ]
    # a page's dates are its entry's too; a recognised list's are the rest of the page's
    if document is not None:
        dates = document.dates
    elif page is not None and hit.section is None:
        dates = site.own_dates(resource)
    elif page is not None and hit.section is not None and hit.kind == "page":
        # one entry among the page's headings: the dates of its own section, not the other entries'
        within = {day.isoformat() for day in find_dates(section)}
        elsewhere = {day.isoformat() for day in find_dates(site.own_text(resource))} - within
        dates = [day for day in site.own_dates(resource) if day not in elsewhere]
    else:
        dates = []
    amendments = tuple(rule.currency.amendments)
    amended = bool(amendments) and any(find(amendments, text or "") for _, text in texts)
    if document is not None and hit.target is not None:
        # a link renamed for the year does not make the file it leads to newer («Bando Municipal 2026» → 2019's); a
        # date alone may precede its period by one (a budget approved in the December before its year)
        own = periods.found(rule.currency, texts[2:], dates, fecha_corte, amended)
        linked = periods.found(rule.currency, texts[:2], [], fecha_corte)
        if own.period and linked.period and own.period.end < linked.period.end:
            one_earlier = own.period.end >= periods.previous(rule.currency, linked.period).start
            if not (own.source.startswith("fecha") and one_earlier):
                own.notes.append(
                    f"el enlace dice «{linked.period.label()}», pero el documento dice «{own.period.label()}»"
                )
                return own
    published = periods.found(rule.currency, texts, dates, fecha_corte, amended)
    periodic = rule.currency.judged_on != "recency"  # a news item's date is its period
    if periodic and page is not None and page.table_years and published.period and published.source.startswith("fecha"):
        # a page's date does not make its table newer: the «Ejercicio» column says which periods it reports
        newest = max(page.table_years)
        if date(newest, 12, 31) < published.period.start:
            column = f"ejercicio {newest}"
            table = periods.found(rule.currency, [("columna «Ejercicio» de la tabla", column)], [], fecha_corte)
            table.notes.append(f"la página tiene {published.source}, pero su tabla informa hasta «{column}»")
            return table
    if periodic and page is not None and published.period and published.source.startswith("fecha"):
        # nor does it make the documents it lists newer: their entries say which periods they report
        listed = _listed_period(site.substance(resource).index_of, page, rule, fecha_corte)
        if listed.period and listed.period.end < published.period.start:
            listed.notes.append(
                f"la página tiene {published.source}, pero lo que enlista llega hasta «{listed.period.label()}»"
            )
            return listed
    return published


def _without_letterhead(title: str) -> str:
    """A page's title, or a document's head, without the administration's term its name carries («H. Ayuntamiento de
    Chapultepec 2025-2027 :: Cabildo Abierto»): the term of office, not the period of what it publishes."""
    return LETTERHEAD_TERM.sub(r"\1", title)


def _listed_period(listed: tuple[str, ...], page: PageArtifact, rule: Rule, fecha_corte: date) -> periods.Published:
    """The newest period the entries of an index page name (their labels, their file names)."""
    assert rule.currency is not None
    labels = {link.href: link.text for link in page.links}
    found = [
        periods.found(
            rule.currency,
            [("entrada", labels.get(href, "")), ("nombre del archivo", periods.filename_text(href))],
            [],
            fecha_corte,
        )
        for href in listed
    ]
    dated = [(entry.period.end, index) for index, entry in enumerate(found) if entry.period]
    return found[max(dated)[1]] if dated else periods.Published(None)


def _unread_document(hit: Hit, site: Site) -> str | None:
    """A document the hit's page (or its section) links that could not be read (on another server, or not answering):
    what the page lacks may be in it (the actas of a list of sessions, each on Drive). Content a recogniser found on a
    page is that page's own: the documents beside it are other entries."""
    page = hit.evidence_resource
    if page.page is None or hit.kind == "content":
        return None
    own = own_body_links(page.page, site.template_for(page))
    links = own if hit.section is None else _links_in(page, _hit_text(hit, site), site)
    for link in links:
        if is_document_link(link.href) and _unread(link.href, site):
            return link.href
    return None


def _speaks_for_unread(hit: Hit, site: Site) -> bool:
    """A page, not a document's text (fewer than DOCUMENT_TEXT_WORDS words), whose every document could not be read:
    what it says they hold («actas con lista de asistencia y sentido de la votación», over links to Drive) is its word
    for them, not what they show."""
    page = hit.evidence_resource
    if page.page is None or hit.kind == "content" or len(site.own_text(page).split()) >= DOCUMENT_TEXT_WORDS:
        return False
    documents = [
        link.href for link in own_body_links(page.page, site.template_for(page)) if is_document_link(link.href)
    ]
    return bool(documents) and all(_unread(href, site) for href in documents)


def _has_required(require_terms: list[str], resource: ResourceArtifact, site: Site) -> bool:
    """A document's text, or a page's own (the footer's address and phone are the ayuntamiento's, not the unit's), names
    what the publication must include."""
    if resource.page:  # a pop-up's notice is read with the page
        return bool(find(tuple(require_terms), f"{site.own_text(resource)} {resource.page.script_text}"))
    return bool(resource.document and find(tuple(require_terms), resource.document.text))


def _evidence(hits: list[Hit], limit: int = 5) -> list[Evidence]:
    # Of the hits citing one thing, the one shown is chosen by the page it was found on, not by which page the crawl
    # happened to receive first (concurrency varies that order from run to run).
    chosen: dict[tuple[str, str], Hit] = {}
    for hit in hits:
        key = (hit.kind, hit.href or hit.evidence_resource.final_url)
        if key not in chosen or _shown_first(hit) < _shown_first(chosen[key]):
            chosen[key] = hit
    evidence: list[Evidence] = []
    for hit in list(chosen.values())[:limit]:
        resource = hit.evidence_resource
        kind: EvidenceKind = "link" if hit.href else "document" if resource.document else "page"
        found_on = f" en {hit.where.final_url}" if hit.href else ""
        via = f" (hallado por {hit.via})" if hit.via != "a" else ""
        if hit.text_from == "row":
            via += (
                " (enlace sin texto propio, un icono o «Descargar», «IPOMEX»: se lee el rótulo de su tabla y su fila)"
            )
        elif hit.text_from == "item":
            via += " (enlace de pocas palabras, «Ver más», «Consultar»: se lee con el encabezado de su tarjeta)"
        matched = f"{LABELS[hit.kind]}: «{hit.label}»{found_on}{via}"
        if hit.target is None and hit.href:
            evidence.append(Evidence(kind=kind, url=hit.href, matched=matched, note=hit.note))
        else:
            evidence.append(cite(resource, kind, matched=matched, note=hit.note))
    return evidence


def _shown_first(hit: Hit) -> tuple[str, str, str, str, str]:
    return hit.where.final_url, hit.label, hit.via, hit.text_from, hit.note or ""


def _failure(resource: ResourceArtifact) -> str:
    if resource.error:
        return resource.error
    if resource.page and resource.page.soft_404:
        return "responde 200 pero dice que la página no existe (soft 404)"
    if resource.page and resource.page.blocked:
        return f"responde con un muro ({resource.page.blocked})"
    if resource.document and resource.document.error:
        return f"documento ilegible: {resource.document.error}"
    if resource.ok and resource.page is None and resource.document is None:
        return f"respondió {resource.content_type or 'sin tipo de contenido'}, que no se lee como página ni documento"
    return f"HTTP {resource.status}"


def _absence(searched: tuple[str, ...], site: Site) -> Evidence:
    return Evidence(
        kind="absence",
        searched=list(searched),
        resources_examined=len(site.pages) + len(site.documents),
        note="Se buscó en textos de enlaces, títulos, encabezados, URL y documentos del sitio.",
    )
