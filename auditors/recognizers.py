"""Recognise a publication by what a page or document contains, whatever its label.

Each recogniser reads normalised text (accents and case folded) and returns what it found — the evidence text a
reviewer reads ("25 personas con cargo y teléfono o correo") and, for a publication that is real but incomplete,
what it lacks — or None. Thresholds ask for a list, not a sentence: one
phone number in a footer is not a directory, one "requisitos" in a news item is not a catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from models.text import normalize

CARGO = re.compile(
    r"\b(sub)?director(a)?\b|\bcoordinador(a)?\b|\bjef[ea] de\b|\btitular\b|\bpresident[ea] municipal\b"
    r"|\bsindic[oa]\b|\bregidor(a)?\b|\btesorer[oa]\b|\bsecretari[oa]\b|\bcontralor(a)?\b|\bencargad[oa]\b"
    r"|\boficial (mediador|calificador|del registro)\b|\bdefensor(a)?\b|\bcomisari[oa]\b|\bdelegad[oa]\b"
    r"|\bauxiliar\b|\banalista\b|\bjefatura\b"
)
# A phone as written in a directory: groups with separators ("722 275 1234", "(01) 800 696 9696", "ext. 101"), a comma
# after it included, never an amount ("1,234,567.00", "$ 12 345").
PHONE = re.compile(r"(?<![\d$,.])(?:\(?\d{2,3}\)?[\s.-])?\d{3,4}[\s.-]\d{4}(?!\d|,\d)|\bext(?:ension|\.)?\s*\d{2,5}\b")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
MIN_PHONE_DIGITS = 7  # a local number; 911 and 089 are national lines, not the municipality's
# Two years written as a phone's halves: an administration («2025-2027»), or a table's date ending where the next
# row's «Ejercicio» begins («30/09/2026 2026»).
YEARS = re.compile(r"(?:19|20)\d\d[\s.-](?:19|20)\d\d")
_ASCENDING, _DESCENDING = "0123456789" * 2, "9876543210" * 2
# A theme's or a manual's stand-in address («info@tudominio.com», «correo@ejemplo.com», «email@example.com»)
PLACEHOLDER_EMAIL = re.compile(
    r"@(?:[\w-]+\.)*(?:example|ejemplo|(?:tu|su|mi|your)?dominio|(?:your)?domain|(?:tu|mi|your)?empresa|company"
    r"|(?:tu|mi|your)?sitio|yoursite|test)\.[a-z.]+$",
    re.IGNORECASE,
)
REQUISITOS = re.compile(r"\brequisitos?\b")
# A trámite's cost or terms as a catalogue gives them ("Costo: …", "Pago de derechos", "Vigencia: 6 meses"); never
# "derechos" alone (derechos humanos), "vigencia" in a sentence, nor an amount alone (a programme's "apoyo de $1,500").
COSTO = re.compile(
    r"\bcostos?\b|\bgratuito\b|\bsin costo\b|\btiempo de (respuesta|resolucion)\b|\bvigencia:"
    r"|\bpago de derechos\b|\bderechos:"
)
PRICE = re.compile(r"\$\s?\d")
# «requisitos» in a sentence ("no cumplan con los requisitos", "el proceso y requisitos para") is not a list.
REQUISITOS_IN_PROSE = re.compile(
    r"\b(?:el|la|los|las|un|una|del|al|su|sus|estos|dichos|mismos|otros|demas|y|o|de|con|sin|cumplir)\s*$"
)
ROLL_CALL = re.compile(r"\bpase de lista\b|\blista de asistencia\b|\bverificacion del quorum\b|\bquorum legal\b")
VOTE = re.compile(
    r"\bunanimidad\b|\bmayoria de votos\b|\bvotacion\b|\bvotos a favor\b|\bse aprueba\b|\baprobad[oa]s? por\b"
)
SESSION_NAMED = re.compile(r"\bsesion (?:ordinaria|extraordinaria|solemne|abierta)\b")
SESSION = re.compile(rf"\bacta\b|{SESSION_NAMED.pattern}")
MIN_SESSIONS_LISTED = 3
MINUTES_MIN_WORDS = 300  # an acta that calls the roll and records votes is longer than a list of sessions
CHAPTER = re.compile(
    r"\bservicios personales\b|\bmateriales y suministros\b|\bservicios generales\b"
    r"|\btransferencias,? asignaciones\b|\bbienes muebles,? inmuebles\b|\binversion publica\b"
    r"|\bdeuda publica\b|\bparticipaciones y aportaciones\b|\bcapitulo [1-9]000\b"
)
CABILDO = re.compile(r"\bcabildo\b|\bayuntamiento\b")
CABILDO_WORD = re.compile(r"\bcabildo\b")
OTHER_BODY = re.compile(r"\b(?:comite|subcomite|consejo|comision|junta|coplade\w*)\b")
# A supplier as a padrón names it: its RFC («ABC-010203-XY1», a person's «PEJJ800101H23») or a company's legal form
# («S.A. de C.V.», «S. de R.L.», «S.A.P.I.», «sociedad cooperativa»).
SUPPLIER = re.compile(
    r"\b[a-z&]{3,4}-?\d{6}-?[a-z\d]{3}\b|\bs\. ?a\.(?: ?p\. ?i\.)?(?: ?de)? ?c\. ?v\.|\bs\. ?de ?r\. ?l\."
    r"|\bsa de cv\b|\bs de rl\b|\bsociedad (?:anonima|cooperativa|civil|de responsabilidad limitada)\b"
)
# A page or document saying how to join a register: its requirements, the procedure, the forms
REGISTRATION = re.compile(
    r"\brequisitos\b|\binscri(?:bir|pcion)|\bregistrarse\b|\bdarse de alta\b|\balta (?:en|al) (?:el )?padron\b"
    r"|\brefrendo\b|\bsolicitud de (?:registro|inscripcion|alta)\b|\bdeberan presentar\b|\bdocumentacion (?:requerida|necesaria)\b"
)
MIN_SUPPLIERS = 3  # a register lists several; a page on how to join it may show one as an example
HEAD = 800  # characters of a document's heading
ENTRY_SPAN = 160  # characters between a post and its phone or e-mail in one directory entry
MIN_ENTRIES = 5
AMOUNT = re.compile(r"\$?\s?\d{1,3}(?:,\d{3})+(?:\.\d{2})?\b")
# An administrative unit as a structure names it: "Dirección de Obras Públicas", "Tesorería Municipal".
UNIT = re.compile(
    r"\b(?:sub)?direccion (?:general )?(?:de|del)\b|\bsecretaria (?:de|del|particular|privada|tecnica|municipal)\b"
    r"|\btesoreria\b|\bcontraloria\b|\bcoordinacion (?:general )?(?:de|del)\b|\bdepartamento de\b"
    r"|\bjefatura de\b|\binstancia (?:de|del|municipal)\b|\bunidad (?:de|del)\b|\boficialia\b|\bsindicatura\b"
    r"|\bregiduria\b|\binstituto (?:municipal|de|del)\b|\bjuzgado\b|\borgano interno de control\b"
)
DUTIES = re.compile(r"\batribuciones\b|\bfacultades\b|\bfunciones\b|\bresponsabilidades\b")
MIN_UNITS = 8  # distinct units or posts: a structure, not a sentence naming two offices
WORDS_PER_UNIT = 16  # a list names a unit every few words; prose (a reglamento) far fewer
TRANSPARENCY_UNIT = re.compile(
    r"\bunidad de (?:transparencia|acceso a la informacion|informacion publica)\b|\butaip?\b"
    r"|\btitular de (?:la )?(?:unidad de )?transparencia\b"
)
# Data, not the law's wording ("el domicilio de la Unidad de Transparencia"): an address, phone or e-mail.
ADDRESS = re.compile(r"\bc\.?\s?p\.?\s?\d{5}\b|\bcodigo postal\s?\d{5}\b|\bs/n\b|\bpalacio municipal\b|\bcalle \w+")
TELEPHONE = re.compile(r"\b(?:tel|telefonos?|conmutador)\b\.?\s*:?\s*\(?\d")
DIALLED = re.compile(r"\(?\d[\d\s().-]*\d")  # the number after «Tel.», in any grouping («449 963 59 98»)
OFFICE_HOURS = re.compile(
    r"\bhorarios?\b|\blunes a viernes\b|\b\d{1,2}(?::\d{2})?\s*(?:a|-|–)\s*\d{1,2}(?::\d{2})?\s*(?:hrs?|horas)\b"
)
# The titular by name: a title before a name ("Lic. Ana Ruiz"), or «Titular: …». A privacy notice's «titular» is the
# person whose data it is, so the word alone is not a name.
HOLDER = re.compile(
    r"\b(?:lic|licda|ing|mtro|mtra|c\.\s?p|l\.\s?a|l\.\s?c|dr|dra|prof|profa|arq|c)\.\s*[a-z]{2,}"
    r"|\btitular(?: de la unidad de transparencia)?\s*:\s*[a-z]"
)
UNIT_BEFORE = 160  # characters before the unit's name that may hold its titular ("Lic. Ana Ruiz, titular de la…")
UNIT_SPAN = 400  # characters after the unit's name that hold its contact data
UNIT_DATA = ("domicilio", "teléfono", "correo", "horario", "titular")  # what its format asks
# A trámite as a catalogue names it ("constancia de residencia", "pago del impuesto predial").
TRAMITE = re.compile(
    r"\b(?:constancia|certificado|certificacion|licencia|permiso|registro|pago|contrato|expedicion|refrendo|"
    r"dictamen|inscripcion|cartilla|autorizacion|factibilidad|alta|baja) (?:de|del) (?:la |los |las |ser )?\w+"
)
NAME_TO_LIST = 30  # characters from a trámite's name to the «requisitos» of its own list
LIST_SPAN = 200  # characters after «requisitos» that are that list's items
MIN_CATALOGUE = 6  # lists of requisitos without costs: a catalogue of trámites, not a call naming a few posts
# A normative instrument names itself first ("REGLAMENTO INTERIOR DE CABILDO", "BANDO MUNICIPAL DE …").
INSTRUMENT = re.compile(
    r"\breglamento\b|\bbando (?:municipal|de policia)\b|\bcodigo (?:de etica|de conducta|reglamentario|municipal)\b"
    r"|\bley de ingresos\b"
)
# characters: the instrument's name opens the document, after at most a letterhead (the ayuntamiento's name, its
# period and the year's official motto, «2025, Bicentenario de …»)
INSTRUMENT_HEAD = 250
# How an authority issues an instrument not written in articles (a code of ethics in numbered principles): "el
# presidente municipal … a sus habitantes hace saber", "ha tenido a bien expedir el siguiente".
PROMULGATION = re.compile(r"\bhace saber\b|\bha tenido a bien expedir\b|\bexpide el siguiente\b")
PROMULGATION_SPAN = 2000  # characters: the formula precedes the instrument's text
MUNICIPAL = re.compile(r"\bmunicipio\b|\bmunicipal\b|\bayuntamiento\b")
FIRST_ARTICLE = re.compile(r"\bart(?:iculo|\.) ?(?:1|1o|primero|uno)\b")
SECOND_ARTICLE = re.compile(r"\bart(?:iculo|\.) ?(?:2|2o|segundo|dos)\b")
LEGAL_HEAD = re.compile(
    r"\bperiodico oficial\b|\bgaceta\b|\bdecreto\b|\bley(?:es)?\b|\breglamento\b|\bbando\b|\bcodigo\b"
)
FINANCIAL_STATEMENT = re.compile(
    r"\bestados? (?:de situacion financiera|de actividades|analitico|de flujos? de efectivo|de cambios|de variacion)"
    r"|\bnotas (?:a|al|de) (?:los )?estados?\b|\bestados financieros\b|\bcuenta publica\b|\bavance presupuestal\b"
)
# A sentence that speaks of an instrument ("aprobó el nuevo reglamento") instead of opening with its name.
RUNNING_TEXT = re.compile(r"\b(?:el|la|los|las|un|una|del|al|su|sus|este|esta|nuevo|nueva|dicho|que|se)\s*$")


@dataclass(frozen=True)
class Found:
    note: str  # what was recognised, as the evidence says it
    shortfall: str | None = None  # what the publication lacks: it is then partial

    def within(self, where: str) -> Found:
        return Found(f"{self.note}{where}", self.shortfall)


def real_phone(number: str) -> bool:
    """A number a citizen can call the municipality on, not a template's placeholder: "(9XX) 123-4567",
    "tel:1234567890", "000 000 0000", "01 (000) 000 00 00" (a local number of zeros, whatever its prefix), nor two
    years."""
    digits = re.sub(r"\D", "", number)
    local = digits[-MIN_PHONE_DIGITS:]
    if (
        len(digits) < MIN_PHONE_DIGITS
        or re.search(r"[xX]{2}", number)
        or len(set(digits)) == 1
        or local == "0" * len(local)
        or YEARS.fullmatch(number.strip())
    ):
        return False
    return not (digits in _ASCENDING or digits in _DESCENDING or "1234567" in digits or "7654321" in digits)


def real_email(address: str) -> bool:
    """An address a citizen can write to, not a template's placeholder («info@tudominio.com»)."""
    return "@" in address and not PLACEHOLDER_EMAIL.search(address.strip())


def contacts(text: str) -> list[int]:
    """Where a text gives a phone, an extension or an e-mail a citizen can use, not a template's stand-in («(000) 000
    0000», «correo@dominio.com»)."""
    phones = [m.start() for m in PHONE.finditer(text) if m.group().lower().startswith("ext") or real_phone(m.group())]
    return sorted(phones + [m.start() for m in EMAIL.finditer(text) if real_email(m.group())])


def _gives_phone(text: str) -> bool:
    """«Tel.» followed by a number a citizen can call, in any grouping."""
    label = TELEPHONE.search(text)
    number = DIALLED.search(text, label.start()) if label else None
    return number is not None and real_phone(number.group())


def _gives_email(text: str) -> bool:
    return any(real_email(found.group()) for found in EMAIL.finditer(text))


def directory(text: str) -> Found | None:
    """People listed with their post and a phone or e-mail: each contact counts when a post precedes it closely."""
    posts = [m.start() for m in CARGO.finditer(text)]
    entries, previous = 0, -1
    for at in contacts(text):
        post = next((p for p in reversed(posts) if p < at), None)
        if post is not None and at - post <= ENTRY_SPAN and post > previous:
            entries, previous = entries + 1, post
    if entries >= MIN_ENTRIES:
        return Found(f"{entries} personas con cargo y teléfono o correo")
    return None


def tramites(text: str) -> Found | None:
    """Trámites with their requisitos and costs (cards, or a table headed «requisitos» and «costo» whose rows name
    the trámites and give prices); without costs, a catalogue (requisitos for many trámites it names) is published
    but incomplete, while a call for applicants lists requisitos for a few posts."""
    if _legal_text(text):
        return None  # a ley de ingresos sets fees and requisitos by article: a law, not a catalogue of trámites
    listed = _requisitos_lists(text)
    costs = len(COSTO.findall(text))
    if listed >= 3 and costs >= 2:
        return Found(f"{listed} trámites o servicios con requisitos y costo")
    named = _catalogue_names(text)
    if listed and costs and len(named) >= 3 and len(PRICE.findall(text)) >= 3:
        return Found(f"{len(named)} trámites con requisitos y costo ({', '.join(named[:3])}…)")
    if listed >= MIN_CATALOGUE and len(named) >= 3:
        return Found(
            f"{len(named)} trámites con sus requisitos ({', '.join(named[:3])}…)",
            shortfall="sin costos de los trámites",
        )
    return None


def _requisitos_lists(text: str) -> int:
    """How many times «requisitos» heads a list or a column (not "cumplan con los requisitos")."""
    return sum(
        1 for m in REQUISITOS.finditer(text) if not REQUISITOS_IN_PROSE.search(text[max(0, m.start() - 30) : m.start()])
    )


def _catalogue_names(text: str) -> list[str]:
    """The trámites a catalogue names: outside any list of requisitos (a programme's requisitos name documents,
    "constancia de estudios"), unless the name heads its own list ("Constancia de residencia. Requisitos:")."""
    # «requisitos» followed by «costo» is a table's header, not a list
    lists = [m.end() for m in REQUISITOS.finditer(text) if not COSTO.search(text, m.end(), m.end() + 12)]
    names = []
    for match in TRAMITE.finditer(text):
        heads_a_list = REQUISITOS.search(text, match.end(), match.end() + NAME_TO_LIST)
        in_a_list = any(0 <= match.start() - end <= LIST_SPAN for end in lists)
        if heads_a_list or not in_a_list:
            names.append(match.group(0))
    return list(dict.fromkeys(names))


def cabildo_minutes(text: str) -> Found | None:
    """An acta names itself in its heading ("acta de la sesión ordinaria de cabildo"), then calls the roll and votes. The
    acta of another collegiate body under the ayuntamiento's letterhead (its Comité de Transparencia, the COPLADEMUN) is
    that body's."""
    head = text[:HEAD]
    if OTHER_BODY.search(head) and not CABILDO_WORD.search(head):
        return None
    if len(SESSION_NAMED.findall(text)) >= MIN_SESSIONS_LISTED and len(text.split()) < MINUTES_MIN_WORDS:
        return None  # a list of sessions (each its acta's link), whatever it says the actas hold
    if CABILDO.search(head) and SESSION.search(head) and ROLL_CALL.search(text) and VOTE.search(text):
        return Found("acta de sesión con pase de lista y votación")
    return None


def budget(text: str) -> Found | None:
    """Amounts by chapter of the expenditure; a financial statement (its notes, the analytical statement of the
    budget's execution) has them too, and names itself so at its head."""
    if FINANCIAL_STATEMENT.search(text[:HEAD]):
        return None
    chapters = {match.group(0) for match in CHAPTER.finditer(text)}
    amounts = len(AMOUNT.findall(text))
    if len(chapters) >= 3 and amounts >= 5:
        return Found(f"{len(chapters)} capítulos del gasto con {amounts} importes")
    return None


def structure(text: str) -> Found | None:
    """Units and posts listed one after another (a directory of areas, a list of offices with their holders). Minutes
    call the roll of the cabildo's members: a list of posts, not the structure."""
    if cabildo_minutes(text):
        return None
    units = list(UNIT.finditer(text))
    taken = {m.start() for m in units}
    found = units + [m for m in CARGO.finditer(text) if m.start() not in taken]  # "secretaria" is both
    names = {" ".join([m.group(0), *text[m.end() :].split()[:3]]) for m in found}
    if len(names) >= MIN_UNITS and len(found) * WORDS_PER_UNIT >= len(text.split()):
        # the law asks for a structure that links each part to its atribuciones (art. 92, fr. II)
        shortfall = None if DUTIES.search(text) else "sin las atribuciones, responsabilidades o funciones de cada área"
        return Found(f"{len(names)} unidades administrativas o cargos listados", shortfall)
    return None


def transparency_unit(text: str) -> Found | None:
    """The Unidad de Transparencia named with its address, phone or e-mail (a contact page, a privacy notice); in
    full only with the five data its format asks (domicilio, teléfono, correo, horario, titular)."""
    best: list[str] = []
    for match in TRANSPARENCY_UNIT.finditer(text):
        after = text[match.end() : match.end() + UNIT_SPAN]
        around = text[max(0, match.start() - UNIT_BEFORE) : match.end() + UNIT_SPAN]
        data = [
            name
            for name, gives, span in (
                ("domicilio", ADDRESS.search, after),
                ("teléfono", _gives_phone, after),
                ("correo", _gives_email, after),
                ("horario", OFFICE_HOURS.search, after),
                ("titular", HOLDER.search, around),
            )
            if gives(span)
        ]
        if len(data) > len(best):
            best = data
    if not {"domicilio", "teléfono", "correo"} & set(best):
        return None
    missing = [name for name in UNIT_DATA if name not in best]
    return Found(
        f"datos de la Unidad de Transparencia: {', '.join(best)}", f"sin {', '.join(missing)}" if missing else None
    )


def sections(text: str, headings: Sequence[str], levels: Sequence[int] = ()) -> list[tuple[str, str]]:
    """(heading, stretch of `text`) from each heading found in `text` to the next heading of the same or a higher
    level: an h2 «Gobierno» keeps its h3 «Ayuntamiento» and «Regidores». A heading not in `text` (the template's)
    is skipped; without one level per heading, each heading ends the section before it."""
    if len(levels) != len(headings):
        levels = [1] * len(headings)
    found: list[tuple[int, int, str]] = []  # (start in text, level, heading)
    at = 0
    for heading, level in zip(headings, levels, strict=True):
        words = normalize(heading)
        start = text.find(words, at) if words else -1
        if start < 0 and words:  # the page's own text ends a stretch at a word: «(COCICOVI)» as «(cocicovi»
            words = words.rstrip(")]»\"'.:;,!? ")
            start = text.find(words, at) if words else -1
        if start >= 0:
            found.append((start, level, heading))
            at = start + len(words)
    stretches = []
    for i, (start, level, heading) in enumerate(found):
        end = next((later for later, deeper, _ in found[i + 1 :] if deeper <= level), len(text))
        stretches.append((heading, text[start:end]))
    return stretches


def _instrument(text: str) -> str | None:
    """The name of the normative instrument a text is (a reglamento, bando, código or ley de ingresos that names
    itself at its head and is written in articles or opens with its promulgation), or None."""
    head = text[:INSTRUMENT_HEAD]
    instrument = INSTRUMENT.search(head)
    if instrument is None or RUNNING_TEXT.search(head[: instrument.start()]):
        return None
    issued = in_articles(text) or PROMULGATION.search(text[:PROMULGATION_SPAN])
    return " ".join(head[instrument.start() :].split()[:6]) if issued else None


def in_articles(text: str) -> bool:
    """Written in articles: the first and the second (a law's, a regulation's, a Bando's own text)."""
    return bool(FIRST_ARTICLE.search(text) and SECOND_ARTICLE.search(text))


def _legal_text(text: str) -> bool:
    """A law, regulation or official gazette: written in articles (1 and 2), and naming itself so at its head."""
    return bool(LEGAL_HEAD.search(text[:HEAD])) and in_articles(text)


def normative_instrument(text: str) -> Found | None:
    """A normative instrument of the municipality (it names the municipality or its ayuntamiento). One instrument
    is part of the marco normativo, not the list of what applies: published, incomplete."""
    if (name := _instrument(text)) and MUNICIPAL.search(text[:HEAD]):
        return Found(
            f"instrumento normativo del municipio: «{name}…»",
            shortfall="se publican instrumentos normativos sueltos, no el listado del marco normativo aplicable",
        )
    return None


def structure_listed(text: str) -> Found | None:
    """`structure` over the list a section holds: from the first unit or post it names to the last one (and the
    words naming it), without the section's introduction (a legal preamble) or what follows the list."""
    found = sorted([*UNIT.finditer(text), *CARGO.finditer(text)], key=lambda m: m.start())
    if not found:
        return None
    last = max(found, key=lambda m: m.end())
    named = " ".join(text[last.end() :].split()[:3])
    return structure(f"{text[found[0].start() : last.end()]} {named}")


# Recognisers that measure how dense a list is, and how they read one section of a page: a dense list under its
# own heading (the cabildo's members under «Gobierno» on a page mostly about the town's history) counts even where
# the page as a whole is prose. The density asked of the list is the page's: units named in prose (a reglamento's
# articles) stay prose under any heading.
BY_SECTION: dict[str, Callable[[str], Found | None]] = {"structure": structure_listed}

# A letter (an oficio): numbered, addressed to someone («Presente» ending its line, after the addressee) and signed
# («Atentamente»), either word often spaced out («P R E S E N T E»). «Por medio del presente» is no greeting.
LETTER_NUMBER = re.compile(r"\b(?:oficio|of\.)\s*(?:no\.?|num\.?|numero)?\s*:?\s*[a-z/.-]*\d")
LETTER_GREETING = re.compile(r"(?:^|\.)\W*p\s?r\s?e\s?s\s?e\s?n\s?t\s?e\W*$", re.MULTILINE)
LETTER_CLOSING = re.compile(r"\ba\s?t\s?e\s?n\s?t\s?a\s?m\s?e\s?n\s?t\s?e\b")
LETTER_HEAD = 1500  # characters that hold its number and greeting


def is_letter(text: str) -> bool:
    """Whether a document's text is a letter: its number and greeting in its head, its closing further on."""
    text = "\n".join(normalize(line) for line in text.splitlines())
    head = text[:LETTER_HEAD]
    return bool(LETTER_NUMBER.search(head) and LETTER_GREETING.search(head) and LETTER_CLOSING.search(text))


PRIVACY_NOTICE = re.compile(r"\baviso (?:integral )?de privacidad\b")
SIMPLIFIED = re.compile(r"\bsimplificad[oa]\b")
SIMPLIFIED_NOTICE = re.compile(r"\baviso (?:de privacidad simplificado|simplificado de privacidad)\b")
ARCO = re.compile(
    r"\barco\b|\bacceso,? rectificacion,? cancelacion\b|\brectificacion,? cancelacion (?:u|y|o) oposicion\b"
    r"|\bacceder,? rectificar,? (?:y |o )?cancelar\b"
)
# What every privacy notice speaks of, integral or simplified (a site's cookie policy does not)
PERSONAL_DATA = re.compile(r"\bdatos personales\b")
# What a simplified notice holds (arts. 29–33): the data and what they are for, the rights, where the integral one is
SIMPLIFIED_ELEMENTS = (
    ("datos personales", PERSONAL_DATA),
    ("finalidades", re.compile(r"\bfinalidad(?:es)?\b|\bfines\b|\b(?:seran|son) utilizados para\b")),
    ("derechos ARCO", ARCO),
    ("dónde consultar el aviso integral", re.compile(r"\baviso (?:de privacidad integral|integral de privacidad)\b")),
)
# What an integral notice holds beyond the simplified one (Ley de Protección de Datos Personales del Estado de México,
# arts. 29–33): the processing's legal basis, how to exercise the ARCO rights, how changes to the notice are made known
INTEGRAL_ELEMENTS = (
    ("responsable", re.compile(r"\bresponsable\b")),
    ("datos personales que se recaban", PERSONAL_DATA),
    ("finalidades", re.compile(r"\bfinalidad(?:es)?\b")),
    (
        "fundamento legal",
        re.compile(
            r"\bfundamento\b|\bmarco (?:normativo|juridico|legal)\b|\bbase legal\b|\barticulos? \d[^.]{0,120}\bley\b"
        ),
    ),
    ("derechos ARCO", ARCO),
    ("cambios al aviso", re.compile(r"\b(?:cambios?|modificacion(?:es)?|actualizacion(?:es)?)\b[^.]{0,80}\baviso\b")),
)
MIN_INTEGRAL_ELEMENTS = 4  # fewer: a notice that only names the processing, or a mention


def integral_privacy_notice(text: str) -> Found | None:
    """A privacy notice titled only «Aviso de privacidad» that holds the integral notice's elements; missing some, it is
    incomplete. A simplified notice is not one."""
    head = text[:HEAD]
    if not PRIVACY_NOTICE.search(head) or SIMPLIFIED.search(head):
        return None
    return _notice(text, INTEGRAL_ELEMENTS, MIN_INTEGRAL_ELEMENTS, "aviso de privacidad con los elementos del integral")


def simplified_privacy_notice(text: str) -> Found | None:
    """A simplified privacy notice by what it says of itself and holds, wherever it is shown (a pop-up a script
    writes); missing one of its elements, it is incomplete."""
    if not SIMPLIFIED_NOTICE.search(text[:HEAD]):
        return None
    return _notice(text, SIMPLIFIED_ELEMENTS, len(SIMPLIFIED_ELEMENTS) - 1, "aviso de privacidad simplificado")


def _notice(text: str, elements: Sequence[tuple[str, re.Pattern[str]]], minimum: int, what: str) -> Found | None:
    """A notice holding at least `minimum` of its `elements`; incomplete when it lacks any."""
    present = [name for name, pattern in elements if pattern.search(text)]
    if len(present) < minimum:
        return None
    missing = [name for name, _ in elements if name not in present]
    return Found(f"{what}: {', '.join(present)}", f"le falta: {', '.join(missing)}" if missing else None)


# Recognisers that read a page's own text (without the site's template: a menu listing departments, a footer
# with the town hall's address) instead of its whole text.
OWN_TEXT = {"structure", "transparency_unit", "normative_instrument", "integral_privacy_notice"}

RECOGNIZERS: dict[str, Callable[[str], Found | None]] = {
    "directory": directory,
    "tramites": tramites,
    "cabildo_minutes": cabildo_minutes,
    "budget": budget,
    "structure": structure,
    "transparency_unit": transparency_unit,
    "normative_instrument": normative_instrument,
    "integral_privacy_notice": integral_privacy_notice,
    "simplified_privacy_notice": simplified_privacy_notice,
}
PRIVACY_NOTICES = ("integral_privacy_notice", "simplified_privacy_notice")
