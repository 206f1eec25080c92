"""Full-page screenshots of the home page and of the pages cited as evidence, rendered from the archive.

Pages are rendered by `ArchiveBrowser` (apertura/archive_browser.py), which answers every request from
the crawl's stored bodies: a screenshot shows what was captured. Stylesheets and images appear only if
the crawl fetched them. PDFs and other documents are not rendered.
"""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Iterable
from urllib.parse import urldefrag

from playwright.sync_api import BrowserContext, CDPSession, Page
from playwright.sync_api import Error as PlaywrightError
from sqlalchemy.orm import Session

from apertura.archive_browser import PAGE_TIMEOUT_MS, ArchiveBrowser, archived_pages, is_html
from crawler.render import CHROMIUM
from models import Finding, ResourceArtifact
from storage import repository
from storage.orm import Crawl

log = logging.getLogger(__name__)

MAX_PER_SITE = 40
# A hostile or broken site must not hold the night: screenshots of one municipality stop after this
# many seconds or failed pages; the evidence stays valid without them.
SITE_BUDGET_S = 90
MAX_FAILURES = 3
MAX_SIDE = 16_384  # px: Chromium's largest texture; a longer (or wider) page is cut there


def evidence_urls(home: str | None, findings: Iterable[Finding]) -> list[str]:
    """The home page, then every URL cited by non-absence evidence, in finding order, without repeats."""
    cited = [e.url for f in findings for e in f.evidence if e.kind not in ("absence", "unreachable") and e.url]
    return list(dict.fromkeys(urldefrag(u)[0] for u in ([home] if home else []) + cited))


def capture(
    session: Session,
    crawl: Crawl,
    resources: list[ResourceArtifact],
    findings: list[Finding],
    browser: ArchiveBrowser,
    limit: int = MAX_PER_SITE,
) -> dict[str, str]:
    """Screenshots of the cited archived HTML pages (of `crawl`'s `resources`), by URL; a page whose body was
    already captured (an unchanged page on a later night) reuses that screenshot instead of rendering it again."""
    archived = archived_pages(resources)
    home = next((r.final_url for r in archived.values() if r.is_home and r.ok), None)
    cited = [url for url in evidence_urls(home, findings) if url in archived and is_html(archived[url])][:limit]
    shots: dict[str, str] = {}
    for url in cited:
        resource = archived[url]
        if known := resource.screenshot_sha256 or repository.screenshot_of_body(session, resource.sha256):
            shots[url] = known
    wanted = [url for url in cited if url not in shots]
    if wanted:
        shots |= _render(session, browser, archived, wanted)
    for url, sha256 in shots.items():
        if archived[url].screenshot_sha256 != sha256:
            repository.link_screenshot(session, crawl.id, archived[url].final_url, sha256)
    return shots


def _render(
    session: Session, browser: ArchiveBrowser, archived: dict[str, ResourceArtifact], urls: list[str]
) -> dict[str, str]:
    shots: dict[str, str] = {}
    deadline, failures = time.monotonic() + SITE_BUDGET_S, 0
    try:
        with browser.context(session, archived) as context:
            page, devtools = _new_page(context)
            for url in urls:
                if time.monotonic() > deadline or failures >= MAX_FAILURES:
                    log.warning(
                        "capturas interrumpidas: presupuesto de tiempo o fallas agotado (%d tomadas)", len(shots)
                    )
                    break
                png = _shoot(page, devtools, url)
                if png is None:
                    failures += 1
                    page.close()
                    page, devtools = _new_page(context)  # a page left mid-navigation must not spoil the next one
                else:
                    shots[url] = repository.store_body(session, png)
    except PlaywrightError as error:
        log.warning("no se pudieron tomar capturas con %s: %s", CHROMIUM, error)
    return shots


def with_screenshots(findings: list[Finding], shots: dict[str, str]) -> list[Finding]:
    """The findings with each evidence item pointing at the screenshot of its page."""

    def cite(evidence):
        shot = shots.get(urldefrag(evidence.url)[0]) if evidence.url else None
        return (
            evidence.model_copy(update={"screenshot_sha256": shot})
            if shot and not evidence.screenshot_sha256
            else evidence
        )

    return [f.model_copy(update={"evidence": [cite(e) for e in f.evidence]}) for f in findings]


def _new_page(context: BrowserContext) -> tuple[Page, CDPSession]:
    page = context.new_page()
    return page, context.new_cdp_session(page)


def _shoot(page: Page, devtools: CDPSession, url: str) -> bytes | None:
    """A full-page PNG taken in one DevTools call (about twice as fast as Playwright's full-page mode,
    which resizes the viewport around the capture)."""
    try:
        page.goto(url, wait_until="load", timeout=PAGE_TIMEOUT_MS)
        size = devtools.send("Page.getLayoutMetrics")["cssContentSize"]
        clip = {
            "x": 0,
            "y": 0,
            "width": min(size["width"], MAX_SIDE),
            "height": min(size["height"], MAX_SIDE),
            "scale": 1,
        }
        shot = devtools.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip})
        return base64.b64decode(shot["data"])
    except PlaywrightError as error:
        log.warning("no se pudo capturar %s: %s", url, error)
        return None
