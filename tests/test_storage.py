"""Storage on SQLite and a real PostgreSQL server: migrations, body dedupe, audits round-trip."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select

from models import Evidence, Finding, Status
from models.rule import Dimension
from storage import repository
from storage.database import alembic_config, make_engine, open_database
from storage.orm import Base, Body, Resource

pytestmark = pytest.mark.postgres


def test_migrations_have_a_single_head_and_match_the_orm(db_url):
    engine = make_engine(db_url)
    config = alembic_config(engine)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
    command.upgrade(config, "head")
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    command.downgrade(config, "base")
    assert set(Base.metadata.tables).isdisjoint(inspect(engine).get_table_names())
    command.upgrade(config, "head")


def test_body_is_stored_once_per_hash_and_resources_round_trip(db_url):
    sessions = open_database(db_url)
    with sessions.begin() as session:
        run = repository.create_run(
            session, kind="recheck", fecha_corte=date(2026, 11, 24), catalog="ltaipemym-2016", version="t", config={}
        )
        crawl = repository.create_crawl(session, run_id=run.id, inegi_code="15054", site_url="http://x.test/")
        for url in ("http://x.test/", "http://x.test/copia"):
            digest = repository.store_body(session, "<html>Transparencia ñ</html>".encode())
            repository.add_resource(
                session,
                crawl.id,
                url=url,
                final_url=url,
                status=200,
                content_type="text/html",
                size=30,
                sha256=digest,
                fetched_at=datetime(2026, 11, 24, tzinfo=timezone.utc),
                artifact={"is_home": url.endswith("/"), "page": {"title": "Inicio", "links": []}},
            )
        repository.finish_crawl(session, crawl, status="ok", reason=None, stats={"resources": 2})
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Body)) == 1
        assert session.scalar(select(func.count()).select_from(Resource)) == 2
        crawl = repository.latest_crawl(session, "15054")
        artifacts = repository.crawl_resources(session, crawl)
        assert [a.is_home for a in artifacts] == [True, False]
        assert artifacts[0].page.title == "Inicio"
        assert repository.body(session, artifacts[0].sha256).decode() == "<html>Transparencia ñ</html>"


def test_audit_findings_keep_their_evidence(db_url):
    sessions = open_database(db_url)
    finding = Finding(
        rule_id="ltaipemym.92.I",
        title="Marco normativo",
        dimension=Dimension.TRANSPARENCIA,
        status=Status.PARTIAL,
        weight=1,
        legal_basis="LTAIPEMyM, art. 92, fr. I",
        message="Publicado pero desactualizado.",
        review_note="Revisar",
        evidence=[Evidence(kind="link", url="http://x.test/marco", sha256="a" * 64, matched="«Marco jurídico»")],
    )
    with sessions.begin() as session:
        run = repository.create_run(
            session, kind="recheck", fecha_corte=date(2026, 11, 24), catalog="c", version="t", config={}
        )
        crawl = repository.create_crawl(session, run_id=run.id, inegi_code="15001", site_url=None)
        repository.save_audit(
            session, run_id=run.id, crawl=crawl, catalog="c", fecha_corte=run.fecha_corte, findings=[finding], scores=[]
        )
    with sessions() as session:
        audit = repository.latest_audit(session, "15001")
        assert audit.findings[0].score == 0.5
        assert Finding.model_validate(audit.findings[0].data) == finding
