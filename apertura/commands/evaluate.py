"""`evaluar`: precision and recall of the latest audits against human labels (sample_web/labels.yaml)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.table import Table

from apertura import options
from apertura.app import EXPECTED_ERRORS, DbOption, JsonOption, UserError, app, console, fail
from auditors import evaluation
from rules.catalog import DEFAULT_EDITION
from storage import repository
from storage.database import open_database

LABELS = Path(__file__).resolve().parents[2] / "sample_web" / "labels.yaml"
DEFINITION = (
    "Cada par (municipio, regla) etiquetado es un caso. Con «cumple» como clase positiva: "
    "precisión = casos que el auditor y la etiqueta marcan «cumple» / casos que el auditor marca «cumple»; "
    "exhaustividad (recall) = los mismos / casos que la etiqueta marca «cumple». "
    "Por estado, la clase positiva es ese estado. «—» = sin casos en el denominador."
)
LabelsOption = Annotated[Path, typer.Option("--labels", help="Archivo YAML de etiquetas (verdad de referencia).")]


def read_labels(path: Path) -> dict:
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


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f} %"


@app.command("evaluar")
def evaluate_command(
    labels: LabelsOption = LABELS,
    db: DbOption = None,
    catalog: options.CatalogOption = DEFAULT_EDITION,
    json_: JsonOption = False,
) -> None:
    """Compara la última auditoría de cada municipio con las etiquetas: precisión y exhaustividad."""
    try:
        labelled = read_labels(labels)
        dimensions = {r.id: r.dimension.value for r in options.catalog(catalog).rules}
        findings: dict[str, dict[str, tuple[str, str, str]]] = {}
        with open_database(db).begin() as session:
            for code in labelled:
                audit = repository.latest_audit(session, code)
                if audit is not None:
                    findings[code] = {f.rule_id: (f.dimension, f.status, f.data.get("message", "")) for f in audit.findings}
    except EXPECTED_ERRORS as error:
        fail(str(error))
    missing = [code for code in labelled if code not in findings]
    items = evaluation.compare(labelled, findings, dimensions)
    per_dimension, per_status = evaluation.by_dimension(items), evaluation.by_status(items)
    wrong = evaluation.disagreements(items)
    if json_:
        print(json.dumps({
            "definicion": DEFINITION,
            "casos": len(items),
            "exactitud": evaluation.accuracy(items),
            "sin_auditoria": missing,
            "por_dimension": {d: _metrics_json(m) for d, m in per_dimension.items()},
            "por_estado": {s: _metrics_json(m) for s, m in per_status.items()},
            "desacuerdos": [i.__dict__ for i in wrong],
        }, ensure_ascii=False, indent=2))
        return
    console.print(DEFINITION, highlight=False)
    for title, rows in (("Por dimensión (positivo = cumple)", per_dimension), ("Por estado", per_status)):
        table = Table(title=title)
        for column in ("Clase", "Acierto", "Predichos", "Etiquetados", "Precisión", "Exhaustividad"):
            table.add_column(column)
        for name, m in rows.items():
            table.add_row(name, str(m.true_positives), str(m.predicted), str(m.actual), _pct(m.precision), _pct(m.recall))
        console.print(table)
    console.print(f"{len(items)} casos; coincidencia global: {_pct(evaluation.accuracy(items))}.", highlight=False)
    if missing:
        console.print(f"Sin auditoría en la base de datos: {', '.join(missing)}.", highlight=False)
    table = Table(title=f"Desacuerdos ({len(wrong)})")
    for column in ("Municipio", "Regla", "Etiqueta", "Auditor", "Mensaje"):
        table.add_column(column)
    for i in wrong:
        table.add_row(i.municipality, i.rule_id, i.expected, i.got, i.message)
    console.print(table)


def _metrics_json(m: evaluation.Metrics) -> dict:
    return {"aciertos": m.true_positives, "predichos": m.predicted, "etiquetados": m.actual,
            "precision": m.precision, "exhaustividad": m.recall}
