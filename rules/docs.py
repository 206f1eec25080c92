"""Generate the Spanish rules reference from the YAML catalog.

Usage: ``python -m rules.docs [--catalog NAME] > docs/reglas.md``
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import PurePosixPath

from auditors.checks.publication import DOCUMENT_TEXT_WORDS
from auditors.instruments import kinds_sought
from auditors.recognizers import PRIVACY_NOTICES
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


# What a page_feature check accepts and what it does not (auditors/checks/page_feature.py; docs/metodologia.md §3).
FEATURE_ACCEPTANCE = {
    "https": (
        "la página de inicio servida por HTTPS (con certificado válido cuando se comprobó); HTTPS sin que HTTP "
        "redirija, o con certificado inválido, es parcial",
        "un sitio sólo HTTP, aunque enlace a servicios de terceros por HTTPS",
    ),
    "viewport": (
        '`<meta name="viewport">` en la página de inicio',
        "un viewport sólo en otras páginas o en una versión móvil aparte",
    ),
    "lang": (
        "el atributo `lang` de la página de inicio que empieza con `es`; otro idioma declarado es parcial",
        "la falta del atributo `lang`, aunque otra etiqueta (`Content-Language`) declare el idioma",
    ),
    "site_search": (
        "un formulario de búsqueda en una página de la sección de transparencia (art. 79); fuera de ella es parcial",
        "un formulario de contacto, un enlace a un buscador externo (Google) sin formulario propio, ni un formulario "
        "que, enviado por el rastreo con la palabra «transparencia», responde la misma página (no busca), ni una caja "
        "decorativa (su envío se cancela y ningún script lee lo escrito)",
    ),
    "transparency_legend": (
        "la leyenda con las frases de la regla en una página de la sección de transparencia; fuera de ella, "
        "en una página que habla de transparencia, es parcial",
        "la frase en otra página que no habla de transparencia (quejas ante la Contraloría, reportes de servicios)",
    ),
    "contact_channels": (
        "canales distintos —correo, teléfono, WhatsApp, chat, formulario de contacto— en cualquier página; "
        "menos del mínimo es parcial",
        "redes sociales o una dirección postal sin ningún canal",
    ),
    "open_data": (
        "una sección o catálogo de datos abiertos con conjuntos en formato abierto (CSV, XLSX, JSON, ODS, XML, "
        "ZIP) que se descargaron y tienen registros, licencia o términos de uso y fechas; sin licencia o fechas es"
        " parcial; archivos que no se pudieron descargar: no verificable",
        "documentos PDF o imágenes, la palabra «datos abiertos» sin conjuntos de datos, archivos sueltos fuera de una"
        " sección, hojas con solo encabezados",
    ),
    "home_link": (
        "un enlace en el menú o el cuerpo de la página de inicio, con las frases de la regla, a una página válida "
        "con contenido propio; sólo en el pie, a un destino roto, a una página vacía o fuera del inicio es parcial",
        "un sitio sin enlace con esas frases en ninguna página",
    ),
    "accessibility": (
        "una página de inicio sin barreras básicas (lang, título, alt, etiquetas, orden de encabezados) y con "
        "el mínimo de herramientas de accesibilidad; lo demás es parcial",
        "dos o más barreras sin ninguna herramienta; no es una evaluación WCAG completa",
    ),
    "wcag": (
        "ningún incumplimiento WCAG 2.1 A/AA de axe-core en la página de inicio archivada; sólo menores o "
        "moderados es parcial",
        "un incumplimiento grave o crítico, aunque afecte a un solo elemento; sin evaluación almacenada no se juzga",
    ),
    "trackers": (
        "ningún rastreador de terceros de `auditors/trackers.yaml`, o un aviso de privacidad que menciona cookies "
        "o los servicios; un aviso que no los menciona es parcial",
        "rastreadores sin aviso de privacidad (fuentes tipográficas, mapas y bibliotecas no son rastreadores)",
    ),
    "integrity": (
        "un sitio sin marcadores de spam o desfiguración; enlaces ocultos a sitios ajenos que no se enlazan a la "
        "vista son parciales",
        "un marcador de spam o desfiguración en textos o enlaces, incluso ocultos",
    ),
}


def acceptance(rule: Rule) -> tuple[str, str]:
    """What the rule's check accepts as the obligation, and what it does not: the doc of every leaf states both."""
    check = rule.check
    if isinstance(check, PublicationCheck):
        accepting = [
            f"un enlace, página o documento rotulado {_quoted(check.terms[:6])}"
            + (f" (y {len(check.terms) - 6} variantes más)" if len(check.terms) > 6 else "")
            + " cuyo destino se descargó vivo, es del municipio y tiene contenido propio"
        ]
        if check.context_terms:
            accepting.append(
                f"los rótulos cortos {_quoted(check.context_terms)} en el menú o en la sección de transparencia"
                " (todo el rótulo, o una de sus partes, con hasta tres palabras más)"
            )
        if check.recognizer:
            accepting.append(f"contenido reconocido como {RECOGNIZER_ES[check.recognizer]}, con cualquier rótulo")
        if check.recognizer == "normative_instrument":
            accepting.append(
                "un enlace rotulado con un reglamento, bando o código cuyo destino no se pudo descargar: no verificable"
            )
        if check.legend:
            accepting.append(
                "la frase en el texto de una página (la obligación es una leyenda)"
                + (", seguida de una fecha (sin ella, «dd/mm/aaaa» o nada, es una mención)" if check.dated else "")
            )
        if check.news:
            accepting.append("una noticia o comunicado")
        if check.accepted_domains:
            accepting.append(f"una página viva en {_code(check.accepted_domains)}")
        if check.require_terms:
            accepting.append(
                f"si no menciona {_quoted(check.require_terms)}, sólo parcial (no verificable si enlaza documentos que"
                " no se pudieron leer, como actas en Google Drive)"
            )
        if check.service:
            accepting.append(
                "sólo si ofrece el servicio: un formulario propio para llenarlo (o en una página del sitio que enlaza),"
                + (" datos de contacto propios (correo, teléfono)," if check.service == "contact" else "")
                + " o un enlace a su sistema en otro servidor (no verificable)"
            )
        rejecting = []
        if not check.legend:
            rejecting.append("una mención en el texto corrido")
        rejecting.append(
            "un enlace roto, una página sin contenido (marcador de posición, error impreso, sólo la plantilla)"
        )
        if not check.accepted_domains:
            rejecting.append("la página de otro gobierno")
        if not check.news:
            rejecting.append("una noticia sobre el tema")
        if check.require_terms:
            rejecting.append("una página índice cuyos documentos no nombran el tema ni lo que debe contener")
        if check.service:
            rejecting.append("una página que solo describe el servicio (requisitos, cajas, formatos para imprimir)")
            rejecting.append("un documento sobre el servicio")
        if check.exclude_terms:
            rejecting.append(f"lo que nombra otra cosa: {_quoted(check.exclude_terms)}")
        if "law" in kinds_sought(tuple(check.terms)) and check.recognizer != "normative_instrument":
            rejecting.append(
                "una ley que su rótulo o su texto nombra como de otro gobierno antes que del municipio («Ley de Ingresos"
                " del Estado de …», «Ley General …», «… de la Federación»)"
            )
        if check.records_apart:
            rejecting.append(f"otro documento sobre el tema, que se presenta como {_quoted(check.records_apart)}")
        if check.amounts:
            rejecting.append(
                "una página, o un documento con texto, que describe el tema sin dar un solo importe (sólo años)"
            )
        if check.none_legends:
            accepting.append(f"una página que dice que no hay nada que informar: {_quoted(check.none_legends)}")
        if check.announcements_apart:
            rejecting.append(
                "una página que solo anuncia el tema (qué se hizo y cuándo: se rindió, se aprobó, se remitió,"
                " concluyó): una o dos frases sin más números que fechas, sin enlazar, incrustar ni mostrar nada propio"
                + (
                    " (una convocatoria a participar sí cuenta)"
                    if check.announcements_apart == "mechanism"
                    else ", o un documento de una página que solo dice eso (una invitación, un acuse de recibo)"
                )
            )
        if check.session_list_apart:
            rejecting.append(
                "una página o sección que solo enlista las sesiones por su nombre y fecha, sin enlazar sus actas"
            )
        if check.dated_records:
            rejecting.append(
                "la fecha de una página que enlista los registros (actas, números): vale la del más reciente que enlaza"
            )
        if check.contacts:
            rejecting.append(
                "una página o documento sin un teléfono ni un correo propios (una lista de áreas, fotos con nombres)"
            )
        if rule.currency is not None:
            rejecting.append(
                "una página que solo describe el tema en prosa, sin un periodo, una fecha ni una cifra (fuera de"
                " teléfonos, horarios, domicilios, artículos de una ley y días sin año)"
            )
        if check.recognizer in PRIVACY_NOTICES:
            rejecting.append(
                "una página o documento que no habla de datos personales (la política de cookies del sitio)"
            )
        if check.suppliers:
            rejecting.append(
                "una página o documento que explica cómo inscribirse en el padrón sin nombrar a proveedores"
            )
        if check.letters_apart:
            rejecting.append("un oficio dirigido a alguien (su membrete y su firma no son la publicación)")
        if check.documents:
            rejecting.append(
                "una página que no enlaza ningún documento ni sistema ni reproduce su texto (artículo por artículo, o en"
                f" {DOCUMENT_TEXT_WORDS} palabras o más): un recordatorio de cuándo declarar, el anuncio de que se"
                " promulgó el Bando"
            )
        if check.context_terms:
            rejecting.append(f"{_quoted(check.context_terms)} fuera del menú o de la sección de transparencia")
        return "; ".join(accepting), "; ".join(rejecting)
    if isinstance(check, LinkDomainsCheck):
        accepted = f"enlaces a al menos {check.min_distinct} de {_code(check.domains)}"
        if check.verify_target:
            accepted += " cuyo destino se descargó y respondió (un destino que no respondió: no verificable)"
        if check.min_distinct > 1:
            accepted += "; menos dominios distintos es parcial"
        if check.subject_records:
            accepted += (
                " que lleven a la información del propio municipio (su ficha en la Plataforma Nacional, su índice en"
                " IPOMEX); un enlace solo a las páginas generales de la plataforma es parcial"
            )
        if check.own_section:
            accepted += (
                ", junto a una sección de transparencia propia del sitio, con contenido; si la plataforma es toda la"
                " sección, es parcial; solo la portada de la plataforma y ninguna sección propia no cumple (no"
                " verificable si la sección propia no se pudo abrir)"
            )
        rejected = "enlaces a otros dominios, aunque hablen del mismo servicio (el órgano garante, otro portal)"
        if check.accounts:
            rejected += "; la portada de la red («https://facebook.com/»), que no nombra ninguna cuenta"
        if check.not_the_service:
            rejected += (
                f"; direcciones que no son el servicio mismo ({_code(check.not_the_service)}: botones de compartir)"
            )
        if check.min_distinct > 1:
            rejected += "; dos enlaces al mismo dominio cuentan como uno"
        return accepted, rejected
    if isinstance(check, PageFeatureCheck):
        return FEATURE_ACCEPTANCE[check.feature]
    return "", ""


def _acceptance_lines(rule: Rule) -> list[str]:
    if rule.check is None:
        return []
    accepted, rejected = acceptance(rule)
    return [f"- **Se acepta:** {accepted}", f"- **No se acepta:** {rejected}"]


RECOGNIZER_ES = {
    "directory": "un directorio (cargos con teléfonos o correos)",
    "tramites": "un catálogo de trámites (requisitos y costo, en fichas o en una tabla con precios; sin costos, parcial)",
    "cabildo_minutes": "un acta de cabildo (pase de lista y votación)",
    "budget": "un presupuesto (capítulos del gasto con importes)",
    "structure": "una estructura (unidades administrativas o cargos en forma de lista; sin sus atribuciones, parcial)",
    "transparency_unit": "los datos de la Unidad de Transparencia (domicilio, teléfono o correo; en pleno, además, horario y titular)",
    "normative_instrument": (
        "un instrumento normativo del municipio (reglamento, bando, código o ley de ingresos, por artículos o "
        "promulgado): parcial"
    ),
    "integral_privacy_notice": (
        "un aviso de privacidad titulado solo «aviso de privacidad» con los elementos del integral (responsable, datos, "
        "finalidades, fundamento, derechos ARCO, cambios al aviso; al menos cuatro, y si falta alguno, parcial)"
    ),
    "simplified_privacy_notice": (
        "un aviso de privacidad simplificado, aunque se muestre en una ventana emergente (datos, finalidades, derechos "
        "ARCO y dónde consultar el integral; si falta uno, parcial)"
    ),
}


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
    if currency.retention:
        text += f"; se conservan el ejercicio en curso y los {currency.retention.previous} anteriores"
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
        *_acceptance_lines(rule),
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
        "los documentos. Cuenta un enlace, página o documento dedicado cuyo destino se descargó y tiene "
        "contenido; una simple mención en el texto, un enlace roto o una página vacía no cumplen. Cada regla "
        "dice qué acepta y qué no.",
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
