"""Options shared by the commands that crawl or audit, and their conversion to domain objects."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from apertura.errors import UserError
from crawler.netguard import read_hosts_file
from rules.catalog import Catalog, CatalogError, load_catalog

FechaCorteOption = Annotated[
    str | None,
    typer.Option("--fecha-corte", help="Fecha de corte de la auditoría (AAAA-MM-DD); por omisión, hoy."),
]
CatalogOption = Annotated[str, typer.Option("--catalog", help="Edición del catálogo de reglas.")]
AllowPrivateOption = Annotated[
    bool,
    typer.Option("--allow-private-network", help="Permite rastrear direcciones privadas o de loopback (pruebas)."),
]
HostsOption = Annotated[
    Path | None, typer.Option("--hosts", help="Archivo con formato /etc/hosts que fija direcciones de nombres.")
]
MaxPagesOption = Annotated[int | None, typer.Option("--max-pages", min=1, help="Máximo de recursos por municipio.")]
DelayOption = Annotated[
    float | None, typer.Option("--delay", min=0, help="Segundos entre solicitudes al mismo dominio.")
]
OutOption = Annotated[Path, typer.Option("--out", help="Carpeta de los informes.")]
ArchiveDirOption = Annotated[
    Path | None,
    typer.Option(
        "--archive-dir",
        help="Raíz de los archivos web (WARC y WACZ): cada base usa <raíz>/<identificador de la base>/run-<id>. "
        "Por omisión, junto a la base SQLite (<archivo>-archivo/) o, con PostgreSQL, APERTURA_ARCHIVE_ROOT "
        "o <datos de usuario>/archivo.",
    ),
]


def parse_fecha_corte(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(f"--fecha-corte '{value}' no es una fecha AAAA-MM-DD válida") from None


def catalog(name: str) -> Catalog:
    try:
        return load_catalog(name)
    except CatalogError as error:
        raise UserError(str(error)) from None


def hosts(path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    try:
        return read_hosts_file(path)
    except OSError:
        raise UserError(
            f"no se pudo leer el archivo de hosts {path}: no existe o no se puede leer; revise --hosts"
        ) from None
    except ValueError:  # an address that is not an IP, or not UTF-8
        raise UserError(
            f"el archivo de hosts {path} no es válido: cada línea debe ser «DIRECCIÓN-IP NOMBRE…» en UTF-8"
        ) from None
