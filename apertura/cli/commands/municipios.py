"""`apertura municipios`: list the municipalities of the registry (subcommands: commands/sitios.py)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from apertura.cli.app import EXPECTED_ERRORS, JsonOption, RegistryOption, app, console, fail
from apertura.errors import UserError
from apertura.registry.padron import (
    STRATA,
    Registry,
    load_registry,
    normalize_state,
    state_name,
    stratum,
    stratum_order,
)
from models.municipality import Municipality

EstadoOption = Annotated[
    str | None,
    typer.Option(
        "--estado",
        help="Clave INEGI de la entidad (01–32); 15 = Estado de México (predeterminada).",
    ),
]
EstratoOption = Annotated[
    str | None,
    typer.Option(
        "--estrato",
        help="Ordena y resume por estrato: conapo (marginación), coneval (rezago social) o idh.",
    ),
]

DASH = "—"


def _fmt_int(value: int | None) -> str:
    return DASH if value is None else f"{value:,}"


def _sorted_by_stratum(items: list[Municipality], kind: str) -> list[Municipality]:
    order = {level: i for i, level in enumerate(stratum_order(kind))}

    def key(m: Municipality) -> tuple[int, str]:
        return order.get(stratum(m, kind) or "", len(order)), m.inegi_code

    return sorted(items, key=key)


def _title(registry: Registry, explicit_path: bool) -> str:
    state = registry.state
    if explicit_path:
        return f"Padrón de municipios: {registry.source}"
    if state == "15":
        return "Municipios del Estado de México (15)"
    name = state_name(state) if state else None
    return f"Municipios de {name} ({state})" if name else "Municipios"


def _main_table(items: list[Municipality], title: str, caption: str) -> Table:
    table = Table(title=title, caption=caption, caption_justify="left")
    # Two-line headers keep the table readable in an 80-column terminal.
    table.add_column("Clave\nINEGI")
    table.add_column("Municipio", overflow="fold")
    table.add_column("Población\n2020", justify="right")
    table.add_column("Marginación\nCONAPO 2020")
    table.add_column("Rezago social\nCONEVAL 2020")
    table.add_column("IDH\n2020", justify="right")
    table.add_column("Sitio web", overflow="fold")
    for m in items:
        table.add_row(
            m.inegi_code,
            m.name,
            _fmt_int(m.population_2020),
            m.conapo_gm_2020 or DASH,
            m.coneval_grs_2020 or DASH,
            DASH if m.pnud_idh_2020 is None else f"{m.pnud_idh_2020:.3f}",
            m.website or DASH,
        )
    return table


def _strata_table(items: list[Municipality], kind: str) -> Table:
    table = Table(title=STRATA[kind])
    table.add_column("Estrato")
    table.add_column("Municipios", justify="right")
    table.add_column("Población 2020", justify="right")
    table.add_column("Con sitio web", justify="right")
    levels = stratum_order(kind) + ["Sin dato"]
    for level in levels:
        group = [m for m in items if (stratum(m, kind) or "Sin dato") == level]
        if not group:
            continue
        population = sum(m.population_2020 or 0 for m in group)
        with_site = sum(1 for m in group if m.website)
        table.add_row(level, str(len(group)), f"{population:,}", str(with_site))
    return table


# A group: without a subcommand it lists the registry; `descubrir`, `fijar`… live in commands/sitios.py.
municipios_app = typer.Typer(no_args_is_help=False)
app.add_typer(municipios_app, name="municipios")


@municipios_app.callback(invoke_without_command=True)
def municipios(
    ctx: typer.Context,
    registry: RegistryOption = None,
    estado: EstadoOption = None,
    json_output: JsonOption = False,
    estrato: EstratoOption = None,
) -> None:
    """Lista los municipios del padrón con sus indicadores y sitio web conocido."""
    if ctx.invoked_subcommand is not None:
        return
    try:
        kind = None
        if estrato is not None:
            kind = estrato.strip().lower()
            if kind not in STRATA:
                raise UserError(f"El estrato '{estrato}' no es válido: use conapo, coneval o idh.")
        if registry is None:
            reg = load_registry(None, state=normalize_state(estado))
        else:
            reg = load_registry(registry)
            if estado is not None:
                reg = reg.for_state(estado)
        items = reg.all()
        if kind:
            items = _sorted_by_stratum(items, kind)
    except EXPECTED_ERRORS as err:
        fail(str(err))

    if json_output:
        payload = [m.model_dump(mode="json") for m in items]
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return

    population = sum(m.population_2020 or 0 for m in items)
    with_site = sum(1 for m in items if m.website)
    with_ipomex = sum(1 for m in items if m.ipomex_url or m.ipomex_key or m.ipomex4_id)
    caption = (
        f"{len(items)} municipios · población 2020: {population:,} · "
        f"{with_site} con sitio web conocido · {with_ipomex} con IPOMEX conocido "
        "(URL sin verificar en vivo)"
    )
    console.print(_main_table(items, _title(reg, registry is not None), caption))
    if kind:
        console.print(_strata_table(items, kind))
