"""Runs a catalog over one site's stored artifacts. Pure: no network, no database."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from auditors.checks import Check, Outcome
from auditors.checks.link_domains import check_link_domains
from auditors.checks.page_feature import check_page_feature
from auditors.checks.portal import Portal, check_portal, combine
from auditors.checks.publication import check_publication
from auditors.matching import forget_site_texts
from auditors.site import Site
from apertura.labels import status_counts
from models import Evidence, Finding, Rule, Status

log = logging.getLogger(__name__)

CHECKS: dict[str, Check] = {
    "publication": check_publication,
    "link_domains": check_link_domains,
    "page_feature": check_page_feature,
}


def audit_site(rules: list[Rule], site: Site, fecha_corte: date, portal: Portal | None = None) -> list[Finding]:
    """One finding per rule, in catalog order; groups summarise their sub-rules.

    With the municipality's IPOMEX crawl (`portal`), rules checked `where: [sitio, ipomex]` combine both sources.
    """
    outcomes: dict[str, Outcome] = {}
    try:
        for rule in rules:
            if rule.check is not None:
                outcomes[rule.id] = evaluate(rule, site, fecha_corte)
                if portal is not None and "ipomex" in rule.where and rule.applies_to_municipalities:
                    outcomes[rule.id] = contained(
                        rule, lambda: combine(rule, outcomes[rule.id], check_portal(rule, portal, fecha_corte), site, portal)
                    )
    finally:
        forget_site_texts()
    for rule in rules:
        if rule.check is None:
            children = [outcomes[r.id] for r in rules if r.parent == rule.id]
            outcomes[rule.id] = summarise(children)
    return [_finding(rule, outcomes[rule.id]) for rule in rules]


def evaluate(rule: Rule, site: Site, fecha_corte: date) -> Outcome:
    if not rule.applies_to_municipalities:
        return Outcome(Status.NOT_APPLICABLE, rule.not_applicable_reason or "No aplica a municipios.")
    availability = site.availability
    if availability.status != "ok":
        unreachable = Evidence(kind="unreachable", url=site.website, note=availability.reason)
        return Outcome(Status.NOT_VERIFIABLE, f"Sitio no verificable: {availability.reason}.", [unreachable])
    return contained(rule, lambda: CHECKS[rule.check.kind](rule, site, fecha_corte))


def contained(rule: Rule, check: Callable[[], Outcome]) -> Outcome:
    """One broken check must not sink the audit: its rule becomes not verifiable, with the error."""
    try:
        return check()
    except Exception as error:
        log.exception("rule %s failed", rule.id)
        return Outcome(Status.NOT_VERIFIABLE, f"Error interno al evaluar la regla: {error!r}; revisar a mano.")


def summarise(children: list[Outcome]) -> Outcome:
    statuses = {o.status for o in children} - {Status.NOT_APPLICABLE}
    scored = statuses - {Status.NOT_VERIFIABLE}
    if not statuses:
        status = Status.NOT_APPLICABLE
    elif not scored:
        status = Status.NOT_VERIFIABLE
    elif scored == {Status.COMPLIANT}:
        status = Status.COMPLIANT
    elif scored == {Status.NON_COMPLIANT}:
        status = Status.NON_COMPLIANT
    else:
        status = Status.PARTIAL
    counts = status_counts([o.status for o in children])
    return Outcome(status, f"Resumen de {len(children)} formatos: {counts}.")


def _finding(rule: Rule, outcome: Outcome) -> Finding:
    return Finding(
        rule_id=rule.id,
        title=rule.title,
        dimension=rule.dimension,
        status=outcome.status,
        weight=rule.weight,
        legal_basis=rule.basis.cite(),
        message=outcome.message,
        review_note=rule.review_note,
        parent=rule.parent,
        is_group=rule.check is None,
        evidence=outcome.evidence,
        sources=outcome.sources,
    )
