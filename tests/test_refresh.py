"""Stored pages read by an older extractor are read again from their bodies before an audit (crawler/refresh.py),
on both dialects."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import openpyxl
from sqlalchemy import select

from crawler.extract_html import EXTRACTOR_VERSION, extract_page
from crawler.refresh import refresh_pages
from storage import repository
from storage.database import open_database
from storage.orm import Crawl, Resource

POST = (
    "<html lang='es'><head><title>Entregan uniformes</title></head>"
    "<body class='post-template-default single single-post postid-77'><h1>Entregan uniformes</h1>"
    "<p>El DIF entregó 300 uniformes escolares en la cabecera municipal.</p></body></html>"
).encode()
AXE = {"version": "4.10", "violations": [], "error": None}


def _old(page: dict, **changes) -> dict:
    """The page as a version before PageArtifact.extractor read it: no version, none of today's facts."""
    return {**{k: v for k, v in page.items() if k not in ("extractor", "is_post")}, **changes}


def _stored(session, crawl_id: int, url: str) -> dict:
    resource = session.scalar(select(Resource).where(Resource.crawl_id == crawl_id, Resource.final_url == url))
    return resource.extract.content["page"]


def test_a_page_read_by_an_older_extractor_is_read_again_from_its_stored_body(db_url):
    sessions = open_database(db_url)
    today = extract_page(POST, "http://x.test/entregan/", "text/html").model_dump(mode="json")
    assert today["is_post"] and today["extractor"] == EXTRACTOR_VERSION
    with sessions.begin() as session:
        body = repository.store_body(session, POST)
        run = repository.create_run(
            session, kind="nightly", fecha_corte=date(2026, 11, 24), catalog="c", version="t", config={}
        )
        crawl = repository.create_crawl(session, run_id=run.id, inegi_code="15054", site_url="http://x.test/")
        row = dict(status=200, sha256=body, size=len(POST), content_type="text/html", crawl_id=crawl.id)
        row["fetched_at"] = datetime(2026, 11, 24, tzinfo=UTC)
        repository.add_resources(
            session,
            [
                {**row, "url": u, "final_url": u, "facts": facts}
                for u, facts in (
                    ("http://x.test/entregan/", {"page": _old(today)}),  # a 304 kept last year's extract
                    ("http://x.test/", {"page": _old(today, axe=AXE)}),  # with a fact gathered after the crawl
                    ("http://x.test/app/", {"page": _old(today, title="Vista"), "rendered": True}),  # from Chromium
                    ("http://x.test/al-dia/", {"page": today}),  # read by today's extractor
                    ("http://x.test/a.pdf", {"document": {"kind": "pdf", "title": "Acta", "text": "Acta 4"}}),
                )
            ],
        )
    with sessions.begin() as session:
        assert refresh_pages(session, crawl.id) == 2
    with sessions() as session:
        post = _stored(session, crawl.id, "http://x.test/entregan/")
        assert post["is_post"] is True and post["extractor"] == EXTRACTOR_VERSION
        assert _stored(session, crawl.id, "http://x.test/")["axe"] == AXE
        assert _stored(session, crawl.id, "http://x.test/app/")["title"] == "Vista"  # rendered: kept as read
        resources = {r.final_url: r for r in repository.crawl_resources(session, session.get_one(Crawl, crawl.id))}
        assert resources["http://x.test/a.pdf"].document.text == "Acta 4"
        assert resources["http://x.test/entregan/"].page.is_post
    with sessions.begin() as session:
        assert refresh_pages(session, crawl.id) == 0  # read once


def test_a_spreadsheet_read_before_its_rows_were_counted_is_read_again(db_url):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Comunidad", "Cargo", "Nombre"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    xlsx = buffer.getvalue()
    sessions = open_database(db_url)
    with sessions.begin() as session:
        body = repository.store_body(session, xlsx)
        run = repository.create_run(
            session, kind="nightly", fecha_corte=date(2026, 11, 24), catalog="c", version="t", config={}
        )
        crawl = repository.create_crawl(session, run_id=run.id, inegi_code="15054", site_url="http://x.test/")
        old = {"kind": "xlsx", "title": "Sheet", "text": "Sheet\nComunidad | Cargo | Nombre"}  # no «rows»
        repository.add_resources(
            session,
            [
                {
                    "url": "http://x.test/copaci.xlsx",
                    "final_url": "http://x.test/copaci.xlsx",
                    "status": 200,
                    "sha256": body,
                    "size": len(xlsx),
                    "content_type": "application/vnd.ms-excel",
                    "crawl_id": crawl.id,
                    "fetched_at": datetime(2026, 11, 24, tzinfo=UTC),
                    "facts": {"document": old},
                }
            ],
        )
    with sessions.begin() as session:
        assert refresh_pages(session, crawl.id) == 1
    with sessions.begin() as session:
        [resource] = repository.crawl_resources(session, session.get_one(Crawl, crawl.id))
        assert resource.document.rows == 1 and resource.document.title == "Sheet"
        assert refresh_pages(session, crawl.id) == 0
