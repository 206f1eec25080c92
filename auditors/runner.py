"""Runs a catalog over one site's stored artifacts. Pure: no network, no database."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from functools import partial

from auditors import applicability
from auditors.checks import Check, Outcome
from auditors.checks.link_domains import check_link_domains
from auditors.checks.page_feature import check_page_feature
from auditors.checks.portal import Portal, check_portal, combine
from auditors.checks.publication import check_publication
from auditors.matching import forget_site_texts
from auditors.periods import read_periods
from auditors.site import Site
from models import Evidence, Finding, Rule, Status
from models.labels import status_counts

log = logging.getLogger(__name__)

CHECKS: dict[str, Check] = {
    "publication": check_publication,
    "link_domains": check_link_domains,
    "page_feature": check_page_feature,
}


def audit_site(
    rules: list[Rule],
    site: Site,
    fecha_corte: date,
    portal: Portal | None = None,
    applicability_format: str | None = "art_93_i",
) -> list[Finding]:
    """One finding per rule, in catalog order; groups summarise their sub-rules.

    With the municipality's IPOMEX crawl (`portal`), rules checked `where: [sitio, ipomex]` combine both sources,
    and its table of applicable fractions (`applicability_format`, Art. 93) says which rules apply.
    """
    outcomes: dict[str, Outcome] = {}
    table = applicability.Table(portal, applicability_format)
    try:
        for rule in rules:
            if rule.check is not None:
                decision = applicability.decide(rule, table)
                if decision.applies is False:
                    outcomes[rule.id] = Outcome(Status.NOT_APPLICABLE, decision.message, decision.evidence)
                    continue
                outcomes[rule.id] = evaluate(rule, site, fecha_corte)
                if portal is not None and "ipomex" in rule.where:
                    outcomes[rule.id] = contained(
                        rule, partial(_with_portal, rule, outcomes[rule.id], site, portal, fecha_corte)
                    )
                if decision.applies is None:
                    outcomes[rule.id] = applicability.unconfirmed(outcomes[rule.id], decision)
    finally:
        forget_site_texts()
        read_periods.cache_clear()
    referred = {rule.id: rule.refers_to for rule in rules if rule.refers_to in outcomes and rule.check is not None}
    for rule_id, target in referred.items():
        same = outcomes[target]
        outcomes[rule_id] = Outcome(
            same.status,
            f"Misma obligación que {target} (se cuenta una sola vez): {same.message}",
            same.evidence,
            same.sources,
        )
    for rule in rules:
        if rule.check is None:
            children = [outcomes[r.id] for r in rules if r.parent == rule.id]
            outcomes[rule.id] = summarise(children)
    return [_finding(rule, outcomes[rule.id], referred.get(rule.id)) for rule in rules]


def evaluate(rule: Rule, site: Site, fecha_corte: date) -> Outcome:
    availability = site.availability
    if availability.status != "ok":
        unreachable = Evidence(kind="unreachable", url=site.website, note=availability.reason)
        return Outcome(Status.NOT_VERIFIABLE, f"Sitio no verificable: {availability.reason}.", [unreachable])
    check = rule.check
    assert check is not None  # group rules are summarised, not evaluated
    return contained(rule, lambda: CHECKS[check.kind](rule, site, fecha_corte))


def _with_portal(rule: Rule, on_site: Outcome, site: Site, portal: Portal, fecha_corte: date) -> Outcome:
    return combine(rule, on_site, check_portal(rule, portal, fecha_corte), site, portal)


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
    elif not scored or (scored == {Status.COMPLIANT} and Status.NOT_VERIFIABLE in statuses):
        status = Status.NOT_VERIFIABLE  # «cumple» says every format does, and one could not be verified
    elif scored == {Status.COMPLIANT}:
        status = Status.COMPLIANT
    elif scored == {Status.NON_COMPLIANT}:
        status = Status.NON_COMPLIANT
    else:
        status = Status.PARTIAL
    counts = status_counts([o.status for o in children])
    return Outcome(status, f"Resumen de {len(children)} formatos: {counts}.")


def _finding(rule: Rule, outcome: Outcome, refers_to: str | None = None) -> Finding:
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
        nature=rule.nature,
        refers_to=refers_to,
        is_group=rule.check is None,
        evidence=outcome.evidence,
        sources=outcome.sources,
    )
