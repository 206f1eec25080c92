"""The typer application and what every command shares: options, errors, console."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from redis.exceptions import RedisError
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError
from typer.core import TyperGroup

from apertura.cli import es
from apertura.errors import UserError
from apertura.evidence.webarchive import PackagingError
from rules.catalog import CatalogError
from storage.bodies import BodyUnavailable
from storage.database import DatabaseUnavailable

es.install()


class Group(TyperGroup):
    """The root command: whatever a command did not turn into a Spanish message becomes one here (exit 2),
    never a traceback (see `failure_text`)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except EXPECTED_ERRORS as error:
            fail(str(error))
        except BrokenPipeError:  # `apertura rules | head`: the reader left; nothing to report
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except (OSError, SQLAlchemyError, RedisError) as error:
            fail(failure_text(error))


app = typer.Typer(
    cls=Group,
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
    typer.Option(
        "--registry", help="Archivo CSV del padrón de municipios (columnas inegi_code, name, website, ipomex_url)."
    ),
]
DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="APERTURA_DB", help="URL de SQLAlchemy de la base de datos."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Salida en JSON para programas.")]


EXIT_UNREACHABLE = 3  # `recheck`: the site could not be consulted (docs/operaciones.md lists the exit codes)

# Every error a command reports as a Spanish message (exit 2) instead of a traceback.
EXPECTED_ERRORS: tuple[type[Exception], ...] = (
    UserError,
    DatabaseUnavailable,
    CatalogError,
    BodyUnavailable,
    PackagingError,
)


# What a disk can do, in Spanish, by errno; {path} is the file or folder being written.
OS_ERRORS_ES = {
    errno.EACCES: "no hay permiso para escribir en {path}; elija otra ruta o corrija los permisos",
    errno.EPERM: "no hay permiso para escribir en {path}; elija otra ruta o corrija los permisos",
    errno.EROFS: "{path} está en un sistema de archivos de solo lectura; elija otra ruta",
    errno.ENOSPC: "no queda espacio en el disco para escribir {path}; libere espacio y vuelva a intentarlo "
    "(lo ya almacenado en la base de datos se conserva)",
    errno.EDQUOT: "se agotó la cuota de disco al escribir {path}; libere espacio y vuelva a intentarlo",
    errno.ENOTDIR: "no se puede escribir {path}: una parte de la ruta es un archivo, no una carpeta; elija otra ruta",
    errno.EEXIST: "no se puede crear la carpeta {path}: ya existe un archivo con ese nombre; elija otra ruta",
    errno.EISDIR: "{path} es una carpeta; indique la ruta de un archivo",
    errno.ENOENT: "no existe {path} o la carpeta que lo contiene; revise la ruta",
}


def os_error_text(error: OSError, path: Path | str | None = None) -> str:
    path = path or error.filename or "el archivo"
    if error.errno in OS_ERRORS_ES:
        return OS_ERRORS_ES[error.errno].format(path=path)
    code = errno.errorcode.get(error.errno or 0, "desconocido")
    return f"no se pudo escribir {path} (error del sistema {code}); revise la ruta y el disco"


def failure_text(error: Exception) -> str:
    """The Spanish sentence for an error no command expected: a disk, the database or Redis failing mid-way."""
    if isinstance(error, OSError):
        return os_error_text(error)
    if isinstance(error, RedisError):
        return f"falló la conexión con Redis ({type(error).__name__}); compruebe que el servidor Redis está en marcha"
    return (
        f"falló la base de datos ({type(error).__name__}): compruebe que el servidor sigue en marcha y que hay "
        "espacio en el disco; lo ya confirmado se conserva y la ejecución puede repetirse"
    )


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """Turns a failure to write `path` (permissions, full disk, a file where a folder should be) into a
    UserError naming it."""
    try:
        yield
    except OSError as error:
        raise UserError(os_error_text(error, path)) from None


def writable_directory(path: Path) -> Path:
    """Creates `path` if needed and proves a file can be written in it, before any work is stored."""
    with writing(path):
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".apertura-prueba-escritura"
        with probe.open("wb") as handle:
            handle.write(b"0")
        probe.unlink()
    return path


def fail(message: str, code: int = 2) -> NoReturn:
    err_console.print(f"[bold red]Error:[/] {message}", highlight=False)
    raise typer.Exit(code)
