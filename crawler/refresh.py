"""Stored pages read again by today's extractor.

A 304 reuses the previous night's extract and a re-audit reads the stored one, so without this what the extractor
learns (a post known by its markup, a breadcrumb that is not a heading) would reach only the pages that change. A
page read by an older version of crawler/extract_html.py (`PageArtifact.extractor`) is read again from its stored
body, and the resource points to the new extract. So is a spreadsheet read before its rows were counted
(`DocumentArtifact.rows`; reading one is cheap). Kept as they are: rendered pages (read from Chromium's DOM, with the
links its scripts built), other documents, and the page facts gathered after the crawl (axe-core's results).
"""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from crawler.extract import extract_document
from crawler.extract_html import EXTRACTOR_VERSION, extract_page
from storage import repository
from storage.bodies import BodyUnavailable
from storage.orm import Extract, Resource

AFTER_CRAWL = ("axe",)  # page facts stored after the crawl (storage.repository.set_page_fact)


def refresh_pages(session: Session, crawl_id: int) -> int:
    """Re-extracts the crawl's pages read by an older extractor, and its spreadsheets read before their rows were
    counted; returns how many resources now point to a new extract."""
    version = func.coalesce(Extract.content[("page", "extractor")].as_integer(), 0)
    stale_page = and_(
        Extract.content[("page", "text")].as_string().is_not(None),  # a page, not a document
        version < EXTRACTOR_VERSION,
    )
    uncounted_sheet = and_(
        Extract.content[("document", "kind")].as_string() == "xlsx",
        Extract.content[("document", "rows")].as_integer().is_(None),
    )
    stale = session.execute(
        select(Resource.id, Resource.sha256, Resource.final_url, Resource.content_type, Resource.facts, Extract.content)
        .join(Extract, Extract.sha256 == Resource.extract_sha256)
        .where(Resource.crawl_id == crawl_id, Resource.sha256.is_not(None), or_(stale_page, uncounted_sheet))
    ).all()
    renewed: dict[tuple[str, str, str], str] = {}  # (body, URL, type) -> the new extract's hash
    count = 0
    for resource_id, sha256, final_url, content_type, facts, content in stale:
        if (facts or {}).get("rendered"):
            continue
        key = (sha256, final_url, content_type)
        if key not in renewed:
            try:
                body = repository.body(session, sha256)
            except BodyUnavailable:  # a damaged stored body: the resource keeps what was read from it
                body = None
            if body is None:
                continue
            renewed[key] = repository.store_extract(session, _read_again(body, final_url, content_type, content))
        session.execute(update(Resource).where(Resource.id == resource_id).values(extract_sha256=renewed[key]))
        count += 1
    return count


def _read_again(body: bytes, final_url: str, content_type: str, content: dict) -> dict:
    if "page" not in content:
        return {**content, "document": extract_document(body, final_url, content_type).model_dump(mode="json")}
    page = extract_page(body, final_url, content_type).model_dump(mode="json")
    page |= {name: content["page"][name] for name in AFTER_CRAWL if content["page"].get(name)}
    return {**content, "page": page}
