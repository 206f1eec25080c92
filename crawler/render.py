"""Chromium rendering (scrapy-playwright) for the pages that need it, and only those.

`render_reason` decides from the plain HTML; `RenderAddon` switches the Playwright download handler
on with Debian's chromium, the host overrides (`--host-resolver-rules`, since Chromium ignores
Scrapy's resolver) and `NetworkGuard`, which aborts browser requests to non-public addresses and, in
a distributed night, holds each remaining one until its domain's lease is granted (crawler/ratelimit.py).

Chromium fetches a page's icon itself, and Playwright deliberately leaves favicon requests out of
interception (microsoft/playwright#7493): that request would pass both the guard and the lease. Every
rendered page therefore gets `no_favicon.js`, which keeps a blank data: icon as the page's only one.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
from lxml.etree import ParserError
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from crawler.netguard import allowed_addresses, permitted, resolve
from crawler.ratelimit import BrowserLeases, DomainLeases
from models.artifact import EMPTY_SHELL, PageArtifact

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SKIPPED_RESOURCES = {"image", "media", "font"}  # never needed to build menus or text
MIN_TEXT = 200  # characters of visible text below which a page with scripts is an empty shell
MIN_LINKS = 3
SETTLE_MS = 3000  # after "load", how long a page's scripts may go on fetching the data they show (network idle)
DATA_REQUESTS = {"xhr", "fetch"}  # what a page's scripts ask for to fill it in
MAX_MENU_TITLES = 40  # submenu titles hovered on the home page
# how long a hovered title's submenu may take to show and settle (hover-intent delays and animations, run late on a
# busy machine: the suite's two workers made a 0.7 s + 0.4 s menu miss 1.5 s)
MENU_OPEN_MS = 3000
MENU_BUDGET_S = 20.0  # the whole exploration of one home page, hovers and waits
NO_FAVICON_SCRIPT = (Path(__file__).parent / "no_favicon.js").read_text(encoding="utf-8")
EXPLORE_MENUS_SCRIPT = (Path(__file__).parent / "explore_menus.js").read_text(encoding="utf-8")

_SCRIPT = re.compile(r"<script\b", re.IGNORECASE)
_HASH_ROUTE = re.compile(r"""href\s*=\s*["']#!?/""", re.IGNORECASE)
_NOSCRIPT = re.compile(r"<noscript\b[^>]*>(.*?)</noscript>", re.IGNORECASE | re.DOTALL)
# a menu without links of any kind the markup shows (crawler/navigation.py reads onclick, data-href, options)
_NO_LINKS = "[not(.//a or .//option or .//*[@onclick or @data-href or @data-url or @data-link])]"
_EMPTY_MENUS = (
    f"//nav{_NO_LINKS} | //*[self::ul or self::div]"
    "[contains(translate(@id, 'MENU', 'menu'), 'menu') or contains(translate(@class, 'MENU', 'menu'), 'menu')]"
    f"{_NO_LINKS}[not(ancestor::nav)]"
    # an empty custom element (web component) that holds the header or menu: <site-header></site-header>
    " | //*[contains(local-name(), '-')][contains(local-name(), 'header') or contains(local-name(), 'nav')"
    " or contains(local-name(), 'menu')][not(*)][not(normalize-space())]"
    # an empty placeholder the script fills with the shared navigation or header: <div id="nav-placeholder"></div>
    " | //*[self::div or self::header][contains(translate(@id, 'NAVHEDR', 'navhedr'), 'nav')"
    " or contains(translate(@id, 'NAVHEDR', 'navhedr'), 'header')"
    " or contains(translate(@class, 'NAVHEDR', 'navhedr'), 'nav')"
    " or contains(translate(@class, 'NAVHEDR', 'navhedr'), 'header')][not(*)][not(normalize-space())]"
)

# a framework's component that its script completes in the browser (an Astro island: its server-side HTML may be only a
# skeleton until the script loads its data), or an app's mount point left empty for it
_SCRIPT_COMPONENTS = (
    "//astro-island"
    " | //*[@id='root' or @id='app' or @id='__next' or @id='__nuxt' or @data-reactroot][not(normalize-space())]"
)


EMPTY_MENU = "menú vacío que llenan los scripts"
SCRIPT_COMPONENT = "componentes que completan los scripts"
NO_LINKS = "página con scripts y sin ningún enlace"
NOSCRIPT_NOTICE = "aviso <noscript> que pide habilitar JavaScript"
TEMPLATE_REASONS = {EMPTY_MENU, NOSCRIPT_NOTICE}  # site-wide template: rendering one page per site shows it


def render_reason(html: str, page: PageArtifact) -> str | None:
    """Why this page must be rendered in a browser to see its content, or None."""
    if not _SCRIPT.search(html):
        return None
    if _HASH_ROUTE.search(html):
        return "enlaces con rutas de JavaScript (#/)"
    if len(page.text) < MIN_TEXT and len(page.links) < MIN_LINKS:
        return EMPTY_SHELL
    if any("javascript" in m.group(1).lower() for m in _NOSCRIPT.finditer(html)):
        return NOSCRIPT_NOTICE
    try:
        tree = lxml.html.fromstring(html)
    except (ParserError, ValueError):
        return None
    if tree.xpath(_EMPTY_MENUS):
        return EMPTY_MENU
    # a data table with its headers and no record (extract_html): its script loads the rows (DataTables)
    if tree.xpath(_SCRIPT_COMPONENTS) or page.empty_table_text:
        return SCRIPT_COMPONENT
    if not page.links:  # a site's page always leads somewhere: its navigation is left to the scripts
        return NO_LINKS
    return None


class NetworkGuard:
    """PLAYWRIGHT_ABORT_REQUEST predicate: the SSRF guard for requests made by Chromium, and with `leases`
    the per-domain politeness of a distributed night (a request let through waits for its lease)."""

    def __init__(
        self,
        hosts: dict[str, str],
        allow_private: bool,
        leases: BrowserLeases | None = None,
        allowed: frozenset[str] = frozenset(),
    ):
        self.hosts = hosts
        self.allow_private = allow_private
        self.leases = leases
        self.allowed = allowed

    async def __call__(self, request) -> bool:
        if request.resource_type in SKIPPED_RESOURCES:
            return True
        if await asyncio.to_thread(self.refuses, request.url):  # name resolution blocks
            return True
        if self.leases and urlsplit(request.url).scheme in ("http", "https"):
            await self.leases.take(request)
        return False

    def refuses(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return False
        if parts.scheme not in ("http", "https"):
            return True
        if self.allow_private:
            return False
        addresses = resolve(parts.hostname or "", self.hosts)
        return not addresses or not all(permitted(a, False, self.allowed) for a in addresses)


async def settle(page) -> None:
    """scrapy-playwright page method: waits, at most SETTLE_MS, until the page's scripts stop fetching (network idle),
    so that what they load after "load" is in the DOM; a page that never stops (polling) is taken as it is then."""
    with contextlib.suppress(PlaywrightTimeoutError):
        await page.wait_for_load_state("networkidle", timeout=SETTLE_MS)


async def explore_menus(page) -> list[list[str]]:
    """scrapy-playwright page method for a rendered home page: the [text, URL] of the menu items that have no address
    in the markup and lead somewhere when clicked (explore_menus.js), each submenu opened by moving the mouse over its
    title, as a visitor does. A click that would load another page (``location.href = …``) is held back and its address
    noted; afterwards the page is loaded again, so that what is stored is the home page as it opened."""
    url, found, clicked = page.url, [], 0
    left: list[list[str]] = []

    async def hold(route) -> None:
        request = route.request
        if request.is_navigation_request() and request.frame == page.main_frame:
            left.append(["", request.url])
            await route.abort()
        else:
            await route.fallback()

    await page.route("**/*", hold)
    try:
        await page.evaluate(EXPLORE_MENUS_SCRIPT)
        clicked += await page.evaluate("window.__aperturaMenus.clickVisible()")
        titles = page.locator(await page.evaluate("window.__aperturaMenus.TITLES"))
        deadline = asyncio.get_running_loop().time() + MENU_BUDGET_S
        for index in range(min(await titles.count(), MAX_MENU_TITLES)):
            left_ms = (deadline - asyncio.get_running_loop().time()) * 1000
            if left_ms <= 0:
                break
            title = titles.nth(index)
            if await title.is_visible():
                # a submenu is waited for, not slept on: a busy machine runs the menu's timers late
                with contextlib.suppress(PlaywrightError):
                    await title.hover(timeout=min(left_ms, MENU_OPEN_MS))
                    await page.wait_for_function(
                        "window.__aperturaMenus.ready()", timeout=min(left_ms, MENU_OPEN_MS), polling=50
                    )
                    await page.evaluate("window.__aperturaMenus.frames()")
            clicked += await page.evaluate("window.__aperturaMenus.clickVisible()")
        found = await page.evaluate("window.__aperturaMenus.found")
    except PlaywrightError:
        clicked += 1
    finally:
        await page.unroute("**/*", hold)
    if clicked:
        with contextlib.suppress(PlaywrightError):
            await page.goto(url, wait_until="load")
            await settle(page)
    clicked_to = {href for _, href in found}
    return found + [pair for pair in left if pair[1] not in clicked_to]


def data_failures(failed: list[str]):
    """A page's "requestfailed" handler that notes in `failed` the data requests of its scripts that got no answer."""

    def note(request) -> None:
        if request.resource_type in DATA_REQUESTS:
            failed.append(request.url)

    return note


async def block_favicon(page, request) -> None:
    """scrapy-playwright's page init callback for every rendered page (see the module docstring)."""
    await page.add_init_script(NO_FAVICON_SCRIPT)


class BrowserPageMiddleware:
    """Gives every request rendered in Chromium the `block_favicon` page init callback."""

    def process_request(self, request, spider=None):
        if request.meta.get("playwright"):
            request.meta.setdefault("playwright_page_init_callback", block_favicon)


class RenderAddon:
    """Enables scrapy-playwright when APERTURA_RENDER_ENABLED; built from the APERTURA_* settings."""

    def update_settings(self, settings) -> None:
        if not settings.getbool("APERTURA_RENDER_ENABLED"):
            return
        hosts = dict(settings.getdict("APERTURA_HOSTS"))
        args = list(CHROMIUM_ARGS)
        if hosts:
            args.append("--host-resolver-rules=" + ", ".join(f"MAP {name} {addr}" for name, addr in hosts.items()))
        handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
        leases = BrowserLeases(DomainLeases.from_settings(settings)) if settings.get("APERTURA_REDIS_URL") else None
        overrides = {
            "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
            "PLAYWRIGHT_BROWSER_TYPE": "chromium",
            "PLAYWRIGHT_LAUNCH_OPTIONS": {"executable_path": CHROMIUM, "headless": True, "args": args},
            "PLAYWRIGHT_CONTEXTS": {},
            "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": settings.getfloat("APERTURA_RENDER_TIMEOUT") * 1000,
            "PLAYWRIGHT_MAX_CONTEXTS": 1,
            "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": settings.getint("APERTURA_RENDER_MAX_PAGES"),
            "PLAYWRIGHT_ABORT_REQUEST": NetworkGuard(
                hosts, settings.getbool("APERTURA_ALLOW_PRIVATE_NETWORK"), leases, allowed_addresses(settings)
            ),
        }
        settings.setdict(overrides, priority="addon")
        settings["DOWNLOADER_MIDDLEWARES"].update({"crawler.render.BrowserPageMiddleware": 955})
