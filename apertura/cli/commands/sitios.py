"""`apertura municipios descubrir|candidatos|fijar|rechazar|exportar`: find and pin official websites."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

import typer
from rich.markup import escape
from rich.table import Table

from apertura.cli.app import EXPECTED_ERRORS, DbOption, JsonOption, RegistryOption, console, fail
from apertura.cli.commands.municipios import municipios_app
from apertura.cli.options import AllowPrivateOption, FechaCorteOption, HostsOption, hosts, parse_fecha_corte
from apertura.errors import UserError
from apertura.registry import discovery
from apertura.registry.discovery.assess import VERDICTS_ES
from apertura.registry.discovery.candidates import DEFAULT_SUFFIX
from apertura.registry.discovery.probe import UNRESOLVED
from apertura.registry.discovery.stored_links import stored_link_candidates
from apertura.registry.padron import load_registry
from storage import site_candidates
from storage.database import open_database
from storage.orm import SiteCandidate
from storage.repository import as_utc

MunicipioArg = Annotated[str, typer.Argument(help="Nombre o clave INEGI del municipio.")]
UrlArg = Annotated[str, typer.Argument(help="URL del sitio (http:// o https://).")]
RevisorOption = Annotated[str, typer.Option("--revisor", help="Nombre de quien revisa.")]
REVIEW_ES = {site_candidates.PINNED: "fijado", site_candidates.REJECTED: "rechazado"}


@municipios_app.command("descubrir")
def descubrir(
    municipio: Annotated[
        str | None, typer.Argument(help="Nombre o clave INEGI; sin él, todos los municipios sin sitio web.")
    ] = None,
    sufijo: Annotated[str, typer.Option("--sufijo", help="Sufijo de los dominios candidatos.")] = DEFAULT_SUFFIX,
    puerto: Annotated[
        int | None,
        typer.Option(
            "--puerto",
            min=1,
            max=65535,
            help="Puerto de los candidatos derivados del nombre (solo pruebas; por omisión 443 y 80).",
        ),
    ] = None,
    fecha_corte: FechaCorteOption = None,
    hosts_file: HostsOption = None,
    allow_private_network: AllowPrivateOption = False,
    json_: JsonOption = False,
    registry: RegistryOption = None,
    db: DbOption = None,
) -> None:
    """Propone el sitio oficial de un municipio (o de todos los que no tienen) y guarda cada candidato con su evidencia."""
    try:
        reg = load_registry(registry)
        targets = [reg.find(municipio)] if municipio else [m for m in reg if not m.website]
        options = discovery.Options(
            suffix=sufijo,
            port=puerto,
            hosts=hosts(hosts_file),
            allow_private=allow_private_network,
            today=parse_fecha_corte(fecha_corte),
        )
        results = []
        sessions = open_database(db)
        with sessions.begin() as session:
            stored = stored_link_candidates(session, targets)
        for m in targets:
            with sessions.begin() as session:
                candidates = discovery.discover(session, m, reg, options, stored.get(m.inegi_code))
                results.append((m, [_as_dict(r) for r in candidates], discovery.proposal(candidates)))
    except EXPECTED_ERRORS as error:
        fail(str(error))
    if json_:
        payload = [
            {"inegi_code": m.inegi_code, "name": m.name, "proposal": best.url if best else None, "candidates": rows}
            for m, rows, best in results
        ]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for m, rows, best in results:
        _print(f"Candidatos de {m.name} ({m.inegi_code})", rows)
        if best:
            console.print(
                escape(
                    f"Propuesta: {best.url} — {best.reason}. Para fijarla: "
                    f"apertura municipios fijar {m.inegi_code} {best.url} --revisor NOMBRE"
                )
            )
        else:
            console.print(f"Sin propuesta para {m.name}: ningún candidato es un sitio oficial vigente.")


@municipios_app.command("candidatos")
def candidatos(
    municipio: Annotated[str | None, typer.Argument(help="Nombre o clave INEGI; sin él, todos.")] = None,
    json_: JsonOption = False,
    registry: RegistryOption = None,
    db: DbOption = None,
) -> None:
    """Lista los sitios candidatos guardados, con su evidencia y la decisión del revisor."""
    try:
        code = load_registry(registry).find(municipio).inegi_code if municipio else None
        with open_database(db).begin() as session:
            current = {row.id for row in site_candidates.pinned(session).values()}
            rows = [_as_dict(r, r.id in current) for r in site_candidates.candidates(session, code)]
    except EXPECTED_ERRORS as error:
        fail(str(error))
    if json_:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows:
        console.print("No hay candidatos guardados; use «apertura municipios descubrir».")
    else:
        _print("Sitios candidatos", rows, with_code=True)


@municipios_app.command("fijar")
def fijar(
    municipio: MunicipioArg,
    url: UrlArg,
    revisor: RevisorOption = "",
    registry: RegistryOption = None,
    db: DbOption = None,
) -> None:
    """Fija una URL como sitio oficial del municipio (queda con el nombre del revisor y la fecha)."""
    _decide(municipio, url, site_candidates.PINNED, revisor, None, registry, db)


@municipios_app.command("rechazar")
def rechazar(
    municipio: MunicipioArg,
    url: UrlArg,
    revisor: RevisorOption = "",
    motivo: Annotated[str, typer.Option("--motivo", help="Por qué no es el sitio oficial.")] = "",
    registry: RegistryOption = None,
    db: DbOption = None,
) -> None:
    """Rechaza una URL como sitio oficial del municipio, con el motivo."""
    _decide(municipio, url, site_candidates.REJECTED, revisor, motivo, registry, db)


@municipios_app.command("exportar")
def exportar(
    out: Annotated[Path, typer.Option("--out", help="Archivo CSV de salida.")],
    registry: RegistryOption = None,
    db: DbOption = None,
) -> None:
    """Escribe el padrón en CSV con los sitios fijados por revisores aplicados."""
    try:
        reg = load_registry(registry)
        with open_database(db).begin() as session:
            pins = site_candidates.pinned(session)
        applied = 0
        for m in reg:
            row = pins.get(m.inegi_code)
            if row is None:
                continue
            if row.reviewed_at is None:  # pinning sets it (storage/site_candidates.py)
                raise UserError(f"el sitio fijado de {m.inegi_code} ({row.url}) no tiene fecha de revisión")
            reviewed = as_utc(row.reviewed_at).date()
            m.website = row.url
            m.website_source = f"descubrimiento; fijado por {row.reviewer} el {reviewed.isoformat()}"
            m.verified_on = reviewed
            applied += 1
        reg.write_csv(out)
    except EXPECTED_ERRORS as error:
        fail(str(error))
    console.print(f"Padrón escrito en {out}: {len(reg)} municipios, {applied} con sitio fijado por un revisor.")


def _decide(
    municipio: str, url: str, review: str, revisor: str, motivo: str | None, registry: Path | None, db: str | None
) -> None:
    try:
        if not revisor.strip():
            raise UserError("indique quién revisa con --revisor NOMBRE")
        if motivo is not None and not motivo.strip():
            raise UserError("indique el motivo del rechazo con --motivo TEXTO")
        url = _site_url(url)
        m = load_registry(registry).find(municipio)
        with open_database(db).begin() as session:
            row = site_candidates.decide(
                session,
                m.inegi_code,
                url,
                review=review,
                reviewer=revisor.strip(),
                reason=motivo.strip() if motivo else None,
            )
            verdict = VERDICTS_ES[row.verdict]
    except EXPECTED_ERRORS as error:
        fail(str(error))
    console.print(
        escape(
            f"{url} {REVIEW_ES[review]} como sitio de {m.name} por {revisor.strip()} "
            f"(verificación automática: {verdict})."
        )
    )


def _site_url(url: str) -> str:
    """http(s) URL with at least "/" as path; anything else is a UserError naming it."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise UserError(f"'{url}' no es una URL válida: debe empezar con http:// o https://")
    return parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower(), path=parts.path or "/").geturl()


def _as_dict(row: SiteCandidate, current_pin: bool = True) -> dict:
    review = row.review
    if review == site_candidates.PINNED and not current_pin:
        review = "replaced"
    return {
        "inegi_code": row.inegi_code,
        "url": row.url,
        "origin": row.origin,
        "final_url": row.final_url,
        "status": row.status,
        "sha256": row.sha256,
        "matched": row.matched,
        "verdict": row.verdict,
        "reason": row.reason,
        "score": row.score,
        "checked_at": as_utc(row.checked_at).isoformat() if row.checked_at else None,
        "review": review,
        "reviewer": row.reviewer,
        "review_reason": row.review_reason,
        "reviewed_at": as_utc(row.reviewed_at).isoformat() if row.reviewed_at else None,
    }


def _print(title: str, rows: list[dict], with_code: bool = False) -> None:
    """The table, with names that do not resolve summarized in one line (they are many)."""
    unresolved = [r for r in rows if r["status"] is None and UNRESOLVED in r["reason"] and not r["review"]]
    console.print(_table(title, [r for r in rows if r not in unresolved], with_code))
    if unresolved:
        names = sorted({urlsplit(r["url"]).hostname for r in unresolved})
        console.print(f"No verificables porque el nombre no resuelve ({len(unresolved)} URL): {', '.join(names)}.")


def _table(title: str, rows: list[dict], with_code: bool = False) -> Table:
    table = Table(title=title)
    if with_code:
        table.add_column("Clave")
    for column in ("URL", "Veredicto", "Puntos", "Motivo y evidencia", "Revisión"):
        table.add_column(column, overflow="fold")
    for r in rows:
        evidence = r["reason"] + (f" [{', '.join(r['matched'])}]" if r["matched"] else "")
        if r["final_url"] and r["final_url"] != r["url"]:
            evidence += f" → {r['final_url']}"
        review = ""
        if r["review"]:
            review = {"replaced": "fijado antes (reemplazado)"}.get(
                r["review"], REVIEW_ES.get(r["review"], r["review"])
            )
            review += f" por {r['reviewer']} el {r['reviewed_at'][:10]}" + (
                f": {r['review_reason']}" if r["review_reason"] else ""
            )
        cells = [r["url"], VERDICTS_ES[r["verdict"]], str(r["score"]), evidence, review]
        table.add_row(*([r["inegi_code"]] if with_code else []), *map(escape, cells))
    return table
