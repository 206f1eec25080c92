"""Agreement between audit findings and human labels (sample_web/labels.yaml): precision and recall.

Definitions (also in docs/metodologia.md): each labelled (municipality, rule) pair is one item.
For a positive class S (a status, or ``publicado`` = compliant or partial, the headline class),
precision = items the auditor and the label both put in S / items the auditor puts in S; recall =
the same / items the label puts in S. Undefined ratios (empty denominator) are None.
Pure: no database, no files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

MISSING = "sin_hallazgo"  # the label names a rule the audit has no finding for
PUBLISHED = "publicado"  # headline class: the obligation is published (compliant or partial)
PUBLISHED_STATUSES = frozenset({"compliant", "partial"})
STATUS_ES = {
    "compliant": "cumple",
    "partial": "cumple parcialmente",
    "non_compliant": "no cumple",
    "not_verifiable": "no verificable",
    MISSING: "sin hallazgo",
    PUBLISHED: "publicado",
}


def status_es(status: str) -> str:
    """Spanish name of a status (or of the ``publicado`` class) for tables."""
    return STATUS_ES.get(status, status)


def _members(positive: str) -> frozenset[str]:
    return PUBLISHED_STATUSES if positive == PUBLISHED else frozenset({positive})


@dataclass(frozen=True)
class Item:
    inegi_code: str
    municipality: str
    rule_id: str
    dimension: str
    expected: str
    got: str
    message: str = ""

    @property
    def agrees(self) -> bool:
        return self.expected == self.got


@dataclass(frozen=True)
class Metrics:
    positive: str
    true_positives: int
    predicted: int  # items the auditor marks positive
    actual: int  # items the label marks positive

    @property
    def precision(self) -> float | None:
        return self.true_positives / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.true_positives / self.actual if self.actual else None


def compare(
    labels: Mapping[str, Mapping],
    findings: Mapping[str, Mapping[str, tuple[str, str, str]]],
    dimensions: Mapping[str, str],
) -> list[Item]:
    """One item per labelled rule.

    labels: inegi_code -> {"name": ..., "expected": {rule_id: status}} (the labels.yaml mapping);
    findings: inegi_code -> {rule_id: (dimension, status, message)} of the municipality's latest audit;
    dimensions: rule_id -> dimension, for labelled rules the audit has no finding for.
    """
    items = []
    for code, entry in labels.items():
        found = findings.get(code, {})
        for rule_id, expected in entry["expected"].items():
            dimension, got, message = found.get(rule_id, (dimensions.get(rule_id, "?"), MISSING, ""))
            items.append(Item(code, entry.get("name", code), rule_id, dimension, expected, got, message))
    return items


def metrics(items: Iterable[Item], positive: str) -> Metrics:
    """Metrics for one class: a status, or PUBLISHED (compliant or partial on both sides)."""
    items, members = list(items), _members(positive)
    return Metrics(
        positive=positive,
        true_positives=sum(i.got in members and i.expected in members for i in items),
        predicted=sum(i.got in members for i in items),
        actual=sum(i.expected in members for i in items),
    )


def by_municipality(items: list[Item], positive: str = PUBLISHED) -> dict[str, Metrics]:
    """Per labelled municipality (keyed by INEGI code), in label order."""
    codes = list(dict.fromkeys(i.inegi_code for i in items))
    return {c: metrics([i for i in items if i.inegi_code == c], positive) for c in codes}


def by_rule(items: list[Item], positive: str = PUBLISHED) -> dict[str, Metrics]:
    """Per rule (feature), sorted by rule id."""
    return {r: metrics([i for i in items if i.rule_id == r], positive) for r in sorted({i.rule_id for i in items})}


def by_dimension(items: list[Item], positive: str = "compliant") -> dict[str, Metrics]:
    return {d: metrics([i for i in items if i.dimension == d], positive) for d in sorted({i.dimension for i in items})}


def by_status(items: list[Item]) -> dict[str, Metrics]:
    statuses = sorted({i.expected for i in items} | {i.got for i in items})
    return {s: metrics(items, s) for s in statuses}


def accuracy(items: list[Item]) -> float | None:
    return sum(i.agrees for i in items) / len(items) if items else None


def disagreements(items: list[Item]) -> list[Item]:
    return [i for i in items if not i.agrees]
