"""What the crawler gathers: facts about one fetched resource, never judgements."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


def successful(status: int | None) -> bool:
    """The server answered with the resource itself (2xx). A 304 is a success only with the previous crawl's copy
    (`not_modified`), which the callers decide."""
    return status is not None and 200 <= status < 300


class Link(BaseModel):
    model_config = ConfigDict(frozen=True)

    href: str
    text: str = ""
    context: str = ""  # "nav", "footer", "body": where on the page the link sits
    # how the link was found: "a", "area", "iframe", "frame", "embed", "object" (markup links); "onclick" (location/window.open
    # in an onclick handler), "data-href"/"data-url"/"data-link" (attribute), "option" (jump-menu <select>),
    # "form" (GET form without fields, or a button's formaction), "script" (URL written in an inline script),
    # "rendered" (only in the DOM that Chromium built), "click" (a menu item without an address that led there when
    # Chromium clicked it)
    via: str = "a"
    # "" when `text` is the link's own; "row" for a link in a table without a name of its own (an Excel or PDF icon,
    # «Ver PDF», «Descargar») or only a few words («IPOMEX», «Ver en Google Drive»): `text` is then its table's label
    # (aria-labelledby region, caption or the heading before the table) and the other cells of its row (in a grid of
    # icons, its own cell's caption), then its own words if they name anything; "item" for such a link outside a table
    # («Ver convocatoria», «Consultar»), the only link of a card: its card's heading, then its own words
    text_from: str = ""


class PageArtifact(BaseModel):
    """Facts extracted from an HTML page."""

    title: str = ""
    lang: str | None = None
    headings: list[str] = []
    text: str = ""
    # text of the HTML that inline scripts hold in their strings and insert at run time (a pop-up's notice):
    # what a visitor reads once the scripts ran, read without running them
    script_text: str = ""
    popup_text: str = ""  # the part of `text` in closed pop-ups (a Bootstrap modal, a <dialog>): shown on demand
    empty_table_text: str = ""  # the part of `text` in tables with headers and no record
    table_years: list[int] = []  # years in tables' «Ejercicio» column: the periods its records report
    dead_links: list[str] = []  # texts of the content's links that lead nowhere (href "#", "javascript:void(0)")
    links: list[Link] = []
    has_viewport: bool = False
    has_search_form: bool = False
    search_url: str | None = None  # what sending its search form asks (fetched by the crawler: does it search?)
    has_form: bool = False
    service_forms: int = 0  # forms a person fills in and sends, search boxes aside
    message_forms: int = 0  # of those, forms that only send a message or subscribe an address (name, e-mail, text)
    soft_404: bool = False
    blocked: str | None = None  # "captcha", "waf" when the page is a wall
    dates: list[str] = []  # ISO dates found in the text
    phones: list[str] = []  # telephone numbers written in the text
    emails: list[str] = []  # e-mail addresses written in the text
    # accessibility and integrity facts (auditors/checks/page_feature.py)
    script_hosts: list[str] = []  # third-party hosts loaded by scripts, iframes and tracking pixels
    images: int = 0
    images_without_alt: int = 0  # <img> with no alt attribute at all (alt="" marks decoration)
    inputs: int = 0  # fields a person fills in
    inputs_without_label: int = 0  # no <label>, aria-label, aria-labelledby or title
    fields_unsent: bool = False  # a text field no form sends (outside any form, or unnamed), and no script could
    heading_levels: list[int] = []  # h1–h6 levels in document order
    hidden_links: list[Link] = []  # links hidden by inline style or the hidden attribute
    # the page says it is a dated post (a news item, a blog entry) whatever its address: WordPress's «single-post»,
    # schema.org's NewsArticle/BlogPosting, a breadcrumb trail through «Noticias»
    is_post: bool = False
    # the page lists posts, as WordPress marks its blog, category, tag, date and author archives (or two posts in it)
    lists_posts: bool = False
    # the version of crawler/extract_html.py that read it (0: before versions); an older one is read again from the
    # stored body (crawler/refresh.py)
    extractor: int = 0
    axe: AxeResult | None = None  # gathered after the crawl by rendering the archived page


class AxeViolation(BaseModel):
    id: str  # axe-core rule id, e.g. "image-alt"
    impact: str | None = None  # minor | moderate | serious | critical
    help: str = ""
    nodes: int = 0


class AxeResult(BaseModel):
    """What axe-core found on a page for the WCAG 2.1 A/AA tags."""

    version: str = ""
    violations: list[AxeViolation] = []
    error: str | None = None


class DocumentArtifact(BaseModel):
    """Facts extracted from a document (PDF, XLSX, DOCX…)."""

    kind: str | None = None  # "pdf", "xlsx", "docx", "odt", "ods", "doc", "xls", "txt", "csv", "image"
    title: str = ""
    text: str = ""
    pages: int | None = None
    image_only: bool = False  # a PDF without a text layer (a scan), or an image
    # whether a PDF whose text layer is short (crawler/extract_documents.py: SHORT_TEXT_CHARS per page) draws
    # anything on the pages read: an image, or a table's or a chart's paths; None: not looked at (a longer text,
    # another kind, or extracted before this was recorded)
    drawn: bool | None = None
    ocr: bool = False  # `text` was read from page images by OCR (Tesseract, Spanish)
    ocr_pages: int = 0  # pages OCRed (within APERTURA_OCR_MAX_PAGES / APERTURA_OCR_TIMEOUT)
    ocr_error: str | None = None  # why OCR stopped short or failed (budget spent, Tesseract missing…)
    dates: list[str] = []
    error: str | None = None
    rows: int | None = None  # a spreadsheet's: the most rows with a value in one of its sheets


class TlsFacts(BaseModel):
    """The site's certificate as checked against the system CA store, and its HSTS header."""

    checked: bool = False  # False when the TLS handshake could not be attempted (no HTTPS listener…)
    valid: bool = False  # chain trusted, not expired, host name matches
    error: str | None = None  # why it is not valid, or why it could not be checked
    hostname_match: bool | None = None
    expired: bool | None = None
    not_after: str | None = None  # ISO date-time
    issuer: str | None = None
    subject: str | None = None
    hsts: str | None = None  # Strict-Transport-Security header of the HTTPS home, if any


class ApplicabilityRow(BaseModel):
    """One row of a subject's table of applicable fractions (Art. 93; IPOMEX format art_93_i), as shown."""

    article: str | None = None  # "92", "94"
    fraction: str  # roman numerals, upper case
    letter: str | None = None  # inciso or format letter, lower case
    applies: bool | None = None  # None: the row's answer could not be read
    text: str = ""  # the row's answer and justification, verbatim


class PortalFormatArtifact(BaseModel):
    """One obligation format as a transparency portal (IPOMEX) shows it: read by labels, never judged."""

    generation: str  # "ipo3" (3.0 .web pages), "ipo" (older paths), "ipo4" (4.0 app), "export" (Excel)
    key: str | None = None  # sujeto obligado: IPOMEX 3.0 KEY or 4.0 numeric id
    format: str | None = None  # 3.0 page slug ("art_92_xiv_b", "organigramas")
    article: str | None = None  # as shown by the 4.0 app ("92"); None when identified by slug
    fraction: str | None = None  # roman numerals, upper case ("XIV")
    letter: str | None = None  # format letter, lower case ("b")
    headers: list[str] = []  # the labels recognised (table headers, dt, label/value pairs)
    records: int = 0
    periods: list[str] = []
    updated: list[str] = []  # ISO dates of "Fecha de actualización"
    validated: list[str] = []  # ISO dates of "Fecha de validación"
    areas: list[str] = []  # "Área o unidad administrativa responsable"
    notes: list[str] = []  # "Nota" texts, verbatim
    exports: list[str] = []  # links to Excel exports of the format
    blocked: str | None = None  # "captcha" or "waf" when the portal answered with a wall
    applicability: list[ApplicabilityRow] = []  # the table of applicable fractions (format art_93_i only)


# The render reason of a page whose plain HTML is an empty shell for its scripts (crawler/render.py): what it shows a
# visitor is known only from its rendered version.
EMPTY_SHELL = "página casi vacía con scripts"


class FetchFacts(BaseModel):
    """What the crawler learned from one fetch, beyond the request and response facts that are columns of
    `resources` (URL, status, headers, hash…): the item's `facts` (crawler/items.py), validated when the spider
    builds it, so an unknown or mistyped fact fails in the crawler and not in a later audit.

    Stored as the crawler set it (`stored()`): as JSON in `Resource.facts` (column `artifact`), `page`/`document`
    once per hash in `extracts`. Read back as part of `ResourceArtifact`, which adds those columns."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    failure: str | None = None  # class of `error`: see crawler/failures.py (timeout, too_large, redirect_loop…)
    is_home: bool = False
    probe: bool = False  # the home page requested on the other scheme
    redirect_urls: list[str] = []
    role: str | None = None  # "robots", "sitemap", "not_found_probe", "search_probe": auxiliary fetches, never content
    offsite: bool = False  # target of a link from the site's pages to another host: fetched one hop, never followed
    linked_from: str | None = None  # offsite: the site page whose link caused the fetch (the first one seen)
    not_modified: bool = False  # answered 304: sha256 and facts reused from the previous crawl
    reused: str | None = None  # recorded again without a request (the portal's index shows no update): why
    # reused: where the answer was archived (`file`, `record_id` of an earlier night's WARC); tonight's has none
    reused_warc: dict[str, str | None] | None = None
    rendered: bool = False  # fetched again through Chromium
    render_reason: str | None = None
    script_failures: list[str] = []  # rendered: the data requests of the page's scripts that got no answer
    tls: TlsFacts | None = None  # on the home resource
    page: PageArtifact | None = None
    document: DocumentArtifact | None = None
    portal_formats: list[PortalFormatArtifact] = []  # IPOMEX crawls only
    portal_index: dict[str, str | None] | None = None  # IPOMEX 3.0 index: format URL -> its update date, if shown

    def stored(self) -> dict:
        """As JSON, the way it is stored: only the facts the crawler set (an absent fact reads as its default),
        each one whole."""
        return self.model_dump(mode="json", include=set(self.model_fields_set))


class ResourceArtifact(FetchFacts):
    """One stored resource as the auditors see it: the columns of its row and the facts of its fetch
    (storage.repository.crawl_resources)."""

    model_config = ConfigDict(extra="ignore", validate_assignment=False)  # facts stored by older versions

    url: str
    final_url: str
    status: int | None
    content_type: str = ""
    size: int = 0
    sha256: str | None = None
    fetched_at: datetime
    depth: int = 0
    error: str | None = None  # why the fetch failed, in Spanish, with the technical detail after a colon
    warc_file: str | None = None  # provenance: WARC file and record of the response, screenshot (PNG) hash
    warc_record_id: str | None = None
    screenshot_sha256: str | None = None

    @property
    def ok(self) -> bool:
        return (successful(self.status) or (self.status == 304 and self.not_modified)) and self.error is None

    @property
    def unrendered_shell(self) -> bool:
        """The plain HTML of a page that is an empty shell for its scripts: its content is not in it."""
        return not self.rendered and self.render_reason == EMPTY_SHELL
