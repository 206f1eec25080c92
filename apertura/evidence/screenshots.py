"""The evidence stage: full-page screenshots of the pages cited by an audit, rendered from the archive.

Screenshots are made on demand, when a report, a review or a bundle needs them (`ensure`), never by the
audit: they are stored per resource (a body, linked from the resources that ended at the page) and a
page whose body was already captured (an unchanged page on a later night) reuses that screenshot. The
report stage joins them to the evidence (`joined`), so an audit's findings never change afterwards.

Pages are rendered by `ArchiveBrowser` (apertura/evidence/archive_browser.py), which answers every request from
the crawl's stored bodies: a screenshot shows what was captured. Stylesheets and images appear only if
the crawl fetched them. PDFs and other documents are not rendered.
"""

from __future__ import annotations

import base64
import logging
import os
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import groupby
from urllib.parse import urldefrag

from playwright.sync_api import BrowserContext, CDPSession, Page
from playwright.sync_api import Error as PlaywrightError
from sqlalchemy.orm import Session, sessionmaker

from apertura.evidence.archive_browser import PAGE_TIMEOUT_MS, ArchiveBrowser, archived_pages, is_html
from crawler.render import CHROMIUM
from models import Finding
from storage import repository
from storage.orm import Audit, Crawl

log = logging.getLogger(__name__)

MAX_PER_SITE = 40
# A hostile or broken site must not hold the others: screenshots of one municipality stop after this
# many seconds or failed pages; the evidence stays valid without them.
SITE_BUDGET_S = 90
MAX_FAILURES = 3
MAX_SIDE = 16_384  # px: Chromium's largest texture; a longer (or wider) page is cut there


@dataclass(frozen=True)
class Wanted:
    """A page to render: the body it shows and the resources (crawl, final URL) that get its screenshot."""

    crawl_id: int
    url: str
    body: str
    links: tuple[tuple[int, str], ...]


def evidence_urls(home: str | None, findings: Iterable[Finding]) -> list[str]:
    """The home page, then every URL cited by non-absence evidence, in finding order, without repeats."""
    cited = [e.url for f in findings for e in f.evidence if e.kind not in ("absence", "unreachable") and e.url]
    return list(dict.fromkeys(urldefrag(u)[0] for u in ([home] if home else []) + cited))


def ensure(sessions: sessionmaker[Session], audit_ids: Iterable[int], workers: int | None = None) -> int:
    """Renders the pages cited by these audits that have no screenshot of their body yet, in parallel up to
    the core budget, and stores them; returns how many were rendered.

    Rendering happens outside any transaction; the screenshots are stored in one short one at the end."""
    with sessions() as session:
        wanted, reused = _wanted(session, audit_ids)
    rendered: list[tuple[Wanted, bytes]] = []
    if wanted:
        workers = min(workers or len(os.sched_getaffinity(0)), len(wanted))
        size = -(-len(wanted) // workers)
        chunks = [wanted[i : i + size] for i in range(0, len(wanted), size)]
        with ThreadPoolExecutor(len(chunks)) as pool:
            rendered = [shot for shots in pool.map(lambda chunk: _render(sessions, chunk), chunks) for shot in shots]
    if rendered or reused:
        with sessions.begin() as session:
            for item, png in rendered:
                reused += [(crawl_id, url, repository.store_body(session, png)) for crawl_id, url in item.links]
            for crawl_id, final_url, sha256 in reused:
                repository.link_screenshot(session, crawl_id, final_url, sha256)
    return len(rendered)


def _wanted(session: Session, audit_ids: Iterable[int]) -> tuple[list[Wanted], list[tuple[int, str, str]]]:
    """The cited archived HTML pages (the first MAX_PER_SITE of each audit) whose body has no screenshot,
    one per body, grouped by crawl; and the (crawl, final URL, screenshot) of those that reuse one of an
    identical body, so every resource names its screenshot."""
    by_body: dict[str, Wanted] = {}
    reused: list[tuple[int, str, str]] = []
    for audit_id in dict.fromkeys(audit_ids):
        audit = session.get(Audit, audit_id)
        if audit is None:
            raise LookupError(f"audit {audit_id} is not stored")
        crawl = _crawl(session, audit.crawl_id)
        archived = archived_pages(repository.crawl_resources(session, crawl))
        findings = [Finding.model_validate(row.data) for row in audit.findings]
        home = next((r.final_url for r in archived.values() if r.is_home and r.ok), None)
        cited = [url for url in evidence_urls(home, findings) if url in archived and is_html(archived[url])]
        # (resource, its body's SHA-256): archived pages all have a body
        pages = [(r, r.sha256) for r in (archived[url] for url in cited[:MAX_PER_SITE]) if r.sha256]
        known = repository.screenshots_of_bodies(session, {sha256 for _, sha256 in pages})
        for resource, sha256 in pages:
            if resource.screenshot_sha256:
                continue
            if sha256 in known:
                reused.append((crawl.id, resource.final_url, known[sha256]))
                continue
            link = (crawl.id, resource.final_url)
            if (earlier := by_body.get(sha256)) is not None:
                by_body[sha256] = Wanted(earlier.crawl_id, earlier.url, earlier.body, (*earlier.links, link))
            else:
                by_body[sha256] = Wanted(crawl.id, resource.final_url, sha256, (link,))
    return sorted(by_body.values(), key=lambda w: w.crawl_id), reused


def _crawl(session: Session, crawl_id: int) -> Crawl:
    crawl = session.get(Crawl, crawl_id)
    if crawl is None:
        raise LookupError(f"crawl {crawl_id} is not stored")
    return crawl


def _render(sessions: sessionmaker[Session], wanted: list[Wanted]) -> list[tuple[Wanted, bytes]]:
    """Renders `wanted` (sorted by crawl) in this thread's own Chromium and database session."""
    shots: list[tuple[Wanted, bytes]] = []
    with ArchiveBrowser() as browser, sessions() as session:
        for crawl_id, items in groupby(wanted, key=lambda w: w.crawl_id):
            archived = archived_pages(repository.crawl_resources(session, _crawl(session, crawl_id)))
            shots += _render_site(session, browser, archived, list(items))
    return shots


def _render_site(session: Session, browser: ArchiveBrowser, archived: dict, wanted: list[Wanted]) -> list:
    shots: list[tuple[Wanted, bytes]] = []
    deadline, failures = time.monotonic() + SITE_BUDGET_S, 0
    try:
        with browser.context(session, archived) as context:
            page, devtools = _new_page(context)
            for item in wanted:
                if time.monotonic() > deadline or failures >= MAX_FAILURES:
                    log.warning(
                        "capturas interrumpidas: presupuesto de tiempo o fallas agotado (%d tomadas)", len(shots)
                    )
                    break
                png = _shoot(page, devtools, item.url)
                if png is None:
                    failures += 1
                    page.close()
                    page, devtools = _new_page(context)  # a page left mid-navigation must not spoil the next one
                else:
                    shots.append((item, png))
    except PlaywrightError as error:
        log.warning("no se pudieron tomar capturas con %s: %s", CHROMIUM, error)
    return shots


def joined(session: Session, crawl: Crawl, findings: list[Finding]) -> list[Finding]:
    """The report stage's join: each evidence item points at the screenshot of its page, if one was made."""
    shots = {urldefrag(url)[0]: sha256 for url, sha256 in repository.page_screenshots(session, crawl.id).items()}

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
