"""Data functions for site candidates (discovery of official websites); they never commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.orm import SiteCandidate
from storage.repository import now

PINNED, REJECTED = "pinned", "rejected"


def get(session: Session, inegi_code: str, url: str) -> SiteCandidate | None:
    return session.scalar(select(SiteCandidate).where(SiteCandidate.inegi_code == inegi_code, SiteCandidate.url == url))


def record_check(
    session: Session, inegi_code: str, url: str, *, origin: str, checked_at: datetime, **evidence
) -> SiteCandidate:
    """Insert the candidate or replace its evidence with this check; a reviewer's decision is kept."""
    row = get(session, inegi_code, url)
    if row is None:
        row = SiteCandidate(inegi_code=inegi_code, url=url, origin=origin)
        session.add(row)
    elif origin not in row.origin.split("; "):
        row.origin = f"{row.origin}; {origin}"
    row.checked_at = checked_at
    for name, value in evidence.items():
        setattr(row, name, value)
    session.flush()
    return row


def decide(
    session: Session, inegi_code: str, url: str, *, review: str, reviewer: str, reason: str | None
) -> SiteCandidate:
    """A reviewer pins or rejects ``url``; a URL never checked is added as "unchecked"."""
    row = get(session, inegi_code, url)
    if row is None:
        row = SiteCandidate(
            inegi_code=inegi_code,
            url=url,
            origin="revisor",
            verdict="unchecked",
            reason="propuesta por el revisor; no verificada",
            matched=[],
            score=0,
        )
        session.add(row)
    row.review, row.reviewer, row.review_reason, row.reviewed_at = review, reviewer, reason, now()
    session.flush()
    return row


def candidates(session: Session, inegi_code: str | None = None) -> list[SiteCandidate]:
    query = select(SiteCandidate).order_by(SiteCandidate.inegi_code, SiteCandidate.score.desc(), SiteCandidate.id)
    if inegi_code is not None:
        query = query.where(SiteCandidate.inegi_code == inegi_code)
    return list(session.scalars(query))


def pinned(session: Session) -> dict[str, SiteCandidate]:
    """inegi_code -> the most recently pinned candidate (a later pin replaces an earlier one)."""
    rows = session.scalars(
        select(SiteCandidate)
        .where(SiteCandidate.review == PINNED)
        .order_by(SiteCandidate.reviewed_at, SiteCandidate.id)
    )
    return {row.inegi_code: row for row in rows}
