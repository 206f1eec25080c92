"""`db`: database maintenance (migrations, retention)."""

from __future__ import annotations

from typing import Annotated

import typer

from apertura.cli.app import EXPECTED_ERRORS, DbOption, console, fail
from storage.database import open_database
from storage.retention import prune, remove_pruned_files

db_app = typer.Typer(help="Mantenimiento de la base de datos.", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade(db: DbOption = None) -> None:
    """Crea o actualiza el esquema (migraciones de Alembic)."""
    try:
        open_database(db)
    except EXPECTED_ERRORS as error:
        fail(str(error))
    console.print("Esquema al día.")


@db_app.command("prune")
def prune_command(
    keep: Annotated[
        int, typer.Option("--conservar", min=1, help="Ejecuciones completas más recientes que se conservan.")
    ] = 30,
    db: DbOption = None,
) -> None:
    """Borra ejecuciones antiguas y cuerpos sin referencias, sin romper evidencia que se conserva."""
    try:
        sessions = open_database(db, must_exist=True)
        with sessions.begin() as session:
            result = prune(session, keep)
        remove_pruned_files(sessions, result)
    except EXPECTED_ERRORS as error:
        fail(str(error))
    console.print(
        f"Ejecuciones borradas: {result.runs}; cuerpos borrados: {result.bodies} ({result.bytes / 1e6:.1f} MB liberados)."
    )
