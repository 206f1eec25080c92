"""Evidence bundles: `export MUNICIPIO --bundle OUT.zip` (options and writer) and `verify BUNDLE.zip`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from apertura.cli.app import app, console, err_console, writing
from apertura.errors import UserError
from apertura.evidence import bundle
from apertura.evidence.timestamp import TimestampError
from models import MunicipalityReport

BundleOption = Annotated[
    Path | None,
    typer.Option(
        "--bundle",
        help="Escribe un paquete de evidencia ZIP (informes, hallazgos, WACZ, capturas y manifiesto SHA-256).",
    ),
]
TsaUrlOption = Annotated[
    str | None,
    typer.Option(
        "--tsa-url",
        envvar="APERTURA_TSA_URL",
        help="URL de una autoridad de sellado de tiempo RFC 3161 para sellar el manifiesto del paquete.",
    ),
]


def write_bundle(session: Session, report: MunicipalityReport, out: Path, tsa_url: str | None) -> None:
    try:
        with writing(out):
            path = bundle.write(session, report, out, tsa_url)
    except (bundle.BundleError, TimestampError) as error:
        raise UserError(str(error)) from None
    sealed = " con sello de tiempo" if tsa_url else ""
    console.print(f"Paquete de evidencia escrito{sealed}: {path}")


@app.command()
def verify(
    paquete: Annotated[
        Path,
        typer.Argument(
            help="Paquete de evidencia ZIP generado con 'apertura export --bundle', o el WACZ de una ejecución."
        ),
    ],
) -> None:
    """Verifica un paquete de evidencia (archivos modificados, faltantes o sobrantes, sello de tiempo y firma
    del WACZ) o solo la firma de un WACZ."""
    wacz = paquete.suffix.lower() == ".wacz"
    result = bundle.verify_wacz(paquete) if wacz else bundle.verify(paquete)
    for note in result.notes:
        console.print(note, highlight=False, soft_wrap=True)
    for problem in result.problems:
        err_console.print(f"[bold red]✗[/] {problem}", highlight=False, soft_wrap=True)
    if result.problems:
        err_console.print(
            f"[bold red]{'El archivo web' if wacz else 'El paquete'} {paquete} NO es íntegro:[/] {len(result.problems)} problema(s)."
        )
        raise typer.Exit(1)
    if wacz:
        signed = "y su firma es válida" if result.signed else "pero no está firmado"
        console.print(f"[bold green]El archivo web {paquete} es íntegro[/] {signed}.")
    else:
        console.print(
            f"[bold green]El paquete {paquete} es íntegro:[/] todos los archivos coinciden con el manifiesto y cada registro WARC y captura que citan los hallazgos está en el paquete."
        )
