"""Facts from an HTML page: pure function, no network (see ``extract_page``)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Collection, Sequence
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag
from w3lib.encoding import html_to_unicode

from crawler.dates import find_dates, parse_iso_prefix
from crawler.navigation import (
    DATA_ATTRIBUTES,
    EVENT_ATTRIBUTES,
    element_targets,
    form_target,
    is_button,
    option_targets,
    script_targets,
    submission,
)
from models.artifact import Link, PageArtifact
from models.text import ACTION_WORDS, NEWS_SECTION, PLACE_WORDS

MAX_TEXT = 200_000
# Raise it when what extract_page returns changes: stored pages read by an older version are read again from their
# bodies before they are audited (crawler/refresh.py), so what the extractor learns reaches pages that never change.
EXTRACTOR_VERSION = 17
MAX_DATES = 200
MAX_TABLE_YEARS = 30
_WS = re.compile(r"\s+")
# an iframe's own content is never shown; a selector's choices are controls, not content (its URLs are links)
_INVISIBLE = ("script", "style", "noscript", "template", "iframe", "select")
_MENU_ATTR = re.compile(r"(menu|(^|[\s_-])nav)", re.IGNORECASE)
_DATE_METAS = {
    "article:modified_time",
    "article:published_time",
    "date",
    "dc.date",
    "dcterms.modified",
    "dcterms.created",
    "last-modified",
    "og:updated_time",
}
_SEARCH_NAMES = {"q", "s", "buscar", "search", "query", "keywords", "busqueda", "búsqueda"}


def _clean(value: str | Sequence[str] | None) -> str:
    if value is not None and not isinstance(value, str):  # a multi-valued attribute (class, rel)
        value = " ".join(value)
    return _WS.sub(" ", value or "").strip()


def _fold(value: str) -> str:
    """Lower case without accents, for matching Spanish phrases."""
    decomposed = unicodedata.normalize("NFKD", value.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _sniff_encoding(body: bytes) -> str:
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def decode_html(body: bytes, content_type: str = "") -> str:
    """Unicode text of an HTML body.

    Order: BOM, charset in the Content-Type header, ``<meta charset>``/``http-equiv``, then
    strict UTF-8 with a Windows-1252 fallback (w3lib maps latin-1 to cp1252). When the
    declared charset is UTF-8 but the bytes are mostly not (a latin-1 page mislabelled as
    UTF-8, common on older municipal sites), the page is read as Windows-1252 instead.
    """
    encoding, text = html_to_unicode(content_type or None, body, auto_detect_fun=_sniff_encoding)
    if encoding.replace("-", "").lower() in {"utf8"} and "\ufffd" in text:
        bad = text.count("\ufffd")
        good = sum(1 for c in text if ord(c) > 127 and c != "\ufffd")
        if bad > good:
            text = body.decode("cp1252", errors="replace")
    return text


def _tags(root: Tag, names: Collection[str] | None = None) -> list[Tag]:
    """The elements under ``root`` in document order, all or those named: ``find_all`` without bs4's generic
    matcher, which took half of a page's extraction time."""
    return [node for node in root.descendants if isinstance(node, Tag) and (names is None or node.name in names)]


def _first(root: Tag, test: Callable[[Tag], bool]) -> Tag | None:
    return next((node for node in root.descendants if isinstance(node, Tag) and test(node)), None)


def _ancestor(tag: Tag, names: Collection[str]) -> Tag | None:
    return next((parent for parent in tag.parents if parent.name in names), None)


def _attr_text(tag: Tag) -> str:
    return " ".join([str(tag.get("id") or "")] + list(tag.get("class") or []))


def _link_context(tag: Tag) -> str:
    """ "footer" if any ancestor is footer-like, else "nav" if any is menu-like, else "body".

    A page header holds the menu, but a `<main>` or `<article>` inside one is content: an unclosed `<div>` in a
    header makes the parser put the whole page in it."""
    nav = in_content = False
    for parent in tag.parents:
        name = parent.name
        if name in (None, "[document]", "html", "body"):
            continue
        role = str(parent.get("role") or "").lower()
        attrs = _attr_text(parent).lower()
        if name == "footer" or role == "contentinfo" or "footer" in attrs:
            return "footer"
        if name in ("main", "article") or role == "main":
            in_content = True
        elif name == "nav" or role in ("navigation", "menu", "menubar"):
            nav = True
        elif name == "header" and not in_content and not _ancestor(parent, ("article", "main", "section")):
            nav = True
        elif name in ("ul", "ol", "div") and _MENU_ATTR.search(attrs):
            nav = True
    return "nav" if nav else "body"


def _anchor_text(tag: Tag) -> str:
    text = _clean(tag.get_text(" "))
    if text:
        return text
    for img in _tags(tag, ("img",)):
        if _clean(img.get("alt")):
            return _clean(img.get("alt"))
    return _clean(tag.get("alt")) or _clean(tag.get("aria-label")) or _clean(tag.get("title"))


def _names_nothing(text: str) -> bool:
    words = re.findall(r"\w+", _fold(text))
    return 0 < len(words) <= 4 and all(word in ACTION_WORDS for word in words)


def _names_a_place(text: str) -> bool:
    """«IPOMEX», «IPOMEX 4.0», «Ver en Google Drive»: where the document is kept, and nothing of what it is."""
    words = [word for word in re.findall(r"\w+", _fold(text)) if word not in ACTION_WORDS and not word.isdigit()]
    return bool(words) and all(word in PLACE_WORDS for word in words)


def _terse(text: str) -> bool:
    """A button's words («Ver convocatoria», «IPOMEX 4.0», «Ir al buzón»), not a title of what the link leads to."""
    return len(re.findall(r"\w+", text)) <= TERSE_WORDS


def _in_context(tag: Tag, text: str, context: str) -> tuple[str, str]:
    """(name, text_from) of a link outside a table: a terse one in the page's content (not its menus) is named with its
    card's heading (`_card_heading`)."""
    heading = _card_heading(tag) if context == "body" and (not text or _terse(text)) else ""
    if not heading or _fold(heading) == _fold(text):
        return text, ""
    return (heading if not text or _names_nothing(text) else f"{heading} · {text}"), "item"


def _card_heading(tag: Tag) -> str:
    """What names a terse link to a reader (WCAG 2.4.4, link purpose in context): the heading of the card it is the
    only link of («Cabildo Abierto 2026» over «Ver convocatoria»), or the title of the accordion panel it is in. A
    container with other links (a menu, a list of documents) or more than a card's words names none of them."""
    for parent in tag.parents:
        if parent.name in _CARD_ENDS:
            return ""
        if parent.name not in _CARDS:
            continue
        targets: set[str] = set()
        words, before, after, seen = 0, None, None, False
        for node in parent.descendants:  # stops at a second link or a card's words: a page's container costs little
            seen = seen or node is tag
            if isinstance(node, Tag):
                if node.name in _HEADINGS or _accordion_title(node):
                    if not seen:
                        before = node
                    elif after is None:
                        after = node
                elif node.name in ("a", "area", "button") and not _accordion_title(node):
                    targets.add(str(node.get("href") or id(node)))
            else:
                words += len(str(node).split())
            if len(targets) > 1 or words > CARD_MAX_WORDS:
                return ""
        heading = before or after  # the last heading over the link («b) Organigrama», not the card's «a) …»)
        if heading is None and (title := parent.find_previous_sibling()) is not None and _accordion_title(title):
            heading = title  # an accordion's panel, named by the title that opens it
        if heading is not None:
            return _clean(heading.get_text(" "))
    return ""


def _row_text(tag: Tag, element_with_id: Callable[[str], Tag | None]) -> str:
    """For a link without a name of its own in a table cell (a download icon, «Ver PDF»): what names it to a reader,
    its table's label (the region that `aria-labelledby` names, an accordion's title; the table's caption; else the
    heading before the table) and the other cells of its row («63 - IIb Organigrama · 2024 TERCER TRIMESTRE»); in a grid of
    icons, whose other cells hold links of their own, its own cell's caption."""
    cell = _ancestor(tag, ("td", "th"))
    row = _ancestor(cell, ("tr",)) if cell else None
    table = _ancestor(row, ("table",)) if row else None
    if cell is None or table is None or row is None:
        return ""
    own = _clean(cell.get_text(" "))
    if len(own.split()) > ROW_CELL_MAX_WORDS:  # a layout table's cell holding a page's content, not a record's cell
        return ""
    others = [c for c in _tags(row, ("td", "th")) if c is not cell and _clean(c.get_text(" "))]
    if own and not _names_nothing(own) and all(c.find(["a", "area"]) for c in others):
        # a grid of icons, each over its caption («Estructura Orgánica»): the row holds other links, not a record
        cells = own
    else:
        cells = " ".join(_clean(c.get_text(" ")) for c in others)
    label = ""
    caption = table.find("caption")
    for holder in table.parents:
        labelled = str(holder.get("aria-labelledby") or "").split() if isinstance(holder, Tag) else []
        if labelled and (named := element_with_id(labelled[0])) is not None:
            label = _clean(named.get_text(" "))
            break
    if not label and caption is not None:
        label = _clean(caption.get_text(" "))
    if not label and (heading := table.find_previous(["h1", "h2", "h3", "h4", "h5", "h6"])) is not None:
        label = _clean(heading.get_text(" "))
    return " · ".join(part for part in (label, _clean(cells)) if part)


TERSE_WORDS = 3
SHORT_TEXT = 40  # characters: longer than any text that names nothing or only a place («Ver en Google Drive»)
CARD_MAX_WORDS = 40  # a heading, a line and a button; more is a section of the page, named by its own heading
_CARDS = ("div", "article", "section", "li")
_CARD_ENDS = ("td", "th", "table", "ul", "ol", "nav", "header", "footer", "main", "form", "body")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_LINK_TAGS = {"a", "area", "iframe", "frame", "embed", "object", "form", "select"}
_EMBEDDED = {"iframe": "src", "frame": "src", "embed": "src", "object": "data"}  # a viewer and what it shows
_NAV_ATTRS = {*EVENT_ATTRIBUTES, *DATA_ATTRIBUTES, "formaction"}
MAX_LINK_TEXT = 300  # an onclick on a table row or a card: its text, cut
ROW_CELL_MAX_WORDS = 25  # a record's cell holds a link and a caption at most; more is a layout table's content


def _is_candidate(tag: Tag) -> bool:
    if tag.name in _LINK_TAGS or not _NAV_ATTRS.isdisjoint(tag.attrs):
        return True
    # a button a script may send where its data attribute says (navigation.element_targets)
    return is_button(tag) and any(a.startswith("data-") for a in tag.attrs)


def _form_text(form: Tag) -> str:
    button = form.find(["button", "input"], attrs={"type": re.compile("^(submit|image)$", re.I)}) or form.find("button")
    if button is not None:
        return _clean(button.get_text(" ")) or _clean(button.get("value")) or _clean(button.get("alt"))
    return _clean(form.get("aria-label")) or _clean(form.get("title"))


def _links(soup: BeautifulSoup, base: str, only: Callable[[Tag], bool] | None = None) -> list[Link]:
    """Every link of the page in document order, each with how it was found (crawler/navigation.py)."""
    links: list[Link] = []
    seen: set[tuple[str, str]] = set()
    element_with_id = functools.cache(lambda name: _first(soup, lambda t: t.get("id") == name))

    def add(raw: str, text: str, via: str, context: str, text_from: str = "") -> None:
        raw = raw.strip()
        if not raw or raw.startswith("#") or raw.lower().startswith(("javascript:", "data:")):
            return
        try:
            href = urljoin(base, raw)
        except ValueError:
            return
        if (href, text) not in seen:
            seen.add((href, text))
            links.append(Link(href=href, text=text[:MAX_LINK_TEXT], context=context, via=via, text_from=text_from))

    for tag in filter(_is_candidate, _tags(soup)):
        if only and not only(tag):
            continue
        name = tag.name
        if name in _EMBEDDED:
            add(str(tag.get(_EMBEDDED[name]) or ""), _clean(tag.get("title")) or _clean(tag.get("name")), name, "body")
            continue
        context = _link_context(tag)
        if name in ("a", "area"):
            text = _anchor_text(tag)
            short = len(text) <= SHORT_TEXT  # a cheap test first: most links are named by their own words
            place = bool(text) and short and _names_a_place(text)
            names_nothing = not text or (short and _names_nothing(text))
            row_text = _row_text(tag, element_with_id) if place or names_nothing else ""
            if row_text and place:  # cut the row's words, not the link's own
                row_text = f"{row_text[: MAX_LINK_TEXT - len(text) - 3]} · {text}"
            named, text_from = (row_text, "row") if row_text else _in_context(tag, text, context)
            add(str(tag.get("href") or ""), named, name, context, text_from)
        elif name == "form" and (target := form_target(tag, base)):
            add(target, _form_text(tag), "form", context)
        elif name == "select":
            for raw, text in option_targets(tag):
                add(raw, text, "option", context)
        for raw, via in element_targets(tag):
            named, text_from = _in_context(tag, _anchor_text(tag), context)
            add(raw, named, via, context, text_from)
    if only is None:
        for raw, text in script_targets(soup, base):
            add(raw, text, "script", "body")
    return links


SEARCH_QUERY = "transparencia"  # what the crawler's search probe asks (a word every municipal site has)


def _search_form(soup: BeautifulSoup, base: str) -> tuple[bool, str | None]:
    """Whether the page has a search box that can submit (a search form or landmark, a search field inside a form, a
    hosted search widget; a lone field outside any form, a theme's decorative box, searches nothing), and the address
    a GET submission of its form asks, with SEARCH_QUERY: the crawler fetches it to see whether it searches."""
    for form in _tags(soup, ("form",)):
        if _declares_search(form) and not _inert(form, soup):
            return True, _submission(form, base)
    # an author-declared search landmark (often a script widget), unless what it holds is a decorative form
    for landmark in (node for node in soup.descendants if isinstance(node, Tag) and node.get("role") == "search"):
        forms = [landmark] if landmark.name == "form" else _tags(landmark, ("form",))
        if not (forms and all(_inert(form, soup) for form in forms)):
            return True, None
    for field in _tags(soup, ("input",)):
        owner = _ancestor(field, ("form",))
        if _is_search_field(field) and (owner or field.get("form")) and not (owner and _inert(owner, soup)):
            return True, _submission(owner, base, field) if owner else None
    return bool(_first(soup, lambda t: t.name == "gcse:search" or "gcse-search" in (t.get("class") or ()))), None


def _declares_search(form: Tag) -> bool:
    """A form that says it searches: its role, or its action («/buscar», «?search»)."""
    action = str(form.get("action") or "").lower()
    return str(form.get("role") or "").lower() == "search" or any(w in action for w in ("search", "buscar", "busqueda"))


# The file names of common user-interface libraries: none of them searches a site.
_LIBRARY = re.compile(
    r"^(?:jquery|bootstrap|popper|slick|owl\.carousel|swiper|aos|font-?awesome|all|lightbox|fancybox|modernizr"
    r"|gtag|analytics|recaptcha|wow|isotope|masonry|lazysizes|lodash|moment)"
    r"(?:[-.]v?\d[\w.]*?)?(?:[-.](?:bundle|slim|pack))?(?:\.min)?\.js(?:\?.*)?$",
    re.IGNORECASE,
)
_CANCEL_ONLY = re.compile(r"^(?:\s*(?:return\s+false|(?:event|e)\.preventDefault\(\))\s*;?)+\s*$", re.IGNORECASE)


def _inert(form: Tag, soup: BeautifulSoup) -> bool:
    """A theme's decorative box: sending is cancelled without calling anything, no field has a handler of its own, and
    no script of the page's could read what was typed (none names the box, and the others are common libraries)."""
    if not _CANCEL_ONLY.match(str(form.get("onsubmit") or "x")):
        return False
    fields = _tags(form, ("input", "select", "textarea"))
    if any(a.startswith("on") for f in fields for a in f.attrs):
        return False
    hooks = {str(t.get(a)) for t in (form, *fields) for a in ("id", "name") if t.get(a)}
    hooks |= {c for t in (form, *fields) for c in t.get("class") or ()}
    for script in _tags(soup, ("script",)):
        src = str(script.get("src") or "")
        if (src and not _LIBRARY.search(src.rsplit("/", 1)[-1])) or any(h in script.get_text() for h in hooks):
            return False
    return True


def _is_search_field(field: Tag) -> bool:
    return str(field.get("type") or "").lower() == "search" or str(field.get("name") or "").lower() in _SEARCH_NAMES


_NOT_FILLED = {"hidden", "submit", "button", "image", "reset", "checkbox", "radio"}


def _service_forms(soup: BeautifulSoup) -> tuple[int, int]:
    """Forms a person fills in and sends (a payment's reference, an appointment's data), not a search box: fields to
    type or choose in, whatever they send. A cookie banner's checkboxes are not one. Second, how many of them only send
    a message or subscribe an address (a name, an e-mail, a phone, a subject, a text)."""
    count = messages = 0
    for form in _tags(soup, ("form",)):
        fields = [f for f in _tags(form, ("input",)) if str(f.get("type") or "text").lower() not in _NOT_FILLED]
        if _declares_search(form) or any(_is_search_field(f) for f in fields):
            continue
        fields += _tags(form, ("select", "textarea"))
        if fields:
            count += 1
            messages += all(_message_field(f) for f in fields)
    return count, messages


# What a message or subscription form asks («your-name», «correo», «Teléfono», «Asunto», «Mensaje»…)
_MESSAGE_FIELD = re.compile(
    r"\b(?:nombre|name|apellidos?|correo|e ?mail|mail|telefono|tel|phone|celular|movil|whatsapp|asunto|subject"
    r"|mensaje|message|comentarios?|comments?|contacto|contact)\b"
)


def _message_field(field: Tag) -> bool:
    if field.name == "select":
        return False
    if field.name == "input" and str(field.get("type") or "").lower() in ("email", "tel"):
        return True
    said = " ".join(str(field.get(key) or "") for key in ("name", "id", "placeholder", "aria-label"))
    return bool(_MESSAGE_FIELD.search(re.sub(r"[-_\[\]]+", " ", _fold(said))))


def _submission(form: Tag, base: str, field: Tag | None = None) -> str | None:
    """The address a browser asks when the GET form is sent with SEARCH_QUERY in its search field (None: a POST form, or
    no named text field)."""
    if str(form.get("method") or "get").lower() != "get":
        return None
    named = [f for f in _tags(form, ("input",)) if f.get("name")]
    query = field or next((f for f in named if str(f.get("type") or "text").lower() in ("search", "text")), None)
    if query is None or not query.get("name"):
        return None
    return submission(form, base, [(str(query["name"]), SEARCH_QUERY)])


# --- accessibility and integrity facts ---------------------------------------
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:px)?\s*(?:;|$)"
    r"|(?:left|top|text-indent)\s*:\s*-\d{3,}(?:px|em)",
    re.IGNORECASE,
)
_SCRIPT_URL = re.compile(r"(?:https?:)?//([a-z0-9.-]+\.[a-z]{2,})(?=[/:'\"?])", re.IGNORECASE)
_LABEL_EXEMPT = {"hidden", "submit", "button", "image", "reset"}
# A string literal of an inline script ('…', "…" or `…`, with escapes) and the markup that makes it a fragment of
# the page: text a script inserts (a pop-up, a notice), not code, a selector or a URL.
_JS_STRING = re.compile(r"""'((?:[^'\\\n]|\\.){40,})'|"((?:[^"\\\n]|\\.){40,})"|`((?:[^`\\]|\\.){40,})`""")
_MARKUP = re.compile(r"<(?:p|div|li|br|strong|b|em|span|h[1-6]|td|a)\b[^<>]*>", re.IGNORECASE)
_JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)")
_JS_CONTROL = {"n": " ", "r": " ", "t": " "}
MIN_SCRIPT_TEXT = 80  # characters of text in one string: a notice, not a button label or a spinner
MAX_SCRIPT_TEXT = 20_000


def _hidden(tag: Tag) -> bool:
    """Hidden by its own or an ancestor's inline style or ``hidden`` attribute."""
    for node in (tag, *tag.parents):
        if node.name in (None, "[document]"):
            break
        if node.has_attr("hidden") or _HIDDEN_STYLE.search(str(node.get("style") or "")):
            return True
    return False


def _is_beacon(img: Tag) -> bool:
    """A tracking pixel: a 1x1 image or an image inside <noscript>."""
    return bool(_ancestor(img, ("noscript",))) or {str(img.get("width")), str(img.get("height"))} <= {"0", "1"}


# A theme's stand-in for an image nobody uploaded («placeholder.png», «Imagen no disponible»): not an image of the page
_PLACEHOLDER_IMAGE = re.compile(
    r"placeholder|no[ _-]?image|no[ _-]?disponible|sin[ _-]?imagen|image[ _-]?not[ _-]?found|default[ _-]?image"
    r"|imagen[ _-]?por[ _-]?defecto|coming[ _-]?soon|proximamente|en[ _-]?construccion|under[ _-]?construction"
)


def _is_placeholder_image(img: Tag) -> bool:
    # a lazy-loading script shows its own placeholder until it swaps in the image named in a data attribute
    source = next((str(img[key]) for key in ("data-src", "data-lazy-src", "data-original", "src") if img.get(key)), "")
    said = f"{urlsplit(source).path.rsplit('/', 1)[-1]} {img.get('alt') or ''}"
    return bool(_PLACEHOLDER_IMAGE.search(_fold(said)))


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def _script_text(soup: BeautifulSoup) -> str:
    """The text of the HTML fragments that inline scripts write in their strings, to insert them at run time
    (a privacy notice a notification library pops up): strings with paragraph or list markup and at least
    `MIN_SCRIPT_TEXT` characters of text. Code, selectors and short labels are left out."""
    texts: list[str] = []
    for script in _tags(soup, ("script",)):
        if script.get("src") or str(script.get("type") or "text/javascript").lower() not in _JS_TYPES:
            continue
        for match in _JS_STRING.finditer(script.string or ""):
            literal = next(group for group in match.groups() if group is not None)
            if len(_MARKUP.findall(literal)) < 2:
                continue
            fragment = BeautifulSoup(_JS_ESCAPE.sub(_unescape, literal), "lxml")
            for tag in _tags(fragment, _INVISIBLE):
                tag.decompose()
            text = _clean(fragment.get_text(" "))
            if len(text) >= MIN_SCRIPT_TEXT:
                texts.append(text)
    return " ".join(texts)[:MAX_SCRIPT_TEXT]


def _closed_popup(tag: Tag) -> bool:
    """A pop-up the page does not show until a button or a script opens it: a closed <dialog>, a Bootstrap-style
    modal, or a dialog hidden from view."""
    if tag.name == "dialog":
        return not tag.has_attr("open")
    classes: list[str] = list(tag.get("class") or [])
    if "modal" in classes:
        return True
    return str(tag.get("role") or "") in ("dialog", "alertdialog") and (
        str(tag.get("aria-hidden") or "") == "true" or _hidden(tag)
    )


def _popup_text(soup: BeautifulSoup) -> str:
    """The text of the page's closed pop-ups (read before the invisible tags go): shown only when a visitor opens one."""
    popups = [tag for tag in _tags(soup) if _closed_popup(tag)]
    outer = [tag for tag in popups if not any(other in tag.parents for other in popups)]
    return _clean(
        " ".join(text for tag in outer for text in tag.strings if not any(up.name in _INVISIBLE for up in text.parents))
    )


_MAYBE_NOWHERE = re.compile(r"""href\s*=\s*["']?\s*(#|javascript:|["'])""")
_NOWHERE = re.compile(r"^(#!?|javascript:(void\(0\);?|;)?)?$", re.IGNORECASE)
MAX_DEAD_LINKS = 100
_TOGGLE_ATTRS = {"aria-controls", "aria-expanded", "aria-haspopup", "role"}


def _dead_links(soup: BeautifulSoup) -> list[str]:
    """The texts of the content's links that lead nowhere (href "#", "javascript:void(0)"): an entry whose document
    was never linked. A menu's toggle, a link a script follows (onclick, data-*, aria-controls) or an <a> with no href
    (a theme's styled text) is not one."""
    dead = []
    for anchor in _tags(soup, ("a",)):
        if (
            not anchor.has_attr("href")
            or not _NOWHERE.match(str(anchor["href"]).strip())
            or any(name in _NAV_ATTRS or name.startswith("data-") or name in _TOGGLE_ATTRS for name in anchor.attrs)
        ):
            continue
        if (text := _clean(anchor.get_text(" "))) and _link_context(anchor) == "body":
            dead.append(text[:MAX_LINK_TEXT])
    return dead[:MAX_DEAD_LINKS]


# An accordion's title: a button (or link) of the content that opens the panel after it («Presupuesto participativo 2026»)
_TOGGLE = re.compile(r"acorde[oó]n|accordion|collaps|desplegable|plegable", re.IGNORECASE)
_MAX_TOGGLE_TEXT = 120


def _heading_tags(soup: BeautifulSoup, names: tuple[str, ...]) -> list[Tag]:
    """The page's headings of `names`, and the titles of its accordions (a heading of what they open), in order."""
    return [
        tag for tag in _tags(soup, (*names, "button", "a", "div", "li")) if tag.name in names or _accordion_title(tag)
    ]


def _heading_levels(tags: list[Tag]) -> list[int]:
    """Each heading's level; an accordion's title is one below the last heading outside the accordions' panels."""
    panels = {id(tag.find_next_sibling()) for tag in tags if tag.name not in _HEADINGS}
    levels, outside = [], 1
    for tag in tags:
        if tag.name not in _HEADINGS:
            levels.append(min(outside + 1, 6))
            continue
        levels.append(int(tag.name[1]))
        if not any(id(parent) in panels for parent in tag.parents):
            outside = levels[-1]
    return levels


def _accordion_title(tag: Tag) -> bool:
    """A button or link of the page's content, not inside a heading, that toggles the panel right after it: it says
    so (aria-expanded, an accordion's class) and the panel is hidden or an accordion's; or a tab followed by its own
    panel (role «tab», then «tabpanel»: a tab set that shows each title over its content)."""
    if tag.get("role") == "tab":
        panel = tag.find_next_sibling()
        if panel is None or panel.get("role") != "tabpanel":
            return False
    elif tag.name not in ("button", "a") or not (tag.has_attr("aria-expanded") or _TOGGLE.search(_attr_text(tag))):
        return False
    text = _clean(tag.get_text(" "))
    if not text or len(text) > _MAX_TOGGLE_TEXT or _ancestor(tag, _HEADINGS) or _link_context(tag) != "body":
        return False
    panel = tag.find_next_sibling()
    return panel is not None and (
        panel.has_attr("hidden") or panel.get("role") == "tabpanel" or bool(_TOGGLE.search(_attr_text(panel)))
    )


def _empty_table_text(soup: BeautifulSoup) -> str:
    """The headers of tables with no record under them (a data table its script fills, or nothing to list)."""
    empty = [
        table
        for table in _tags(soup, ("table",))
        if _first(table, lambda t: t.name == "th") is not None
        and not any(cell.get_text(strip=True) for cell in _tags(table, ("td",)))
    ]
    return _clean(" ".join(table.get_text(" ") for table in empty))


_YEAR_COLUMN = re.compile(r"(ejercicio( fiscal)?|ano|anio|periodo)( que se informa)?")
_YEAR_CELL = re.compile(r"(20\d\d)")


def _table_years(soup: BeautifulSoup) -> list[int]:
    """The years in the cells of tables' «Ejercicio» (or «Año», «Periodo») column: the periods a table of records
    says it reports, whatever date the page carries."""
    years: set[int] = set()
    for table in _tags(soup, ("table",)):
        rows = _tags(table, ("tr",))
        if not rows:
            continue
        header = [_fold(_clean(cell.get_text(" "))) for cell in _tags(rows[0], ("th", "td"))]
        column = next((i for i, text in enumerate(header) if _YEAR_COLUMN.fullmatch(text)), None)
        if column is None:
            continue
        for row in rows[1:]:
            cells = _tags(row, ("td", "th"))
            if column < len(cells) and (match := _YEAR_CELL.fullmatch(_clean(cells[column].get_text(" ")))):
                years.add(int(match.group(1)))
    return sorted(years)[-MAX_TABLE_YEARS:]


def _unescape(match: re.Match[str]) -> str:
    escaped = match.group(1)
    if len(escaped) > 1:  # \uXXXX, \xXX
        return chr(int(escaped[1:], 16))
    return _JS_CONTROL.get(escaped, escaped)


_JS_TYPES = {"text/javascript", "application/javascript", "module", "", "text/ecmascript"}


def _script_hosts(soup: BeautifulSoup, base: str) -> list[str]:
    """Third-party hosts the page loads code or beacons from (scripts, iframes, 1x1 images)."""
    own, found = _host(base), set()
    for tag in _tags(soup, ("script", "iframe", "img")):
        src = str(tag.get("src") or "").strip()
        if tag.name == "img" and not _is_beacon(tag):
            continue
        if src:
            try:
                found.add(_host(urljoin(base, src)))
            except ValueError:
                pass
        if tag.name == "script" and not src:
            found.update(h.lower().removeprefix("www.") for h in _SCRIPT_URL.findall(tag.string or ""))
    return sorted(h for h in found if h and h != own and not h.endswith("." + own))


def _unlabelled_inputs(soup: BeautifulSoup) -> tuple[int, int]:
    """(fields a person fills in, those without an accessible name)."""
    labelled = {str(label.get("for")) for label in _tags(soup, ("label",)) if label.get("for")}
    fields = [
        f
        for f in _tags(soup, ("input", "select", "textarea"))
        if str(f.get("type") or "text").lower() not in _LABEL_EXEMPT
    ]
    missing = [
        f
        for f in fields
        if not (
            str(f.get("id") or "") in labelled
            or _ancestor(f, ("label",))
            or _clean(f.get("aria-label"))
            or f.get("aria-labelledby")
            or _clean(f.get("title"))
        )
    ]
    return len(fields), len(missing)


# A script that could send what a visitor typed: a request, a form submission, a mail service's client.
_SENDS = re.compile(
    r"\bfetch\s*\(|XMLHttpRequest|\.ajax\s*\(|\$\.(?:post|get)\s*\(|\baxios\b|sendBeacon|\.submit\s*\("
    r"|\bemailjs\b|WebSocket|\blocation(?:\.href)?\s*=|window\.open\s*\(|\bgrecaptcha\b",
    re.IGNORECASE,
)


def _fields_unsent(soup: BeautifulSoup) -> bool:
    """A text field whose content no form sends — none holds it, or it has no name (a form sends only named fields) —
    on a page whose scripts cannot send it: all inline, none making a request (a «buzón» whose button only shows
    «¡enviado!»). A script loaded from a file could: then it is not said."""
    orphans = [
        f
        for f in _tags(soup, ("input", "textarea"))
        if str(f.get("type") or "text").lower() in ("text", "search", "email", "tel") or f.name == "textarea"
        if (not _ancestor(f, ("form",)) and not f.get("form")) or not f.get("name")
    ]
    if not orphans:
        return False
    scripts = [s for s in _tags(soup, ("script",)) if str(s.get("type") or "text/javascript").lower() in _JS_TYPES]
    return not any(s.get("src") or _SENDS.search(s.get_text()) for s in scripts)


# --- soft 404 ---------------------------------------------------------------
# A 200 page is a soft 404 when its <title> or one of its h1/h2 (short strings, at most
# 120 characters) says the page does not exist, and the visible text is short (under
# 15,000 characters: a 404 template with full menus still qualifies, a long article
# does not). Text in the body alone never counts, so an article that mentions
# "error 404" is not a soft 404. Phrases are matched lower case without accents.
_NOT_FOUND = re.compile(
    r"(pagina|articulo|contenido|recurso|categoria)\s+(solicitad[oa]\s+)?no\s+(esta\s+)?(encontrad[oa]|existe|disponible"
    r"|se\s+encuentra|fue\s+encontrad[oa])"
    r"|no\s+se\s+(encontro|pudo\s+encontrar|ha\s+encontrado|encuentra|puede\s+encontrar)\s+((la|esa|esta)\s+)?pagina"
    r"|pagina\s+no\s+se\s+(encontro|pudo\s+encontrar)|esta\s+pagina\s+(ya\s+)?no\s+existe"
    r"|parece\s+que\s+no\s+(hay|se\s+(ha\s+)?encontr\w*)\s+nada\s+(aqui|en\s+esta\s+(ubicacion|direccion))"
    r"|la\s+pagina\s+(que\s+)?(busca|buscas|solicitada|solicito|solicitaste|que\s+intenta"
    r"|esta\s+buscando|estas\s+buscando).{0,40}no\s+(existe|esta\s+disponible|se\s+encuentra"
    r"|fue\s+encontrada|se\s+encontro)"
    r"|lo\s+sentimos.{0,40}pagina.{0,60}no\s+(existe|esta|se\s+encuentra|fue|se\s+encontro)"
    r"|no\s+(encontramos|pudimos\s+encontrar|hemos\s+encontrado)\s+(lo\s+que\s+(buscas|busca|buscabas|estas\s+buscando"
    r"|esta\s+buscando)|la\s+pagina|esta\s+pagina|el\s+contenido|el\s+documento)"
    r"|(documento|archivo|enlace|url|direccion)\s+(solicitad[oa]\s+|que\s+(buscas|busca|seguiste|siguio)\s+)?no\s+(existe|se\s+encontro"
    r"|fue\s+encontrad[oa]|se\s+encuentra)"
    r"|(pagina|documento|contenido).{0,30}(ha\s+sido|pudo\s+haber\s+sido|fue)\s+(eliminad[oa]|movid[oa]|retirad[oa])"
    r"|^\W*(error\s*)?404\b|404\s+not\s+found|page\s+not\s+found"
    r"|page\s+(can.?t|cannot|could\s+not)\s+be\s+found"
)
# a whole title segment ("Sitio | Error 404", "Not Found - Sitio") that is only the error
_SEGMENT = re.compile(r"^\W*((error\s*)?404|not\s+found|error\s+404\s+not\s+found)\W*$")
_SEPARATORS = re.compile(r"\s[|\-\u2013\u2014:\u00b7]\s|\|")


def says_not_found(value: str) -> bool:
    folded = _fold(value)
    if _NOT_FOUND.search(folded):
        return True
    return any(_SEGMENT.match(seg) for seg in _SEPARATORS.split(folded))


_SHORT_PAGE = 400
_ERROR_HEADING = re.compile(r"^\W*(error|ups|oops|vaya|lo\s+sentimos|enlace\s+roto)\W*$")

# Contact details written as text: "Tel. (722) 275 1234", "Teléfono: 01 800 696 9696", "contacto@x.gob.mx".
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(
    r"(?:tel(?:[eé]fono)?s?\.?|conmutador|whatsapp|llam[ae])\s*:?\s*([+(]?\d[\d\s().-]{5,20}\d)", re.IGNORECASE
)
# Without a label, only the shape of a Mexican ten-digit number: "(241) 412 3456", "449 965-00-88", "55 1234 5678".
_BARE_PHONE = re.compile(r"(?<![\w$.,/-])(\(?\d{2,3}\)?[ .-]\d{3,4}[ .-]\d{2}[ .-]?\d{2})(?![\w,/-]|\.\d)")


def _phones(text: str) -> list[str]:
    found = []
    for match in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group(1))
        if 7 <= len(digits) <= 13:
            found.append(match.group(1).strip())
    found += [m.group(1) for m in _BARE_PHONE.finditer(text) if len(re.sub(r"\D", "", m.group(1))) == 10]
    return sorted(set(found))[:20]


def _is_soft_404(title: str, soup: BeautifulSoup, text: str) -> bool:
    if len(text) >= 15_000:
        return False
    headings = [_clean(h.get_text(" ")) for h in _tags(soup, ("h1", "h2"))]
    if any(len(c) <= 120 and says_not_found(c) for c in [title, *headings] if c):
        return True
    # Hand-made error pages often have no heading at all, or only «Error» or «¡Ups!»: then the whole (short) page must
    # say it.
    generic = all(_ERROR_HEADING.match(_fold(h)) for h in headings if h)
    return generic and len(text) <= _SHORT_PAGE and bool(_NOT_FOUND.search(_fold(text)))


# --- walls ------------------------------------------------------------------
# A wall dominates the page: little visible text, few links to follow, and (for CAPTCHAs)
# no real form around the widget. A contact form with a reCAPTCHA is not a wall.
_CHALLENGE = ("/cdn-cgi/challenge-platform", "_cf_chl_opt", "cf-browser-verification")
_CHALLENGE_PHRASES = (
    "checking your browser",
    "just a moment...",
    "verificando tu navegador",
    "comprobando tu navegador",
    "un momento...",
)
_CAPTCHA = (
    "g-recaptcha",
    "recaptcha/api.js",
    "grecaptcha",
    "hcaptcha.com",
    "h-captcha",
    "challenges.cloudflare.com/turnstile",
    "cf-turnstile",
    "captcha",
)
_CAPTCHA_PHRASES = (
    "no eres un robot",
    "no soy un robot",
    "verify you are human",
    "are you a robot",
    "not a robot",
    "eres humano",
    "verifica que eres",
)
_WAF_RAW = ("_incapsula_resource", "sucuri.net/privacy-policy")
_WAF_PHRASES = (
    "access denied",
    "acceso denegado",
    "request blocked",
    "request rejected",
    "requested url was rejected",
    "sucuri website firewall",
    "incapsula incident",
    "request unsuccessful",
    "attention required! | cloudflare",
    "you have been blocked",
    "modsecurity",
    "mod_security",
    "web application firewall",
    "403 forbidden",
    "your access to this site has been limited",
    "the request could not be satisfied",
    "solicitud bloqueada",
    "acceso bloqueado",
    "access to this page has been denied",
)


def _blocked(raw: str, title: str, text: str, links: list[Link], fields: int) -> str | None:
    """ "captcha" or "waf" when the page is a wall, else None."""
    head = raw[:100_000].lower()
    page = _fold(f"{title} {text[:5000]}")
    web_links = sum(1 for link in links if link.href.startswith("http"))
    small = len(text) < 1500 and web_links < 8
    if len(text) < 3000 and (any(m in head for m in _CHALLENGE) or any(p in page for p in _CHALLENGE_PHRASES)):
        return "captcha"
    if small and (any(p in page for p in _WAF_PHRASES) or ("cloudflare" in page and "ray id" in page)):
        return "waf"
    if small and fields == 0 and any(m in head for m in _WAF_RAW):
        return "waf"
    if small and fields < 2 and (any(m in head for m in _CAPTCHA) or any(p in page for p in _CAPTCHA_PHRASES)):
        return "captcha"
    return None


def _form_fields(soup: BeautifulSoup) -> int:
    """Visible fields a person fills in (textarea, text-like inputs, selects)."""
    skip = {"hidden", "submit", "button", "image", "reset", "checkbox", "radio"}
    inputs = [i for i in _tags(soup, ("input",)) if str(i.get("type") or "text").lower() not in skip]
    return len(inputs) + len(_tags(soup, ("textarea", "select")))


def _dates(soup: BeautifulSoup, title: str, headings: list[str], text: str) -> list[str]:
    found = set(find_dates(" \n ".join([title, *headings, text])))
    for tag in _tags(soup, ("time",)):
        value = parse_iso_prefix(str(tag.get("datetime") or ""))
        if value:
            found.add(value)
    for meta in _tags(soup, ("meta",)):
        key = str(meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _DATE_METAS or key in ("datemodified", "datepublished"):
            value = parse_iso_prefix(str(meta.get("content") or ""))
            if value:
                found.add(value)
    return [d.isoformat() for d in sorted(found)[:MAX_DATES]]


def _breadcrumbs(soup: BeautifulSoup) -> list[Tag]:
    """Breadcrumb trails («Inicio › Trámites en Línea › Agenda Regulatoria»): navigation, not the page's heading or
    text, even inside a heading a page forgot to close. Their links are links."""
    return [
        tag
        for tag in _tags(soup)
        if any(str(name).lower().startswith("breadcrumb") for name in tag.get("class") or [])
        or "breadcrumb" in str(tag.get("aria-label") or "").lower()
        or "breadcrumblist" in str(tag.get("itemtype") or "").lower()
    ]


_POST_TYPES = re.compile(r"\b(?:NewsArticle|BlogPosting|LiveBlogPosting|ReportageNewsArticle)\b")
_NEWS_SECTION = re.compile(rf"\b(?:{NEWS_SECTION})\b")


def _is_post(soup: BeautifulSoup, raw: str, trails: list[Tag]) -> bool:
    """A dated post (a news item, a blog entry), as its markup says: WordPress marks a post's <body> «single-post»,
    schema.org types it NewsArticle or BlogPosting (JSON-LD or microdata), and a breadcrumb trail leads to it through
    the news section («Inicio › Noticias › …»: one of the trail's links names it)."""
    body = _first(soup, lambda t: t.name == "body")
    if body is not None and "single-post" in (body.get("class") or []):
        return True
    if _POST_TYPES.search(raw) and (
        any(
            _POST_TYPES.search(script.string or "")
            for script in _tags(soup, ("script",))
            if "ld+json" in str(script.get("type"))
        )
        or any(_POST_TYPES.search(str(tag.get("itemtype") or "")) for tag in _tags(soup) if tag.has_attr("itemtype"))
    ):
        return True
    return any(_NEWS_SECTION.search(_fold(link.get_text(" "))) for trail in trails for link in _tags(trail, ("a",)))


# WordPress's body classes of the pages that list posts (its archives of the post type, the blog's index, a search)
_POST_LISTS = {"blog", "category", "tag", "date", "author", "search"}
POSTS_SHARE = 0.5  # of a page's words in its posts: a list of posts, not a page showing a few


def _lists_posts(soup: BeautifulSoup, marked: bool) -> bool:
    """A page of posts: WordPress's archives and blog index, as its body's classes say, or a page most of whose words
    are in two posts or more (`type-post` entries: pages and other post types are `type-page`, `type-…`; `marked`: the
    markup names one). A page with a grid of the latest news under its own content is not a list of them."""
    body = _first(soup, lambda t: t.name == "body")
    if body is not None and _POST_LISTS & set(body.get("class") or []):
        return True
    if not marked:
        return False
    posts = [tag for tag in _tags(soup, ("article", "div", "li")) if "type-post" in (tag.get("class") or [])]
    outer = [post for post in posts if not any(parent in posts for parent in post.parents)]
    in_posts = sum(len(post.get_text(" ").split()) for post in outer)
    return len(outer) >= 2 and in_posts >= POSTS_SHARE * len((body or soup).get_text(" ").split())


def _selector_labels(soup: BeautifulSoup) -> list[Tag]:
    """The <label>s of selectors («Año:», «Trimestre:» over a list of years): controls, like the choices they name."""
    selectors = {str(s.get("id")) for s in _tags(soup, ("select",)) if s.get("id")}
    return [
        label
        for label in _tags(soup, ("label",))
        if str(label.get("for") or "") in selectors or _first(label, lambda t: t.name == "select") is not None
    ]


def extract_page(body: bytes, url: str, content_type: str = "") -> PageArtifact:
    """Facts about one HTML page (``body`` as fetched, ``url`` its final address)."""
    raw = decode_html(body or b"", content_type)
    soup = BeautifulSoup(raw, "lxml")
    html = _first(soup, lambda t: t.name == "html")
    lang = (_clean(html.get("lang") or html.get("xml:lang")) or None) if html else None
    # the document title, not an inline SVG's <title>
    title_tag = next((t for t in _tags(soup, ("title",)) if not _ancestor(t, ("svg",))), None)
    title = _clean(title_tag.get_text(" ")) if title_tag else ""

    base = url
    base_tag = _first(soup, lambda t: t.name == "base" and t.has_attr("href"))
    if base_tag:
        try:
            base = urljoin(url, str(base_tag["href"]).strip())
        except ValueError:
            pass
    links = _links(soup, base)
    hidden_links = _links(soup, base, only=_hidden)
    script_hosts = _script_hosts(soup, base)
    images = [img for img in _tags(soup, ("img",)) if not _is_beacon(img) and not _is_placeholder_image(img)]
    inputs, inputs_without_label = _unlabelled_inputs(soup)
    fields_unsent = _fields_unsent(soup)
    heading_levels = _heading_levels(_heading_tags(soup, _HEADINGS))
    has_viewport = any(str(m.get("name") or "").lower() == "viewport" for m in _tags(soup, ("meta",)))
    has_search, search_url = _search_form(soup, base)
    has_form = _first(soup, lambda t: t.name == "form") is not None
    service_forms, message_forms = _service_forms(soup)
    fields = _form_fields(soup)
    script_text = _script_text(soup)
    popup_text = _popup_text(soup)[:MAX_SCRIPT_TEXT]

    lowered = raw.lower()  # walks of the tree only where the markup can hold what they look for
    empty_table_text = _empty_table_text(soup)[:MAX_SCRIPT_TEXT] if "<th" in lowered else ""
    table_years = _table_years(soup) if "<table" in lowered else []
    dead_links = _dead_links(soup) if _MAYBE_NOWHERE.search(lowered) else []
    trails = _breadcrumbs(soup) if "breadcrumb" in lowered else []
    controls = _selector_labels(soup) if "<select" in lowered else []
    is_post = _is_post(soup, raw, trails)
    lists_posts = _lists_posts(soup, "type-post" in lowered)
    for tag in [*trails, *controls, *_tags(soup, _INVISIBLE)]:
        if not tag.decomposed:  # a trail inside another
            tag.decompose()
    headings = [_clean(h.get_text(" ")) for h in _heading_tags(soup, _HEADINGS[:4])]
    headings = [h for h in headings if h]
    root = soup.body or soup
    if root is soup and title_tag:
        title_tag.decompose()  # no <body>: do not count the title as page text
    text = _clean(root.get_text(" "))[:MAX_TEXT]

    return PageArtifact(
        title=title,
        lang=lang,
        headings=headings,
        text=text,
        script_text=script_text,
        popup_text=popup_text,
        empty_table_text=empty_table_text,
        table_years=table_years,
        dead_links=dead_links,
        links=links,
        has_viewport=has_viewport,
        has_search_form=has_search,
        search_url=search_url,
        has_form=has_form,
        service_forms=service_forms,
        message_forms=message_forms,
        soft_404=_is_soft_404(title, soup, text),
        blocked=_blocked(raw, title, text, links, fields),
        dates=_dates(soup, title, headings, text),
        phones=_phones(text),
        emails=sorted(set(_EMAIL.findall(text)))[:20],
        script_hosts=script_hosts,
        images=len(images),
        images_without_alt=sum(1 for img in images if not img.has_attr("alt")),
        inputs=inputs,
        inputs_without_label=inputs_without_label,
        fields_unsent=fields_unsent,
        heading_levels=heading_levels,
        hidden_links=hidden_links,
        is_post=is_post,
        lists_posts=lists_posts,
        extractor=EXTRACTOR_VERSION,
    )
