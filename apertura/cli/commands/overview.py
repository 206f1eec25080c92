"""`overview`: the state-wide overview (ranking, strata, correlations) from every municipality's latest audit."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from apertura.cli import options
from apertura.cli.app import (
    EXPECTED_ERRORS,
    DbOption,
    JsonOption,
    RegistryOption,
    app,
    console,
    fail,
    writable_directory,
    writing,
)
from apertura.registry.padron import STRATA, load_registry
from apertura.reporting import overview as state
from apertura.reporting.reports import score_text
from models.labels import DIMENSION_ES, crawl_status_text
from storage.database import open_database


class StratumKindOption(StrEnum):
    conapo = "conapo"
    coneval = "coneval"
    idh = "idh"


@app.command()
def overview(
    registry: RegistryOption = None,
    db: DbOption = None,
    estrato: Annotated[
        StratumKindOption,
        typer.Option("--estrato", help="Estratos: conapo (marginación), coneval (rezago social) o idh (PNUD)."),
    ] = StratumKindOption.conapo,
    out: options.OutOption = Path("informes"),
    json_: JsonOption = False,
) -> None:
    """Panorama estatal: clasificación, puntajes por estrato socioeconómico y correlaciones (estatal.html/.json)."""
    try:
        reg = load_registry(registry)
        writable_directory(out)
        with open_database(db, must_exist=True).begin() as session:
            built = state.build(reg, state.load_latest(session), estrato.value)
        with writing(out):
            paths = state.write_overview(built, out)
    except EXPECTED_ERRORS as error:
        fail(str(error))
    if json_:
        print(built.model_dump_json(indent=2))
        return
    table = Table(title=f"Panorama estatal — estratos: {STRATA[estrato.value]}")
    for column in (
        "Lugar",
        "Municipio",
        "Estrato",
        "Lugar en el estrato",
        *(DIMENSION_ES[k] for k in state.SCORE_KEYS),
    ):
        table.add_column(column)
    for row in built.municipalities:
        if row.status != "audited":
            continue
        peers = row.peers
        if peers is None:
            raise ValueError(f"{row.name} ({row.inegi_code}) is audited but was not placed among its peers")
        table.add_row(
            str(peers.state_rank),
            row.name,
            peers.stratum or "Sin dato",
            f"{peers.rank} de {peers.ranked}",
            *(score_text(row.scores.get(k)) for k in state.SCORE_KEYS),
        )
    console.print(table)
    pending = [r.name for r in built.municipalities if r.status == "not_audited"]
    flagged = [
        f"{r.name} ({crawl_status_text(r.crawl_status)})" for r in built.municipalities if r.status == "not_verifiable"
    ]
    if flagged:
        console.print(f"No verificables: {', '.join(flagged)}.")
    if pending:
        console.print(f"Sin auditar: {len(pending)} municipios.")
    for path in paths:
        console.print(f"Escrito: {path}")
