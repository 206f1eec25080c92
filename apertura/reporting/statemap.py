"""The state overview's choropleth maps: INEGI municipal boundaries projected once to SVG paths.

`outlines()` reads `data/edomex_municipios_geometria.geojson` (provenance in data/PROVENANCE.md) and
projects lon/lat with an equirectangular projection centred on the state (x scaled by cos(latitude)),
into a `WIDTH`-wide viewBox, coordinates rounded to whole units (≈ 200 m). Each path is drawn once in
the page and every map reuses it (`<use href="#m15001">`), so four maps cost one set of boundaries.

`classes(rows, key)` bins each municipality's score into `BINS`; municipalities not audited and those
whose site could not be consulted get their own hatched fills, never a score colour.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from apertura.registry.padron import DATA_DIR
from models.overview import OverviewRow, ScoreKey

GEOMETRY = DATA_DIR / "edomex_municipios_geometria.geojson"
WIDTH = 1000
CREDIT = ("Límites municipales: INEGI, Marco Geoestadístico; geometría simplificada por Apertura. "
          "INEGI no respalda este análisis.")  # fmt: skip
# five classes of 20 points, light to dark (ColorBrewer YlGnBu, readable in grey and by colour-blind readers)
BINS = (
    (0, 20, "#ffffcc"),
    (20, 40, "#a1dab4"),
    (40, 60, "#41b6c4"),
    (60, 80, "#2c7fb8"),
    (80, 100, "#253494"),
)
NOT_VERIFIABLE = "url(#hatch-not-verifiable)"
NO_DATA = "url(#hatch-no-data)"


@dataclass(frozen=True)
class Outline:
    code: str
    name: str
    path: str  # SVG path data in viewBox units


@dataclass(frozen=True)
class Shape:
    code: str
    fill: str
    title: str


@cache
def outlines(path: Path = GEOMETRY) -> tuple[tuple[Outline, ...], float]:
    """The municipalities' outlines, by code, and the viewBox height."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    rings = [(f["properties"], ring) for f in features for ring in _rings(f["geometry"])]
    lons = [lon for _, ring in rings for lon, _ in ring]
    lats = [lat for _, ring in rings for _, lat in ring]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    scale_x = math.cos(math.radians((south + north) / 2))
    span_x, span_y = (east - west) * scale_x, north - south
    unit = WIDTH / span_x
    height = math.ceil(span_y * unit)
    by_code: dict[str, list[str]] = {}
    names = {}
    for properties, ring in rings:
        points: list[tuple[int, int]] = []
        for lon, lat in ring:
            point = (round((lon - west) * scale_x * unit), round((north - lat) * unit))
            if not points or point != points[-1]:
                points.append(point)
        if len(points) < 3:
            continue  # a sliver smaller than a unit
        code = properties["CVEGEO"]
        names[code] = properties["NOMGEO"]
        by_code.setdefault(code, []).append("M" + "L".join(f"{x} {y}" for x, y in points) + "Z")
    return tuple(Outline(code, names[code], "".join(parts)) for code, parts in sorted(by_code.items())), height


def _rings(geometry: dict) -> list[list[list[float]]]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [ring for polygon in polygons for ring in polygon]


def fill_of(value: float | None) -> str:
    if value is None:
        return NO_DATA
    for _low, high, color in BINS:
        if value < high or high == 100:
            return color
    return BINS[-1][2]


def shapes(rows: list[OverviewRow], key: ScoreKey, label: str, reason: Callable[[str], str] = str) -> list[Shape]:
    """One shape per outline: its fill for score `key` and a tooltip naming the municipality and its value."""
    by_code = {r.inegi_code: r for r in rows}
    result = []
    for outline in outlines()[0]:
        row = by_code.get(outline.code)
        name = f"{row.name if row else outline.name} ({outline.code})"
        if row is None or row.status == "not_audited":
            result.append(Shape(outline.code, NO_DATA, f"{name}: sin auditar"))
        elif row.status == "not_verifiable":
            why = f" ({reason(row.crawl_reason)})" if row.crawl_reason else ""
            result.append(Shape(outline.code, NOT_VERIFIABLE, f"{name}: no verificable{why}"))
        else:
            value = row.scores.get(key)
            shown = "sin dato" if value is None else f"{value:.1f}"
            result.append(Shape(outline.code, fill_of(value), f"{name}: {label} {shown}"))
    return result
