"""What the auditors conclude, with the evidence a reviewer needs to check it."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel

from models.overview import PeerPosition
from models.rule import Dimension, Nature


class Status(StrEnum):
    COMPLIANT = "compliant"
    PARTIAL = "partial"
    NON_COMPLIANT = "non_compliant"
    NOT_VERIFIABLE = "not_verifiable"
    NOT_APPLICABLE = "not_applicable"

    @property
    def score(self) -> float | None:
        """Criterion score as official verifications use it: 1 / 0.5 / 0; None = excluded."""
        return {"compliant": 1.0, "partial": 0.5, "non_compliant": 0.0}.get(self.value)


EvidenceKind = Literal["link", "page", "document", "fact", "absence", "unreachable"]


class Evidence(BaseModel):
    kind: EvidenceKind
    url: str | None = None
    sha256: str | None = None
    fetched_at: datetime | None = None
    matched: str | None = None
    searched: list[str] | None = None
    resources_examined: int | None = None
    note: str | None = None
    # provenance of the resource cited: its WARC record (in the run's WACZ) and a screenshot (PNG by hash)
    warc_file: str | None = None
    warc_record_id: str | None = None
    screenshot_sha256: str | None = None


class ReviewerVerdict(BaseModel):
    """A reviewer's decision on a finding (see apertura/reporting/review.py); attached when reporting, never stored with the audit."""

    verdict: Literal["confirmed", "rejected", "annotated"]
    reviewer: str
    justification: str
    created_at: datetime
    current: bool  # False: given on different evidence ("veredicto anterior, evidencia distinta")


class SourceResult(BaseModel):
    """What one source says about an obligation: the municipal site or the IPOMEX portal."""

    source: Literal["sitio", "ipomex"]
    status: Status
    message: str
    evidence: list[Evidence] = []


class Finding(BaseModel):
    rule_id: str
    title: str
    dimension: Dimension
    status: Status
    weight: float
    legal_basis: str
    message: str
    review_note: str
    parent: str | None = None
    # "obligacion": a legal duty; "buena_practica": recommended, scored apart and never an "incumplimiento"
    nature: Nature = "obligacion"
    # the finding repeats that rule's (the same obligation seen from another dimension): shown, not scored again
    refers_to: str | None = None
    is_group: bool = False  # a group's status summarises its sub-rules; only leaves are scored
    evidence: list[Evidence] = []  # supports `status`; each source's own evidence is in `sources`
    sources: list[SourceResult] = []  # rules checked on the site and on IPOMEX: one entry per source
    verdict: ReviewerVerdict | None = None
    # the reporting period the auditor found published and the one due by the fecha de corte, when it judged one
    period_found: str | None = None
    period_expected: str | None = None

    @property
    def score(self) -> float | None:
        return self.status.score


class Score(BaseModel):
    # "global": the index of legal obligations; "buenas_practicas": the good practices' own index
    dimension: Dimension | Literal["global", "buenas_practicas"]
    value: float | None  # 0-100; None when nothing was verifiable
    scored: int
    not_verifiable: int
    not_applicable: int


class AuditPoint(BaseModel):
    audit_id: int
    fecha_corte: date
    audited_at: datetime
    scores: list[Score]


class CrawlAttempt(BaseModel):
    """One request of a crawl that reached nothing usable: what the report of an unreachable site shows."""

    url: str
    status: int | None = None  # HTTP status, None when no response arrived
    error: str | None = None
    fetched_at: datetime | None = None


class MunicipalityReport(BaseModel):
    inegi_code: str
    name: str
    website: str | None
    catalog: str
    fecha_corte: date
    run_id: int
    audit_id: int
    audited_at: datetime
    crawl_status: str
    crawl_reason: str | None = None
    resources: int  # requests made, failed ones included
    downloaded: int | None = None  # responses with a body (None: older reports, which did not count them)
    attempts: list[CrawlAttempt] = []  # an unreachable site's requests, as tried
    scores: list[Score]
    findings: list[Finding]
    peers: PeerPosition | None = None  # socio-economic stratum and position among its peers
    history: list[AuditPoint] = []  # scores of every audit of the municipality, oldest first
    # when this crawl could not reach the site: the latest earlier audit made with the site reachable
    last_reachable: AuditPoint | None = None
