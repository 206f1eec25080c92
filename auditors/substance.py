"""Whether a live page or document carries content of its own: not the site's template, not a placeholder.

A page's own content is what remains of its text once the site's template is taken out: the runs of words
(menus, header, footer) that recur on many of the site's pages. A page counts as content when that remainder
has words, body links or images of its own and is not a placeholder ("próximamente", "en construcción",
"no hay registros"), an error printed with HTTP 200 (a PHP warning, an SQL error) or a wall that asks for a
password or an account.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections import Counter
from dataclasses import dataclass

from auditors.authorship import issued_elsewhere
from auditors.listing import MONTHS, is_document_link
from auditors.matching import folded
from crawler.extract_html import says_not_found
from models import DocumentArtifact, Link, PageArtifact

SHINGLE = 6  # words per run: long enough to be template, short enough to catch menus
SAMPLE = 40  # pages that measure the template
MIN_PAGES = 4  # fewer pages than this: the template is only what all of them repeat
MIN_TEMPLATE_PAGES = 3  # fewer than this: no template can be told apart from a page's own content
TEMPLATE_SHARE = 0.4  # a run on at least this share of the sampled pages is template
MIN_OWN_WORDS = 4  # beyond its own headings: a name and a post are content, a lone heading is not
INDEX_MAX_WORDS = 40  # fewer own words than this beside a list of links: an index of documents
INDEX_LINK_SHARE = 0.6  # or most of its own words are the texts of its links
PLACEHOLDER_MAX_WORDS = 80  # a placeholder phrase inside a longer text is just a sentence
NOT_FOUND_REASON = "la página dice que lo buscado no existe o no está disponible (una página de error)"
UNSENT_MAX_WORDS = 30  # a page of little more than a field that nothing sends is a mock-up of a service
DEFINITION_REASON = "solo explica qué es («{}…»), no lo publica"
EMBED_ONLY_REASON = "la página no tiene contenido propio fuera de lo que incrusta (un formulario, un visor)"
HEADERS_ONLY_REASON = "la hoja de cálculo solo tiene sus encabezados (títulos y nombres de columnas), sin registros"
HEADER_MIN_CELLS = 3  # a row of column names: «Ejercicio | Fecha de inicio del periodo | …»
CELL = " | "  # crawler/extract_office.py joins a spreadsheet row's cells with it
SHORTCODE_REASON = "la página muestra el código de un complemento que no se ejecutó («{}») donde iría su lista"
TABLE_CAPTION_WORDS = 30  # a sentence or two over an empty table, and its legend of area, date and period
EMPTY_TABLE_REASON = "la página solo muestra una tabla sin registros (sus encabezados)"
UNSENT_REASON = "la página solo ofrece un campo que no se envía a ningún lado (sin formulario ni script que lo envíe)"

# A legend that there is nothing to report for the period (Lineamientos: the publication is then that legend, justified)
JUSTIFIED = re.compile(
    r"no aplica|no se genero|no se ha generado|no genero|no se cuenta con|no existe informacion"
    r"|sin informacion que reportar|no se realizaron|no se otorgaron|no se llevaron a cabo"
)
PLACEHOLDER = re.compile(
    r"\bproximamente\b|\ben construccion\b|\ben mantenimiento\b|\bestamos trabajando (en|para)\b"
    r"|\bdisponible (muy )?pronto\b|\bcoming soon\b|\bunder construction\b|\blorem ipsum\b"
    r"|\binformacion (no disponible|en proceso( de (carga|actualizacion|captura))?)\b"
    r"|\bsin (informacion|registros|datos|contenido)( disponibles?| que mostrar| por el momento)?\b"
    r"|\bno (hay|se encontraron|existen|se han (publicado|subido|cargado))( (nuevos|nuevas|proximos|proximas|mas))?"
    r" (informacion|registros|datos|resultados|documentos|publicaciones|entradas|articulos|noticias|eventos|elementos"
    r"|archivos|convocatorias|avisos)\b"
    r"|\bbienvenid[oa] a wordpress\b|\b(tu|su) primera entrada\b|\bwelcome to wordpress\b|\byour first post\b"
    r"|\baun no (hay|se (ha|han) (publicado|subido|cargado))\b|\bcontenido (pendiente|por definir|de ejemplo)\b"
    r"|\b(pagina|texto) de (ejemplo|prueba)\b|\bseccion en (construccion|desarrollo)\b"
    r"|\b(se encuentra|esta|informacion|seccion|pagina) en (proceso de )?actualizacion\b|\bestamos actualizando\b"
    r"|\b(se encuentran?|estan?) en proceso de (integracion|elaboracion|captura|carga|validacion|revision)\b"
    r"|\b(contenido|documentos?|archivos?|pagina|seccion) no disponibles?\b|\bno se ha (publicado|subido|cargado)\b"
    r"|\bsin (documentos|archivos|publicaciones) (disponibles|que mostrar|por el momento|publicad[oa]s)\b"
    r"|\b(en breve|pronto) (publicaremos|podras (consultar|descargar)|estara disponible|encontraras)\b"
    r"|\b(vuelve|regresa) pronto\b|\btexto (de relleno|provisional)\b"
    r"|\baqui va (el|la|tu|su) (texto|contenido|informacion|descripcion)\b"
    r"|\bnada encontrado\b|\bno hay nada que coincida\b|\bnothing found\b"
)
# «Por el momento no hay licitaciones vigentes»: nothing for now, on a page that links nothing (one that lists the closed
# ones beside it publishes them). Not «Actualmente no existen créditos vigentes»: a deuda page saying there is none
# publishes that.
NOTHING_NOW = re.compile(
    r"\b(por el momento|por ahora|de momento|en este momento),? no (hay|existen|se cuentan? con|contamos con)\b"
)
# A model document's blanks left unfilled («[NOMBRE DEL MUNICIPIO]», «[Describir las finalidades]»): a template. Only in
# square brackets: «(NOMBRE Y FIRMA)» under a signature line is in every filled document.
_BLANK_WORDS = (
    r"(?:nombre|describir|describa|insertar|inserte|indicar|indique|anotar|anote|especificar|especifique|domicilio"
    r"|direcci[oó]n|fecha|tel[eé]fono|correo|colocar|coloque|agregar|agregue|escribir|escriba|llenar|datos|finalidad)"
)
BLANK = re.compile(rf"\[\s*{_BLANK_WORDS}[^\]\n]{{0,80}}\]", re.IGNORECASE)
MIN_BLANKS = 2  # one bracket may be an example («[fecha]» in a how-to); two are a model left unfilled
BLANKS_REASON = "es un formato modelo sin llenar («{}»)"
# A whole site closed for maintenance answers every address with the same notice: the site cannot be consulted
MAINTENANCE = re.compile(
    r"\b(sitio|portal|pagina|sitio web|pagina web) (esta )?(en|bajo) (mantenimiento|construccion)\b"
    r"|\bvolveremos pronto\b|\bestamos (realizando|haciendo) (mejoras|mantenimiento|ajustes)\b"
    r"|\b(maintenance mode|coming soon|under construction|under maintenance|be back soon)\b"
)
# What a host shows where no site is: a parked or expired domain offered for sale, a suspended hosting account, a web
# server's default page. Whatever its address says, it is not the municipality's site.
STAND_IN = re.compile(
    r"\b(este|this) dominio (esta|puede estar|podria estar) (a la venta|en venta)\b|\bthis domain (is|may be) for sale\b"
    r"|\b(buy|compra|comprar) (this|este) (domain|dominio)\b|\bdomain (parking|parked)\b|\bparked free\b"
    r"|\b(this|esta) (account|cuenta) (has been |ha sido )?(suspended|suspendida)\b|\baccount suspended\b"
    r"|\b(apache2?|nginx) (debian|ubuntu|centos)? ?default page\b|\bwelcome to nginx\b|\bit works!"
    r"|\bdefault web site page\b|\btest page for the (apache|nginx) http server\b|\binternet information services\b"
)
STAND_IN_MAX_WORDS = 300  # a parked page lists «related searches»; a site says more
MAINTENANCE_MAX_WORDS = 80
MAINTENANCE_MAX_LINKS = 4  # a home page with a menu is a site, whatever banner it shows
# The typesetters' Latin filler («Lorem ipsum dolor sit amet…»): a text mostly made of it holds nothing, however long
FILLER = frozenset(
    "lorem ipsum dolor sit amet consectetur adipiscing adipisicing elit sed do eiusmod tempor incididunt ut labore et"
    " dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo"
    " consequat duis aute irure in reprehenderit voluptate velit esse cillum eu fugiat nulla pariatur excepteur sint"
    " occaecat cupidatat non proident sunt culpa qui officia deserunt mollit anim id est laborum".split()
)
# The words that name a session and date it: its ordinal, its kind, the body, the month («Trigésima Primera Sesión
# Extraordinaria de Cabildo, 14 de febrero de 2026»), and a list's heading («Actas de Cabildo»)
NUMBERED_ORDINAL = r"\d{1,2}(?:er|ro|do|to|vo|mo|no|o|a)"  # «1er», «2do», «1a»
ORDINAL_WORD = re.compile(
    r"(primer|segund|tercer|cuart|quint|sext|septim|setim|octav|noven|decim|undecim|duodecim|vigesim|trigesim"
    rf"|cuadragesim|quincuagesim|sexagesim|septuagesim|octogesim|nonagesim|centesim)[oa]s?|primer|tercer|{NUMBERED_ORDINAL}"
)
SESSION_NAME_WORDS = frozenset(
    "sesion sesiones ordinaria ordinarias extraordinaria extraordinarias solemne solemnes abierta abiertas cabildo"
    " ayuntamiento acta actas de del la las el los y a al en no num numero fecha celebrada celebradas ano ejercicio".split()
    + MONTHS.split("|")
)
SESSION_LIST_MIN = 4
SESSION_REMARK_WORDS = 30  # a sentence or two about the sessions listed, as under a heading (REMARK_MAX_WORDS)
# what minutes record: an agreement, its approval, a vote, the roll call
MINUTES_WORD = re.compile(r"acuerd\w*|aprob\w*|aprueb\w*|vot\w*|unanimidad|mayoria|asistencia|quorum|lista|dictam\w*")
FILLER_SHARE = 0.5
FILLER_REASON = "el texto es relleno de maqueta («lorem ipsum»), sin contenido"
# What a page shows instead of content it keeps for those with a password or an account: not public
_SIGN_IN = r"((inicia|inicie|iniciar) sesion|estar registrad[oa]|registrarte)"
_TO_SEE = (
    r"para (ver|acceder a|consultar) (este|esta|el|la|su|sus|los|las) (contenido|pagina|informacion|documentos?|seccion"
    r"|archivos?)"
)
LOGIN_WALL = re.compile(
    r"\bprotegid[oa] (por|con) (una )?contrasena\b|\bcontenido (restringido|protegido|exclusivo para usuarios)\b"
    rf"|\b{_SIGN_IN} (y )?{_TO_SEE}\b|\b{_TO_SEE},? (\w+ ){{0,3}}{_SIGN_IN}\b"
    r"|\bno (tienes|tiene|cuentas con|cuenta con) (los )?permisos? (suficientes )?para (ver|acceder|consultar)\b"
    r"|\bsolo (para )?usuarios registrados\b"
)
# What a file service shows a visitor without access to a file it holds (Drive's «Necesitas permiso»)
ACCESS_REQUEST = re.compile(
    r"\b(necesitas|necesita|se necesita) (acceso|permiso)\b|\bsolicitar acceso\b|\byou need (access|permission)\b"
)
LOGIN_WALL_REASON = "la página pide una contraseña o iniciar sesión: lo que guarda no es público"
# The law's wording of what must be published («que incluya, cuando menos, …»): a page that only restates it
LAW_WORDING = re.compile(
    r"\bcuando menos\b|\bdeberan (publicar|difundir|poner a disposicion)\b|\bsujetos obligados deberan\b"
    r"|\bponer a disposicion del publico\b|\bmantener actualizada\b|\bdebiendo (publicarse|incluir|senalar)\b"
)
# What a mechanism is («Es el mecanismo mediante el cual la ciudadanía decide…»): explaining it is not publishing it
DEFINITION = re.compile(
    r"\b(es|son|se define como|consiste en) ((el|la|los|las|un|una|unos|unas) )?(\w+ ){0,2}?(mecanismos?|instrumentos?"
    r"|organos?|sesion(es)?|espacios?|figuras?|herramientas?|proceso|medios?|derechos?|ejercicio|comites?|consejos?"
    r"|procedimientos?|instancias?)\b"
)
DEFINITION_MAX_WORDS = 60  # a definition is a sentence or two; a publication that explains itself goes on
DEFINITION_HEAD_WORDS = 20  # and it opens the text (after the name it defines)
DOWNLOADS = re.compile(
    r"(archivos?|documentos?|formatos?) (para|de|a) (descarga|descargar)|descargas?|archivos? descargables?"
    r"|documentos? descargables?"
)
SERVER_ERROR = re.compile(
    r"\b(warning|fatal error|parse error|notice|deprecated): .{0,200}\bon line \d+"
    r"|\bsqlstate\[|\bmysqli?_\w+\(|\byou have an error in your sql syntax\b|\bora-\d{5}\b"
    r"|\buncaught (exception|error|typeerror)\b|\btraceback \(most recent call last\)"
    r"|\berror establishing a database connection\b|\bmicrosoft ole db provider\b"
    r"|\baccess denied for user\b|\bno se pudo conectar (a|con) (la )?base de datos\b"
    r"|\berror (de|al) conexion (a|con) (la )?base de datos\b"
)
WORD = re.compile(r"\w+")
# A WordPress shortcode printed as text ([wpdm_category id="actas"], [/vc_column]): a plugin that did not run
SHORTCODE = re.compile(
    r"\[/?[a-z][a-z0-9]*[_-][a-z0-9_-]*(?:\s[^\[\]]*)?\]"  # a plugin's name has a "_" or "-": [vc_row], [/vc_column]
    r"|\[[a-z][a-z0-9_-]*(?:\s+[a-z0-9_-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\]]+))+\s*/?\]",  # or attributes
    re.IGNORECASE,
)
# A financial or programmatic format (CONAC's) signs off with this legend; with no figure anywhere and no more words
# above it than the format's titles and column headers, it is the format printed empty
SIGNATURE_LEGEND = re.compile(r"\bbajo protesta de decir verdad\b")
# A cover page uploaded as the document («H. Ayuntamiento de … / Presupuesto de Egresos / Ejercicio fiscal 2026»): its
# name, its issuer and its period, nothing else
COVER_MAX_WORDS = 30
COVER_MAX_NAME_WORDS = 3  # «presupuesto egresos», «plan desarrollo», «estado situacion financiera»
COVER_MAX_PAGES = 2  # a longer file with the text of one page is a scan with a typed cover
COVER_WORDS = frozenset(
    "h honorable ayuntamiento constitucional municipio municipal gobierno administracion estado mexico libre soberano"
    " de del la el los las y e en para por al a su ejercicio fiscal ano periodo trimestre semestre primer primero"
    " segundo tercer tercero cuarto anual no num numero vol volumen tomo enero febrero marzo abril mayo junio julio"
    " agosto septiembre setiembre octubre noviembre diciembre".split()
)
SPREADSHEETS = frozenset({"xlsx", "xls", "ods", "csv"})  # judged by their rows
COVER_ISSUER = frozenset({"ayuntamiento", "municipio", "municipal", "gobierno"})
COVER_REASON = "el documento es solo una portada («{}»): su nombre, quién lo emite y su periodo"
# A PDF of a few words that draws nothing (crawler/extract_documents.py: SHORT_TEXT_CHARS): its title, nothing under it
TITLE_ONLY_MAX_WORDS = 12
TITLE_ONLY_REASON = "el documento solo tiene un título («{}»): ningún texto, tabla ni imagen debajo"
FIGURE = re.compile(r"\d\.\d{2}\b|\d{1,3}(?:,\d{3})+|\d\s?%")
LETTERS = re.compile(r"[^\W\d_]{2,}")
EMPTY_FORMAT_MAX_WORDS = 40
EMPTY_FORMAT_REASON = "el documento es un formato sin registros: solo sus encabezados y las firmas"
# The national platform's spreadsheet formats (SIPOT): the format's title rows, «Tabla Campos», the row of its fields,
# then one row per record; its catalogues follow in sheets «Hidden_1», «Tabla_373562»…
SIPOT_FIELDS = "tabla campos"
SIPOT_AUXILIARY_SHEET = re.compile(r"(hidden|tabla)_\d+")
EMPTY_SIPOT_REASON = "el documento es un formato de la Plataforma Nacional sin registros: solo sus encabezados"
# an embedded viewer's content is its target's, judged as such (publication.py)
FRAMES = ("iframe", "frame", "embed", "object")


@dataclass(frozen=True)
class Substance:
    ok: bool
    reason: str | None = None  # why it does not count, in Spanish for the evidence note
    detail: str = ""  # what it holds, for the evidence ("120 palabras propias")
    # An index page (little text of its own, a list of links): what it publishes is behind those links, and
    # it counts only if one of them was fetched and is live (auditors/checks/publication.py).
    index_of: tuple[str, ...] = ()


class Template:
    """The word runs and body links a site repeats on many of its pages."""

    def __init__(self, pages: list[PageArtifact]):
        sample = [pages[i * len(pages) // SAMPLE] for i in range(SAMPLE)] if len(pages) > SAMPLE else pages
        self.measured = len(sample) >= MIN_TEMPLATE_PAGES
        # on a site of a few pages, the template is what every page repeats
        threshold = max(3, TEMPLATE_SHARE * len(sample)) if len(sample) >= MIN_PAGES else len(sample)
        runs: Counter[int] = Counter()
        links: Counter[str] = Counter()
        labels: Counter[str] = Counter()
        for page in sample if self.measured else []:
            runs.update({hash(run) for run in _runs(_words(page.text))})
            runs.update({hash(("^", *run)) for run in _ends(_words(page.text))})
            links.update({link.href for link in page.links})
            labels.update({folded(label) for label in (page.title, *page.headings)})
        self.runs = {run for run, count in runs.items() if count >= threshold}
        self.links = {href for href, count in links.items() if count >= threshold}
        self.labels = {label for label, count in labels.items() if count >= threshold}
        images = sorted(page.images for page in sample)
        self.images = images[len(images) // 2] if self.measured else 0

    def joined(self, other: Template) -> Template:
        """A template that holds what either one holds."""
        both = copy.copy(self)
        both.runs, both.links, both.labels = (
            self.runs | other.runs,
            self.links | other.links,
            self.labels | other.labels,
        )
        both.images = max(self.images, other.images)
        return both

    def is_shared(self, label: str) -> bool:
        """A title or heading the site repeats on many pages ("H. Ayuntamiento de …", a sidebar heading)."""
        return folded(label) in self.labels

    def own_words(self, text: str) -> list[str]:
        """The words of `text` outside every template run."""
        words = _words(text)
        covered = self._covered(words)
        return [word for word, template in zip(words, covered, strict=True) if not template]

    def own_text(self, text: str) -> str:
        """`text` normalised, without its template runs, keeping what separates the words it keeps ("@", "/",
        "."): a page's own e-mail and "s/n", not the footer's."""
        text = folded(text)
        matches = list(WORD.finditer(text))
        covered = self._covered([m.group(0) for m in matches])
        spans: list[list[int]] = []  # [start, end] of each stretch of consecutive own words
        for i, match in enumerate(matches):
            if covered[i]:
                continue
            if spans and i > 0 and not covered[i - 1]:
                spans[-1][1] = match.end()
            else:
                spans.append([match.start(), match.end()])
        return " ".join(text[start:end] for start, end in spans)

    def _covered(self, words: list[str]) -> list[bool]:
        covered = [False] * len(words)
        for start, key in enumerate(map(hash, _runs(words)) if self.runs else []):
            if key in self.runs:
                covered[start : start + SHINGLE] = [True] * SHINGLE
        # a menu or a footer shorter than a run: the longest opening and closing words the pages share
        for run in _ends(words) if self.runs else []:
            if hash(("^", *run)) in self.runs:
                at = 0 if words[: len(run)] == list(run) else len(words) - len(run)
                covered[at : at + len(run)] = [True] * len(run)
        return covered


SERVER_ERROR_REASON = "la página muestra un error del servidor o de la base de datos en lugar de contenido"


def shows_server_error(page: PageArtifact) -> bool:
    """An error printed with HTTP 200 (a PHP warning, an SQL error); its "Access denied" is not a firewall."""
    return bool(SERVER_ERROR.search(folded(page.text[:5000])))


def own_body_links(page: PageArtifact, template: Template) -> list[Link]:
    """The links of a page's own content: in its body, not the site's template, not a frame it embeds."""
    return [
        link
        for link in page.links
        if link.context == "body" and link.href not in template.links and link.via not in FRAMES
    ]


def judge_page(page: PageArtifact, template: Template) -> Substance:
    if shows_server_error(page):
        return Substance(False, SERVER_ERROR_REASON)
    if blanks := unfilled_blanks(page.text):
        return Substance(False, "la página " + BLANKS_REASON.format(blanks))
    own = template.own_words(SHORTCODE.sub(" ", page.text))
    own_text = " ".join(own)
    if len(own) <= PLACEHOLDER_MAX_WORDS and (match := PLACEHOLDER.search(own_text)):
        return Substance(False, f"la página es un marcador de posición («{match.group(0)}»), sin contenido")
    if len(own) <= PLACEHOLDER_MAX_WORDS and says_not_found(own_text):  # an error page with no heading saying so
        return Substance(False, NOT_FOUND_REASON)
    if _mostly_filler(own):
        return Substance(False, FILLER_REASON)
    if len(own) <= PLACEHOLDER_MAX_WORDS and LOGIN_WALL.search(own_text):
        return Substance(False, LOGIN_WALL_REASON)
    if page.fields_unsent and len(own) <= UNSENT_MAX_WORDS:
        return Substance(False, UNSENT_REASON)
    body_links = own_body_links(page, template)
    images = page.images - template.images
    if len(own) <= PLACEHOLDER_MAX_WORDS and not body_links and (match := NOTHING_NOW.search(own_text)):
        return Substance(False, f"la página es un marcador de posición («{match.group(0)}»), sin contenido")
    restated = LAW_WORDING.search(own_text) if len(own) <= PLACEHOLDER_MAX_WORDS else None
    if restated and not body_links and images < 1 and not page.dates:
        return Substance(False, f"la página solo reproduce lo que la ley ordena publicar («{restated.group(0)}…»)")
    if (defined := defines_only(own_text)) and not body_links and images < 1:
        return Substance(False, DEFINITION_REASON.format(defined))
    # A heading's words are not content, the site's shared ones included: a template run cut short at the end of
    # the text ("Administración 2023-2025" in the footer) leaves them among the page's own words; nor are the title's
    # restated in the body (a fraction's page that repeats «Los mecanismos de participación ciudadana»), nor a closed
    # pop-up's (an announcement in a modal): what the page shows when it opens is what it holds.
    labels = Counter(word for label in (page.title, *page.headings) for word in _words(label))
    shown_apart = Counter(_words(page.popup_text)) + Counter(_words(page.empty_table_text))
    text_words = (Counter(own) - shown_apart - labels).total()
    frames = [link for link in page.links if link.via in FRAMES and link.href not in template.links]
    if frames and text_words < MIN_OWN_WORDS:  # its images and links frame what it embeds (a form, a viewer)
        return Substance(False, EMBED_ONLY_REASON)
    # Entries whose links lead nowhere («#»): the titles of documents that were never linked
    dead = Counter(word for text in page.dead_links for word in _words(text)) & Counter(own)
    if len(page.dead_links) >= 2 and not body_links and dead.total() >= INDEX_LINK_SHARE * max(text_words, 1):
        return Substance(False, f"las {len(page.dead_links)} entradas que la página enlista no enlazan nada («#»)")
    # A page that heads a list as its files («Archivos para descarga») holds what it lists, or nothing.
    downloads = any(DOWNLOADS.fullmatch(folded(heading).strip(" :.")) for heading in page.headings)
    if downloads and not body_links and not frames:
        return Substance(False, "la página anuncia archivos para descargar y no enlaza ninguno")
    # A table of column names with no row under it, or a plugin's shortcode printed where its list goes, introduced by
    # a sentence and its legend (the area in charge, the date of update, the period): nothing is listed
    if not body_links and images < 1 and not frames and text_words <= TABLE_CAPTION_WORDS:
        if page.empty_table_text:
            return Substance(False, EMPTY_TABLE_REASON)
        if shortcode := SHORTCODE.search(page.text):
            return Substance(False, SHORTCODE_REASON.format(shortcode.group(0)[:60]))
    if text_words >= MIN_OWN_WORDS or len(body_links) >= 2 or images >= 1:
        parts = [f"{len(own)} palabras propias"]
        if body_links:
            parts.append(f"{len(body_links)} enlaces en el contenido")
        if images >= 1:
            parts.append(f"{images} imágenes propias")
        # a list of links with little text of its own, or a page of one document's title: its documents are its content
        # (an e-mail or a phone to write to or call is not an entry of a list)
        entries = [link for link in body_links if not link.href.startswith(("mailto:", "tel:"))]
        link_words = sum(len(_words(link.text)) for link in entries)
        few_words = text_words < INDEX_MAX_WORDS or link_words >= INDEX_LINK_SHARE * text_words
        listed = len(entries) >= 2 or any(is_document_link(link.href) for link in entries)
        index = (few_words and listed) or (downloads and bool(entries))
        return Substance(True, detail=", ".join(parts), index_of=tuple(link.href for link in entries) if index else ())
    return Substance(False, "la página no tiene contenido propio (solo la plantilla del sitio y un título)")


def judge_document(document: DocumentArtifact, municipality: str | None = None) -> Substance:
    text = folded(document.text)
    if municipality and (issuer := issued_elsewhere(folded(document.title or ""), text, municipality)):
        return Substance(False, f"el documento es de otro municipio: lo emite «{issuer}» y no nombra a {municipality}")
    every_word = WORD.findall(text)
    words = len(every_word)
    if words <= PLACEHOLDER_MAX_WORDS and (match := PLACEHOLDER.search(text)):
        return Substance(False, f"el documento es un marcador de posición («{match.group(0)}»), sin contenido")
    if _mostly_filler(every_word):
        return Substance(False, FILLER_REASON)
    if blanks := unfilled_blanks(document.text):
        return Substance(False, "el documento " + BLANKS_REASON.format(blanks))
    if not words and not document.image_only and document.pages == 0:
        return Substance(False, "el documento está vacío")
    if (
        not document.ocr
        and document.kind not in SPREADSHEETS
        and (document.pages or 1) <= COVER_MAX_PAGES
        and not FIGURE.search(document.text)
        and _only_a_cover(every_word, municipality)
    ):
        return Substance(False, COVER_REASON.format(" ".join(document.text.split())[:80]))
    if (
        document.drawn is False
        and not document.image_only
        and words <= TITLE_ONLY_MAX_WORDS
        and not FIGURE.search(document.text)
        and not JUSTIFIED.search(text)
    ):
        return Substance(False, TITLE_ONLY_REASON.format(" ".join(document.text.split())[:80]))
    if _empty_sipot_format(document.text):
        return Substance(False, EMPTY_SIPOT_REASON)
    if document.rows is not None and (document.rows <= 1 or _headers_only(document.text)):
        return Substance(False, HEADERS_ONLY_REASON)
    legend = SIGNATURE_LEGEND.search(text)
    if legend and not FIGURE.search(text) and len(LETTERS.findall(text[: legend.start()])) <= EMPTY_FORMAT_MAX_WORDS:
        return Substance(False, EMPTY_FORMAT_REASON)
    return Substance(True, detail=f"{document.pages} páginas" if document.pages else f"{words} palabras")


def stand_in_home(page: PageArtifact) -> str | None:
    """What a host shows instead of a site (a domain for sale, a suspended account, a server's default page), or
    None."""
    text = folded(f"{page.title} {page.text}")
    if len(WORD.findall(text)) > STAND_IN_MAX_WORDS:
        return None
    match = STAND_IN.search(text)
    return match.group(0) if match else None


def maintenance_notice(page: PageArtifact) -> str | None:
    """What a page shows instead of the site when the site is closed for maintenance, or None."""
    text = folded(page.text)
    if len(WORD.findall(text)) > MAINTENANCE_MAX_WORDS or len(page.links) > MAINTENANCE_MAX_LINKS:
        return None
    match = MAINTENANCE.search(text)
    return match.group(0) if match else None


def unfilled_blanks(text: str) -> str | None:
    """The first blanks of a model document left unfilled, when there are MIN_BLANKS or more."""
    found = [match.group(0) for match in itertools.islice(BLANK.finditer(text), MIN_BLANKS)]
    return "», «".join(found) if len(found) >= MIN_BLANKS else None


def _only_a_cover(words: list[str], municipality: str | None) -> bool:
    """At most COVER_MAX_WORDS words that name the issuer (an ayuntamiento, a municipio, a gobierno municipal), a
    period, and besides them at most COVER_MAX_NAME_WORDS words: the document's name."""
    if not words or len(words) > COVER_MAX_WORDS or not COVER_ISSUER.intersection(words):
        return False
    if not any(word.isdigit() and len(word) == 4 for word in words):
        return False
    issuer = set(_words(municipality or ""))
    named = {word for word in words if word not in COVER_WORDS and word not in issuer and not word.isdigit()}
    return len(named) <= COVER_MAX_NAME_WORDS


def _headers_only(text: str) -> bool:
    """A spreadsheet whose widest row, its column names, is its last row of several cells and the only one near its
    width: the format's title lines above it, no record under it («Sujeto obligado: … / Periodo que se informa: … /
    Ejercicio | Fecha de inicio del periodo | …»)."""
    widths = [line.count(CELL) + 1 for line in text.splitlines()]
    widest = max(widths, default=0)
    if widest < HEADER_MIN_CELLS:
        return False
    header = widths.index(widest)
    return all(width < 2 for width in widths[header + 1 :]) and sum(2 * width >= widest for width in widths) == 1


def _empty_sipot_format(text: str) -> bool:
    """A SIPOT format whose row of fields has no record under it (a blank format uploaded as the publication)."""
    lines = [folded(line).strip() for line in text.splitlines() if line.strip()]
    if SIPOT_FIELDS not in lines:
        return False
    records = itertools.takewhile(
        lambda line: not SIPOT_AUXILIARY_SHEET.fullmatch(line), lines[lines.index(SIPOT_FIELDS) + 2 :]
    )
    return next(records, None) is None


def defines_only(text: str) -> str | None:
    """The definition a short text opens with, when that is all it holds: no figure, date or year anywhere (a
    publication of the mechanism names its members, amounts, dates or period)."""
    words = _words(text)
    if len(words) > DEFINITION_MAX_WORDS or any(character.isdigit() for character in text):
        return None
    match = DEFINITION.search(" ".join(words[:DEFINITION_HEAD_WORDS]))
    return match.group(0) if match else None


def lists_sessions_only(text: str) -> bool:
    """Whether a text names sessions and says nothing of what they did: at least SESSION_LIST_MIN words of a session's
    name («Vigésima Segunda Sesión Ordinaria de Cabildo»), its date or number, or a heading's («Actas de Cabildo 2026»),
    beside at most a remark on them («El Ayuntamiento sesiona cada semana», «Las actas se publicarán próximamente»:
    SESSION_REMARK_WORDS, fewer than the names) that speaks of no agreement, vote or roll call."""
    words = _words(text)
    remark = [w for w in words if not (w.isdigit() or w in SESSION_NAME_WORDS or ORDINAL_WORD.fullmatch(w))]
    if len(words) - len(remark) < SESSION_LIST_MIN or len(remark) > min(SESSION_REMARK_WORDS, len(words) - len(remark)):
        return False
    return not any(MINUTES_WORD.fullmatch(word) for word in remark)


def _mostly_filler(words: list[str]) -> bool:
    return "lorem" in words and "ipsum" in words and sum(word in FILLER for word in words) >= FILLER_SHARE * len(words)


def _words(text: str) -> list[str]:
    return WORD.findall(folded(text))


def _ends(words: list[str]) -> list[tuple[str, ...]]:
    """A text's opening and closing words, each length shorter than a run (a four-word menu, a two-word footer)."""
    ends = {tuple(words[:length]) for length in range(1, min(SHINGLE, len(words) + 1))}
    return [*ends, *{tuple(words[-length:]) for length in range(1, min(SHINGLE, len(words) + 1))}]


def _runs(words: list[str]) -> list[tuple[str, ...]]:
    """Every SHINGLE consecutive words."""
    return list(zip(*(words[i:] for i in range(SHINGLE)), strict=False))
