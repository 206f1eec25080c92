"""Scores 0–100 per dimension and overall, as official verifications do: criteria 1 / 0.5 / 0.

Only leaf rules count; `not_verifiable` and `not_applicable` leave the denominator and are disclosed.
The dimension scores and the global index (the mean of the dimension scores) count legal obligations only;
good practices (`nature: buena_practica`) have their own index, "buenas_practicas". A finding that repeats
another rule's (`refers_to`) is shown but counted once, where the obligation is (docs/metodologia.md).
"""

from __future__ import annotations

from typing import Literal

from models import Finding, Score, Status
from models.rule import Dimension


def dimension_score(findings: list[Finding], dimension: Dimension | Literal["global", "buenas_practicas"]) -> Score:
    scored = [(score, f.weight) for f in findings if (score := f.score) is not None]
    weight = sum(w for _, w in scored)
    value = round(100 * sum(s * w for s, w in scored) / weight, 1) if weight else None
    return Score(
        dimension=dimension,
        value=value,
        scored=len(scored),
        not_verifiable=sum(f.status == Status.NOT_VERIFIABLE for f in findings),
        not_applicable=sum(f.status == Status.NOT_APPLICABLE for f in findings),
    )


def score(findings: list[Finding]) -> list[Score]:
    counted = [f for f in findings if not f.is_group and f.refers_to is None]
    leaves = [f for f in counted if f.nature == "obligacion"]
    practices = [f for f in counted if f.nature == "buena_practica"]
    scores = [dimension_score([f for f in leaves if f.dimension == d], d) for d in Dimension]
    values = [s.value for s in scores if s.value is not None]
    overall = dimension_score(leaves, "global")
    overall.value = round(sum(values) / len(values), 1) if values else None
    return scores + [overall, dimension_score(practices, "buenas_practicas")]
