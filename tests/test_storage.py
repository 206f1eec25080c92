"""Storage on SQLite and a real PostgreSQL server: migrations, body dedupe, audits round-trip."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, make_url, select, text

from models import Evidence, Finding, Status
from models.artifact import DocumentArtifact, Link
from models.finding import SourceResult
from models.rule import Dimension
from storage import repository
from storage.bodies import DIRECTORY_ENV, THRESHOLD_ENV, BodyStore, BodyUnavailable, directory_for
from storage.database import DatabaseUnavailable, alembic_config, make_engine, open_database
from storage.orm import Base, Body, Extract, FindingContent, Resource

pytestmark = pytest.mark.postgres


def test_migrations_have_a_single_head_and_match_the_orm(db_url):
    engine = make_engine(db_url)
    config = alembic_config(engine)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
    command.upgrade(config, "head")
    inspector = inspect(engine)
    assert set(Base.metadata.tables) <= set(inspector.get_table_names())
    for name, table in Base.metadata.tables.items():
        assert {c["name"] for c in inspector.get_columns(name)} == set(table.c.keys()), name
    command.downgrade(config, "base")
    assert set(Base.metadata.tables).isdisjoint(inspect(engine).get_table_names())
    command.upgrade(config, "head")


LARGE = bytes(range(256)) * 40  # 10 240 bytes
SMALL = b"<html>chica</html>"


@pytest.fixture
def disk_store(tmp_path, monkeypatch) -> Path:
    """Bodies over 1 000 bytes go to a disk store in tmp_path."""
    monkeypatch.setenv(DIRECTORY_ENV, str(tmp_path / "cuerpos"))
    monkeypatch.setenv(THRESHOLD_ENV, "1000")
    return tmp_path / "cuerpos"


def stored_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file())


def test_large_bodies_go_to_disk_once_small_ones_stay_in_the_row(db_url, disk_store):
    sessions = open_database(db_url)
    for _ in range(2):  # an unchanged night: the second storing adds no row and no file
        with sessions.begin() as session:
            large, small = repository.store_body(session, LARGE), repository.store_body(session, SMALL)
    path = disk_store / large[:2] / large[2:4] / large
    assert stored_files(disk_store) == [path] and path.read_bytes() == LARGE
    written = path.stat().st_mtime_ns
    with sessions.begin() as session:
        assert repository.store_body(session, LARGE) == large
    assert path.stat().st_mtime_ns == written
    with sessions() as session:
        rows = {row.sha256: row for row in session.scalars(select(Body))}
        assert (rows[large].size, rows[large].content) == (len(LARGE), None)
        assert (rows[small].size, rows[small].content) == (len(SMALL), SMALL)
        assert repository.body(session, large) == LARGE and repository.body(session, small) == SMALL
        assert repository.body(session, "f" * 64) is None


def test_a_missing_or_damaged_disk_body_is_an_error_naming_file_and_hash(db_url, disk_store):
    sessions = open_database(db_url)
    with sessions.begin() as session:
        digest = repository.store_body(session, LARGE)
    path = BodyStore.of(make_url(db_url)).path(digest)
    path.write_bytes(LARGE[:-1] + b"!")
    with sessions() as session, pytest.raises(BodyUnavailable) as damaged:
        repository.body(session, digest)
    assert str(path) in str(damaged.value) and digest in str(damaged.value) and "dañado" in str(damaged.value)
    path.unlink()
    with sessions() as session, pytest.raises(BodyUnavailable) as missing:
        repository.body(session, digest)
    assert str(path) in str(missing.value) and digest in str(missing.value)


def test_migration_0003_moves_disk_bodies_back_into_rows_on_downgrade(db_url, disk_store):
    engine = make_engine(db_url)
    config = alembic_config(engine)
    command.upgrade(config, "head")
    with open_database(db_url).begin() as session:
        large, small = repository.store_body(session, LARGE), repository.store_body(session, SMALL)
        run = repository.create_run(
            session, kind="recheck", fecha_corte=date(2026, 11, 24), catalog="c", version="t", config={}
        )
        crawl = repository.create_crawl(session, run_id=run.id, inegi_code="15054", site_url="http://x.test/")
        repository.add_resources(
            session,
            [
                dict(
                    crawl_id=crawl.id,
                    url="http://x.test/a.pdf",
                    final_url="http://x.test/a.pdf",
                    status=200,
                    sha256=large,
                    size=len(LARGE),
                    fetched_at=datetime(2026, 11, 24, tzinfo=UTC),
                )
            ],
        )
    command.downgrade(config, "0002")  # SQLite rebuilds `bodies` under the resource that references it
    content = next(c for c in inspect(engine).get_columns("bodies") if c["name"] == "content")
    assert content["nullable"] is False
    with engine.connect() as connection:
        rows = dict(connection.execute(select(Body.sha256, Body.content)).all())
    assert rows == {large: LARGE, small: SMALL}
    command.upgrade(config, "head")
    with open_database(db_url)() as session:
        assert repository.body(session, large) == LARGE
        assert session.scalar(select(Resource.sha256)) == large
        if engine.dialect.name == "sqlite":  # the migrations turned them off to rebuild `bodies`
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        session.execute(Body.__table__.insert().values(sha256="0" * 64, size=0, content=None))  # nullable again


def test_the_body_directory_belongs_to_the_database(monkeypatch, tmp_path):
    monkeypatch.delenv(DIRECTORY_ENV, raising=False)
    assert directory_for(make_url("sqlite:////srv/apertura/apertura.sqlite")) == Path(
        "/srv/apertura/apertura.sqlite-cuerpos"
    )
    postgres = directory_for(make_url("postgresql+psycopg://a@db.example/apertura"))
    assert postgres.parts[-2:] == ("cuerpos", "apertura")
    monkeypatch.setenv(DIRECTORY_ENV, str(tmp_path / "compartido"))
    assert directory_for(make_url("sqlite:////srv/apertura/apertura.sqlite")) == tmp_path / "compartido"
    monkeypatch.setenv(THRESHOLD_ENV, "64k")
    with pytest.raises(DatabaseUnavailable, match=THRESHOLD_ENV):
        open_database(f"sqlite:///{tmp_path / 'x.sqlite'}")


def test_body_is_stored_once_per_hash_and_resources_round_trip(db_url):
    sessions = open_database(db_url)
    with sessions.begin() as session:
        run = repository.create_run(
            session, kind="recheck", fecha_corte=date(2026, 11, 24), catalog="ltaipemym-2016", version="t", config={}
        )
        crawl = repository.create_crawl(session, run_id=run.id, inegi_code="15054", site_url="http://x.test/")
        for url in ("http://x.test/", "http://x.test/copia"):
            digest = repository.store_body(session, "<html>Transparencia ñ</html>".encode())
            repository.add_resources(
                session,
                [
                    dict(
                        crawl_id=crawl.id,
                        url=url,
                        final_url=url,
                        status=200,
                        content_type="text/html",
                        size=30,
                        sha256=digest,
                        fetched_at=datetime(2026, 11, 24, tzinfo=UTC),
                        facts={"is_home": url.endswith("/"), "page": {"title": "Inicio", "links": []}},
                    )
                ],
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


def test_offsite_failure_link_via_and_ocr_facts_round_trip(db_url):
    """The facts the auditor reads about off-site targets, navigation and OCR live in the artifact and extract
    JSON (no column): they come back through `crawl_resources` on both databases."""
    sessions = open_database(db_url)
    with sessions.begin() as session:
        run = repository.create_run(
            session, kind="recheck", fecha_corte=date(2026, 11, 24), catalog="ltaipemym-2016", version="t", config={}
        )
        crawl = repository.create_crawl(session, run_id=run.id, inegi_code="15054", site_url="http://x.test/")
        when = datetime(2026, 11, 24, tzinfo=UTC)
        link = {"href": "http://x.test/cabildo/", "text": "Cabildo", "context": "nav", "via": "onclick"}
        repository.add_resources(
            session,
            [
                dict(
                    crawl_id=crawl.id,
                    url="http://x.test/",
                    final_url="http://x.test/",
                    status=200,
                    fetched_at=when,
                    facts={"is_home": True, "page": {"title": "Inicio", "links": [link]}},
                ),
                dict(
                    crawl_id=crawl.id,
                    url="http://corto.test/a",
                    final_url="http://otro.test/acta.pdf",
                    status=200,
                    fetched_at=when,
                    facts={
                        "offsite": True,
                        "linked_from": "http://x.test/",
                        "redirect_urls": ["http://corto.test/a"],
                        "document": {"kind": "pdf", "text": "Acta", "image_only": True, "ocr": True, "ocr_pages": 3},
                    },
                ),
                dict(
                    crawl_id=crawl.id,
                    url="http://lento.test/",
                    final_url="http://lento.test/",
                    status=None,
                    fetched_at=when,
                    error="tiempo de espera agotado: DownloadTimeoutError: …",
                    facts={"offsite": True, "linked_from": "http://x.test/", "failure": "timeout"},
                ),
            ],
        )
        repository.finish_crawl(session, crawl, status="ok", reason=None, stats={})
    with sessions() as session:
        home, scanned, slow = repository.crawl_resources(session, repository.latest_crawl(session, "15054"))
    assert not home.offsite and home.failure is None and home.page.links[0].via == "onclick"
    assert scanned.offsite and scanned.linked_from == "http://x.test/"
    assert scanned.document.ocr and scanned.document.ocr_pages == 3 and scanned.document.image_only
    assert slow.offsite and slow.failure == "timeout" and slow.error.startswith("tiempo de espera agotado")
    # facts stored before these fields existed read as their defaults
    assert Link(href="http://x.test/").via == "a" and DocumentArtifact().ocr is False


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


def test_migration_0004_moves_extracts_out_of_artifacts_and_back(db_url):
    engine = make_engine(db_url)
    config = alembic_config(engine)
    command.upgrade(config, "0003")
    page = {"title": "Transparencia", "links": [{"href": "http://x.test/a.pdf", "text": "Cuenta pública"}]}
    whole = {"is_home": True, "not_modified": True, "page": page}
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO runs (id, kind, status, started_at, fecha_corte, catalog, tool_version, config, counts) "
                "VALUES (1, 'nightly', 'complete', '2026-11-24', '2026-11-24', 'c', 't', '{}', '{}')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO crawls (id, run_id, inegi_code, source, status, started_at, stats) "
                "VALUES (1, 1, '15054', 'sitio', 'ok', '2026-11-24', '{}')"
            )
        )
        for n in (1, 2):  # two nights of the same page: one extract afterwards
            connection.execute(
                text(
                    "INSERT INTO resources (id, crawl_id, url, final_url, status, headers, content_type, size, "
                    "fetched_at, depth, artifact) VALUES (:id, 1, 'http://x.test/', 'http://x.test/', 200, '{}', "
                    "'text/html', 1, '2026-11-24', 0, :artifact)"
                ),
                {"id": n, "artifact": json.dumps(whole)},
            )
    command.upgrade(config, "head")
    with open_database(db_url)() as session:
        assert session.scalar(select(func.count()).select_from(Extract)) == 1
        rows = session.scalars(select(Resource).order_by(Resource.id)).all()
        assert [row.facts for row in rows] == [{"is_home": True, "not_modified": True}] * 2
        assert [{**row.facts, **row.extract.content} for row in rows] == [whole, whole]
    command.downgrade(config, "0003")
    with engine.connect() as connection:
        artifacts = connection.execute(text("SELECT artifact FROM resources ORDER BY id")).scalars().all()
    assert [json.loads(a) if isinstance(a, str) else a for a in artifacts] == [whole, whole]
    command.upgrade(config, "head")


def test_migration_0006_304_rows_name_their_base_and_downgrade_restores_their_headers(db_url):
    engine = make_engine(db_url)
    config = alembic_config(engine)
    command.upgrade(config, "head")
    original = {"ETag": '"a"', "Content-Type": "text/html", "Date": "Mon, 23 Nov 2026 03:00:00 GMT"}
    changed = {"Date": "Tue, 24 Nov 2026 03:00:00 GMT"}
    sessions = open_database(db_url)
    with sessions.begin() as session:
        for run_id in (1, 2):
            run = repository.create_run(
                session, kind="nightly", fecha_corte=date(2026, 11, 24), catalog="c", version="t", config={}
            )
            crawl = repository.create_crawl(session, run_id=run.id, inegi_code="15054", site_url="http://x.test/")
            base = {"status": 200, "headers": original, "warc_record_id": "<urn:uuid:1>", "base_id": None}
            row = (
                base
                if run_id == 1
                else {"status": 304, "headers": changed, "warc_record_id": "<urn:uuid:2>", "base_id": 1}
            )
            repository.add_resources(
                session,
                [{"crawl_id": crawl.id, "url": "http://x.test/", "final_url": "http://x.test/",
                  "fetched_at": datetime(2026, 11, 22 + run_id, 3, tzinfo=UTC), **row}],
            )  # fmt: skip
    with sessions() as session:  # night 3 asks with night 1's validators and refers to night 1's record
        found = repository.validators(session, crawl_id=2)["http://x.test/"]
        assert (found.resource_id, found.etag, found.warc_record_id) == (1, '"a"', "<urn:uuid:1>")
        assert found.fetched_at == datetime(2026, 11, 23, 3, tzinfo=UTC)
    command.downgrade(config, "0005")
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT headers FROM resources ORDER BY id")).scalars().all()
    assert [json.loads(h) if isinstance(h, str) else h for h in stored] == [original, {**original, **changed}]
    command.upgrade(config, "head")


def test_migration_0008_renames_the_facts_column_both_ways(db_url):
    engine = make_engine(db_url)
    config = alembic_config(engine)
    command.upgrade(config, "head")
    sessions = open_database(db_url)
    facts = {"is_home": True, "redirect_urls": ["http://x.test/inicio"]}
    with sessions.begin() as session:
        run = repository.create_run(
            session, kind="nightly", fecha_corte=date(2026, 11, 24), catalog="c", version="t", config={}
        )
        crawl = repository.create_crawl(session, run_id=run.id, inegi_code="15054", site_url="http://x.test/")
        repository.add_resources(
            session,
            [{"crawl_id": crawl.id, "url": "http://x.test/", "final_url": "http://x.test/", "status": 200,
              "fetched_at": datetime(2026, 11, 24, 3, tzinfo=UTC), "facts": facts}],
        )  # fmt: skip
    command.downgrade(config, "0007")
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT artifact FROM resources")).scalar_one()
    assert (json.loads(stored) if isinstance(stored, str) else stored) == facts
    command.upgrade(config, "head")
    with sessions() as session:
        assert session.scalars(select(Resource.facts)).all() == [facts]


def test_a_findings_content_is_stored_once_and_each_night_keeps_its_own_fetches(db_url):
    """Two nights of an unchanged page: one content row; each finding reads back with its own night's record."""
    engine = make_engine(db_url)
    config = alembic_config(engine)
    sessions = open_database(db_url)

    def finding(night: int) -> Finding:
        cited = Evidence(
            kind="page", url="http://x.test/marco", sha256="a" * 64, matched="«Marco jurídico»",
            fetched_at=datetime(2026, 11, 22 + night, 3, tzinfo=UTC), warc_file=f"run-{night}-00000.warc.gz",
            warc_record_id=f"<urn:uuid:{night}>",
        )  # fmt: skip
        source = SourceResult(source="sitio", status=Status.COMPLIANT, message="En el sitio.", evidence=[cited])
        return Finding(
            rule_id="ltaipemym.92.I", title="Marco normativo", dimension=Dimension.TRANSPARENCIA,
            status=Status.COMPLIANT, weight=1, legal_basis="LTAIPEMyM, art. 92, fr. I", message="Publicado.", review_note="Revisar",
            evidence=[cited, Evidence(kind="absence", searched=["«Reglamento»"], resources_examined=12)],
            sources=[source],
        )  # fmt: skip

    with sessions.begin() as session:
        for night in (1, 2):
            run = repository.create_run(
                session, kind="nightly", fecha_corte=date(2026, 11, 24), catalog="c", version="t", config={}
            )
            crawl = repository.create_crawl(session, run_id=run.id, inegi_code="15001", site_url=None)
            repository.save_audit(
                session, run_id=run.id, crawl=crawl, catalog="c", fecha_corte=run.fecha_corte,
                findings=[finding(night)], scores=[],
            )  # fmt: skip
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(FindingContent)) == 1
        rows = [audit.findings[0] for audit in repository.audit_history(session, "15001")]
        assert [Finding.model_validate(row.data) for row in rows] == [finding(1), finding(2)]
    command.downgrade(config, "0006")
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT data FROM findings ORDER BY id")).scalars().all()
    stored = [json.loads(s) if isinstance(s, str) else s for s in stored]
    assert [Finding.model_validate(s) for s in stored] == [finding(1), finding(2)]
    command.upgrade(config, "head")
    with sessions() as session:  # rows written before 0007 are read as they are
        assert [Finding.model_validate(a.findings[0].data) for a in repository.audit_history(session, "15001")] == [
            finding(1),
            finding(2),
        ]
