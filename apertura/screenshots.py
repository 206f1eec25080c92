"""Full-page screenshots of the home page and of the pages cited as evidence, rendered from the archive.

Chromium never reaches the live site: every request is answered from the stored bodies of the crawl
(the same bytes as the WARC records) and anything not archived is aborted, so a screenshot shows what
was captured, even after the municipality changes its site, and the SSRF guard has nothing to guard.
`MAP * ~NOTFOUND` makes any request that escapes interception (prefetch, preconnect) fail to resolve.
Stylesheets and images appear only if the crawl fetched them. PDFs and other documents are not rendered.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from urllib.parse import urldefrag

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import BrowserContext, Route, sync_playwright
from sqlalchemy.orm import Session

from crawler.render import CHROMIUM, CHROMIUM_ARGS
from models import Finding, ResourceArtifact
from storage import repository
from storage.bodies import BodyUnavailable
from storage.orm import Crawl

log = logging.getLogger(__name__)

MAX_PER_SITE = 40
PAGE_TIMEOUT_MS = 10_000
# A hostile or broken site must not hold the night: screenshots of one municipality stop after this
# many seconds or failed pages; the evidence stays valid without them.
SITE_BUDGET_S = 90
MAX_FAILURES = 3
VIEWPORT = {"width": 1280, "height": 800}
HTML_TYPES = ("text/html", "application/xhtml+xml")


def evidence_urls(home: str | None, findings: Iterable[Finding]) -> list[str]:
    """The home page, then every URL cited by non-absence evidence, in finding order, without repeats."""
    cited = [e.url for f in findings for e in f.evidence if e.kind not in ("absence", "unreachable") and e.url]
    return list(dict.fromkeys(urldefrag(u)[0] for u in ([home] if home else []) + cited))


def capture(session: Session, crawl: Crawl, findings: list[Finding], limit: int = MAX_PER_SITE) -> dict[str, str]:
    """Screenshots of the cited archived HTML pages, by URL; a page whose body was already captured
    (an unchanged page on a later night) reuses that screenshot instead of rendering it again."""
    archived = archived_pages(session, crawl)
    home = next((r.final_url for r in archived.values() if r.is_home and r.ok), None)
    cited = [url for url in evidence_urls(home, findings) if url in archived and is_html(archived[url])][:limit]
    shots: dict[str, str] = {}
    for url in cited:
        resource = archived[url]
        if known := resource.screenshot_sha256 or repository.screenshot_of_body(session, resource.sha256):
            shots[url] = known
    wanted = [url for url in cited if url not in shots]
    if wanted:
        shots |= _render(session, archived, wanted)
    for url, sha256 in shots.items():
        if archived[url].screenshot_sha256 != sha256:
            repository.link_screenshot(session, crawl.id, archived[url].final_url, sha256)
    return shots


@contextmanager
def archive_browser(session: Session, archived: dict[str, ResourceArtifact]) -> Iterator[BrowserContext]:
    """A Chromium context whose every request is answered from the archive (or aborted)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND"]
        )
        try:
            context = browser.new_context(viewport=VIEWPORT, service_workers="block", java_script_enabled=True)
            context.route("**/*", lambda route: _serve(route, session, archived))
            yield context
        finally:
            browser.close()


def archived_pages(session: Session, crawl: Crawl) -> dict[str, ResourceArtifact]:
    """Stored responses by final URL; the plain response wins over a rendered re-fetch of the same URL."""
    stored = sorted((r for r in repository.crawl_resources(session, crawl) if r.sha256 and not r.error), key=lambda r: not r.rendered)
    return {urldefrag(r.final_url)[0]: r for r in stored}


def _render(session: Session, archived: dict[str, ResourceArtifact], urls: list[str]) -> dict[str, str]:
    shots: dict[str, str] = {}
    deadline, failures = time.monotonic() + SITE_BUDGET_S, 0
    try:
        with archive_browser(session, archived) as context:
            for url in urls:
                if time.monotonic() > deadline or failures >= MAX_FAILURES:
                    log.warning("capturas interrumpidas: presupuesto de tiempo o fallas agotado (%d tomadas)", len(shots))
                    break
                png = _shoot(context, url)
                if png is None:
                    failures += 1
                else:
                    shots[url] = repository.store_body(session, png)
    except PlaywrightError as error:
        log.warning("no se pudieron tomar capturas con %s: %s", CHROMIUM, error)
    return shots


def with_screenshots(findings: list[Finding], shots: dict[str, str]) -> list[Finding]:
    """The findings with each evidence item pointing at the screenshot of its page."""
    def cite(evidence):
        shot = shots.get(urldefrag(evidence.url)[0]) if evidence.url else None
        return evidence.model_copy(update={"screenshot_sha256": shot}) if shot and not evidence.screenshot_sha256 else evidence

    return [f.model_copy(update={"evidence": [cite(e) for e in f.evidence]}) for f in findings]


def _shoot(context, url: str) -> bytes | None:
    page = context.new_page()
    try:
        page.goto(url, wait_until="load", timeout=PAGE_TIMEOUT_MS)
        return page.screenshot(full_page=True, type="png", timeout=PAGE_TIMEOUT_MS)
    except PlaywrightError as error:
        log.warning("no se pudo capturar %s: %s", url, error)
        return None
    finally:
        page.close()


def _serve(route: Route, session: Session, archived: dict[str, ResourceArtifact]) -> None:
    resource = archived.get(urldefrag(route.request.url)[0])
    try:
        content = repository.body(session, resource.sha256) if resource else None
    except BodyUnavailable as error:  # answered as if never archived; the page is captured without it
        log.warning("%s", error)
        content = None
    if content is None:
        route.abort("blockedbyclient")
        return
    status = 200 if resource.status == 304 else resource.status  # a 304 reuses the previous crawl's body
    headers = {"content-type": resource.content_type} if resource.content_type else {}
    route.fulfill(status=status, headers=headers, body=content)


def is_html(resource: ResourceArtifact) -> bool:
    return resource.page is not None or resource.content_type.split(";")[0].strip().lower() in HTML_TYPES
