"""The typer application and what every command shares: options, errors, console."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from apertura import cli_es
from rules.catalog import CatalogError
from storage.bodies import BodyUnavailable
from storage.database import DatabaseUnavailable

cli_es.install()

app = typer.Typer(
    name="apertura",
    help="Apertura: auditoría de transparencia y gobierno abierto de los municipios del Estado de México.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

console = Console()
err_console = Console(stderr=True)

RegistryOption = Annotated[
    Path | None,
    typer.Option("--registry", help="Archivo CSV del padrón de municipios (columnas inegi_code, name, website, ipomex_url)."),
]
DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="APERTURA_DB", help="URL de SQLAlchemy de la base de datos."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Salida en JSON para programas.")]


class UserError(Exception):
    """An error the user can fix; its message is Spanish and names the file, field or URL."""


# Every error a command reports as a Spanish message (exit 2) instead of a traceback.
EXPECTED_ERRORS: tuple[type[Exception], ...] = (UserError, DatabaseUnavailable, CatalogError, BodyUnavailable)


def fail(message: str, code: int = 2) -> NoReturn:
    err_console.print(f"[bold red]Error:[/] {message}", highlight=False)
    raise typer.Exit(code)
