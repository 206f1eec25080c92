"""Generate the Spanish rules reference from the YAML catalog.

Usage: ``python -m rules.docs [--catalog NAME] > docs/reglas.md``
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import PurePosixPath

from models.rule import Currency, LinkDomainsCheck, PageFeatureCheck, PublicationCheck, Rule
from rules.catalog import DEFAULT_EDITION, Catalog, load_catalog

SOURCE_ES = {
    "verified-text": "texto legal verificado",
    "secondary": "fuente secundaria",
    "inferred": "deducción",
    "unconfirmed": "no confirmado",
}
WHERE_ES = {"sitio": "sitio web municipal", "ipomex": "IPOMEX"}
FEATURE_ES = {
    "https": "el sitio usa HTTPS",
    "viewport": "la página declara un viewport para móviles",
    "lang": "la página declara su idioma (atributo lang)",
    "site_search": "hay un buscador en la sección de transparencia (en otra página: parcial)",
    "contact_channels": "canales de contacto (formulario, teléfono, correo, WhatsApp, chat)",
    "open_data": "sección o catálogo de datos abiertos con conjuntos en formato abierto, licencia y fechas",
    "home_link": "vínculo desde la página de inicio",
    "transparency_legend": "leyenda en la sección de transparencia (la misma frase en otra página no cuenta)",
    "accessibility": "señales de accesibilidad (textos alternativos, etiquetas, herramientas)",
    "wcag": "axe-core en Chromium sobre la página de inicio archivada (WCAG 2.1 A/AA)",
    "trackers": "rastreadores de terceros sin aviso de privacidad (cumple si no los hay)",
    "integrity": "contenido inyectado o alterado (cumple si no lo hay)",
}
FILE_TITLES = {
    "art92": "Artículo 92 — obligaciones comunes",
    "art94": "Artículo 94 — obligaciones específicas de los municipios",
    "transversales": "Disposiciones transversales",
    "participacion": "Participación ciudadana y normas municipales",
    "tic": "Tecnologías de la información",
    "art65": "Artículo 65 — obligaciones comunes (Ley General 2025)",
}


def _quoted(items: list[str]) -> str:
    return ", ".join(f"«{item}»" for item in items)


def _code(items: list[str]) -> str:
    return ", ".join(f"`{item}`" for item in items)


def _detection(rule: Rule, catalog: Catalog) -> str:
    check = rule.check
    if check is None:
        kids = ", ".join(f"`{child.id}`" for child in catalog.children(rule.id))
        return f"grupo: su estado se deriva de las sub-reglas {kids}"
    if isinstance(check, PublicationCheck):
        text = f"publicación identificada por los términos {_quoted(check.terms)}"
        if check.url_terms:
            text += f"; en la URL: {_code(check.url_terms)}"
        if check.require_terms:
            text += f"; además debe mencionar al menos uno de: {_quoted(check.require_terms)}"
        return text
    if isinstance(check, LinkDomainsCheck):
        return f"enlaces a al menos {check.min_distinct} de estos dominios: {_code(check.domains)}"
    assert isinstance(check, PageFeatureCheck)
    text = FEATURE_ES[check.feature]
    if check.min_count > 1:
        text += f" (mínimo {check.min_count})"
    if check.terms:
        text += f"; términos: {_quoted(check.terms)}"
    return text


JUDGED_ON_ES = {
    "reported": "días después del cierre del periodo informado",
    "in_force": "días después del inicio del periodo de vigencia",
}


def currency_text(currency: Currency) -> str:
    """«trimestral; exigible 30 días después del cierre del periodo informado»."""
    if currency.judged_on == "recency":
        return f"{currency.period}: al menos una publicación fechada en los últimos {currency.months * 30 + currency.due_days} días"
    text = f"{currency.period}; exigible {currency.due_days} {JUDGED_ON_ES[currency.judged_on]}"
    if currency.amendments:
        text += f"; una reforma publicada en el periodo también cuenta ({_quoted(currency.amendments)})"
    return text


def _section(rule: Rule, catalog: Catalog) -> str:
    basis = rule.basis
    fundamento = basis.cite()
    if basis.quote:
        fundamento += f": «{basis.quote.strip()}»"
    fundamento += f" ({SOURCE_ES[basis.source.value]})"
    where = ", ".join(WHERE_ES[w] for w in rule.where)
    if rule.ipomex_format:
        where += f" (formato IPOMEX `{rule.ipomex_format}`)"
    if rule.currency:
        vigencia = (
            f"{currency_text(rule.currency)} ({rule.currency.source}; {SOURCE_ES[rule.currency.source_tag.value]})"
        )
    else:
        vigencia = "no se evalúa" if rule.check is not None else "la de sus sub-reglas"
    lines = [
        f"### `{rule.id}` — {rule.title}",
        "",
        f"- **Dimensión:** {rule.dimension.value}",
        "- **Naturaleza:** "
        + (
            "obligación legal"
            if rule.nature == "obligacion"
            else f"buena práctica (índice propio; no es incumplimiento), la recomienda: {rule.recommended_by}"
        ),
        f"- **Fundamento:** {fundamento}",
        f"- **Dónde se busca:** {where}",
        f"- **Cómo se detecta:** {_detection(rule, catalog)}",
        f"- **Vigencia:** {vigencia}",
        f"- **Peso:** {rule.weight:g}",
    ]
    if rule.parent:
        lines.append(f"- **Grupo:** `{rule.parent}`")
    if rule.refers_to:
        lines.append(
            f"- **Misma obligación que** `{rule.refers_to}`: donde esa regla se audita, ésta muestra su "
            "hallazgo y no se cuenta otra vez."
        )
    if rule.applicability and rule.applicability.applies != "si":
        label = {"no": "No aplica a municipios", "por_confirmar": "Aplicabilidad por confirmar"}[
            rule.applicability.applies
        ]
        lines.append(
            f"- **{label}** (tabla por omisión; la tabla del art. 93 del municipio prevalece): "
            f"{rule.not_applicable_reason} ({SOURCE_ES[rule.applicability.source_tag.value]})"
        )
    lines.append(f"- **Nota para revisión:** {rule.review_note.strip()}")
    return "\n".join(lines)


def render(catalog: Catalog) -> str:
    edition = catalog.edition
    dims = Counter(rule.dimension.value for rule in catalog.rules)
    heavy = [rule for rule in catalog.rules if rule.weight != 1]
    out = [
        f"# Catálogo de reglas — edición `{edition.name}`",
        "",
        "<!-- Generado con `python -m rules.docs"
        + ("" if edition.name == DEFAULT_EDITION else f" --catalog {edition.name}")
        + " > docs/reglas.md`; no lo edite a mano: edite los YAML de rules/. -->",
        "",
        f"**Ley:** {edition.title} ({edition.law}), {edition.date}. {edition.source or ''}".rstrip(),
        "",
        (edition.description or "").strip(),
        "",
        f"Reglas: {len(catalog.rules)} ({len(catalog.groups())} grupos y {len(catalog.leaves())} "
        f"verificables). Por dimensión: " + ", ".join(f"{name} {count}" for name, count in sorted(dims.items())) + ".",
        "",
        "## Cómo leer este catálogo",
        "",
        "- **Cómo se detecta:** los términos se comparan sin distinguir mayúsculas ni acentos y "
        "por palabras completas con el texto de los enlaces, títulos, encabezados y el inicio de "
        "los documentos. Una simple mención en el texto cuenta como cumplimiento *parcial*; un enlace, "
        "página o documento dedicado, como *cumplimiento*; la vigencia se juzga con las fechas "
        "encontradas en la evidencia.",
        "- **Obligación legal o buena práctica:** las obligaciones (con su artículo) forman las "
        "dimensiones y el índice global; las buenas prácticas (con el plan, ley o guía que las recomienda) "
        "se califican en su propio índice y su ausencia nunca se reporta como incumplimiento.",
        "- **Aplicabilidad:** la tabla de fracciones aplicables que el municipio publica en IPOMEX (art. 93) "
        "prevalece; sin ella rige la tabla por omisión `aplicabilidad.csv` de la edición, con su fuente por "
        "fila. Lo que sólo se deduce queda «por confirmar» (no se califica), nunca «no aplica».",
        "- **Grupos:** una regla sin verificación propia agrupa los formatos de IPOMEX (A, B, C…) "
        "o los incisos de una fracción; su estado se deriva de sus sub-reglas.",
        "- **Fuente:** *texto legal verificado* (leído en la ley), *fuente secundaria* (copia no "
        "oficial o índice de IPOMEX de otro sujeto obligado), *deducción* y *no confirmado*: "
        "revise las dos últimas antes de usarlas para sancionar.",
        "- **Vigencia:** se juzga sobre el *periodo que se informa* (trimestre, semestre, mes, ejercicio) "
        "leído en el título, el nombre del archivo, el inicio del documento o la columna «periodo» de "
        "IPOMEX; es vigente cuando está publicado el último periodo exigible a la fecha de corte. Por "
        "omisión: "
        + (currency_text(default) if (default := edition.default_currency) else "sin vigencia por omisión")
        + ". Cada regla con otro periodo cita su fuente. Sin periodo ni fecha identificables: "
        "cumplimiento parcial («vigencia no verificable»).",
        "- **Peso:** 1 salvo "
        + (", ".join(f"`{rule.id}` ({rule.weight:g})" for rule in heavy) if heavy else "ninguna")
        + "."
        + (
            " Un sitio comprometido pesa doble porque vuelve poco confiable todo lo publicado "
            "(art. 76: información veraz y confiable)."
            if "tic.integridad" in {rule.id for rule in heavy}
            else ""
        ),
        "",
        "## Índice",
        "",
        "| Regla | Título | Dimensión |",
        "|---|---|---|",
        *(
            f"| {'↳ ' if rule.parent else ''}`{rule.id}` | {rule.title} | {rule.dimension.value} |"
            for rule in catalog.rules
        ),
    ]
    current_file = None
    for rule in catalog.rules:
        stem = PurePosixPath(catalog.files.get(rule.id, "")).stem
        if stem != current_file:
            current_file = stem
            out += ["", f"## {FILE_TITLES.get(stem, stem)}"]
        out += ["", _section(rule, catalog)]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Genera la referencia de reglas en Markdown.")
    parser.add_argument("--catalog", default=DEFAULT_EDITION, help="nombre de la edición")
    args = parser.parse_args(argv)
    sys.stdout.buffer.write(render(load_catalog(args.catalog)).encode("utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
