"""`evaluar`: precision and recall of the latest audits against human labels (sample_web/labels.yaml,
evaluation/labels.yaml): headline class «publicado» per municipality and per rule, plus per dimension/status."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.table import Table

from apertura.cli import options
from apertura.cli.app import EXPECTED_ERRORS, DbOption, JsonOption, app, console, fail
from apertura.errors import UserError
from auditors import evaluation
from rules.catalog import DEFAULT_EDITION
from storage import repository
from storage.database import open_database

LABELS = Path(__file__).resolve().parents[3] / "sample_web" / "labels.yaml"
DEFINITION = (
    "Cada par (municipio, regla) etiquetado es un caso. Clase principal «publicado» = «cumple» o "
    "«cumple parcialmente»: precisión = casos que el auditor y la etiqueta dan por publicados / casos que "
    "el auditor da por publicados; exhaustividad (recall) = los mismos / casos que la etiqueta da por "
    "publicados. Por dimensión la clase positiva es «cumple»; por estado, ese estado. "
    "«—» = sin casos en el denominador. Pred. = casos en la clase según el auditor; Etiq. = según la etiqueta."
)
LabelsOption = Annotated[
    list[Path] | None,
    typer.Option("--labels", help="Archivo YAML de etiquetas (verdad de referencia); se puede repetir."),
]
RULE_WIDTH = 22  # an Art. 92 id (ltaipemym.92.XXXVIII.a) on one line; longer ids fold, never get cut


def read_labels(path: Path) -> dict:
    """inegi_code -> entry of one labels file (entries may carry their own audit_date and provenance)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise UserError(f"no se pudo leer el archivo de etiquetas {path}: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("municipalities"), dict):
        raise UserError(f"{path}: falta el mapeo 'municipalities'")
    for code, entry in data["municipalities"].items():
        if not isinstance(entry, dict) or not isinstance(entry.get("expected"), dict):
            raise UserError(f"{path}: municipio {code}: falta el mapeo 'expected'")
    return {str(code): entry for code, entry in data["municipalities"].items()}


def read_all_labels(paths: list[Path]) -> dict:
    """The union of several labels files; a municipality labelled in two files is an error."""
    labelled: dict = {}
    for path in paths:
        for code, entry in read_labels(path).items():
            if code in labelled:
                raise UserError(f"{path}: el municipio {code} ya está etiquetado en otro archivo")
            labelled[code] = entry
    return labelled


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f} %"


@app.command("evaluar")
def evaluate_command(
    labels: LabelsOption = None,
    db: DbOption = None,
    catalog: options.CatalogOption = DEFAULT_EDITION,
    json_: JsonOption = False,
) -> None:
    """Compara la última auditoría de cada municipio con las etiquetas: precisión y exhaustividad."""
    try:
        labelled = read_all_labels(labels or [LABELS])
        dimensions = {r.id: r.dimension.value for r in options.catalog(catalog).rules}
        findings: dict[str, dict[str, tuple[str, str, str]]] = {}
        with open_database(db, must_exist=True).begin() as session:
            for code in labelled:
                audit = repository.latest_audit(session, code)
                if audit is not None:
                    findings[code] = {
                        f.rule_id: (f.dimension, f.status, f.data.get("message", "")) for f in audit.findings
                    }
    except EXPECTED_ERRORS as error:
        fail(str(error))
    missing = [code for code in labelled if code not in findings]
    items = evaluation.compare(labelled, findings, dimensions)
    published = evaluation.metrics(items, evaluation.PUBLISHED)
    per_site, per_rule = evaluation.by_municipality(items), evaluation.by_rule(items)
    per_dimension, per_status = evaluation.by_dimension(items), evaluation.by_status(items)
    wrong = evaluation.disagreements(items)
    names = {code: entry.get("name", code) for code, entry in labelled.items()}
    if json_:
        print(
            json.dumps(
                {
                    "definicion": DEFINITION,
                    "casos": len(items),
                    "exactitud": evaluation.accuracy(items),
                    "sin_auditoria": missing,
                    "publicado": _metrics_json(published),
                    "por_municipio": {
                        c: {"nombre": names[c], "fecha_corte": labelled[c].get("audit_date"), **_metrics_json(m)}
                        for c, m in per_site.items()
                    },
                    "por_regla": {r: _metrics_json(m) for r, m in per_rule.items()},
                    "por_dimension": {d: _metrics_json(m) for d, m in per_dimension.items()},
                    "por_estado": {s: _metrics_json(m) for s, m in per_status.items()},
                    "desacuerdos": [
                        {
                            **i.__dict__,
                            "etiqueta": evaluation.status_es(i.expected),
                            "auditor": evaluation.status_es(i.got),
                        }
                        for i in wrong
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    console.print(DEFINITION, highlight=False)
    console.print(
        f"Publicado (cumple o cumple parcialmente): precisión {_pct(published.precision)}, "
        f"exhaustividad {_pct(published.recall)} ({published.true_positives} aciertos, "
        f"{published.predicted} predichos, {published.actual} etiquetados).",
        highlight=False,
    )
    rows = [(f"{names[c]} ({c})", m) for c, m in per_site.items()]
    console.print(_metrics_table("Publicado, por municipio", "Municipio", rows))
    console.print(_metrics_table("Publicado, por regla", "Regla", list(per_rule.items()), key_width=RULE_WIDTH))
    console.print(_metrics_table("Por dimensión (positivo = cumple)", "Dimensión", list(per_dimension.items())))
    console.print(_metrics_table("Por estado", "Estado", [(evaluation.status_es(s), m) for s, m in per_status.items()]))
    console.print(f"{len(items)} casos; coincidencia global: {_pct(evaluation.accuracy(items))}.", highlight=False)
    if missing:
        console.print(f"Sin auditoría en la base de datos: {', '.join(missing)}.", highlight=False)
    table = Table(title=f"Desacuerdos ({len(wrong)})")
    table.add_column("Municipio", overflow="fold")
    table.add_column("Regla", min_width=RULE_WIDTH, overflow="fold")
    for column in ("Etiqueta", "Auditor", "Mensaje"):
        table.add_column(column, overflow="fold")
    for i in wrong:
        table.add_row(
            i.municipality, i.rule_id, evaluation.status_es(i.expected), evaluation.status_es(i.got), i.message
        )
    console.print(table)


def _metrics_table(
    title: str, key: str, rows: list[tuple[str, evaluation.Metrics]], key_width: int | None = None
) -> Table:
    """Aciertos/predichos/etiquetados/precisión/exhaustividad per row; short headers so it fits 80 columns."""
    table = Table(title=title)
    table.add_column(key, min_width=key_width, overflow="fold")
    for column in ("Aciertos", "Pred.", "Etiq.", "Precisión", "Exhaust."):
        table.add_column(column, justify="right", no_wrap=True)
    for name, m in rows:
        table.add_row(name, str(m.true_positives), str(m.predicted), str(m.actual), _pct(m.precision), _pct(m.recall))
    return table


def _metrics_json(m: evaluation.Metrics) -> dict:
    return {
        "aciertos": m.true_positives,
        "predichos": m.predicted,
        "etiquetados": m.actual,
        "precision": m.precision,
        "exhaustividad": m.recall,
    }
