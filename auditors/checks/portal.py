"""The IPOMEX side of an obligation, and its cross-check with the municipal site. Pure: no network, no DB.

A format observed on the portal (3.0 page, Excel export or 4.0 app row) is judged on its records, its
*Fecha de actualización* against the rule's update period (Art. 77) and its *Nota*. Publishing on
IPOMEX satisfies Art. 92, so the finding takes the better of site and portal; the municipal site must
still link to the portal (Arts. 75 and 79), which the message notes when it does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from auditors import periods
from auditors.checks import Outcome, cite
from auditors.matching import find
from auditors.ownership import PORTAL_LINK
from auditors.site import Site
from auditors.substance import JUSTIFIED, PLACEHOLDER
from models import Evidence, ResourceArtifact, Rule, Status
from models.artifact import PortalFormatArtifact
from models.finding import SourceResult
from models.text import normalize

# Better first: the finding keeps the better of the two sources (ties: the site).
RANK = {
    Status.COMPLIANT: 5,
    Status.NOT_APPLICABLE: 4,
    Status.PARTIAL: 3,
    Status.NOT_VERIFIABLE: 2,
    Status.NON_COMPLIANT: 1,
}
# Among observations of one format on the portal a definite answer beats an unreadable one.
OBSERVATION_RANK = {**RANK, Status.NOT_VERIFIABLE: 0}
WALLS = {"captcha": "un muro CAPTCHA", "waf": "un bloqueo de firewall (WAF)"}
_RULE_ID = re.compile(r"^\w+\.(\d+)\.([IVXLC]+)(?:\.([a-z]))?$")


@dataclass
class Observation:
    resource: ResourceArtifact
    facts: PortalFormatArtifact


class Portal:
    """A municipality's stored IPOMEX crawl, indexed by format."""

    def __init__(self, resources: list[ResourceArtifact], url: str | None = None):
        self.resources = resources
        self.url = url

    @cached_property
    def observations(self) -> list[Observation]:
        return [Observation(r, f) for r in self.resources for f in r.portal_formats]

    def of(self, rule: Rule) -> list[Observation]:
        wanted = rule_identity(rule.id)
        return [
            o
            for o in self.observations
            if (
                o.facts.format == rule.ipomex_format
                if o.facts.format
                else (o.facts.article, o.facts.fraction, o.facts.letter) == wanted
            )
        ]


def check_portal(rule: Rule, portal: Portal, fecha_corte: date) -> Outcome | None:
    """The format's status on IPOMEX; None when the portal holds no trace of it (no 3.0 page, no 4.0 row)."""
    judged = [_judge(o, rule, fecha_corte) for o in portal.of(rule)]
    if not judged:
        return None
    best = max(judged, key=lambda outcome: OBSERVATION_RANK[outcome.status])
    others = [e for outcome in judged if outcome is not best for e in outcome.evidence]
    return Outcome(best.status, best.message, best.evidence + others[:4])


def _judge(observation: Observation, rule: Rule, fecha_corte: date) -> Outcome:
    resource, facts = observation.resource, observation.facts
    where = _where(facts)
    evidence = cite(resource, "document" if facts.generation == "export" else "page")
    blocked = facts.blocked or (resource.page.blocked if resource.page else None)
    if resource.error:
        return _unreachable(evidence, resource.error, f"IPOMEX no respondió ({where}): {resource.error}.")
    if blocked:
        wall = f"el portal respondió con {WALLS.get(blocked, blocked)}"
        return _unreachable(evidence, wall, f"IPOMEX no verificable ({where}): {wall}; no se intentó sortearlo.")
    if resource.status in (404, 410):
        evidence.note = f"HTTP {resource.status}"
        return Outcome(
            Status.NON_COMPLIANT, f"El formato no existe en IPOMEX ({where}, HTTP {resource.status}).", [evidence]
        )
    if not resource.ok:
        return _unreachable(evidence, f"HTTP {resource.status}", f"IPOMEX respondió HTTP {resource.status} ({where}).")
    evidence.matched = _summary(facts)
    evidence.note = "; ".join(f"Nota: «{n}»" for n in facts.notes[:2]) or None
    if facts.records == 0:
        legends = tuple(getattr(rule.check, "none_legends", ()))  # the rule's own «nothing to report» (no debt)
        note = next((n for n in facts.notes if JUSTIFIED.search(normalize(n)) or find(legends, n)), None)
        if note:
            return Outcome(
                Status.NOT_APPLICABLE, f"IPOMEX ({where}) justifica la falta de información: «{note}».", [evidence]
            )
        if resource.page and not facts.headers and not PLACEHOLDER.search(normalize(resource.page.text)):
            # neither the format's columns nor a notice that it has no records: an error or another page
            shown = " ".join(resource.page.text.split())[:80]
            return _unreachable(
                evidence,
                f"la página no muestra el formato: «{shown}»",
                f"IPOMEX ({where}) no mostró el formato ni un aviso de que no tiene registros; revisar a mano.",
            )
        return Outcome(
            Status.NON_COMPLIANT,
            f"Formato publicado en IPOMEX ({where}) sin registros ni nota que lo justifique.",
            [evidence],
        )
    return _currency(rule, facts, fecha_corte, where, evidence)


def _unreachable(evidence: Evidence, why: str, message: str) -> Outcome:
    """What the portal answered instead of the format: not verifiable, the evidence saying why."""
    evidence.kind, evidence.note = "unreachable", why
    return Outcome(Status.NOT_VERIFIABLE, message, [evidence])


def _currency(rule: Rule, facts: PortalFormatArtifact, fecha_corte: date, where: str, evidence: Evidence) -> Outcome:
    """Judged on the *periodo que se informa* of the records (auditors/periods.py), else on the newest
    «Fecha de actualización»."""
    published = f"Publicado en IPOMEX ({where}): {facts.records} registros"
    if rule.currency is None:
        return Outcome(Status.COMPLIANT, f"{published}.", [evidence])
    reported = periods.found(
        rule.currency, [("periodo que se informa", p) for p in facts.periods], facts.updated, fecha_corte
    )
    judgement = periods.judge(rule.currency, [reported], fecha_corte)
    if judgement.current is None:
        return Outcome(
            Status.PARTIAL,
            f"{published}, sin periodo que se informa ni «Fecha de actualización» (art. 82): {judgement.message}",
            [evidence],
        )
    if not judgement.current:
        return Outcome(Status.PARTIAL, f"{published}, {judgement.shortfall}: {judgement.message}", [evidence])
    return Outcome(Status.COMPLIANT, f"{published}, vigente: {judgement.message}", [evidence])


def combine(rule: Rule, site_outcome: Outcome, portal_outcome: Outcome | None, site: Site, portal: Portal) -> Outcome:
    """One finding from both sources: the better status, both messages, the cross-check note."""
    sources = [
        SourceResult(
            source="sitio", status=site_outcome.status, message=site_outcome.message, evidence=site_outcome.evidence
        )
    ]
    if portal_outcome is None:
        message = f"{site_outcome.message} IPOMEX: no se localizó este formato en el portal."
        return Outcome(site_outcome.status, message, site_outcome.evidence, sources)
    sources.append(
        SourceResult(
            source="ipomex",
            status=portal_outcome.status,
            message=portal_outcome.message,
            evidence=portal_outcome.evidence,
        )
    )
    best = max((site_outcome, portal_outcome), key=lambda o: RANK[o.status])
    if site_outcome.evidence and all(e.note == PORTAL_LINK for e in site_outcome.evidence):
        best = portal_outcome  # the site only links to the portal: what the portal shows decides
    message = f"Sitio: {site_outcome.message} IPOMEX: {portal_outcome.message}"
    if portal_outcome.status in (Status.COMPLIANT, Status.PARTIAL) and site.availability.status == "ok":
        message += _link_note(rule, site, site_outcome)
    return Outcome(best.status, message, best.evidence, sources)


def _link_note(rule: Rule, site: Site, site_outcome: Outcome) -> str:
    to_portal = site.links_to_portal
    if not to_portal:
        return " Cruce: está en IPOMEX, pero el sitio municipal no enlaza a IPOMEX (arts. 75 y 79 LTAIPEMyM)."
    direct = rule.ipomex_format and any(f"/{rule.ipomex_format}.web" in on.link.href.lower() for on in to_portal)
    if site_outcome.status not in (Status.COMPLIANT, Status.PARTIAL) and not direct:
        return (
            f" Cruce: el sitio enlaza a IPOMEX ({to_portal[0].link.href} en {to_portal[0].page.final_url}), "
            "pero no a este formato."
        )
    return ""


def rule_identity(rule_id: str) -> tuple[str, str, str | None] | None:
    match = _RULE_ID.match(rule_id)
    return (match[1], match[2], match[3]) if match else None


def _where(facts: PortalFormatArtifact) -> str:
    if facts.generation == "ipo4":
        return "IPOMEX 4.0"
    if facts.generation == "export":
        return f"exportación Excel de {facts.format}"
    return f"IPOMEX {'3.0' if facts.generation == 'ipo3' else '(ruta /ipo/)'}, {facts.format}"


def _summary(facts: PortalFormatArtifact) -> str:
    parts = [f"{facts.records} registros"]
    if facts.periods:
        parts.append("periodo: " + ", ".join(facts.periods[:3]))
    if facts.updated:
        parts.append("Fecha de actualización: " + _es(date.fromisoformat(max(facts.updated))))
    if facts.validated:
        parts.append("Fecha de validación: " + _es(date.fromisoformat(max(facts.validated))))
    if facts.areas:
        parts.append("Área responsable: " + ", ".join(facts.areas[:2]))
    return "; ".join(parts)


def _es(value: date) -> str:
    return value.strftime("%d/%m/%Y")
