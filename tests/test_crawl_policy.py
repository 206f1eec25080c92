"""Crawl policy without network: what gets rendered, canonical URLs, traps, Retry-After."""

from __future__ import annotations

import email.utils
import time

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import CannotResolveHostError, DownloadConnectionRefusedError, DownloadTimeoutError
from scrapy.utils.test import get_crawler

from crawler.extract import extract_page
from crawler.middlewares import RetryAfterMiddleware, retry_after_seconds
from crawler.render import EMPTY_MENU, NO_LINKS, NOSCRIPT_NOTICE, SCRIPT_COMPONENT, render_reason
from crawler.urls import canonical, trap_reason

TEXT = "<p>" + "Información pública del ayuntamiento. " * 20 + "</p>"
LINKS = "".join(f'<a href="/p{i}">p{i}</a>' for i in range(5))


def reason(html: str) -> str | None:
    return render_reason(html, extract_page(html.encode(), "http://m.test/"))


@pytest.mark.parametrize(
    "html, expected",
    [
        (f"<html><body>{TEXT}{LINKS}</body></html>", None),  # no scripts: never rendered
        (f"<html><body>{TEXT}{LINKS}<script>track()</script></body></html>", None),  # scripts, full content
        (
            "<html><body><div id='app'></div><script src='app.js'></script></body></html>",
            "página casi vacía con scripts",
        ),
        (
            f"<html><body>{TEXT}<a href='#/inicio'>x</a><script></script></body></html>",
            "enlaces con rutas de JavaScript (#/)",
        ),
        (
            f"<html><body>{TEXT}{LINKS}<noscript>Habilite JavaScript</noscript><script></script></body></html>",
            NOSCRIPT_NOTICE,
        ),
        (f"<html><body>{TEXT}<nav>{LINKS}</nav><nav id='menu2'></nav><script></script></body></html>", EMPTY_MENU),
        # a web component left empty for the site's script to write the menu into
        (f"<html><body><site-header></site-header>{TEXT}<script src='main.js'></script></body></html>", EMPTY_MENU),
        (f"<html><body><app-navbar></app-navbar>{TEXT}{LINKS}<script src='a.js'></script></body></html>", EMPTY_MENU),
        (f"<html><body><x-header><nav>{LINKS}</nav></x-header>{TEXT}<script></script></body></html>", None),
        # an empty placeholder a script fills with the shared navigation (a page with links in its body)
        (
            f"<html><body><div id='nav-placeholder'></div>{TEXT}{LINKS}<script src='/js/nav.js'></script>"
            "</body></html>",
            EMPTY_MENU,
        ),
        (f"<html><body><div class='Header-Include'></div>{TEXT}{LINKS}<script></script></body></html>", EMPTY_MENU),
        (f"<html><body><div id='navbar'>{LINKS}</div>{TEXT}<script></script></body></html>", None),
        (
            f"<html><body><div class='header'><h1>Ayuntamiento</h1></div>{TEXT}{LINKS}<script></script></body></html>",
            None,
        ),
        (f"<html><body>{TEXT}{LINKS}<lottie-player></lottie-player><script></script></body></html>", None),
        # text, scripts and not a single link of any kind: the navigation is written by the scripts
        (f"<html><body><header id='top'></header>{TEXT}<script src='main.js'></script></body></html>", NO_LINKS),
        (f"<html><body>{TEXT}</body></html>", None),  # no scripts: nothing a browser would add
        # a component the framework's script completes: an Astro island (its server HTML may be a skeleton), a mount point
        (
            f"<html><body>{TEXT}{LINKS}<astro-island client='load'><div class='acordeon'>Año:</div></astro-island>"
            "<script type='module'></script></body></html>",
            SCRIPT_COMPONENT,
        ),
        (
            f"<html><body>{TEXT}{LINKS}<div id='__next'></div><script src='/_next/a.js'></script></body></html>",
            SCRIPT_COMPONENT,
        ),
        (f"<html><body>{TEXT}{LINKS}<div id='app'><p>Hecho.</p></div><script></script></body></html>", None),
        # a data table whose script loads its records (DataTables' server side): only the headers are in the HTML
        (
            f"<html><body>{TEXT}{LINKS}<table id='actas'><thead><tr><th>Acta</th><th>Fecha</th></tr></thead>"
            "<tbody></tbody></table><script src='datatables.min.js'></script></body></html>",
            SCRIPT_COMPONENT,
        ),
        (
            f"<html><body>{TEXT}{LINKS}<table><tr><th>Acta</th><th>Fecha</th></tr><tr><td>Sesión 12</td>"
            "<td>05/03/2026</td></tr></table><script src='datatables.min.js'></script></body></html>",
            None,
        ),
        (f"<html><body>{TEXT}<button onclick=\"location.href='/a/'\">A</button><script></script></body></html>", None),
    ],
)
def test_render_only_pages_that_need_it(html, expected):
    assert reason(html) == expected


def test_canonical_strips_session_ids_and_sorts_query():
    assert canonical("http://m.test/a;jsessionid=XYZ?b=2&PHPSESSID=9&a=1#top") == "http://m.test/a?b=2&a=1"
    assert (
        canonical("http://m.test/index.php?option=com_content&id=12")
        == "http://m.test/index.php?option=com_content&id=12"
    )
    assert canonical("http://m.test/a?sid=1") == canonical("http://m.test/a?SID=2") == "http://m.test/a"


@pytest.mark.parametrize(
    "url, trap",
    [
        ("http://m.test/" + "a/" * 300, True),
        ("http://m.test/x?" + "&".join(f"k{i}=1" for i in range(12)), True),
        ("http://m.test/a/b/a/b/a/b", True),
        ("http://m.test/agenda?mes=2026-12", False),
    ],
)
def test_trap_urls(url, trap):
    assert (trap_reason(url) is not None) is trap


def test_retry_after_header_forms():
    assert retry_after_seconds("7") == 7
    later = email.utils.formatdate(time.time() + 60, usegmt=True)
    assert 50 < retry_after_seconds(later) <= 60
    assert retry_after_seconds("mañana") is None and retry_after_seconds(None) is None


def test_a_name_without_addresses_is_not_asked_again_but_other_failures_are_retried():
    crawler = get_crawler(settings_dict={"RETRY_TIMES": 2})
    crawler.spider = Spider.from_crawler(crawler, name="municipal_site")
    middleware = RetryAfterMiddleware.from_crawler(crawler)
    request = Request("https://www.ipomex.org.mx/ipo3/lgt/indice/METEPEC/art_92_i.web")
    nxdomain = CannotResolveHostError("DNS lookup failed: no results for hostname lookup: www.ipomex.org.mx.")
    assert middleware.process_exception(request, nxdomain) is None
    for transient in (
        CannotResolveHostError(
            "DNS lookup failed: address 'www.ipomex.org.mx' not found: [Errno -3] Temporary failure in name resolution."
        ),
        DownloadTimeoutError("Getting https://www.ipomex.org.mx/ took longer than 30.0 seconds."),
        DownloadConnectionRefusedError("Connection was refused by other side: 111: Connection refused."),
    ):
        retry = middleware.process_exception(request, transient)
        assert isinstance(retry, Request) and retry.meta["retry_times"] == 1
