"""Reviewer verdicts: a person confirms, rejects or annotates a finding, and the verdict follows its evidence.

A verdict records `evidence_digest`, a SHA-256 over the sorted, de-duplicated (url, sha256) pairs of the
finding's evidence when it was given. A later audit that produces the same rule with the same digest
shows the verdict as current. When the evidence changed, the most recent verdict is still shown, marked
"veredicto anterior, evidencia distinta" (`current=False`), so the reviewer knows someone looked at it
before and that it must be looked at again. Among several verdicts the most recent one wins, and one
given on the current evidence always beats one given on other evidence.

The digest covers evidence only: a status that changes on the same evidence (e.g. a later fecha de
corte making a document stale) keeps the verdict current; the report shows both side by side.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from models import Finding, MunicipalityReport
from models.finding import ReviewerVerdict
from models.labels import VERDICT_ES
from storage.repository import as_utc

STALE_ES = "veredicto anterior, evidencia distinta"


class VerdictRecord(Protocol):
    """What a stored verdict provides (storage.orm.Verdict)."""

    @property
    def rule_id(self) -> str: ...
    @property
    def evidence_digest(self) -> str: ...
    @property
    def verdict(self) -> str: ...
    @property
    def reviewer(self) -> str: ...
    @property
    def justification(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...


def evidence_digest(finding: Finding) -> str:
    pairs = sorted({(e.url or "", e.sha256 or "") for e in finding.evidence})
    return hashlib.sha256(json.dumps(pairs).encode("utf-8")).hexdigest()


def verdict_for(finding: Finding, records: Iterable[VerdictRecord]) -> ReviewerVerdict | None:
    """The latest verdict on this finding's current evidence, else the latest one on other evidence."""
    records = [r for r in records if r.rule_id == finding.rule_id]
    if not records:
        return None
    digest = evidence_digest(finding)
    matching = [r for r in records if r.evidence_digest == digest]
    chosen = (matching or records)[-1]
    return ReviewerVerdict(
        verdict=chosen.verdict,
        reviewer=chosen.reviewer,
        justification=chosen.justification,
        created_at=as_utc(chosen.created_at),
        current=bool(matching),
    )


def with_verdicts(report: MunicipalityReport, records: Iterable[VerdictRecord]) -> MunicipalityReport:
    """`records` oldest first, as storage.repository.verdicts returns them."""
    by_rule: dict[str, list[VerdictRecord]] = defaultdict(list)
    for record in records:
        by_rule[record.rule_id].append(record)
    findings = [f.model_copy(update={"verdict": verdict_for(f, by_rule.get(f.rule_id, ()))}) for f in report.findings]
    return report.model_copy(update={"findings": findings})


def current_digests(findings: Iterable[Finding]) -> dict[str, str]:
    """Rule → evidence digest of an audit's findings: what a stored verdict is compared with."""
    return {f.rule_id: evidence_digest(f) for f in findings}


def applies(record: VerdictRecord, current: dict[str, str]) -> str:
    """Whether a stored verdict applies to the latest audit (`current_digests`), in Spanish: «vigente», given on
    other evidence (STALE_ES), or on a rule that audit does not have."""
    if record.rule_id not in current:
        return "regla ausente en la última auditoría"
    if current[record.rule_id] == record.evidence_digest:
        return "vigente"
    return STALE_ES


def describe(verdict: ReviewerVerdict | None) -> str:
    """«Confirmado por Ana López el 2026-11-24: justificación», for reports and exports."""
    if verdict is None:
        return ""
    text = f"{VERDICT_ES[verdict.verdict]} por {verdict.reviewer} el {verdict.created_at.date().isoformat()}: {verdict.justification}"
    return text if verdict.current else f"{text} ({STALE_ES})"
