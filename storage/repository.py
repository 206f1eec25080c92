"""Data functions: each takes a session and never commits; the caller owns the transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable
from datetime import UTC, date, datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models import Finding, ResourceArtifact, Score
from storage.bodies import BodyStore
from storage.orm import Audit, Body, Crawl, DatabaseIdentity, Extract, FindingRow, Resource, Run, Verdict


def now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; everything we store is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def database_identifier(session: Session) -> str:
    """The random identifier of this database (migration 0005), which names its web archive folder."""
    return session.scalars(select(DatabaseIdentity.identifier)).one()


def create_run(session: Session, *, kind: str, fecha_corte: date, catalog: str, version: str, config: dict) -> Run:
    run = Run(
        kind=kind, started_at=now(), fecha_corte=fecha_corte, catalog=catalog, tool_version=version, config=config
    )
    session.add(run)
    session.flush()
    return run


def finish_run(session: Session, run: Run, *, status: str, counts: dict) -> None:
    run.status, run.counts, run.finished_at = status, counts, now()


def create_crawl(
    session: Session, *, run_id: int, inegi_code: str, site_url: str | None, source: str = "sitio"
) -> Crawl:
    crawl = Crawl(run_id=run_id, inegi_code=inegi_code, site_url=site_url, source=source, started_at=now())
    session.add(crawl)
    session.flush()
    return crawl


def finish_crawl(session: Session, crawl: Crawl, *, status: str, reason: str | None, stats: dict) -> None:
    crawl.status, crawl.reason, crawl.stats, crawl.finished_at = status, reason, stats, now()


def store_body(session: Session, content: bytes) -> str:
    """Stores `content` unless a body with the same SHA-256 exists; returns the hash.

    A large body goes to the disk store (storage/bodies.py) before its row, so that a committed row never
    points to a missing file."""
    digest = hashlib.sha256(content).hexdigest()
    store = BodyStore.of(session.get_bind().url)
    on_disk = store.goes_to_disk(len(content))
    if on_disk and session.scalar(select(Body.sha256).where(Body.sha256 == digest)) is None:
        store.write(digest, content)
    values = {"sha256": digest, "size": len(content), "content": None if on_disk else content}
    session.execute(_insert_once(session, Body), values)
    return digest


def _insert_once(session: Session, table: type[Body] | type[Extract]):
    """INSERT … ON CONFLICT (sha256) DO NOTHING; values as parameters, so the statement compiles once."""
    dialect = {"postgresql": postgresql, "sqlite": sqlite}[session.get_bind().dialect.name]
    return dialect.insert(table).on_conflict_do_nothing(index_elements=["sha256"])


EXTRACTED = ("page", "document")  # the artifact parts computed from the body, kept in `extracts`


def extract_digest(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def store_extract(session: Session, content: dict) -> str:
    """Stores what was extracted from a body unless an identical extract exists; returns its hash."""
    digest = extract_digest(content)
    session.execute(_insert_once(session, Extract), {"sha256": digest, "content": content})
    return digest


def add_resources(session: Session, rows: list[dict]) -> None:
    """Inserts many resources (column -> value dicts) in one executemany, without loading them back.

    The `page`/`document` parts of a row's artifact are stored once in `extracts`; a row may instead name
    an existing extract by `extract_sha256` (a 304 reusing the previous night's)."""
    extracts: dict[str, dict] = {}
    split = []
    for row in rows:
        artifact = row.get("artifact") or {}
        content = {key: artifact[key] for key in EXTRACTED if key in artifact}
        digest = row.get("extract_sha256")
        if content:
            digest = extract_digest(content)
            extracts[digest] = content
            artifact = {key: value for key, value in artifact.items() if key not in EXTRACTED}
        split.append({**row, "artifact": artifact, "extract_sha256": digest})
    if extracts:
        session.execute(_insert_once(session, Extract), [{"sha256": d, "content": c} for d, c in extracts.items()])
    if split:
        session.execute(insert(Resource), split)


def link_screenshot(session: Session, crawl_id: int, final_url: str, sha256: str) -> None:
    """Attaches a stored screenshot (a body) to every resource of the crawl that ended at `final_url`."""
    session.execute(
        update(Resource)
        .where(Resource.crawl_id == crawl_id, Resource.final_url == final_url)
        .values(screenshot_sha256=sha256)
    )


def set_page_fact(session: Session, crawl_id: int, final_url: str, name: str, value) -> None:
    """Adds a fact gathered after the crawl (e.g. axe-core results) to the page artifacts at `final_url`."""
    rows = session.scalars(select(Resource).where(Resource.crawl_id == crawl_id, Resource.final_url == final_url))
    for row in rows:
        if row.extract is not None and row.extract.content.get("page") is not None:
            content = {**row.extract.content, "page": {**row.extract.content["page"], name: value}}
            row.extract = session.get(Extract, store_extract(session, content))


def screenshot_of_body(session: Session, sha256: str) -> str | None:
    """A screenshot already taken of a page with exactly this body (e.g. in an earlier night)."""
    return session.scalar(
        select(Resource.screenshot_sha256)
        .where(Resource.sha256 == sha256, Resource.screenshot_sha256.is_not(None))
        .limit(1)
    )


def body(session: Session, sha256: str) -> bytes | None:
    """The stored bytes, None if no body has this hash; a damaged disk file raises BodyUnavailable."""
    row = session.execute(select(Body.content).where(Body.sha256 == sha256)).first()
    if row is None:
        return None
    if row.content is None:
        return BodyStore.of(session.get_bind().url).read(sha256)
    return row.content


def latest_crawl(session: Session, inegi_code: str, source: str = "sitio") -> Crawl | None:
    """The most recent finished crawl of a municipality's site (source="ipomex": of its IPOMEX portal)."""
    return session.scalar(
        select(Crawl)
        .where(
            Crawl.inegi_code == inegi_code,
            Crawl.source == source,
            Crawl.finished_at.is_not(None),
            Crawl.status != "interrupted",
        )
        .order_by(Crawl.id.desc())
        .limit(1)
    )


def validators(session: Session, crawl_id: int) -> dict[str, tuple[int, str | None, str | None]]:
    """final URL -> (resource id, ETag, Last-Modified) of a crawl's successful fetches, for conditional requests."""
    rows = session.execute(
        select(Resource.id, Resource.final_url, Resource.headers)
        .where(Resource.crawl_id == crawl_id, Resource.status.in_((200, 304)), Resource.error.is_(None))
        .order_by(Resource.id)
    )
    found = {}
    for resource_id, url, headers in rows:
        lowered = {k.lower(): v for k, v in (headers or {}).items()}
        if lowered.get("etag") or lowered.get("last-modified"):
            found[url] = (resource_id, lowered.get("etag"), lowered.get("last-modified"))
    return found


def crawl_resources(session: Session, crawl: Crawl) -> list[ResourceArtifact]:
    rows = session.scalars(select(Resource).where(Resource.crawl_id == crawl.id).order_by(Resource.id))
    return [to_artifact(row) for row in rows]


def to_artifact(row: Resource) -> ResourceArtifact:
    artifact = row.full_artifact
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
        failure=artifact.get("failure"),
        is_home=artifact.get("is_home", False),
        probe=artifact.get("probe", False),
        redirect_urls=artifact.get("redirect_urls", []),
        role=artifact.get("role"),
        offsite=artifact.get("offsite", False),
        linked_from=artifact.get("linked_from"),
        not_modified=artifact.get("not_modified", False),
        reused=artifact.get("reused"),
        rendered=artifact.get("rendered", False),
        render_reason=artifact.get("render_reason"),
        tls=artifact.get("tls"),
        page=artifact.get("page"),
        document=artifact.get("document"),
        portal_formats=artifact.get("portal_formats", []),
        warc_file=row.warc_file,
        warc_record_id=row.warc_record_id,
        screenshot_sha256=row.screenshot_sha256,
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
    session.add(audit)
    session.flush()
    rows = [
        {
            "audit_id": audit.id,
            "rule_id": f.rule_id,
            "dimension": f.dimension.value,
            "status": f.status.value,
            "score": f.score,
            "data": f.model_dump(mode="json", exclude_none=True),
        }  # None is the default when read
        for f in findings
    ]
    if rows:
        session.execute(insert(FindingRow), rows)  # one executemany
    session.expire(audit, ["findings"])  # loaded from the database when read
    return audit


def run_audits(session: Session, run_id: int) -> dict[str, Audit]:
    """The latest audit of each municipality within a run."""
    audits = session.scalars(select(Audit).where(Audit.run_id == run_id).order_by(Audit.id))
    return {audit.inegi_code: audit for audit in audits}


def latest_runs(session: Session, limit: int = 2, inegi_code: str | None = None) -> list[Run]:
    """The most recent complete runs (newest first), optionally only those that audited a municipality."""
    query = select(Run).where(Run.status == "complete").order_by(Run.id.desc()).limit(limit)
    if inegi_code:
        query = query.where(Run.id.in_(select(Audit.run_id).where(Audit.inegi_code == inegi_code)))
    return list(session.scalars(query))


def unfinished_run(session: Session, kind: str) -> Run | None:
    return session.scalar(select(Run).where(Run.kind == kind, Run.status == "running").order_by(Run.id.desc()).limit(1))


def finished_crawls(session: Session, run_id: int, source: str = "sitio") -> dict[str, Crawl]:
    rows = session.scalars(
        select(Crawl).where(
            Crawl.run_id == run_id,
            Crawl.source == source,
            Crawl.finished_at.is_not(None),
            Crawl.status != "interrupted",
        )
    )
    return {crawl.inegi_code: crawl for crawl in rows}


def run_crawls(session: Session, run_id: int, source: str = "sitio") -> list[Crawl]:
    """Every crawl of one source within a run, oldest first."""
    return list(session.scalars(select(Crawl).where(Crawl.run_id == run_id, Crawl.source == source).order_by(Crawl.id)))


def audited_codes(session: Session, run_id: int) -> set[str]:
    return set(session.scalars(select(Audit.inegi_code).where(Audit.run_id == run_id)))


def abandon_unfinished_crawls(session: Session, run_id: int, inegi_codes: Collection[str] | None = None) -> int:
    """Crawls of a killed run (or of some of its municipalities): their partial resources go, the rows stay
    marked `interrupted`."""
    query = select(Crawl).where(Crawl.run_id == run_id, Crawl.finished_at.is_(None))
    if inegi_codes is not None:
        query = query.where(Crawl.inegi_code.in_(inegi_codes))
    unfinished = list(session.scalars(query))
    for crawl in unfinished:
        session.execute(delete(Resource).where(Resource.crawl_id == crawl.id))
        crawl.status, crawl.finished_at, crawl.reason = "interrupted", now(), "ejecución interrumpida"
    return len(unfinished)


def latest_audit(session: Session, inegi_code: str) -> Audit | None:
    return session.scalar(select(Audit).where(Audit.inegi_code == inegi_code).order_by(Audit.id.desc()).limit(1))


def latest_audits(session: Session) -> dict[str, Audit]:
    """The most recent audit of every audited municipality, by INEGI code."""
    newest = select(func.max(Audit.id)).group_by(Audit.inegi_code)
    return {a.inegi_code: a for a in session.scalars(select(Audit).where(Audit.id.in_(newest)))}


def last_reachable_audit(session: Session, inegi_code: str, before: int) -> Audit | None:
    """The latest audit before audit `before` whose crawl reached the site."""
    query = (
        select(Audit).join(Crawl, Crawl.id == Audit.crawl_id)
        .where(Audit.inegi_code == inegi_code, Audit.id < before, Crawl.status == "ok")
        .order_by(Audit.id.desc()).limit(1)
    )  # fmt: skip
    return session.scalar(query)


def audit_history(session: Session, inegi_code: str) -> list[Audit]:
    """Every audit of a municipality, oldest first."""
    return list(session.scalars(select(Audit).where(Audit.inegi_code == inegi_code).order_by(Audit.id)))


def audit_finding(session: Session, audit: Audit, rule_id: str) -> FindingRow | None:
    return session.scalar(select(FindingRow).where(FindingRow.audit_id == audit.id, FindingRow.rule_id == rule_id))


def add_verdict(session: Session, **fields) -> Verdict:
    verdict = Verdict(created_at=now(), **fields)
    session.add(verdict)
    session.flush()
    return verdict


def verdicts(session: Session, inegi_code: str) -> list[Verdict]:
    """A municipality's reviewer verdicts, oldest first."""
    return list(session.scalars(select(Verdict).where(Verdict.inegi_code == inegi_code).order_by(Verdict.id)))
