"""Geometry of the reports' inline SVG charts, computed here so that the templates only draw.

`trend`: scores over a dated axis (x is the fecha de corte, so points follow dates, not audit order;
audits of the same date stack on one x); only as many date labels as fit without overlapping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from models.finding import AuditPoint

COLORS = {"global": "#222", "transparencia": "#1f6fb2", "participacion": "#c0661b", "tic": "#2e8b57"}
LEFT, RIGHT, TOP, BOTTOM = 50.0, 570.0, 20.0, 190.0  # plot area inside a 640 × 240 viewBox
LABEL_GAP = 80.0  # a "2026-11-24" label at font-size 10 is ~55 px wide


@dataclass
class Series:
    key: str
    color: str
    points: list[tuple[float, float, str]] = field(default_factory=list)  # x, y, tooltip


@dataclass
class Trend:
    series: list[Series]
    ticks: list[tuple[float, str]]  # x, date label
    grid: list[tuple[float, int]]  # y, score


def y_of(value: float) -> float:
    return BOTTOM - value * (BOTTOM - TOP) / 100


def trend(history: list[AuditPoint]) -> Trend:
    ordered = sorted(history, key=lambda p: (p.fecha_corte, p.audit_id))
    first, last = ordered[0].fecha_corte, ordered[-1].fecha_corte
    span = (last - first).days

    def x_of(day: date) -> float:
        return (LEFT + RIGHT) / 2 if span == 0 else LEFT + (day - first).days * (RIGHT - LEFT) / span

    series = []
    for key, color in COLORS.items():
        line = Series(key, color)
        for point in ordered:
            for score in point.scores:
                if score.dimension == key and score.value is not None:
                    tooltip = f"{point.fecha_corte.isoformat()} (auditoría {point.audit_id}): {score.value:.1f}"
                    line.points.append((round(x_of(point.fecha_corte), 1), round(y_of(score.value), 1), tooltip))
        series.append(line)
    ticks: list[tuple[float, str]] = []
    for day in sorted({p.fecha_corte for p in ordered}):
        x = round(x_of(day), 1)
        if not ticks or x - ticks[-1][0] >= LABEL_GAP:
            ticks.append((x, day.isoformat()))
        elif day == last and len(ticks) > 1:  # the newest date matters most: it replaces a crowded neighbour
            ticks[-1] = (x, day.isoformat())
    return Trend(series=series, ticks=ticks, grid=[(y_of(g), g) for g in (0, 25, 50, 75, 100)])
