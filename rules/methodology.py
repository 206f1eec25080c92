"""The tables of docs/metodologia.md that come from the catalog, so that the methodology cannot drift.

Each table sits between ``<!-- BEGIN generado:NAME -->`` and ``<!-- END generado:NAME -->`` in
docs/metodologia.md; ``python -m rules.methodology`` rewrites them in place and tests/test_docs.py fails
when the file and the catalog disagree. The prose around them is written by hand.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from pathlib import Path

from auditors import periods
from auditors.evaluation import status_es
from auditors.runner import audit_site
from auditors.scoring import score
from auditors.site import Site
from models import DocumentArtifact, Link, PageArtifact, ResourceArtifact
from models.labels import status_text
from rules.catalog import Catalog, load_catalog
from rules.docs import currency_text

METHODOLOGY = Path(__file__).resolve().parent.parent / "docs" / "metodologia.md"
REFERENCE_CUTOFF = date(2026, 11, 24)
BLOCK = re.compile(r"(<!-- BEGIN generado:(?P<name>[a-z_]+) -->\n)(?:.*?\n)?(<!-- END generado:(?P=name) -->)", re.S)
SOURCE_ES = {
    "verified-text": "texto verificado",
    "secondary": "fuente secundaria",
    "inferred": "deducción",
    "unconfirmed": "no confirmado",
}


def _ids(ids: list[str], limit: int = 8) -> str:
    shown = ", ".join(f"`{i}`" for i in ids[:limit])
    return shown + (f" y {len(ids) - limit} más" if len(ids) > limit else "")


def periods_table(catalog: Catalog) -> str:
    """One row per distinct currency: how often, due when, the period due at the reference cut-off, rules."""
    groups: dict[str, list[str]] = defaultdict(list)
    currencies = {}
    for rule in catalog.leaves():
        if rule.currency:
            key = rule.currency.model_dump_json()
            currencies[key] = rule.currency
            groups[key].append(rule.id)
    lines = [f"| Periodo y plazo | Se exige al {REFERENCE_CUTOFF.isoformat()} | Fuente | Reglas |", "|---|---|---|---|"]
    for key, ids in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        currency = currencies[key]
        if currency.judged_on == "recency":
            due = "una publicación reciente"
        else:
            wanted, due_on = periods.expected(currency, REFERENCE_CUTOFF)
            due = f"{wanted.label()} (desde {due_on.isoformat()})"
        source = f"{currency.source} ({SOURCE_ES[currency.source_tag.value]})"
        lines.append(f"| {currency_text(currency)} | {due} | {source} | {len(ids)}: {_ids(ids)} |")
    without = [r.id for r in catalog.leaves() if r.check and r.check.kind == "publication" and not r.currency]
    lines += ["", f"Sin vigencia (publicación permanente): {len(without)} reglas de publicación ({_ids(without)})."]
    return "\n".join(lines)


def retention_table(catalog: Catalog) -> str:
    """Which rules keep earlier ejercicios, and which ejercicios that means at the reference cut-off."""
    kept = [rule for rule in catalog.leaves() if rule.currency and rule.currency.retention]
    lines = [
        f"| Regla | Periodo | Ejercicios exigidos al {REFERENCE_CUTOFF.isoformat()} | Fuente |",
        "|---|---|---|---|",
    ]
    for rule in kept:
        currency = rule.currency
        assert currency is not None and currency.retention is not None
        years = ", ".join(map(str, periods.required_ejercicios(currency, REFERENCE_CUTOFF)))
        source = f"{currency.retention.source} ({SOURCE_ES[currency.retention.source_tag.value]})"
        lines.append(f"| `{rule.id}` | {currency.period} | {years} | {source} |")
    return "\n".join(lines)


def applicability_table(catalog: Catalog) -> str:
    rows = [(rule, rule.applicability) for rule in catalog.leaves() if rule.applicability]
    lines = ["| Regla | Por omisión | Motivo | Fuente |", "|---|---|---|---|"]
    for rule, entry in rows:
        label = {"si": "aplica", "no": "no aplica", "por_confirmar": "por confirmar"}[entry.applies]
        lines.append(
            f"| `{rule.id}` | {label} | {entry.reason} | {entry.source} ({SOURCE_ES[entry.source_tag.value]}) |"
        )
    return "\n".join(lines)


def indexes_table(catalog: Catalog) -> str:
    """What each index counts: leaves by dimension and nature, restated rules, weights, formats per fraction."""
    leaves = catalog.leaves()
    lines = ["| Índice | Hojas que cuentan | Suma de pesos | No se cuentan aquí |", "|---|---|---|---|"]
    for dimension in ("transparencia", "participacion", "tic"):
        counted = [
            r
            for r in leaves
            if r.dimension.value == dimension
            and r.nature == "obligacion"
            and not (r.refers_to and r.refers_to in catalog.by_id)
        ]
        restated = [r.id for r in leaves if r.dimension.value == dimension and r.refers_to in catalog.by_id]
        practices = [r.id for r in leaves if r.dimension.value == dimension and r.nature == "buena_practica"]
        skipped = []
        if restated:
            skipped.append(f"{len(restated)} que repiten otra obligación ({_ids(restated, 5)})")
        if practices:
            skipped.append(f"{len(practices)} buenas prácticas")
        lines.append(
            f"| {dimension} | {len(counted)} | {sum(r.weight for r in counted):g} | {'; '.join(skipped) or '—'} |"
        )
    good_practices = [r for r in leaves if r.nature == "buena_practica"]
    lines.append(f"| buenas_practicas | {len(good_practices)} | {sum(r.weight for r in good_practices):g} | — |")
    formats = Counter(r.parent for r in leaves if r.parent and r.dimension.value == "transparencia")
    heavy = sorted(((n, parent) for parent, n in formats.items() if n > 1), key=lambda item: (-item[0], item[1]))
    lines += [
        "",
        "Fracciones que pesan más de una hoja (una hoja por formato de IPOMEX): "
        + ", ".join(f"`{parent}` {n}" for n, parent in heavy)
        + ".",
    ]
    weighted = [f"`{r.id}` ({r.weight:g})" for r in leaves if r.weight != 1]
    lines.append("Pesos distintos de 1: " + (", ".join(weighted) or "ninguno") + ".")
    return "\n".join(lines)


# A small municipality, written here so that the example is an audit and not arithmetic by hand.
EXAMPLE_BASE = "http://ejemplo.test/"
EXAMPLE_LINKS = [
    (
        "Directorio 2º trimestre 2026",
        "directorio-2t-2026.pdf",
        "Nombre Cargo Teléfono Correo Ana Ruiz Tesorera 722 555 0101 tesoreria@ejemplo.gob.mx",
    ),
    ("Remuneraciones 2026", "remuneraciones-2026.pdf", "Puesto Sueldo bruto Sueldo neto"),
    (
        "Bando Municipal 2024",
        "bando-2024.pdf",
        "Bando Municipal 2024. Última reforma publicada en la Gaceta Municipal el 05/02/2026.",
    ),
    ("Gaceta Municipal octubre 2026", "gaceta-octubre-2026.pdf", "Acuerdos de cabildo"),
    (
        "Aviso de privacidad simplificado",
        "aviso-simplificado.pdf",
        "Sus datos personales se usarán para atender su solicitud. Consulte el aviso integral en la Unidad.",
    ),
    ("Adjudicaciones directas 3er trimestre 2026", "adjudicaciones-3t-2026.xlsx", "Proveedor Monto Motivo"),
    ("Adjudicaciones directas 2025", "adjudicaciones-2025.xlsx", "Contratos del ejercicio 2025"),
]
EXAMPLE_RULES = [
    "ltaipemym.92.VII",
    "ltaipemym.92.VIII",
    "ltaipemym.92.XXIX.b",
    "ltaipemym.94.II.a",
    "ltaipemym.94.I.h",
    "ltaipemym.92.LI.a",
    "part.gaceta_municipal",
    "norm.bando_municipal",
    "part.presupuesto_participativo",
    "tic.aviso_privacidad_integral",
    "tic.aviso_privacidad_simplificado",
]


def example_site() -> Site:
    when = datetime(2026, 11, 20, tzinfo=UTC)
    links = [Link(href=EXAMPLE_BASE + "docs/" + name, text=text, context="nav") for text, name, _ in EXAMPLE_LINKS]
    resources = [
        ResourceArtifact(
            url=EXAMPLE_BASE,
            final_url=EXAMPLE_BASE,
            status=200,
            fetched_at=when,
            is_home=True,
            page=PageArtifact(title="H. Ayuntamiento de Ejemplo", links=links),
        )
    ]
    for text, name, body in EXAMPLE_LINKS:
        url = EXAMPLE_BASE + "docs/" + name
        dates = re.findall(r"(\d\d)/(\d\d)/(\d{4})", body)
        resources.append(
            ResourceArtifact(
                url=url,
                final_url=url,
                status=200,
                fetched_at=when,
                document=DocumentArtifact(
                    kind="pdf", title=text, text=body, dates=[f"{y}-{m}-{d}" for d, m, y in dates]
                ),
            )
        )
    return Site(resources, EXAMPLE_BASE)


def worked_example(catalog: Catalog) -> str:
    rules = [catalog.by_id[rule_id] for rule_id in EXAMPLE_RULES if rule_id in catalog.by_id]
    findings = audit_site(rules, example_site(), REFERENCE_CUTOFF)
    lines = [
        f"Sitio: {', '.join(f'«{text}»' for text, _, _ in EXAMPLE_LINKS)}; fecha de corte "
        f"{REFERENCE_CUTOFF.isoformat()}; sin ficha de IPOMEX.",
        "",
        "| Regla | Índice | Estado | Mensaje |",
        "|---|---|---|---|",
    ]
    for finding in findings:
        index = "buenas_practicas" if finding.nature == "buena_practica" else finding.dimension.value
        if finding.refers_to:
            index += f" (repite `{finding.refers_to}`: no se cuenta)"
        message = finding.message.replace("|", "/")
        lines.append(f"| `{finding.rule_id}` | {index} | {status_text(finding.status, finding.nature)} | {message} |")
    lines += ["", "| Índice | Puntaje | Hojas puntuadas | No verificables | No aplican |", "|---|---|---|---|---|"]
    for entry in score(findings):
        value = "n/d" if entry.value is None else f"{entry.value:g}"
        lines.append(
            f"| {entry.dimension} | {value} | {entry.scored} | {entry.not_verifiable} | {entry.not_applicable} |"
        )
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f} %"


def _metrics_row(label: str, m: dict) -> str:
    return f"| {label} | {m['aciertos']} | {m['predichos']} | {m['etiquetados']} | {_pct(m['precision'])} | {_pct(m['exhaustividad'])} |"


def sample_published(sample: dict) -> str:
    """«Publicado» per municipality and in total, from `apertura evaluar --json` over the sample web."""
    report = sample["evaluacion"]
    lines = [
        "| «Publicado» | Aciertos | Predichos | Etiquetados | Precisión | Exhaustividad |",
        "|---|---|---|---|---|---|",
    ]
    for code, m in report["por_municipio"].items():
        lines.append(_metrics_row(f"{m['nombre']} ({code})", m))
    total = report["publicado"]
    lines.append(
        f"| **Total** | {total['aciertos']} | {total['predichos']} | {total['etiquetados']} | "
        f"**{_pct(total['precision'])}** | **{_pct(total['exhaustividad'])}** |"
    )
    return "\n".join(lines)


def sample_statuses(sample: dict) -> str:
    report = sample["evaluacion"]
    lines = ["| Estado | Aciertos | Predichos | Etiquetados | Precisión | Exhaustividad |", "|---|---|---|---|---|---|"]
    for status, m in sorted(report["por_estado"].items(), key=lambda item: status_es(item[0])):
        lines.append(_metrics_row(status_es(status), m))
    agree = report["casos"] - len(report["desacuerdos"])
    lines += ["", f"Coincidencia global: {agree} de {report['casos']} ({_pct(report['exactitud'])})."]
    return "\n".join(lines)


def sample_disagreements(sample: dict) -> str:
    report = sample["evaluacion"]
    lines = ["| Municipio | Regla | Etiqueta | Auditor | Mensaje del auditor |", "|---|---|---|---|---|"]
    for item in report["desacuerdos"]:
        message = item["message"].replace("|", "/").replace("\n", " ")
        message = message if len(message) <= 160 else message[:157] + "…"
        lines.append(
            f"| {item['municipality']} | `{item['rule_id']}` | {item['etiqueta']} | {item['auditor']} | {message} |"
        )
    return "\n".join(lines)


def sample_scores(sample: dict) -> str:
    """The indexes of each sample municipality, from `apertura export --todos --format json`."""
    lines = [
        "| Municipio | Transparencia | Participación | TIC | Global | Buenas prácticas | Hojas puntuadas / no verificables / no aplican (global) |",
        "|---|---|---|---|---|---|---|",
    ]
    for report in sorted(sample["auditorias"], key=lambda r: r["inegi_code"]):
        scores = {s["dimension"]: s for s in report["scores"]}
        shown = [
            "n/d" if scores[d]["value"] is None else f"{scores[d]['value']:g}"
            for d in ("transparencia", "participacion", "tic", "global", "buenas_practicas")
        ]
        counts = scores["global"]
        lines.append(
            f"| {report['name']} ({report['inegi_code']}) | {' | '.join(shown)} | "
            f"{counts['scored']} / {counts['not_verifiable']} / {counts['not_applicable']} |"
        )
    return "\n".join(lines)


BLOCKS = {
    "periodos": periods_table,
    "conservacion": retention_table,
    "aplicabilidad": applicability_table,
    "indices": indexes_table,
    "ejemplo": worked_example,
}
# Blocks measured on an audit of the sample web: `apertura evaluar --json` after `apertura nightly
# --fecha-corte 2026-11-24` (tests/test_docs.py runs both on the sample web served on loopback).
SAMPLE_BLOCKS = {
    "muestra_publicado": sample_published,
    "muestra_estados": sample_statuses,
    "muestra_desacuerdos": sample_disagreements,
    "muestra_puntajes": sample_scores,
}


def _render(text: str, blocks: dict, source: object) -> str:
    def replace(match: re.Match[str]) -> str:
        if match["name"] not in blocks:
            return match.group(0)
        return match.group(1) + blocks[match["name"]](source) + "\n" + match.group(3)

    return BLOCK.sub(replace, text)


def render(text: str, catalog: Catalog) -> str:
    """`text` with every block generated from the catalog replaced by what the catalog says now."""
    return _render(text, BLOCKS, catalog)


def render_sample(text: str, evaluation: dict, audits: list[dict]) -> str:
    """`text` with every block measured on the sample web replaced by what `evaluar --json` (`evaluation`) and
    `export --todos --format json` (`audits`) say."""
    return _render(text, SAMPLE_BLOCKS, {"evaluacion": evaluation, "auditorias": audits})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenera las tablas de docs/metodologia.md desde el catálogo.")
    parser.add_argument("--check", action="store_true", help="sólo comprobar; sale con 1 si difieren")
    parser.add_argument(
        "--muestra",
        type=Path,
        nargs=2,
        metavar=("EVALUACION.json", "AUDITORIAS.json"),
        help="`apertura evaluar --json` y `apertura export --todos --format json` de la web de muestra",
    )
    args = parser.parse_args(argv)
    current = METHODOLOGY.read_text(encoding="utf-8")
    updated = render(current, load_catalog())
    if args.muestra:
        evaluation, audits = (json.loads(path.read_text(encoding="utf-8")) for path in args.muestra)
        updated = render_sample(updated, evaluation, audits)
    if args.check:
        return int(updated != current)
    METHODOLOGY.write_text(updated, encoding="utf-8")
    sys.stdout.write("docs/metodologia.md actualizado\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
