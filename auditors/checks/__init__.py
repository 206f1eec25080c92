"""Check kinds: pure functions of (check parameters, rule, site, fecha de corte) -> Outcome."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from auditors.site import Site
from models import Evidence, Rule, Status


@dataclass
class Outcome:
    status: Status
    message: str
    evidence: list[Evidence] = field(default_factory=list)


Check = Callable[[Rule, Site, date], Outcome]
