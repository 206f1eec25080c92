"""What changed for one rule of one municipality between two runs."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel

from models.finding import Status


class ChangeKind(StrEnum):
    NEWLY_COMPLIANT = "newly_compliant"
    IMPROVEMENT = "improvement"
    REGRESSION = "regression"
    NEWLY_NOT_VERIFIABLE = "newly_not_verifiable"
    NEWLY_VERIFIABLE = "newly_verifiable"
    OTHER = "other"


class Change(BaseModel):
    inegi_code: str
    rule_id: str
    title: str
    kind: ChangeKind
    before: Status | None
    after: Status | None
    from_run: int
    to_run: int
