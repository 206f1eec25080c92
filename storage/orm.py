"""Typed ORM (SQLAlchemy 2.0). The schema itself is created by Alembic migrations, never create_all()."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage import findings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict: JSON, list: JSON, datetime: DateTime(timezone=True)}


class DatabaseIdentity(Base):
    """One row: the random identifier of this database, which names its web archive folder."""

    __tablename__ = "database_identity"

    identifier: Mapped[str] = mapped_column(String(32), primary_key=True)


class Run(Base):
    """One invocation of the tool (a recheck, a nightly): what was asked and how it ended."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="running")  # running|complete|interrupted|failed
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    fecha_corte: Mapped[date] = mapped_column(Date)
    catalog: Mapped[str] = mapped_column(String(50))
    tool_version: Mapped[str] = mapped_column(String(40))
    config: Mapped[dict] = mapped_column(default=dict)
    counts: Mapped[dict] = mapped_column(default=dict)

    crawls: Mapped[list[Crawl]] = relationship(back_populates="run")


class Crawl(Base):
    """The gathering of one municipality's site within a run."""

    __tablename__ = "crawls"
    __table_args__ = (Index("ix_crawls_code_run", "inegi_code", "run_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    inegi_code: Mapped[str] = mapped_column(String(5))
    source: Mapped[str] = mapped_column(String(20), default="sitio")  # sitio | ipomex
    site_url: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="running")  # running|ok|unreachable|blocked|no_site
    reason: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    stats: Mapped[dict] = mapped_column(default=dict)

    run: Mapped[Run] = relationship(back_populates="crawls")
    resources: Mapped[list[Resource]] = relationship(back_populates="crawl", cascade="all, delete-orphan")


class Body(Base):
    """A response body (or screenshot), stored once per SHA-256.

    `content` is NULL when the bytes are a file of the disk store (storage/bodies.py)."""

    __tablename__ = "bodies"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)


class Extract(Base):
    """What was extracted from a body (the `page` or `document` of a fetch's facts), stored once per SHA-256 of
    its canonical JSON: an unchanged resource of a later night points to the same row."""

    __tablename__ = "extracts"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content: Mapped[dict]


class Resource(Base):
    """One fetched URL: request/response facts as columns, the other facts of the fetch (models.FetchFacts) as
    JSON, and what was extracted from its body. Read by the auditors as a ResourceArtifact (repository.crawl_resources)."""

    __tablename__ = "resources"
    __table_args__ = (Index("ix_resources_crawl_url", "crawl_id", "url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    crawl_id: Mapped[int] = mapped_column(ForeignKey("crawls.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str] = mapped_column(Text)
    status: Mapped[int | None]
    headers: Mapped[dict] = mapped_column(default=dict)  # with a base: only those that differ from the base's
    content_type: Mapped[str] = mapped_column(String(200), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str | None] = mapped_column(ForeignKey("bodies.sha256"), index=True)
    fetched_at: Mapped[datetime]
    depth: Mapped[int] = mapped_column(Integer, default=0)
    referer: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    # FetchFacts.stored() without `page`/`document`, which are in `extract` (the column was `artifact` before 0008)
    facts: Mapped[dict] = mapped_column(default=dict)
    extract_sha256: Mapped[str | None] = mapped_column(ForeignKey("extracts.sha256"))
    warc_file: Mapped[str | None] = mapped_column(Text)
    warc_record_id: Mapped[str | None] = mapped_column(String(100))
    screenshot_sha256: Mapped[str | None] = mapped_column(ForeignKey("bodies.sha256"))
    # A 304: the earlier row (of a 200) whose body, extract and headers this fetch reuses; its WARC record is
    # a revisit of that row's response record. No foreign key: retention keeps the base's run (migration 0006).
    base_id: Mapped[int | None] = mapped_column(Integer)

    crawl: Mapped[Crawl] = relationship(back_populates="resources")
    extract: Mapped[Extract | None] = relationship(lazy="joined")


class Audit(Base):
    """One evaluation of a catalog over a stored crawl. Re-auditing adds a new Audit."""

    __tablename__ = "audits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    crawl_id: Mapped[int] = mapped_column(ForeignKey("crawls.id", ondelete="CASCADE"))
    inegi_code: Mapped[str] = mapped_column(String(5), index=True)
    catalog: Mapped[str] = mapped_column(String(50))
    fecha_corte: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime]
    scores: Mapped[list] = mapped_column(default=list)

    findings: Mapped[list[FindingRow]] = relationship(
        back_populates="audit", cascade="all, delete-orphan", order_by="FindingRow.id"
    )


class FindingContent(Base):
    """What a finding concludes, without the fetches its evidence cites (storage/findings.py), stored once per
    SHA-256: an unchanged site's finding of a later night points to the same row."""

    __tablename__ = "finding_contents"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content: Mapped[dict]


class FindingRow(Base):
    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    rule_id: Mapped[str] = mapped_column(String(60))
    dimension: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    score: Mapped[float | None] = mapped_column(Float)
    # With content_sha256: {"fetches": [...]} (storage/findings.py); without (rows before migration 0007): the
    # whole Finding model as JSON. Read `data`.
    stored: Mapped[dict] = mapped_column("data", default=dict)
    content_sha256: Mapped[str | None] = mapped_column(ForeignKey("finding_contents.sha256"))

    audit: Mapped[Audit] = relationship(back_populates="findings")
    content: Mapped[FindingContent | None] = relationship(lazy="joined")

    @property
    def data(self) -> dict:
        """The Finding model, as JSON."""
        if self.content is None:
            return self.stored
        return findings.join(self.content.content, self.stored.get("fetches", []))

    @data.setter
    def data(self, value: dict) -> None:  # stored whole; save_audit is what splits a night's findings
        self.stored, self.content_sha256, self.content = value, None, None


class Verdict(Base):
    """A reviewer's decision on a finding; it carries over to later audits while the evidence is unchanged."""

    __tablename__ = "verdicts"
    __table_args__ = (Index("ix_verdicts_code_rule", "inegi_code", "rule_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inegi_code: Mapped[str] = mapped_column(String(5))
    rule_id: Mapped[str] = mapped_column(String(60))
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("findings.id", ondelete="SET NULL"))
    evidence_digest: Mapped[str] = mapped_column(String(64))  # SHA-256 over the finding's evidence hashes
    verdict: Mapped[str] = mapped_column(String(20))  # confirmed | rejected | annotated
    reviewer: Mapped[str] = mapped_column(String(200))
    justification: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class SiteCandidate(Base):
    """A URL proposed as a municipality's official site: the latest check's evidence and a reviewer's decision."""

    __tablename__ = "site_candidates"
    __table_args__ = (UniqueConstraint("inegi_code", "url", name="uq_site_candidates_code_url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inegi_code: Mapped[str] = mapped_column(String(5), index=True)
    url: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(Text)  # why it was proposed (name slug, abbreviation, stored link…)
    final_url: Mapped[str | None] = mapped_column(Text)
    status: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(String(64))  # of the body as received
    matched: Mapped[list] = mapped_column(default=list)  # phrases found on the page
    verdict: Mapped[str] = mapped_column(String(30))  # apertura.registry.discovery.assess verdicts
    reason: Mapped[str] = mapped_column(Text)
    score: Mapped[int] = mapped_column(Integer, default=0)
    checked_at: Mapped[datetime | None]
    review: Mapped[str | None] = mapped_column(String(20))  # pinned | rejected
    reviewer: Mapped[str | None] = mapped_column(String(200))
    review_reason: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None]
