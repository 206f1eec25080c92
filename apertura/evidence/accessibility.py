"""Gathers axe-core's WCAG 2.1 A/AA results for a crawl's home page, rendered from the archive.

This is a gatherer (Lighthouse's sense) that needs a browser, so it runs after the crawl and before the
audit; its result is stored in the home page's artifact, and re-audits read it without a browser.
"""

from __future__ import annotations

import logging

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Error as PlaywrightError
from sqlalchemy.orm import Session

from apertura.evidence.archive_browser import PAGE_TIMEOUT_MS, ArchiveBrowser, archived_pages, is_html
from models.artifact import AxeResult, AxeViolation, ResourceArtifact
from storage import repository
from storage.orm import Crawl

log = logging.getLogger(__name__)

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MAX_ELEMENTS = 20_000
AXE_TIMEOUT_MS = 30_000


def gather(
    session: Session, crawl: Crawl, resources: list[ResourceArtifact], browser: ArchiveBrowser
) -> AxeResult | None:
    """Runs axe-core on the archived home page (of `crawl`'s `resources`) unless a result is already stored
    for it or for an identical body; returns the result it stored, if any."""
    if (measured := measure(session, resources, browser)) is None:
        return None
    return store(session, crawl, *measured)


def measure(
    session: Session, resources: list[ResourceArtifact], browser: ArchiveBrowser
) -> tuple[str, AxeResult] | None:
    """What `gather` stores, without writing: the home page's URL and its result, or None if none is missing.
    The session is only read (a thread rendering beside the audits leaves the writing to theirs)."""
    archived = archived_pages(resources)
    home = next((r for r in archived.values() if r.is_home and r.ok and not r.rendered and is_html(r)), None)
    if home is None or home.page is None or not home.sha256:  # archived pages all have a body
        return None
    if home.page.axe is not None:
        # A 304 keeps the earlier night's facts, axe-core's result included, but a home page fetched again
        # through Chromium has fresh facts without it, and the audit reads that one: it gets the same result.
        if any(
            r.is_home and r.page is not None and r.page.axe is None and r.final_url == home.final_url for r in resources
        ):
            return home.final_url, home.page.axe
        return None
    if known := repository.page_fact_of_body(session, home.sha256, "axe"):  # the same body, another night
        return home.final_url, AxeResult.model_validate(known)
    try:
        with browser.context(session, archived) as context:
            page = context.new_page()
            page.goto(home.final_url, wait_until="load", timeout=PAGE_TIMEOUT_MS)
            response = _run_axe(page)
        if response is None:
            return home.final_url, AxeResult(error="página demasiado grande para axe-core")
        result = AxeResult(
            version=response.get("testEngine", {}).get("version", ""),
            violations=[
                AxeViolation(id=v["id"], impact=v.get("impact"), help=v.get("help", ""), nodes=len(v.get("nodes", [])))
                for v in response["violations"]
            ],
        )
    except PlaywrightError as error:
        log.warning("axe-core no pudo evaluar %s: %s", home.final_url, error)
        result = AxeResult(error=str(error).splitlines()[0])
    return home.final_url, result


def _run_axe(page) -> dict | None:
    """axe-core's results, or None for a DOM too large to evaluate in bounded time.

    `page.evaluate` has no timeout, and axe-core's run time grows with the DOM (a 150,000-element page
    takes minutes), so very large pages are not evaluated; a slower run is cut by a timer in the page.
    """
    if page.evaluate("document.getElementsByTagName('*').length") > MAX_ELEMENTS:
        return None
    page.evaluate(AXE_SCRIPT)
    return page.evaluate(
        """([options, ms]) => Promise.race([
            axe.run(document, options),
            new Promise((_, reject) => setTimeout(() => reject(new Error("axe-core: tiempo agotado")), ms)),
        ])""",
        [{"runOnly": {"type": "tag", "values": WCAG_TAGS}}, AXE_TIMEOUT_MS],
    )


def store(session: Session, crawl: Crawl, url: str, result: AxeResult) -> AxeResult:
    repository.set_page_fact(session, crawl.id, url, "axe", result.model_dump(mode="json"))
    return result
