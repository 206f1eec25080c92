"""Spanish text for every stored value a user may read: finding, crawl, run and overview statuses, dimensions,
reviewer verdicts and kinds of change. Reports, exports, terminal tables and `diff` all take their words from
here, so a value is never shown raw ("non_compliant") and is named the same everywhere.

Stored values stay in English (they are identifiers of the JSON export); only what is shown is translated.
"""

from __future__ import annotations

from models import Status
from models.change import ChangeKind

STATUS_ES = {
    Status.COMPLIANT: "Cumple",
    Status.PARTIAL: "Cumple parcialmente",
    Status.NON_COMPLIANT: "No cumple",
    Status.NOT_VERIFIABLE: "No verificable",
    Status.NOT_APPLICABLE: "No aplica",
}
CRAWL_STATUS_ES = {
    "ok": "correcto",
    "unreachable": "inaccesible",
    "blocked": "bloqueado",
    "no_site": "sin sitio",
    "running": "en curso",
    "interrupted": "interrumpido",
}
RUN_STATUS_ES = {
    "running": "en curso",
    "complete": "completa",
    "interrupted": "interrumpida",
    "failed": "fallida",
}
# A municipality's row in the state overview (apertura/reporting/overview.py).
OVERVIEW_STATUS_ES = {"audited": "auditado", "not_verifiable": "no verificable", "not_audited": "sin auditar"}
DIMENSION_ES = {
    "transparencia": "Transparencia",
    "participacion": "Participación",
    "tic": "TIC",
    "global": "Índice global",
    "buenas_practicas": "Buenas prácticas",
}
# A good practice is adopted or not: never "no cumple" (it is no legal breach).
PRACTICE_STATUS_ES = {
    **STATUS_ES,
    Status.COMPLIANT: "Adoptada",
    Status.PARTIAL: "Adoptada parcialmente",
    Status.NON_COMPLIANT: "No adoptada",
}
NATURE_ES = {"obligacion": "obligación legal", "buena_practica": "buena práctica"}
VERDICT_ES = {"confirmed": "Confirmado", "rejected": "Rechazado", "annotated": "Anotado"}
# How a rule is checked (models/rule.py), as `apertura rules` lists it.
CHECK_ES = {
    "publication": "publicación",
    "link_domains": "dominios de enlaces",
    "page_feature": "característica de la página",
    None: "grupo",
}
CHANGE_ES = {
    ChangeKind.NEWLY_COMPLIANT: "Ahora cumple",
    ChangeKind.IMPROVEMENT: "Mejora",
    ChangeKind.REGRESSION: "Retroceso",
    ChangeKind.NEWLY_NOT_VERIFIABLE: "Ahora no verificable",
    ChangeKind.NEWLY_VERIFIABLE: "De nuevo verificable",
    ChangeKind.OTHER: "Otro cambio",
}


def status_text(status: str | Status | None, nature: str = "obligacion") -> str:
    """A finding's status in Spanish ("No cumple"; a good practice is «No adoptada»); "—" for none."""
    if status is None:
        return "—"
    try:
        return (PRACTICE_STATUS_ES if nature == "buena_practica" else STATUS_ES)[Status(status)]
    except ValueError:
        return str(status)


def crawl_status_text(status: str | None) -> str:
    return "—" if status is None else CRAWL_STATUS_ES.get(status, status)


def run_status_text(status: str) -> str:
    return RUN_STATUS_ES.get(status, status)


def status_counts(statuses: list[Status]) -> str:
    """ "2 No cumple, 1 Cumple": how many of each status, in the order of `Status`."""
    return ", ".join(f"{statuses.count(s)} {STATUS_ES[s]}" for s in Status if s in statuses)
