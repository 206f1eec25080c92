"""One resource contract from the spider to the auditors: the item's typed FetchFacts, one mapping to the columns of
`resources` (crawler/pipelines.py), and ResourceArtifact read back from them (storage.repository.crawl_resources)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from crawler.items import ResourceItem
from crawler.pipelines import COLUMNS, StorePipeline
from models.artifact import (
    AxeResult,
    DocumentArtifact,
    FetchFacts,
    Link,
    PageArtifact,
    PortalFormatArtifact,
    ResourceArtifact,
    TlsFacts,
)
from storage import repository
from storage.database import open_database
from storage.orm import Resource

WHEN = datetime(2026, 11, 24, 3, 15, tzinfo=UTC)


def every_fact() -> FetchFacts:
    """A fetch with every fact set to something other than its default."""
    return FetchFacts(
        failure="timeout",
        is_home=True,
        probe=True,
        redirect_urls=["http://x.test/", "https://x.test/"],
        role="not_found_probe",
        offsite=True,
        linked_from="http://x.test/mapa",
        not_modified=True,
        reused="el índice muestra la misma fecha de actualización (2026-11-01)",
        reused_warc={"file": "noche-1.warc.gz", "record_id": "<urn:uuid:1>"},
        rendered=True,
        render_reason="empty_body",
        script_failures=["http://x.test/api/obligaciones"],
        tls=TlsFacts(checked=True, valid=True, issuer="CA", hsts="max-age=31536000"),
        page=PageArtifact(
            title="Transparencia",
            links=[Link(href="http://x.test/a.pdf", text="Cuenta pública", context="nav", via="onclick")],
            axe=AxeResult(version="4.10"),
        ),
        document=DocumentArtifact(kind="pdf", text="Acta", pages=3, ocr=True, ocr_pages=3),
        portal_formats=[PortalFormatArtifact(generation="ipo3", key="K", format="art_92_i", records=2)],
        portal_index={"http://portal.test/art_92_i.web": "2026-11-01", "http://portal.test/art_92_ii.web": None},
    )


def test_every_fact_is_set_by_the_round_trip_fixture():
    """Adding a fact to FetchFacts means adding it here too, so the round trip below covers it."""
    facts = every_fact()
    assert facts.model_fields_set == set(FetchFacts.model_fields)
    defaults = FetchFacts()
    assert [name for name in FetchFacts.model_fields if getattr(facts, name) == getattr(defaults, name)] == []


def test_resource_artifact_is_the_facts_plus_the_columns_it_names():
    """No field is written twice: ResourceArtifact adds to FetchFacts only columns of `resources`, read by name,
    and no fact shadows a column."""
    assert issubclass(ResourceArtifact, FetchFacts)
    added = set(ResourceArtifact.model_fields) - set(FetchFacts.model_fields)
    assert added == set(repository.ARTIFACT_COLUMNS)
    assert all(name in Resource.__table__.c for name in added)
    assert not set(FetchFacts.model_fields) & set(Resource.__table__.c.keys())


def test_unknown_or_mistyped_facts_are_rejected_where_the_spider_sets_them():
    with pytest.raises(ValidationError, match="extra_forbidden"):
        FetchFacts(is_hom=True)
    with pytest.raises(ValidationError, match="extra_forbidden"):
        FetchFacts.model_validate({"portal_formats": [], "soft404": True})
    facts = FetchFacts()
    with pytest.raises(ValidationError):
        facts.bogus = 1  # type: ignore[attr-defined]
    with pytest.raises(ValidationError):
        facts.is_home = "quizá"  # type: ignore[assignment]
    with pytest.raises(ValidationError):
        facts.page = {"title": "Inicio", "links": "no es una lista"}  # type: ignore[assignment]
    with pytest.raises(ValidationError):
        ResourceItem(inegi_code="15054", url="u", final_url="u", status=200, fetched_at=WHEN).facts.failure = 404  # type: ignore[assignment]


def test_facts_are_stored_as_the_spider_set_them():
    """Only the facts set are stored (the JSON the crawler always wrote), each whole: an absent fact reads as its
    default, and the extract of an unchanged page keeps its hash."""
    facts = FetchFacts(is_home=False, redirect_urls=[])
    facts.not_modified = True
    assert facts.stored() == {"is_home": False, "redirect_urls": [], "not_modified": True}
    page = PageArtifact(title="Inicio")
    assert FetchFacts(page=page).stored() == {"page": page.model_dump(mode="json")}


def test_a_crawled_item_round_trips_through_the_pipeline_to_the_auditors_artifact(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'apertura.sqlite'}"
    sessions = open_database(db_url)
    with sessions.begin() as session:
        run = repository.create_run(
            session, kind="recheck", fecha_corte=date(2026, 11, 24), catalog="c", version="t", config={}
        )
        crawl_id = repository.create_crawl(session, run_id=run.id, inegi_code="15054", site_url="http://x.test/").id
    facts = every_fact()
    item = ResourceItem(
        inegi_code="15054",
        url="http://x.test/",
        final_url="https://x.test/",
        status=200,
        fetched_at=WHEN,
        depth=2,
        referer="http://x.test/mapa",
        headers={"Content-Type": "text/html"},
        content_type="text/html",
        body=b"<html>Transparencia</html>",
        error="sin error",
        facts=facts,
        warc_file="noche-2.warc.gz",
        warc_record_id="<urn:uuid:2>",
    )
    pipeline = StorePipeline(db_url, {"15054": crawl_id}, batch=10)
    pipeline.open_spider()
    pipeline.process_item(item)
    pipeline.close_spider()

    with sessions() as session:
        [row] = session.query(Resource).all()
        assert set(row.extract.content) == {"page", "document"}  # extracted once per hash
        assert "page" not in row.facts
        [artifact] = repository.crawl_resources(session, row.crawl)
    assert FetchFacts.model_validate(artifact.model_dump(include=set(FetchFacts.model_fields))) == facts
    assert artifact.model_dump(include=set(repository.ARTIFACT_COLUMNS)) == {
        "url": "http://x.test/",
        "final_url": "https://x.test/",
        "status": 200,
        "content_type": "text/html",
        "size": len(b"<html>Transparencia</html>"),
        "sha256": row.sha256,
        "fetched_at": WHEN,
        "depth": 2,
        "error": "sin error",
        "warc_file": "noche-2.warc.gz",
        "warc_record_id": "<urn:uuid:2>",
        "screenshot_sha256": None,  # set by the evidence stage, never by the crawler
    }
    assert row.sha256 is not None and row.referer == "http://x.test/mapa" and row.headers == item.headers
    assert set(COLUMNS) <= set(Resource.__table__.c.keys())
