"""`review`: a reviewer confirms, rejects or annotates a finding of the latest audit, or lists the verdicts."""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from apertura.cli.app import EXPECTED_ERRORS, DbOption, JsonOption, RegistryOption, app, console, fail
from apertura.errors import UserError
from apertura.evidence import replay
from apertura.registry.padron import load_registry
from apertura.reporting.review import applies, current_digests, evidence_digest
from models import Finding
from models.labels import VERDICT_ES
from storage import repository
from storage.database import open_database


@app.command()
def review(
    municipio: Annotated[str | None, typer.Argument(help="Clave INEGI o nombre del municipio.")] = None,
    regla: Annotated[str | None, typer.Argument(help="Clave de la regla, p. ej. ltaipemym.92.I.")] = None,
    confirmar: Annotated[bool, typer.Option("--confirmar", help="Confirma el hallazgo.")] = False,
    rechazar: Annotated[
        bool, typer.Option("--rechazar", help="Rechaza el hallazgo (la herramienta se equivocó).")
    ] = False,
    anotar: Annotated[bool, typer.Option("--anotar", help="Agrega una nota sin confirmar ni rechazar.")] = False,
    revisor: Annotated[str | None, typer.Option("--revisor", help="Nombre de quien revisa.")] = None,
    justificacion: Annotated[
        str | None, typer.Option("--justificacion", help="Por qué; queda en los informes.")
    ] = None,
    listar: Annotated[bool, typer.Option("--listar", help="Lista los veredictos del municipio.")] = False,
    servir: Annotated[
        Path | None,
        typer.Option(
            "--servir",
            help="Sirve un paquete de evidencia en 127.0.0.1: sus informes y la copia archivada de cada evidencia (pywb).",
        ),
    ] = None,
    puerto: Annotated[
        int | None, typer.Option("--puerto", min=1, max=65535, help="Puerto para --servir (por omisión, uno libre).")
    ] = None,
    json_: JsonOption = False,
    registry: RegistryOption = None,
    db: DbOption = None,
) -> None:
    """Registra el veredicto de un revisor sobre un hallazgo de la auditoría más reciente, o los lista;
    con --servir abre un paquete de evidencia para revisarlo con su archivo web."""
    if servir is not None:
        _serve(servir, puerto)
        return
    if not municipio:
        fail("indique el municipio (p. ej. 'apertura review 15054 --listar') o un paquete con --servir PAQUETE.zip")
    try:
        municipality = load_registry(registry).find(municipio)
        with open_database(db, must_exist=True).begin() as session:
            audit_row = repository.latest_audit(session, municipality.inegi_code)
            if audit_row is None:
                raise UserError(
                    f"no hay auditorías de {municipality.name}; ejecute 'apertura recheck {municipality.inegi_code}'"
                )
            if listar:
                current = current_digests(Finding.model_validate(row.data) for row in audit_row.findings)
                listed = [_listed(v, current) for v in repository.verdicts(session, municipality.inegi_code)]
            else:
                kind = _kind(confirmar, rechazar, anotar)
                if not regla:
                    raise UserError(
                        "indique la regla del hallazgo, p. ej. 'apertura review 15054 ltaipemym.92.I --confirmar …'"
                    )
                if not revisor or not revisor.strip() or not justificacion or not justificacion.strip():
                    raise UserError("un veredicto necesita --revisor NOMBRE y --justificacion TEXTO (no vacíos)")
                reviewer, justification = revisor.strip(), justificacion.strip()
                row = repository.audit_finding(session, audit_row, regla)
                if row is None:
                    raise UserError(
                        f"la auditoría {audit_row.id} de {municipality.name} no tiene la regla '{regla}'; consulte 'apertura rules'"
                    )
                repository.add_verdict(
                    session,
                    inegi_code=municipality.inegi_code,
                    rule_id=regla,
                    finding_id=row.id,
                    evidence_digest=evidence_digest(Finding.model_validate(row.data)),
                    verdict=kind,
                    reviewer=reviewer,
                    justification=justification,
                )
    except EXPECTED_ERRORS as error:
        fail(str(error))
    if not listar:
        console.print(f"{VERDICT_ES[kind]}: {regla} de {municipality.name} (auditoría {audit_row.id}), por {reviewer}.")
    elif json_:
        print(json.dumps(listed, ensure_ascii=False, indent=2))
    else:
        _print(listed, municipality.name)


def _serve(path: Path, port: int | None) -> None:
    """Serves the bundle until Ctrl-C (or SIGTERM); pywb and its temporary folder go away with it."""
    signal.signal(signal.SIGTERM, _interrupted)
    try:
        with replay.serve(path, port) as served:
            console.print(f"Paquete {path} servido en {served.base} (Ctrl-C para terminar).", highlight=False)
            for url in served.reports:
                console.print(f"Informe: {url}", highlight=False, soft_wrap=True)
            console.print(f"Archivo web: {served.base}/{replay.COLLECTION}/", highlight=False, soft_wrap=True)
            sys.stdout.flush()
            try:
                served.process.wait()
            except KeyboardInterrupt:
                return
            fail("pywb terminó inesperadamente")
    except replay.ReplayError as error:
        fail(str(error))


def _interrupted(*_) -> None:
    raise KeyboardInterrupt


def _kind(confirmar: bool, rechazar: bool, anotar: bool) -> str:
    chosen = [k for k, flag in (("confirmed", confirmar), ("rejected", rechazar), ("annotated", anotar)) if flag]
    if len(chosen) != 1:
        raise UserError("use exactamente una de --confirmar, --rechazar o --anotar (o --listar)")
    return chosen[0]


def _listed(verdict, current: dict[str, str]) -> dict:
    return {
        "rule_id": verdict.rule_id,
        "verdict": verdict.verdict,
        "reviewer": verdict.reviewer,
        "justification": verdict.justification,
        "created_at": repository.as_utc(verdict.created_at).isoformat(),
        "evidence_digest": verdict.evidence_digest,
        "applies": applies(verdict, current),
    }


def _print(listed: list[dict], name: str) -> None:
    if not listed:
        console.print(f"{name} no tiene veredictos registrados.")
        return
    table = Table(title=f"Veredictos de {name}")
    for column in ("Fecha", "Regla", "Veredicto", "Revisor", "Justificación", "Aplica a la última auditoría"):
        table.add_column(column, no_wrap=column == "Regla")
    for v in listed:
        table.add_row(
            v["created_at"][:16],
            v["rule_id"],
            VERDICT_ES[v["verdict"]],
            v["reviewer"],
            v["justification"],
            v["applies"],
        )
    console.print(table)
