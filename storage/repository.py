"""Data functions: each takes a session and never commits; the caller owns the transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models import Finding, ResourceArtifact, Score
from storage.orm import Audit, Body, Crawl, FindingRow, Resource, Run


def now() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; everything we store is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def create_run(session: Session, *, kind: str, fecha_corte: date, catalog: str, version: str, config: dict) -> Run:
    run = Run(kind=kind, started_at=now(), fecha_corte=fecha_corte, catalog=catalog, tool_version=version, config=config)
    session.add(run)
    session.flush()
    return run


def finish_run(session: Session, run: Run, *, status: str, counts: dict) -> None:
    run.status, run.counts, run.finished_at = status, counts, now()


def create_crawl(session: Session, *, run_id: int, inegi_code: str, site_url: str | None) -> Crawl:
    crawl = Crawl(run_id=run_id, inegi_code=inegi_code, site_url=site_url, started_at=now())
    session.add(crawl)
    session.flush()
    return crawl


def finish_crawl(session: Session, crawl: Crawl, *, status: str, reason: str | None, stats: dict) -> None:
    crawl.status, crawl.reason, crawl.stats, crawl.finished_at = status, reason, stats, now()


def store_body(session: Session, content: bytes) -> str:
    """Stores `content` unless a body with the same SHA-256 exists; returns the hash."""
    digest = hashlib.sha256(content).hexdigest()
    dialect = {"postgresql": postgresql, "sqlite": sqlite}[session.get_bind().dialect.name]
    statement = dialect.insert(Body).values(sha256=digest, size=len(content), content=content)
    session.execute(statement.on_conflict_do_nothing(index_elements=["sha256"]))
    return digest


def add_resource(session: Session, crawl_id: int, **facts) -> Resource:
    resource = Resource(crawl_id=crawl_id, **facts)
    session.add(resource)
    return resource


def body(session: Session, sha256: str) -> bytes | None:
    return session.scalar(select(Body.content).where(Body.sha256 == sha256))


def latest_crawl(session: Session, inegi_code: str) -> Crawl | None:
    """The most recent finished crawl of a municipality."""
    return session.scalar(
        select(Crawl)
        .where(Crawl.inegi_code == inegi_code, Crawl.finished_at.is_not(None))
        .order_by(Crawl.id.desc())
        .limit(1)
    )


def crawl_resources(session: Session, crawl: Crawl) -> list[ResourceArtifact]:
    rows = session.scalars(select(Resource).where(Resource.crawl_id == crawl.id).order_by(Resource.id))
    return [to_artifact(row) for row in rows]


def to_artifact(row: Resource) -> ResourceArtifact:
    artifact = row.artifact or {}
    return ResourceArtifact(
        url=row.url,
        final_url=row.final_url,
        status=row.status,
        content_type=row.content_type,
        size=row.size,
        sha256=row.sha256,
        fetched_at=as_utc(row.fetched_at),
        depth=row.depth,
        error=row.error,
        is_home=artifact.get("is_home", False),
        probe=artifact.get("probe", False),
        redirect_urls=artifact.get("redirect_urls", []),
        page=artifact.get("page"),
        document=artifact.get("document"),
    )


def save_audit(
    session: Session,
    *,
    run_id: int,
    crawl: Crawl,
    catalog: str,
    fecha_corte: date,
    findings: Iterable[Finding],
    scores: list[Score],
) -> Audit:
    audit = Audit(
        run_id=run_id,
        crawl_id=crawl.id,
        inegi_code=crawl.inegi_code,
        catalog=catalog,
        fecha_corte=fecha_corte,
        created_at=now(),
        scores=[score.model_dump(mode="json") for score in scores],
    )
    audit.findings = [
        FindingRow(
            rule_id=f.rule_id,
            dimension=f.dimension.value,
            status=f.status.value,
            score=f.score,
            data=f.model_dump(mode="json"),
        )
        for f in findings
    ]
    session.add(audit)
    session.flush()
    return audit


def latest_audit(session: Session, inegi_code: str) -> Audit | None:
    return session.scalar(
        select(Audit).where(Audit.inegi_code == inegi_code).order_by(Audit.id.desc()).limit(1)
    )
