"""Agreement between audit findings and human labels (sample_web/labels.yaml): precision and recall.

Definitions (also in docs/metodologia.md): each labelled (municipality, rule) pair is one item.
For a positive class S (``compliant`` for the per-dimension table), precision = items the auditor
and the label both mark S / items the auditor marks S; recall = the same / items the label marks S.
Undefined ratios (empty denominator) are None. Pure: no database, no files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

MISSING = "sin_hallazgo"  # the label names a rule the audit has no finding for


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
    labels: Mapping[str, Mapping], findings: Mapping[str, Mapping[str, tuple[str, str, str]]],
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
    items = list(items)
    return Metrics(
        positive=positive,
        true_positives=sum(i.got == positive and i.expected == positive for i in items),
        predicted=sum(i.got == positive for i in items),
        actual=sum(i.expected == positive for i in items),
    )


def by_dimension(items: list[Item], positive: str = "compliant") -> dict[str, Metrics]:
    return {d: metrics([i for i in items if i.dimension == d], positive) for d in sorted({i.dimension for i in items})}


def by_status(items: list[Item]) -> dict[str, Metrics]:
    statuses = sorted({i.expected for i in items} | {i.got for i in items})
    return {s: metrics(items, s) for s in statuses}


def accuracy(items: list[Item]) -> float | None:
    return sum(i.agrees for i in items) / len(items) if items else None


def disagreements(items: list[Item]) -> list[Item]:
    return [i for i in items if not i.agrees]
