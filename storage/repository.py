"""Data functions: each takes a session and never commits; the caller owns the transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import groupby
from typing import cast

from sqlalchemy import Row, Table, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from models import Finding, ResourceArtifact, Score
from storage import findings as stored_findings
from storage.bodies import BodyStore
from storage.orm import (
    Audit,
    Body,
    Crawl,
    DatabaseIdentity,
    Extract,
    FindingContent,
    FindingRow,
    Resource,
    Run,
    Verdict,
)


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
    return store_bodies(session, [content])[0]


def store_bodies(session: Session, contents: list[bytes]) -> list[str]:
    """`store_body` for many bodies at once: one query for the large ones already stored, one INSERT for all
    (a crawl's batch of resources); returns their hashes, in order."""
    digests = [hashlib.sha256(content).hexdigest() for content in contents]
    store = BodyStore.of(session.get_bind().engine.url)
    values = {}
    for digest, content in zip(digests, contents, strict=True):
        on_disk = store.goes_to_disk(len(content))
        values[digest] = {"sha256": digest, "size": len(content), "content": None if on_disk else content}
    large = [digest for digest, row in values.items() if row["content"] is None]
    if large:
        stored = set(session.scalars(select(Body.sha256).where(Body.sha256.in_(large))))
        for digest, content in zip(digests, contents, strict=True):
            if digest in large and digest not in stored:
                store.write(digest, content)
                stored.add(digest)
    if values:
        session.execute(_insert_once(session, Body), list(values.values()))
    return digests


def _insert_once(session: Session, table: type[Body] | type[Extract] | type[FindingContent]):
    """INSERT … ON CONFLICT (sha256) DO NOTHING; values as parameters, so the statement compiles once."""
    dialect = {"postgresql": postgresql, "sqlite": sqlite}[session.get_bind().dialect.name]
    # The table, not the ORM class: the same statement without the ORM's bulk-insert bookkeeping per row.
    return dialect.insert(table.__table__).on_conflict_do_nothing(index_elements=["sha256"])


EXTRACTED = ("page", "document")  # the facts computed from the body, kept in `extracts`


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

    The `page`/`document` of a row's facts are stored once in `extracts`; a row may instead name
    an existing extract by `extract_sha256` (a 304 reusing the previous night's)."""
    extracts: dict[str, dict] = {}
    split = []
    for row in rows:
        facts = row.get("facts") or {}
        content = {key: facts[key] for key in EXTRACTED if key in facts}
        digest = row.get("extract_sha256")
        if content:
            digest = extract_digest(content)
            extracts[digest] = content
            facts = {key: value for key, value in facts.items() if key not in EXTRACTED}
        split.append({**row, "facts": facts, "extract_sha256": digest})
    if extracts:
        session.execute(_insert_once(session, Extract), [{"sha256": d, "content": c} for d, c in extracts.items()])
    # Core, without the ORM's bookkeeping per row; one executemany per run of rows with the same columns (as the
    # ORM groups them: an executemany takes its columns from its first row).
    table = cast(Table, Resource.__table__)
    for _, group in groupby(split, key=lambda row: tuple(row)):
        session.execute(insert(table), list(group))


def link_screenshot(session: Session, crawl_id: int, final_url: str, sha256: str) -> None:
    """Attaches a stored screenshot (a body) to every resource of the crawl that ended at `final_url`."""
    session.execute(
        update(Resource)
        .where(Resource.crawl_id == crawl_id, Resource.final_url == final_url)
        .values(screenshot_sha256=sha256)
    )


def set_page_fact(session: Session, crawl_id: int, final_url: str, name: str, value) -> None:
    """Adds a fact gathered after the crawl (e.g. axe-core results) to the pages extracted at `final_url`."""
    rows = session.scalars(select(Resource).where(Resource.crawl_id == crawl_id, Resource.final_url == final_url))
    for row in rows:
        if row.extract is not None and row.extract.content.get("page") is not None:
            content = {**row.extract.content, "page": {**row.extract.content["page"], name: value}}
            row.extract = session.get(Extract, store_extract(session, content))


def page_fact_of_body(session: Session, sha256: str, name: str):
    """A fact gathered after the crawl (e.g. axe-core results) on a page with exactly this body, if any (a
    fact that records an error is gathered again)."""
    rows = session.scalars(
        select(Extract.content)
        .join(Resource, Resource.extract_sha256 == Extract.sha256)
        .where(Resource.sha256 == sha256)
    )
    found = (page[name] for content in rows if (page := content.get("page")) and page.get(name))
    return next((fact for fact in found if not (isinstance(fact, dict) and fact.get("error"))), None)


def screenshots_of_bodies(session: Session, bodies: Collection[str]) -> dict[str, str]:
    """Body hash -> a screenshot already taken of a page with exactly this body (e.g. in an earlier night)."""
    rows = session.execute(
        select(Resource.sha256, Resource.screenshot_sha256).where(
            Resource.sha256.in_(bodies), Resource.screenshot_sha256.is_not(None)
        )
    )
    return {body: shot for body, shot in rows if body and shot}


def page_screenshots(session: Session, crawl_id: int) -> dict[str, str]:
    """Final URL -> the screenshot of a crawl's page: the page's own, else one taken of an identical body."""
    rows = session.execute(
        select(Resource.final_url, Resource.sha256, Resource.screenshot_sha256)
        .where(Resource.crawl_id == crawl_id, Resource.sha256.is_not(None), Resource.error.is_(None))
        .order_by(Resource.id)
    ).all()
    own = {url: shot for url, _, shot in rows if shot}
    by_body = screenshots_of_bodies(session, {body for url, body, _ in rows if url not in own and body})
    return own | {url: by_body[body] for url, body, _ in rows if url not in own and body in by_body}


def body(session: Session, sha256: str) -> bytes | None:
    """The stored bytes, None if no body has this hash; a damaged disk file raises BodyUnavailable."""
    row = session.execute(select(Body.content).where(Body.sha256 == sha256)).first()
    if row is None:
        return None
    if row.content is None:
        return BodyStore.of(session.get_bind().engine.url).read(sha256)
    return row.content


def crawls_by_id(session: Session, ids: Iterable[int]) -> dict[int, Crawl]:
    return {c.id: c for c in session.scalars(select(Crawl).where(Crawl.id.in_(list(ids))))}


def first_requests(session: Session, crawl: Crawl, limit: int = 20) -> list[Resource]:
    """A crawl's first `limit` requests, in the order they were stored (an unreachable crawl's attempts)."""
    return list(
        session.scalars(select(Resource).where(Resource.crawl_id == crawl.id).order_by(Resource.id).limit(limit))
    )


def latest_extracts(session: Session) -> Iterable[Row[tuple[str, dict, str]]]:
    """(final URL, extract, inegi_code) of every resource with an extract in the latest crawl of every
    municipality and source, streamed."""
    latest = select(func.max(Crawl.id)).group_by(Crawl.inegi_code, Crawl.source)
    return session.execute(
        select(Resource.final_url, Extract.content, Crawl.inegi_code)
        .join(Crawl, Resource.crawl_id == Crawl.id)
        .join(Extract, Resource.extract_sha256 == Extract.sha256)
        .where(Crawl.id.in_(latest))
        .execution_options(yield_per=200)
    )


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


@dataclass(frozen=True)
class Validator:
    """What a conditional request needs from the previous crawl: the row a 304 reuses (the original fetch, never
    another 304), its validators and the WARC response record a revisit record points to."""

    resource_id: int
    etag: str | None
    last_modified: str | None
    warc_record_id: str | None
    fetched_at: datetime


def validators(session: Session, crawl_id: int) -> dict[str, Validator]:
    """final URL -> Validator, for a crawl's successful fetches that carried an ETag or a Last-Modified."""
    base = aliased(Resource)
    rows = session.execute(
        select(
            Resource.final_url,
            Resource.headers,
            base.id,
            base.status,
            base.headers,
            base.warc_record_id,
            base.fetched_at,
        )
        .join(base, base.id == func.coalesce(Resource.base_id, Resource.id))
        .where(Resource.crawl_id == crawl_id, Resource.status.in_((200, 304)), Resource.error.is_(None))
        .order_by(Resource.id)
    )
    found = {}
    for url, headers, base_id, base_status, base_headers, record_id, fetched_at in rows:
        lowered = {k.lower(): v for k, v in {**(base_headers or {}), **(headers or {})}.items()}
        if lowered.get("etag") or lowered.get("last-modified"):
            record_id = record_id if base_status == 200 else None  # a 304 stored before revisits has no payload
            found[url] = Validator(
                base_id, lowered.get("etag"), lowered.get("last-modified"), record_id, as_utc(fetched_at)
            )
    return found


def base_crawls(session: Session, crawl_id: int, warc_record_ids: Collection[str]) -> list[Crawl]:
    """The earlier crawls holding the base rows of this crawl's 304s archived under these WARC record ids."""
    bases = select(Resource.base_id).where(
        Resource.crawl_id == crawl_id, Resource.base_id.is_not(None), Resource.warc_record_id.in_(warc_record_ids)
    )
    query = select(Crawl).where(Crawl.id.in_(select(Resource.crawl_id).where(Resource.id.in_(bases))))
    return list(session.scalars(query.order_by(Crawl.id)))


# The columns of `resources` that are fields of ResourceArtifact, by name; its other fields are the stored facts.
ARTIFACT_COLUMNS = tuple(name for name in ResourceArtifact.model_fields if name in Resource.__table__.c)


def crawl_resources(session: Session, crawl: Crawl) -> list[ResourceArtifact]:
    """The crawl's resources as the auditors see them: each row's facts (`facts` and its extract's JSON) and its
    columns. Read as plain rows: every re-audit reads them all, and ORM instances would cost a third of that."""
    columns = [Resource.__table__.c[name] for name in ARTIFACT_COLUMNS]
    query = (
        select(Resource.facts, Extract.content, *columns)
        .outerjoin(Extract, Extract.sha256 == Resource.extract_sha256)
        .where(Resource.crawl_id == crawl.id)
        .order_by(Resource.id)
    )
    artifacts = []
    for facts, extract, *values in session.execute(query):
        row = dict(zip(ARTIFACT_COLUMNS, values, strict=True))
        row["fetched_at"] = as_utc(row["fetched_at"])
        artifacts.append(ResourceArtifact.model_validate({**(facts or {}), **(extract or {}), **row}))
    return artifacts


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
    rows, contents = [], {}
    for f in findings:
        content, fetches = stored_findings.split(f.model_dump(mode="json", exclude_none=True))  # None: the default
        digest = stored_findings.digest(content)
        contents[digest] = content
        rows.append(
            {
                "audit_id": audit.id,
                "rule_id": f.rule_id,
                "dimension": f.dimension.value,
                "status": f.status.value,
                "score": f.score,
                "stored": {"fetches": fetches},
                "content_sha256": digest,
            }
        )
    if rows:
        session.execute(
            _insert_once(session, FindingContent), [{"sha256": d, "content": c} for d, c in contents.items()]
        )
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
