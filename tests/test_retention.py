"""Retention keeps what evidence still points to, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from storage import repository
from storage.database import open_database
from storage.orm import Body, FindingRow, Run, Verdict
from storage.retention import prune

pytestmark = pytest.mark.postgres
WHEN = datetime(2026, 11, 24, tzinfo=timezone.utc)


def crawl_with(session, run, bodies: list[bytes]):
    crawl = repository.create_crawl(session, run_id=run.id, inegi_code="15054", site_url="http://m.test/")
    for n, content in enumerate(bodies):
        digest = repository.store_body(session, content)
        repository.add_resource(session, crawl.id, url=f"http://m.test/{n}", final_url=f"http://m.test/{n}", status=200,
                                sha256=digest, size=len(content), fetched_at=WHEN)
    repository.finish_crawl(session, crawl, status="ok", reason=None, stats={})
    return crawl


def new_run(session, kind="nightly"):
    run = repository.create_run(session, kind=kind, fecha_corte=date(2026, 11, 24), catalog="c", version="t", config={})
    repository.finish_run(session, run, status="complete", counts={})
    return run


def audit(session, run, crawl):
    row = repository.save_audit(session, run_id=run.id, crawl=crawl, catalog="c", fecha_corte=run.fecha_corte, findings=[], scores=[])
    finding = FindingRow(audit_id=row.id, rule_id="ltaipemym.92.I", dimension="transparencia", status="compliant", score=1.0, data={})
    session.add(finding)
    session.flush()
    return finding


def test_prune_keeps_recent_judged_and_reaudited_runs(db_url):
    sessions = open_database(db_url)
    with sessions.begin() as s:
        r1, r2, r3 = new_run(s), new_run(s), new_run(s)
        c1, c2, c3 = crawl_with(s, r1, [b"A", b"B"]), crawl_with(s, r2, [b"B", b"C"]), crawl_with(s, r3, [b"D" * 1000])
        judged = audit(s, r1, c1)
        audit(s, r2, c2), audit(s, r3, c3)
        s.add(Verdict(inegi_code="15054", rule_id="ltaipemym.92.I", finding_id=judged.id, evidence_digest="0" * 64,
                      verdict="confirmed", reviewer="Revisora", justification="Visto", created_at=WHEN))
        r4 = new_run(s, kind="audit")
        audit(s, r4, c2)  # a re-audit of run 2's crawl
    with sessions.begin() as s:
        result = prune(s, keep=1)
    assert (result.runs, result.bodies, result.bytes) == (1, 1, 1000)
    with sessions() as s:
        assert sorted(s.scalars(select(Run.id))) == [r1.id, r2.id, r4.id]
        assert s.scalar(select(func.count()).select_from(Body)) == 3
        assert s.scalar(select(func.count()).select_from(FindingRow)) == 3
        assert s.scalar(select(Verdict.finding_id)) == judged.id
    with sessions.begin() as s:
        assert prune(s, keep=1).runs == 0  # idempotent
