"""The state-wide overview: ranking, scores within socio-economic strata, peers and correlations.

`build` is a pure function of the registry and each municipality's latest audit; `load_latest` reads
those audits; `write_overview` renders `estatal.json` and `estatal.html`; `publish` does it all at the
end of a run and rewrites that run's municipal reports with their final position among their peers.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from apertura.evidence import screenshots
from apertura.pipeline import jobs
from apertura.registry.padron import STRATA, Registry, stratum, stratum_order
from apertura.reporting import statemap
from apertura.reporting.reports import (
    DIMENSION_ES,
    SCREENSHOTS,
    UNREACHABLE,
    failure_text,
    render,
    write_reports,
    write_screenshots,
)
from models import Municipality
from models.overview import (
    Correlation,
    Distribution,
    OverviewRow,
    PeerPosition,
    ScoreKey,
    StateOverview,
    StratumKind,
    StratumSummary,
)
from storage import repository
from storage.orm import Audit

SCORE_KEYS: tuple[ScoreKey, ...] = ("transparencia", "participacion", "tic", "global")
MAP_KEYS: tuple[ScoreKey, ...] = ("global", "transparencia", "participacion", "tic")  # the overview's maps, in order
KINDS: tuple[StratumKind, ...] = ("conapo", "coneval", "idh")
NO_DATA = "Sin dato"
INDICATORS = {
    "conapo_im_2020": "Índice de marginación CONAPO 2020 (mayor = más marginación)",
    "coneval_irs_2020": "Índice de rezago social CONEVAL 2020 (mayor = más rezago)",
    "pnud_idh_2020": "Índice de desarrollo humano PNUD 2020 (mayor = más desarrollo)",
}
# below this many municipalities a correlation says nothing (with 10 pairs |r| must exceed ~0.63 to be
# significant at 5 %): it is not computed, and the overview says so
MIN_CORRELATION_N = 10


@dataclass(frozen=True)
class LatestAudit:
    audit_id: int
    fecha_corte: date
    audited_at: datetime
    scores: dict[str, float | None]
    crawl_status: str
    crawl_reason: str | None


def load_latest(session: Session) -> dict[str, LatestAudit]:
    audits = repository.latest_audits(session)
    crawls = repository.crawls_by_id(session, [a.crawl_id for a in audits.values()])
    return {
        code: LatestAudit(
            audit_id=a.id,
            fecha_corte=a.fecha_corte,
            audited_at=repository.as_utc(a.created_at),
            scores={s["dimension"]: s["value"] for s in a.scores},
            crawl_status=crawls[a.crawl_id].status,
            crawl_reason=crawls[a.crawl_id].reason,
        )
        for code, a in audits.items()
    }


def build(registry: Registry, latest: dict[str, LatestAudit], kind: StratumKind = "conapo") -> StateOverview:
    municipalities = registry.all()
    rows = [_row(m, latest.get(m.inegi_code)) for m in municipalities]
    state_ranks = _ranks({r.inegi_code: r.scores.get("global") for r in rows})
    for row in rows:
        peers = [r for r in rows if r.strata[kind] == row.strata[kind]] if row.strata[kind] else [row]
        ranks = _ranks({r.inegi_code: r.scores.get("global") for r in peers})
        scored = [value for r in peers if (value := r.scores.get("global")) is not None]
        row.peers = PeerPosition(
            kind=kind,
            label=STRATA[kind],
            stratum=row.strata[kind],
            rank=ranks.get(row.inegi_code),
            ranked=len(scored),
            members=len(peers),
            median=round(statistics.median(scored), 1) if scored else None,
            state_rank=state_ranks.get(row.inegi_code),
            state_ranked=len(state_ranks),
        )
    rows.sort(key=lambda r: (state_ranks.get(r.inegi_code, math.inf), r.name))
    return StateOverview(
        generated_at=datetime.now(UTC),
        registry=_public_source(registry.source),
        stratum_kind=kind,
        municipalities=rows,
        strata=[s for k in KINDS for s in _strata(rows, k)],
        correlations=[_correlation(municipalities, latest, i, d) for i in INDICATORS for d in SCORE_KEYS],
    )


def peer_position(
    session: Session, registry: Registry, inegi_code: str, kind: StratumKind = "conapo"
) -> PeerPosition | None:
    """A municipality's position among its peers, from every municipality's latest audit."""
    row = next(
        (r for r in build(registry, load_latest(session), kind).municipalities if r.inegi_code == inegi_code), None
    )
    return row.peers if row else None


def _row(m: Municipality, audit: LatestAudit | None) -> OverviewRow:
    common = {
        "inegi_code": m.inegi_code,
        "name": m.name,
        "website": m.website,
        "strata": {k: stratum(m, k) for k in KINDS},
        "indicators": {i: getattr(m, i) for i in INDICATORS},
    }
    if audit is None:
        return OverviewRow(status="not_audited", **common)
    verifiable = audit.crawl_status not in UNREACHABLE and audit.scores.get("global") is not None
    return OverviewRow(
        status="audited" if verifiable else "not_verifiable",
        crawl_status=audit.crawl_status,
        crawl_reason=audit.crawl_reason,
        audit_id=audit.audit_id,
        fecha_corte=audit.fecha_corte,
        audited_at=audit.audited_at,
        scores={k: audit.scores.get(k) for k in SCORE_KEYS} if verifiable else {},
        **common,
    )


def _ranks(values: dict[str, float | None]) -> dict[str, int]:
    """Competition ranking (1, 2, 2, 4) of the codes with a value, highest first."""
    scored = [v for v in values.values() if v is not None]
    return {code: 1 + sum(other > v for other in scored) for code, v in values.items() if v is not None}


def _distribution(values: list[float]) -> Distribution:
    if not values:
        return Distribution(n=0)
    return Distribution(
        n=len(values),
        minimum=min(values),
        median=round(statistics.median(values), 1),
        mean=round(statistics.fmean(values), 1),
        maximum=max(values),
        values=sorted(values),
    )


def _strata(rows: list[OverviewRow], kind: StratumKind) -> list[StratumSummary]:
    names = [*stratum_order(kind), NO_DATA]
    summaries = []
    for name in names:
        members = [r for r in rows if (r.strata[kind] or NO_DATA) == name]
        if not members:
            continue
        audited = [r for r in members if r.status == "audited"]
        scores = {
            k: _distribution([value for r in audited if (value := r.scores.get(k)) is not None]) for k in SCORE_KEYS
        }
        summaries.append(
            StratumSummary(kind=kind, stratum=name, members=len(members), audited=len(audited), scores=scores)
        )
    return summaries


def _correlation(
    municipalities: Iterable[Municipality], latest: dict[str, LatestAudit], indicator: str, key: ScoreKey
) -> Correlation:
    pairs = [
        (getattr(m, indicator), latest[m.inegi_code].scores.get(key))
        for m in municipalities
        if m.inegi_code in latest and latest[m.inegi_code].crawl_status not in UNREACHABLE
    ]
    known = [(x, y) for x, y in pairs if x is not None and y is not None]
    xs, ys = [x for x, _ in known], [y for _, y in known]
    return Correlation(
        indicator=indicator,
        label=INDICATORS[indicator],
        dimension=key,
        n=len(known),
        pearson=_pearson(xs, ys),
        spearman=_pearson(_average_ranks(xs), _average_ranks(ys)),
    )


def _public_source(source: str) -> str:
    """The registry's name without the local folders it was read from (a report is published)."""
    return Path(source).name if "/" in source or "\\" in source else source


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < MIN_CORRELATION_N:
        return None
    try:
        return round(statistics.correlation(xs, ys), 3)
    except statistics.StatisticsError:  # a constant variable
        return None


def _average_ranks(values: list[float]) -> list[float]:
    """Ranks starting at 1, ties sharing their mean rank (as Spearman's rho needs)."""
    order = sorted(values)
    return [order.index(v) + (order.count(v) + 1) / 2 for v in values]


def write_overview(overview: StateOverview, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    json_path, html_path = directory / "estatal.json", directory / "estatal.html"
    json_path.write_text(overview.model_dump_json(indent=2), encoding="utf-8")
    outlines, height = statemap.outlines()
    maps = [
        (key, DIMENSION_ES[key], statemap.shapes(overview.municipalities, key, DIMENSION_ES[key], failure_text))
        for key in MAP_KEYS
    ]
    html = render(
        "estatal.html.j2", overview=overview, outlines=outlines, map_height=height, maps=maps, bins=statemap.BINS,
        credit=statemap.CREDIT, min_correlation_n=MIN_CORRELATION_N,
    )  # fmt: skip
    html_path.write_text(html, encoding="utf-8")
    return [json_path, html_path]


def publish(
    sessions: sessionmaker[Session],
    registry: Registry,
    municipalities: list[Municipality],
    directory: Path,
    kind: StratumKind = "conapo",
    write_state: bool = True,
    render_screenshots: bool = True,
) -> list[Path]:
    """Rewrites the municipalities' reports now that their peers are audited, and the state overview. With
    `render_screenshots`, the pages they cite are rendered first where no screenshot of them exists
    (apertura/evidence/screenshots.py); without, the reports show the screenshots already stored."""
    if render_screenshots:
        with sessions.begin() as session:
            audits = [a.id for m in municipalities if (a := repository.latest_audit(session, m.inegi_code))]
        screenshots.ensure(sessions, audits)
    with sessions.begin() as session:
        latest = load_latest(session)
        state = build(registry, latest, kind)
        peers = {r.inegi_code: r.peers for r in state.municipalities}
        reports = [
            jobs.report(session, _latest_audit(session, m.inegi_code), m, peers.get(m.inegi_code))
            for m in municipalities
            if m.inegi_code in latest
        ]
        for report in reports:
            write_screenshots(report, directory / SCREENSHOTS, lambda sha256: repository.body(session, sha256))
    for report in reports:
        write_reports(report, directory, screenshots=SCREENSHOTS)
    return write_overview(state, directory) if write_state else []


def _latest_audit(session: Session, inegi_code: str) -> Audit:
    """The municipality's latest audit, which `load_latest` found."""
    audit = repository.latest_audit(session, inegi_code)
    if audit is None:
        raise LookupError(f"{inegi_code}: no stored audit, though the overview lists one")
    return audit
