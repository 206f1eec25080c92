"""`diff`: what changed between two runs (newly compliant, regressions, newly unverifiable)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.padding import Padding
from rich.table import Table

from apertura.cli.app import EXPECTED_ERRORS, DbOption, JsonOption, RegistryOption, app, console, fail
from apertura.errors import UserError
from apertura.registry.padron import load_registry
from apertura.reporting.reports import WIDE
from auditors.changes import compare
from models import Finding
from models.change import Change, ChangeKind
from models.labels import CHANGE_ES, status_text
from storage import repository
from storage.database import open_database
from storage.orm import Run


@app.command()
def diff(
    municipio: Annotated[str | None, typer.Argument(help="Clave INEGI o nombre; por omisión, todos.")] = None,
    from_run: Annotated[int | None, typer.Option("--from", help="Ejecución de partida.")] = None,
    to_run: Annotated[int | None, typer.Option("--to", help="Ejecución de llegada.")] = None,
    registry: RegistryOption = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Lista lo que cambió entre dos ejecuciones (por omisión, las dos últimas completas)."""
    try:
        code = load_registry(registry).find(municipio).inegi_code if municipio else None
        with open_database(db, must_exist=True)() as session:
            old, new = _runs(session, from_run, to_run, code)
            before, after = repository.run_audits(session, old.id), repository.run_audits(session, new.id)
            changes: list[Change] = []
            for inegi_code in sorted(set(before) & set(after)):
                if code and inegi_code != code:
                    continue
                old_findings = [Finding.model_validate(f.data) for f in before[inegi_code].findings]
                new_findings = [Finding.model_validate(f.data) for f in after[inegi_code].findings]
                changes += compare(inegi_code, old_findings, new_findings, old.id, new.id)
    except EXPECTED_ERRORS as error:
        fail(str(error))
    if json_:
        print(json.dumps([c.model_dump(mode="json") for c in changes], ensure_ascii=False, indent=2))
        return
    title = f"Cambios de la ejecución {old.id} a la {new.id}"
    if console.width < WIDE:  # a table would cut rule ids: one block per change
        console.print(f"[bold]{title}[/]")
        for c in changes:
            console.print(
                f"{c.inegi_code} [bold]{c.rule_id}[/] · {CHANGE_ES[c.kind]}: {status_text(c.before)} → {status_text(c.after)}",
                highlight=False,
            )
            console.print(Padding(c.title, (0, 0, 0, 4)), highlight=False)
    else:
        table = Table(title=title)
        for column in ("Municipio", "Regla", "Obligación", "Cambio", "Antes", "Después"):
            table.add_column(column, no_wrap=column in ("Municipio", "Regla"))
        for c in changes:
            table.add_row(
                c.inegi_code, c.rule_id, c.title, CHANGE_ES[c.kind], status_text(c.before), status_text(c.after)
            )
        console.print(table)
    counts = {CHANGE_ES[k]: sum(c.kind is k for c in changes) for k in ChangeKind}
    console.print(", ".join(f"{name}: {n}" for name, n in counts.items() if n) or "Sin cambios.")


def _runs(session, from_run: int | None, to_run: int | None, code: str | None) -> tuple[Run, Run]:
    if from_run is not None and to_run is not None:
        runs = [session.get(Run, from_run), session.get(Run, to_run)]
        missing = [str(n) for n, r in zip((from_run, to_run), runs, strict=False) if r is None]
        if missing:
            raise UserError(f"no existe la ejecución {', '.join(missing)}")
        return runs[0], runs[1]
    latest = repository.latest_runs(session, 2, code)
    if len(latest) < 2:
        raise UserError("se necesitan dos ejecuciones completas para comparar; indique --from y --to")
    return latest[1], latest[0]
