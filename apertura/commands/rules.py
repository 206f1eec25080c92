"""`rules`: the catalog as a table or JSON, with counts per article and dimension."""

from __future__ import annotations

import json
from collections import Counter

from rich.table import Table

from apertura import options
from apertura.app import EXPECTED_ERRORS, JsonOption, app, console, fail
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
    table = Table(title=f"Catálogo {loaded.edition.name}: {loaded.edition.title}")
    for column in ("Regla", "Título", "Dimensión", "Fundamento", "Verificación"):
        table.add_column(column)
    for rule in loaded.rules:
        table.add_row(rule.id, rule.title, rule.dimension.value, rule.basis.cite(), rule.check.kind if rule.check else "grupo")
    console.print(table)
    by_dimension = Counter(r.dimension.value for r in loaded.leaves())
    by_article = Counter(r.basis.article or "—" for r in loaded.leaves() if r.dimension.value == "transparencia")
    console.print(f"{len(loaded.rules)} reglas ({len(loaded.leaves())} evaluables). Por dimensión: {dict(by_dimension)}.")
    console.print(f"Transparencia por artículo: {dict(by_article)}. Ediciones disponibles: {', '.join(list_editions())}.")
