"""Does an obligation apply to this municipality? Its own table first, the reviewed default table otherwise.

Art. 93 LTAIPEMyM: each obligated subject reports which fractions apply to it; IPOMEX publishes that table
as format `art_93_i` (crawler/portal.py reads its rows into `PortalFormatArtifact.applicability`). When the
table is not published, or cannot be read, the edition's `aplicabilidad.csv` (rules/catalog.py) decides,
and every `not_applicable` cites where it came from. Pure: no network, no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditors.checks import Outcome, cite
from auditors.checks.portal import Portal, rule_identity
from models import Evidence, Rule, Status
from models.artifact import ApplicabilityRow

DEFAULT_TABLE = "tabla por omisión aplicabilidad.csv"


@dataclass
class Decision:
    applies: bool | None  # None: to be confirmed; the rule is evaluated but its absence is not scored
    message: str
    evidence: list[Evidence] = field(default_factory=list)


class Table:
    """The municipality's table of applicable fractions, as the portal crawl holds it (or its absence)."""

    def __init__(self, portal: Portal | None, format_slug: str | None = "art_93_i"):
        self.rows: list[ApplicabilityRow] = []
        self.evidence: Evidence | None = None
        self.problem: str | None = None  # why the municipality's table could not be used
        observations = [o for o in (portal.observations if portal else []) if o.facts.format == format_slug]
        readable = [o for o in observations if o.facts.applicability]
        if readable:
            best = readable[0]
            self.rows = best.facts.applicability
            self.evidence = cite(
                best.resource,
                "document" if best.facts.generation == "export" else "page",
                matched=f"tabla de aplicabilidad (art. 93): {len(self.rows)} filas",
            )
        elif observations:
            resource = observations[0].resource
            why = (
                resource.error
                or (f"HTTP {resource.status}" if not resource.ok else None)
                or observations[0].facts.blocked
            )
            self.problem = f"la tabla de aplicabilidad de IPOMEX ({resource.final_url}) no se pudo leer" + (
                f": {why}" if why else ": no tiene filas con «aplica / no aplica»"
            )

    def row_for(self, rule: Rule) -> ApplicabilityRow | None:
        """The most specific row naming the rule's article, fraction and inciso/format (a fraction row covers
        all its formats). A row without article is taken as Art. 92."""
        identity = rule_identity(rule.id)
        if identity is None:
            return None
        article, fraction, letter = identity
        matches = [
            r
            for r in self.rows
            if (r.article or "92") == article and r.fraction == fraction and (r.letter is None or r.letter == letter)
        ]
        return max(matches, key=lambda r: r.letter is not None, default=None)


def decide(rule: Rule, table: Table) -> Decision:
    row = table.row_for(rule)
    if row is not None and row.applies is not None and table.evidence is not None:  # rows come with evidence
        where = [table.evidence.model_copy(update={"matched": f"fila de la tabla de aplicabilidad: «{row.text}»"})]
        if row.applies:
            return Decision(True, "Aplica según la tabla de aplicabilidad del municipio (art. 93).", where)
        return Decision(
            False,
            f"No aplica según la tabla de aplicabilidad que el municipio publica en IPOMEX "
            f"(art. 93 LTAIPEMyM): «{row.text}».",
            where,
        )
    note = ""
    if row is not None:
        note = f" La fila de la tabla del municipio no dice si aplica («{row.text}»)."
    elif table.problem:
        note = f" Nota: {table.problem}."
    default = rule.applicability
    if default is None or default.applies == "si":
        return Decision(True, note.strip())
    cited = f"{default.reason} Fuente: {default.source} ({DEFAULT_TABLE})."
    if default.applies == "no":
        return Decision(False, f"No aplica: {cited}{note}")
    return Decision(None, f"Aplicabilidad por confirmar: {cited}{note}")


def unconfirmed(outcome: Outcome, decision: Decision) -> Outcome:
    """A rule whose applicability is to be confirmed is not scored either way (neither a publication that may
    not be due nor an absence that may be lawful); what the check found is kept for the reviewer."""
    if outcome.status is Status.NOT_APPLICABLE:
        return outcome
    found = {
        Status.COMPLIANT: "cumpliría",
        Status.PARTIAL: "cumpliría parcialmente",
        Status.NON_COMPLIANT: "no se encontró",
        Status.NOT_VERIFIABLE: "no verificable",
    }[outcome.status]
    return Outcome(
        Status.NOT_VERIFIABLE,
        f"{decision.message} Resultado de la búsqueda ({found}): {outcome.message}",
        outcome.evidence,
        outcome.sources,
    )
