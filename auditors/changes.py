"""Compares the findings of two audits of the same municipality (pure)."""

from __future__ import annotations

from models import Finding, Status
from models.change import Change, ChangeKind


def classify(before: Status | None, after: Status | None) -> ChangeKind:
    if after is Status.NOT_VERIFIABLE:
        return ChangeKind.NEWLY_NOT_VERIFIABLE
    if before is Status.NOT_VERIFIABLE:
        return ChangeKind.NEWLY_VERIFIABLE
    old, new = (s.score if s else None for s in (before, after))
    if old is None or new is None:
        return ChangeKind.OTHER
    if new > old:
        return ChangeKind.NEWLY_COMPLIANT if after is Status.COMPLIANT else ChangeKind.IMPROVEMENT
    return ChangeKind.REGRESSION


def compare(code: str, old: list[Finding], new: list[Finding], from_run: int, to_run: int) -> list[Change]:
    before = {f.rule_id: f for f in old}
    after = {f.rule_id: f for f in new}
    changes = []
    for rule_id in [*after, *(r for r in before if r not in after)]:
        b, a = before.get(rule_id), after.get(rule_id)
        if b and a and b.status == a.status:
            continue
        changes.append(
            Change(
                inegi_code=code,
                rule_id=rule_id,
                title=next(f for f in (a, b) if f is not None).title,
                kind=classify(b.status if b else None, a.status if a else None),
                before=b.status if b else None,
                after=a.status if a else None,
                from_run=from_run,
                to_run=to_run,
            )
        )
    return changes
