"""The state-wide overview (`informes/estatal.json`) and a municipality's position among its peers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel

StratumKind = Literal["conapo", "coneval", "idh"]
# Dimension scores as stored with each audit, plus the global index.
ScoreKey = Literal["transparencia", "participacion", "tic", "global"]


class PeerPosition(BaseModel):
    """Where a municipality's global score stands among the audited municipalities of its stratum."""

    kind: StratumKind
    label: str  # e.g. "Grado de marginación CONAPO 2020"
    stratum: str | None  # None when the registry has no indicator for the municipality
    rank: int | None  # 1 = highest global score among peers; None when the municipality has no score
    ranked: int  # peers with a global score, this municipality included
    members: int  # municipalities of the registry in the stratum
    median: float | None  # median global score of the ranked peers
    state_rank: int | None
    state_ranked: int


class Distribution(BaseModel):
    n: int
    minimum: float | None = None
    median: float | None = None
    mean: float | None = None
    maximum: float | None = None
    values: list[float] = []


class StratumSummary(BaseModel):
    kind: StratumKind
    stratum: str  # "Sin dato" gathers municipalities without the indicator
    members: int
    audited: int
    scores: dict[ScoreKey, Distribution]


class Correlation(BaseModel):
    """Correlation between a socio-economic indicator and a score over the audited municipalities."""

    indicator: Literal["conapo_im_2020", "coneval_irs_2020", "pnud_idh_2020"]
    label: str
    dimension: ScoreKey
    n: int
    pearson: float | None  # None below apertura.reporting.overview.MIN_CORRELATION_N pairs or with a constant variable
    spearman: float | None


class OverviewRow(BaseModel):
    inegi_code: str
    name: str
    website: str | None
    # audited: has a score; not_verifiable: audited but the site could not be consulted; not_audited: no audit yet
    status: Literal["audited", "not_verifiable", "not_audited"]
    crawl_status: str | None = None
    crawl_reason: str | None = None
    audit_id: int | None = None
    fecha_corte: date | None = None
    audited_at: datetime | None = None
    scores: dict[ScoreKey, float | None] = {}
    strata: dict[StratumKind, str | None]
    indicators: dict[str, float | None]
    peers: PeerPosition | None = None  # in the overview's stratum kind; set for every row


class StateOverview(BaseModel):
    generated_at: datetime
    registry: str
    stratum_kind: StratumKind
    municipalities: list[OverviewRow]  # by global score (best first); unscored ones last, by name
    strata: list[StratumSummary]  # every kind, strata in order from most disadvantaged
    correlations: list[Correlation]
