"""Retention keeps what evidence still points to, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from storage import repository
from storage.bodies import DIRECTORY_ENV, THRESHOLD_ENV
from storage.database import open_database
from storage.orm import Body, Extract, FindingRow, Run, Verdict
from storage.retention import prune, remove_pruned_files

pytestmark = pytest.mark.postgres
WHEN = datetime(2026, 11, 24, tzinfo=UTC)


def crawl_with(session, run, bodies: list[bytes]):
    crawl = repository.create_crawl(session, run_id=run.id, inegi_code="15054", site_url="http://m.test/")
    for n, content in enumerate(bodies):
        digest = repository.store_body(session, content)
        repository.add_resources(
            session,
            [
                dict(
                    crawl_id=crawl.id,
                    url=f"http://m.test/{n}",
                    final_url=f"http://m.test/{n}",
                    status=200,
                    sha256=digest,
                    size=len(content),
                    fetched_at=WHEN,
                    facts={"page": {"title": content[:8].decode()}},
                )
            ],
        )
    repository.finish_crawl(session, crawl, status="ok", reason=None, stats={})
    return crawl


def new_run(session, kind="nightly"):
    run = repository.create_run(session, kind=kind, fecha_corte=date(2026, 11, 24), catalog="c", version="t", config={})
    repository.finish_run(session, run, status="complete", counts={})
    return run


def audit(session, run, crawl):
    row = repository.save_audit(
        session, run_id=run.id, crawl=crawl, catalog="c", fecha_corte=run.fecha_corte, findings=[], scores=[]
    )
    finding = FindingRow(
        audit_id=row.id, rule_id="ltaipemym.92.I", dimension="transparencia", status="compliant", score=1.0, data={}
    )
    session.add(finding)
    session.flush()
    return finding


def verdict_on(finding) -> Verdict:
    """A reviewer's verdict: what keeps a pruned night's finding (and its evidence) alive."""
    return Verdict(
        inegi_code="15054",
        rule_id="ltaipemym.92.I",
        finding_id=finding.id,
        evidence_digest="0" * 64,
        verdict="confirmed",
        reviewer="Revisora",
        justification="Visto",
        created_at=WHEN,
    )


def test_prune_keeps_recent_judged_and_reaudited_runs(db_url):
    sessions = open_database(db_url)
    with sessions.begin() as s:
        r1, r2, r3 = new_run(s), new_run(s), new_run(s)
        c1, c2, c3 = crawl_with(s, r1, [b"A", b"B"]), crawl_with(s, r2, [b"B", b"C"]), crawl_with(s, r3, [b"D" * 1000])
        judged = audit(s, r1, c1)
        audit(s, r2, c2), audit(s, r3, c3)
        s.add(verdict_on(judged))
        r4 = new_run(s, kind="audit")
        audit(s, r4, c2)  # a re-audit of run 2's crawl
    with sessions.begin() as s:
        result = prune(s, keep=1)
    assert (result.runs, result.bodies, result.bytes) == (1, 1, 1000)
    with sessions() as s:
        assert sorted(s.scalars(select(Run.id))) == [r1.id, r2.id, r4.id]
        assert s.scalar(select(func.count()).select_from(Body)) == 3
        assert sorted(e.content["page"]["title"] for e in s.scalars(select(Extract))) == ["A", "B", "C"]  # one "B"
        assert s.scalar(select(func.count()).select_from(FindingRow)) == 3
        assert s.scalar(select(Verdict.finding_id)) == judged.id
    with sessions.begin() as s:
        assert prune(s, keep=1).runs == 0  # idempotent


def test_prune_deletes_the_files_of_pruned_disk_bodies_after_the_commit(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv(DIRECTORY_ENV, str(tmp_path / "cuerpos"))
    monkeypatch.setenv(THRESHOLD_ENV, "100")
    sessions = open_database(db_url)
    judged_pdf, old_pdf, new_pdf, shared = b"A" * 500, b"D" * 1000, b"E" * 300, b"s" * 200
    with sessions.begin() as s:
        r1, r2, r3 = new_run(s), new_run(s), new_run(s)
        c1 = crawl_with(s, r1, [judged_pdf, shared])
        crawl_with(s, r2, [old_pdf, shared, b"small"])
        crawl_with(s, r3, [new_pdf])
        judged = audit(s, r1, c1)
        s.add(verdict_on(judged))
    files = {
        content: tmp_path / "cuerpos" / h[:2] / h[2:4] / h
        for content in (judged_pdf, old_pdf, new_pdf, shared)
        for h in [hashlib.sha256(content).hexdigest()]
    }
    assert all(path.is_file() for path in files.values())
    with sessions.begin() as s:
        result = prune(s, keep=1)  # run 2 goes: its old PDF and its small page
        assert files[old_pdf].is_file()  # nothing leaves the disk before the commit
    assert (result.runs, result.bodies, result.bytes) == (1, 2, 1000 + len(b"small"))
    assert result.disk == [hashlib.sha256(old_pdf).hexdigest()]
    remove_pruned_files(sessions, result)
    assert not files[old_pdf].exists()
    with sessions() as s:
        for content in (judged_pdf, new_pdf, shared):  # the judged run's evidence and the newest run's
            assert files[content].is_file() and repository.body(s, hashlib.sha256(content).hexdigest()) == content


def test_a_body_stored_again_after_pruning_keeps_its_file(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv(DIRECTORY_ENV, str(tmp_path / "cuerpos"))
    monkeypatch.setenv(THRESHOLD_ENV, "100")
    sessions = open_database(db_url)
    pdf = b"P" * 1000
    with sessions.begin() as s:
        crawl_with(s, new_run(s), [pdf])
        crawl_with(s, new_run(s), [b"page"])
    with sessions.begin() as s:
        result = prune(s, keep=1)
    with sessions.begin() as s:  # a crawl beside the pruning fetched the same PDF before the files went
        digest = repository.store_body(s, pdf)
    assert result.disk == [digest]
    remove_pruned_files(sessions, result)
    with sessions() as s:
        assert repository.body(s, digest) == pdf
