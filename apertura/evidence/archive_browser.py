"""Chromium that sees only the archive: every request is answered from a crawl's stored bodies.

Chromium never reaches the live site: every request is answered from the stored bodies of the crawl
(the same bytes as the WARC records) and anything not archived is aborted, so what it renders is what
was captured, even after the municipality changes its site, and the SSRF guard has nothing to guard.
`MAP * ~NOTFOUND` makes any request that escapes interception (prefetch, preconnect) fail to resolve.

One browser serves a whole stage (launching Chromium costs more than rendering a page): axe-core for
the run, or one thread's share of the screenshots; each municipality gets its own context, so no cookie
or cache crosses from one archive to another.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urldefrag

from playwright.sync_api import Browser, BrowserContext, Playwright, Route, ViewportSize, sync_playwright
from sqlalchemy.orm import Session

from crawler.render import CHROMIUM, CHROMIUM_ARGS
from models import ResourceArtifact
from storage import repository
from storage.bodies import BodyUnavailable

log = logging.getLogger(__name__)

PAGE_TIMEOUT_MS = 10_000
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
HTML_TYPES = ("text/html", "application/xhtml+xml")


class ArchiveBrowser:
    """Launched on first use (a stage with nothing to render never starts Chromium), and again
    if it crashed; closed by `close()` or the `with` block."""

    def __init__(self) -> None:
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None

    def __enter__(self) -> ArchiveBrowser:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @contextmanager
    def context(self, session: Session, archived: dict[str, ResourceArtifact]) -> Iterator[BrowserContext]:
        """A fresh context whose every request is answered from `archived` (or aborted)."""
        context = self._launched().new_context(viewport=VIEWPORT, service_workers="block", java_script_enabled=True)
        try:
            context.route("**/*", lambda route: _serve(route, session, archived))
            yield context
        finally:
            context.close()

    def close(self) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()
        self._browser = self._playwright = None

    def _launched(self) -> Browser:
        if self._browser is None or not self._browser.is_connected():
            self.close()
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND"]
            )
        return self._browser


def archived_pages(resources: list[ResourceArtifact]) -> dict[str, ResourceArtifact]:
    """Stored responses by final URL; the plain response wins over a rendered re-fetch of the same URL."""
    stored = sorted((r for r in resources if r.sha256 and not r.error), key=lambda r: not r.rendered)
    return {urldefrag(r.final_url)[0]: r for r in stored}


def is_html(resource: ResourceArtifact) -> bool:
    return resource.page is not None or resource.content_type.split(";")[0].strip().lower() in HTML_TYPES


def _serve(route: Route, session: Session, archived: dict[str, ResourceArtifact]) -> None:
    resource = archived.get(urldefrag(route.request.url)[0])
    try:
        content = repository.body(session, resource.sha256) if resource and resource.sha256 else None
    except BodyUnavailable as error:  # answered as if never archived; the page is rendered without it
        log.warning("%s", error)
        content = None
    if resource is None or content is None:
        route.abort("blockedbyclient")
        return
    status = 200 if resource.status == 304 else resource.status  # a 304 reuses the previous crawl's body
    headers = {"content-type": resource.content_type} if resource.content_type else {}
    route.fulfill(status=status, headers=headers, body=content)
