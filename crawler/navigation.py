"""Navigation that is not a plain `<a href>`: targets read from the markup, each with how it was found (`Link.via`).

Municipal sites reach sections through script and markup of many kinds: `onclick="location.href='…'"` or
`window.open('…')` on any element, `href="javascript:…"`, `data-href`/`data-url`/`data-link` attributes, jump
menus (`<select>` whose `<option value>` is an address), `<form>`s without fields (GET) and buttons with
`formaction`, `<frame>`s, and menus written by inline scripts (HTML strings with `href`, or objects with a
`url`/`href`/`link` key). What cannot be read from the markup is left to Chromium (crawler/render.py), and links
found only in the rendered DOM get `via: "rendered"`. Pure functions over a parsed page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

DATA_ATTRIBUTES = ("data-href", "data-url", "data-link")
# What a viewer or a lightbox opens when a script shows it («<a href="#" data-doc="/docs/x.pdf">»): only an address
DOCUMENT_ATTRIBUTES = ("data-doc", "data-document", "data-file", "data-pdf", "data-lightbox")
EVENT_ATTRIBUTES = ("onclick", "onmousedown", "ondblclick", "onkeypress")
MAX_SCRIPT = 300_000  # characters of one inline script read for links
MAX_SCRIPT_LINKS = 100
_QUOTED = r"""\s*(['"])([^'"]{1,500}?)\1"""
# location = '…', location.href = '…', location.assign('…'), window.open('…'), document.location.href = '…'
_GOES = r"(?:location(?:\.href)?\s*=|location\.(?:assign|replace)\s*\(|(?<![\w.$])open\s*\(|window\.open\s*\()"
_NAVIGATES = re.compile(_GOES + _QUOTED)  # open( alone or window.open(, not xhr.open('GET', …)
_CALL_ARGUMENT = re.compile(r"\(" + _QUOTED)  # irA('/transparencia/'): an address passed to a site's function
_HTML_HREF = re.compile(
    r"""<a\b[^<>]*?\bhref\s*=\s*\\?(['"])([^'"\\]{1,500})\\?\1[^<>]*>\s*([^<]{0,120})""", re.IGNORECASE
)
_OBJECT = re.compile(r"\{[^{}]{1,600}\}")
_URL_KEY = re.compile(r"""['"]?\b(?:url|href|link|enlace|ruta)['"]?\s*:""" + _QUOTED, re.IGNORECASE)
_TEXT_KEY = re.compile(r"""['"]?\b(?:text|texto|title|titulo|label|nombre|name)['"]?\s*:""" + _QUOTED, re.IGNORECASE)
# a handler that navigates to the chosen option itself ("location = this.value", "window.open(sel.options[i].value)"),
# not to an address built around it ("location = '?lang=' + this.value") nor by submitting a filter form
_JUMP = re.compile(_GOES + r"\s*[\w.$\[\]()]+\.value\b")
_PAGE_EXTENSIONS = (".html", ".htm", ".php", ".asp", ".aspx", ".jsp", ".pdf", ".doc", ".docx", ".xls", ".xlsx")
_ASSET = re.compile(r"\.(js|mjs|css|png|jpe?g|gif|svg|ico|webp|woff2?|ttf|eot|json|map|mp4|mp3|webm)(\?|$)", re.I)
_NOT_PAGES = ("wp-json", "admin-ajax", "/api/", "xmlrpc", "${", "+", "{{")
_FIELDS = {"hidden", "submit", "button", "image", "reset"}  # inputs that are not a field a person fills in


def looks_like_address(value: str, loose: bool = False) -> bool:
    """An absolute http(s) URL, a path ("/x", "./x", "../x") or a page/document file name; `loose` accepts any
    single token (a jump menu whose handler navigates to the option's value)."""
    value = value.strip()
    if not value or value.startswith("#") or value.lower().startswith(("javascript:", "data:", "mailto:", "tel:")):
        return False
    if any(c.isspace() for c in value):
        return False
    if value.lower().startswith(("http://", "https://", "/", "./", "../")):
        return value not in ("/", "//")
    path = urlsplit(value).path.lower()
    return loose and not value.lstrip("-").isdigit() or path.endswith(_PAGE_EXTENSIONS)


def _navigations(script: str, handler: bool = True) -> Iterator[str]:
    """Addresses a piece of script navigates to. An event handler is short and about this element: any token it
    sends the browser to counts, and so does an address passed to a function; in a whole script only addresses."""
    for match in _NAVIGATES.finditer(script):
        if looks_like_address(match[2], loose=handler):
            yield match[2]
    if handler:
        for match in _CALL_ARGUMENT.finditer(script):
            if looks_like_address(match[2]) and not _ASSET.search(match[2]):
                yield match[2]


def is_button(tag: Tag) -> bool:
    """A button, or an element in a button's or a link's role: a script may send it where its attributes say."""
    return tag.name == "button" or tag.get("role") in ("button", "link")


def element_targets(tag: Tag) -> Iterator[tuple[str, str]]:
    """(raw address, via) of one element, besides its href/src."""
    attrs = tag.attrs
    for name in EVENT_ATTRIBUTES:
        if name in attrs:
            for raw in dict.fromkeys(_navigations(str(attrs[name]))):
                yield raw, "onclick"
    href = str(attrs.get("href") or "").strip()
    if href.lower().startswith("javascript:"):
        for raw in dict.fromkeys(_navigations(href[len("javascript:") :])):
            yield raw, "javascript"
    for name in DATA_ATTRIBUTES:
        value = str(attrs.get(name) or "").strip()
        if value and looks_like_address(value, loose=True):
            yield value, name
    if is_button(tag):
        # a button a script sends where its own data attribute says («data-destino», «data-target-url»): a whole
        # address, not a fragment, an asset or a toggle's target («#menu»)
        for attribute, given in attrs.items():
            value = str(given).strip()
            if attribute.startswith("data-") and attribute not in (*DATA_ATTRIBUTES, *DOCUMENT_ATTRIBUTES):
                if looks_like_address(value) and not _ASSET.search(value):
                    yield value, "data-href"
    for name in DOCUMENT_ATTRIBUTES:  # a lightbox's group name («galeria») is no address
        value = str(attrs.get(name) or "").strip()
        if value and looks_like_address(value):
            yield value, name
    if tag.name in ("button", "input") and attrs.get("formaction"):
        form = tag.find_parent("form")
        method = str(attrs.get("formmethod") or (form.get("method") if form else "") or "get").lower()
        if method == "get" and (form is None or not _fields(form)):
            yield str(attrs["formaction"]).strip(), "form"


def _fields(form: Tag) -> bool:
    inputs = [i for i in form.find_all("input") if str(i.get("type") or "text").lower() not in _FIELDS]
    return bool(inputs or form.find(["select", "textarea"]))


def form_target(form: Tag, base: str) -> str | None:
    """The address a GET form without fields submits to (its hidden values as the query), else None."""
    if str(form.get("method") or "get").lower() != "get" or _fields(form) or form.get("action") is None:
        return None
    if str(form.get("action")).strip().lower().startswith(("javascript:", "#", "mailto:")):
        return None
    return submission(form, base)


def submission(form: Tag, base: str, fields: Sequence[tuple[str, str]] = ()) -> str | None:
    """The address a browser asks when it sends `form` by GET: its action (the page itself when empty or "#"), with
    its hidden values and `fields` as the query. None for an action that is not a web address."""
    hidden = [
        (str(i.get("name")), str(i.get("value") or ""))
        for i in form.find_all("input")
        if str(i.get("type") or "").lower() == "hidden" and i.get("name")
    ]
    try:
        parts = urlsplit(urljoin(base, str(form.get("action") or "").strip() or base))
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode([*hidden, *fields]), ""))


def option_targets(select: Tag) -> Iterator[tuple[str, str]]:
    """(address, text) of a jump menu's options."""
    handler = " ".join(str(select.get(a) or "") for a in ("onchange", "data-onchange"))
    jumps = bool(_JUMP.search(handler))
    for option in select.find_all("option"):
        value = str(option.get("value") or "").strip()
        if looks_like_address(value, loose=jumps) and (jumps or value.lower().startswith(("http", "/"))):
            yield value, option.get_text(" ", strip=True)


def script_targets(soup: BeautifulSoup, base: str) -> Iterator[tuple[str, str]]:
    """(address, text) of links that inline scripts write: `<a href>` in strings, menu objects with a url key,
    navigations. Off-site addresses only from `<a href>` strings: other script URLs are mostly services."""
    own = (urlsplit(base).hostname or "").lower()
    found = 0
    for script in soup.find_all("script"):
        kind = str(script.get("type") or "").lower()
        if script.get("src") or (kind and "javascript" not in kind and kind != "module"):
            continue  # external code, JSON-LD, templates
        code = (script.string or "")[:MAX_SCRIPT]
        candidates = [(m[2], " ".join(m[3].split()), True) for m in _HTML_HREF.finditer(code)]
        for obj in _OBJECT.finditer(code):
            if url := _URL_KEY.search(obj[0]):
                label = _TEXT_KEY.search(obj[0])
                candidates.append((url[2], label[2] if label else "", False))
        candidates += [(raw, "", False) for raw in _navigations(code, handler=False)]
        for raw, text, markup in candidates:
            if not looks_like_address(raw, loose=markup) or _ASSET.search(raw) or any(s in raw for s in _NOT_PAGES):
                continue
            try:
                host = (urlsplit(urljoin(base, raw)).hostname or "").lower()
            except ValueError:
                continue
            if markup or host == own:
                yield raw, text
                found += 1
                if found >= MAX_SCRIPT_LINKS:
                    return
