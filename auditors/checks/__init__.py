"""Check kinds: pure functions of (check parameters, rule, site, fecha de corte) -> Outcome."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from auditors.site import Site
from models import Evidence, ResourceArtifact, Rule, Status
from models.finding import EvidenceKind, SourceResult


@dataclass
class Outcome:
    status: Status
    message: str
    evidence: list[Evidence] = field(default_factory=list)
    sources: list[SourceResult] = field(default_factory=list)  # site and IPOMEX, when both were checked


Check = Callable[[Rule, Site, date], Outcome]


def cite(resource: ResourceArtifact, kind: EvidenceKind, **fields) -> Evidence:
    """Evidence on a stored resource, with its provenance: hash, fetch time and WARC record (its screenshot, a
    later stage's work, is joined when the report is built: apertura/evidence/screenshots.py)."""
    return Evidence(
        kind=kind,
        url=resource.final_url,
        sha256=resource.sha256,
        fetched_at=resource.fetched_at,
        warc_file=resource.warc_file,
        warc_record_id=resource.warc_record_id,
        **fields,
    )
