"""Retention: prune old runs, the bodies and extracts no kept resource points to and the finding contents no kept
finding points to.

Kept: the newest complete runs, runs still running, runs holding a finding a reviewer ruled on, every run
whose crawl a kept audit was computed from (an `audit` run re-uses an older crawl), and every run holding the
base row of a kept 304 (its headers, and the response record its WARC revisit record refers to).
The files of pruned disk bodies are deleted by `remove_pruned_files` once the pruning is committed: a
crash in between leaves only unreferenced files, never a row without its file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import CursorResult, delete, func, select, union
from sqlalchemy.orm import Session, sessionmaker

from storage.bodies import BodyStore
from storage.orm import Audit, Body, Crawl, Extract, FindingContent, FindingRow, Resource, Run, Verdict

CHUNK = 1000  # hashes per query, well under SQLite's and PostgreSQL's limits on bound parameters


@dataclass
class PruneResult:
    runs: int
    bodies: int
    bytes: int  # in the database and on disk
    disk: list[str] = field(default_factory=list)  # hashes of the pruned bodies whose bytes are files


def kept_runs(session: Session, keep: int) -> set[int]:
    newest = select(Run.id).where(Run.status == "complete").order_by(Run.id.desc()).limit(keep)
    kept = set(session.scalars(newest)) | set(session.scalars(select(Run.id).where(Run.status == "running")))
    judged = select(Audit.run_id).join(FindingRow).join(Verdict, Verdict.finding_id == FindingRow.id)
    kept |= set(session.scalars(judged))
    crawled_for = select(Crawl.run_id).join(Audit, Audit.crawl_id == Crawl.id).where(Audit.run_id.in_(kept))
    kept |= set(session.scalars(crawled_for))
    kept_crawls = select(Crawl.id).where(Crawl.run_id.in_(kept))
    bases = select(Resource.base_id).where(Resource.crawl_id.in_(kept_crawls), Resource.base_id.is_not(None))
    based_on = select(Crawl.run_id).join(Resource, Resource.crawl_id == Crawl.id).where(Resource.id.in_(bases))
    return kept | set(session.scalars(based_on))


def prune(session: Session, keep: int) -> PruneResult:
    kept = kept_runs(session, keep)
    doomed = list(session.scalars(select(Run.id).where(Run.id.not_in(kept))))
    if doomed:
        # Children first: SQLite only cascades when foreign keys are on, and not every connection may have it.
        crawls = select(Crawl.id).where(Crawl.run_id.in_(doomed))
        audits = select(Audit.id).where(Audit.run_id.in_(doomed) | Audit.crawl_id.in_(crawls))
        session.execute(delete(FindingRow).where(FindingRow.audit_id.in_(audits)))
        session.execute(delete(Audit).where(Audit.id.in_(audits)))
        session.execute(delete(Resource).where(Resource.crawl_id.in_(crawls)))
        session.execute(delete(Crawl).where(Crawl.run_id.in_(doomed)))
        session.execute(delete(Run).where(Run.id.in_(doomed)))
    referenced = union(
        select(Resource.sha256).where(Resource.sha256.is_not(None)),
        select(Resource.screenshot_sha256).where(Resource.screenshot_sha256.is_not(None)),
    ).subquery()
    orphans = select(Body.sha256).where(Body.sha256.not_in(select(referenced.c[0])))
    freed = session.scalar(select(func.coalesce(func.sum(Body.size), 0)).where(Body.sha256.in_(orphans)))
    disk = list(session.scalars(select(Body.sha256).where(Body.sha256.in_(orphans), Body.content.is_(None))))
    bodies = cast(CursorResult, session.execute(delete(Body).where(Body.sha256.in_(orphans)))).rowcount
    extracted = select(Resource.extract_sha256).where(Resource.extract_sha256.is_not(None))
    session.execute(delete(Extract).where(Extract.sha256.not_in(extracted)))
    concluded = select(FindingRow.content_sha256).where(FindingRow.content_sha256.is_not(None))
    session.execute(delete(FindingContent).where(FindingContent.sha256.not_in(concluded)))
    return PruneResult(runs=len(doomed), bodies=bodies, bytes=int(freed or 0), disk=disk)


def remove_pruned_files(sessions: sessionmaker[Session], result: PruneResult) -> None:
    """Deletes the files of the disk bodies `prune` removed, after its commit. A body stored again since
    (a crawl running beside the pruning fetched the same bytes) keeps its file."""
    with sessions() as session:
        store = BodyStore.of(session.get_bind().engine.url)
        for start in range(0, len(result.disk), CHUNK):
            chunk = result.disk[start : start + CHUNK]
            stored_again = set(session.scalars(select(Body.sha256).where(Body.sha256.in_(chunk))))
            store.remove(sha256 for sha256 in chunk if sha256 not in stored_again)
