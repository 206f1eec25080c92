"""`rules`: the catalog as a table or JSON, with counts per article and dimension."""

from __future__ import annotations

import json
from collections import Counter

from rich.padding import Padding
from rich.table import Table

from apertura.cli import options
from apertura.cli.app import EXPECTED_ERRORS, JsonOption, app, console, fail
from apertura.reporting.reports import WIDE
from models.labels import CHECK_ES, DIMENSION_ES
from rules.catalog import DEFAULT_EDITION, list_editions


@app.command("rules")
def rules_command(catalog: options.CatalogOption = DEFAULT_EDITION, json_: JsonOption = False) -> None:
    """Lista las reglas del catálogo."""
    try:
        loaded = options.catalog(catalog)
    except EXPECTED_ERRORS as error:
        fail(str(error))
    if json_:
        print(json.dumps([r.model_dump(mode="json") for r in loaded.rules], ensure_ascii=False, indent=2))
        return
    title = f"Catálogo {loaded.edition.name}: {loaded.edition.title}"
    rows = [
        (r.id, r.title, DIMENSION_ES[r.dimension.value], r.basis.cite(), CHECK_ES[r.check.kind if r.check else None])
        for r in loaded.rules
    ]
    if console.width < WIDE:  # a table would cut rule ids: one block per rule
        console.print(f"[bold]{title}[/]")
        for rule_id, rule_title, dimension, basis, check in rows:
            console.print(f"[bold]{rule_id}[/] · {dimension} · {check}", highlight=False)
            console.print(Padding(f"{rule_title} ({basis})", (0, 0, 0, 4)), highlight=False)
    else:
        table = Table(title=title)
        for column in ("Regla", "Título", "Dimensión", "Fundamento", "Verificación"):
            table.add_column(column, no_wrap=column == "Regla")
        for row in rows:
            table.add_row(*row)
        console.print(table)
    by_dimension = Counter(r.dimension.value for r in loaded.leaves())
    by_article = Counter(r.basis.article or "—" for r in loaded.leaves() if r.dimension.value == "transparencia")
    dimensions = ", ".join(f"{DIMENSION_ES[d]}: {n}" for d, n in by_dimension.items())
    articles = ", ".join(f"art. {a}: {n}" for a, n in by_article.items())
    console.print(f"{len(loaded.rules)} reglas ({len(loaded.leaves())} evaluables). Por dimensión: {dimensions}.")
    console.print(f"Transparencia por artículo: {articles}. Ediciones disponibles: {', '.join(list_editions())}.")
