"""A generated municipal web for benchmarks: N municipalities x M HTML pages plus documents.

Deterministic by seed. Every site has a menu, a footer, a transparency section whose obligation pages
use the catalog's own varied wording (so audits find real matches), news listings, documents (PDF and
XLSX from a small pool generated once, reused with varied names) and a share of dead links.
Night ``n > 1`` changes ``CHANGE_SHARE`` of the resources (pages and documents) deterministically;
every other file keeps the same bytes and mtime, so ETag/Last-Modified stay the same across nights.

The transparency portal (benchmarks/portal.py) is one more virtual host shared by every municipality.

Layout of ``out``: ``sites/<host>/…`` (one directory per virtual host), ``hosts`` (/etc/hosts format),
``manifest.json`` (municipalities, resource counts, the portal). ``write_registry`` writes the registry CSV.

Usage:  python -m benchmarks.generator OUT --municipalities 10 --pages 50 [--night 2] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import random
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape
from pathlib import Path

from openpyxl import Workbook
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from benchmarks import portal as ipomex
from models.text import normalize
from rules.catalog import DEFAULT_EDITION, load_catalog

ROOT = Path(__file__).resolve().parent.parent
INEGI_CSV = ROOT / "apertura" / "registry" / "data" / "inegi_municipios_2020.csv"
EPOCH = 1_793_520_000  # 2026-11-01 08:00 UTC: mtime of every unchanged file
CHANGE_SHARE = 0.05
ARTICLES_PER_LISTING = 20
DEAD_LINK_SHARE = 0.03  # of news articles, linked but never written (404)
FIXED_PAGES = (
    "",
    "transparencia",
    "noticias",
    "contacto",
    "aviso-de-privacidad",
    "tramites-y-servicios",
    "participacion-ciudadana",
    "mapa-del-sitio",
)
THEMES = ("wp", "joomla", "propio")
MENU_LABELS = {
    "transparencia": ("Transparencia", "TRANSPARENCIA", "Transparencia y Acceso a la Información"),
    "noticias": ("Noticias", "Comunicación Social", "Boletines"),
    "tramites-y-servicios": ("Trámites y Servicios", "TRÁMITES", "Servicios en línea"),
    "participacion-ciudadana": ("Participación Ciudadana", "PARTICIPA", "Gobierno Abierto"),
    "contacto": ("Contacto", "CONTACTO", "Directorio y contacto"),
}
OBLIGATION_TITLES = (
    "{Term}",
    "{Term} {year}",
    "Consulta {term}",
    "{Term} del Ayuntamiento",
    "Información sobre {term}",
    "{Term} (LTAIPEMyM art. 92)",
)
DOC_LEADS = ("Formato", "Informe", "Reporte", "Listado", "Acuerdo")
NEWS_TOPICS = (
    "jornada de salud",
    "bacheo en la cabecera municipal",
    "entrega de apoyos escolares",
    "sesión de cabildo abierto",
    "campaña de reforestación",
    "feria del empleo",
    "rehabilitación del mercado",
    "programa de protección civil",
    "festival cultural",
    "torneo deportivo municipal",
    "alumbrado público",
    "presupuesto participativo",
)


@dataclass
class Site:
    inegi_code: str
    name: str
    host: str
    theme: str
    files: dict[str, bytes] = field(default_factory=dict)  # relative path -> bytes
    changed: set[str] = field(default_factory=set)
    pages: int = 0
    documents: int = 0
    dead_links: int = 0


def municipalities(count: int) -> list[tuple[str, str]]:
    """(INEGI code, name): the Estado de México first, then the rest of the country."""
    with open(INEGI_CSV, encoding="utf-8") as fh:
        rows = [(r["cve_completa"], r["nom_municipio"]) for r in csv.DictReader(fh)]
    rows.sort(key=lambda r: (not r[0].startswith("15"), r[0]))
    if count > len(rows):
        raise ValueError(f"hay {len(rows)} municipios en {INEGI_CSV.name}; se pidieron {count}")
    return rows[:count]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalize(text)).strip("-")


def host_for(code: str, name: str) -> str:
    return f"{slug(name)[:40].strip('-')}-{code}.gob.mx.test"


class DocumentPool:
    """A few PDF and XLSX bodies built once; changed documents get fresh bytes of their own."""

    def __init__(self, seed: int, size: int = 6):
        self.pdfs = [pdf_bytes(f"Documento de referencia {i}", seed + i) for i in range(size)]
        self.xlsx = [xlsx_bytes(f"Hoja de referencia {i}", seed + i) for i in range(size // 2)]

    def get(self, kind: str, index: int) -> bytes:
        pool = self.pdfs if kind == "pdf" else self.xlsx
        return pool[index % len(pool)]


def pdf_bytes(title: str, seed: int | str) -> bytes:
    rng = random.Random(seed)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter, invariant=True)
    pdf.setTitle(title)
    y = 740
    for line in [
        title,
        "H. Ayuntamiento — Unidad de Transparencia",
        f"Fecha de actualización: {rng.randint(1, 28)}/09/2026",
    ]:
        pdf.drawString(72, y, line)
        y -= 20
    for row in range(rng.randint(8, 20)):
        pdf.drawString(72, y, f"{row + 1}. Concepto {rng.choice(NEWS_TOPICS)}: ${rng.randint(1_000, 900_000):,}.00")
        y -= 16
    pdf.save()
    return buffer.getvalue()


def xlsx_bytes(title: str, seed: int | str) -> bytes:
    rng = random.Random(seed)
    book = Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append(["Ejercicio", "Periodo", "Concepto", "Monto", "Fecha de actualización"])
    for _ in range(rng.randint(10, 40)):
        sheet.append(
            [2026, f"T{rng.randint(1, 3)}", rng.choice(NEWS_TOPICS), rng.randint(1_000, 900_000), "30/09/2026"]
        )
    raw = io.BytesIO()
    book.save(raw)
    return _fixed_zip_times(raw.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """openpyxl stamps zip entries and document properties with the current time; fix both."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-10-01T00:00:00Z", content)
            target.writestr(zipfile.ZipInfo(info.filename, (2026, 10, 1, 0, 0, 0)), content)
    return out.getvalue()


def _changes(seed: int, host: str, path: str, night: int) -> bool:
    if night <= 1:
        return False
    digest = hashlib.sha256(f"{seed}:{host}:{path}:{night}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < CHANGE_SHARE


def _page_path(path: str) -> str:
    return f"{path}/index.html" if path else "index.html"


def build_site(code: str, name: str, pages: int, seed: int, night: int, pool: DocumentPool, obligations: list) -> Site:
    rng = random.Random(f"{seed}:{code}")
    site = Site(code, name, host_for(code, name), rng.choice(THEMES))
    compliance = rng.uniform(0.3, 0.95)
    budget = max(pages - len(FIXED_PAGES), 2)
    chosen = [r for r in obligations if rng.random() < compliance][: budget // 3]
    articles = budget - len(chosen) - 1
    listings = max(1, -(-articles // ARTICLES_PER_LISTING))
    articles -= listings - 1
    menu = {key: rng.choice(labels) for key, labels in MENU_LABELS.items()}
    layout = _Layout(site, menu, rng)

    def page(path: str, title: str, body: str) -> None:
        changed = _changes(seed, site.host, path, night)
        note = f"<p class='actualizacion'>Actualizado en la noche {night}.</p>" if changed else ""
        site.files[_page_path(path)] = layout.render(title, body + note).encode()
        site.pages += 1
        if changed:
            site.changed.add(_page_path(path))

    def document(path: str, kind: str, title: str) -> None:
        data = pool.get(kind, rng.randrange(100))
        if _changes(seed, site.host, path, night):
            variant = f"{seed}:{path}:{night}"
            data = pdf_bytes(f"{title} (noche {night})", variant) if kind == "pdf" else xlsx_bytes(title, variant)
            site.changed.add(path)
        site.files[path] = data
        site.documents += 1

    year = 2026
    items = []
    for rule in chosen:
        term = rng.choice(rule.check.terms)
        title = rng.choice(OBLIGATION_TITLES).format(term=term, Term=term[:1].upper() + term[1:], year=year)
        path = f"transparencia/{rng.choice(rule.check.url_terms) if rule.check.url_terms else slug(term)}"
        if any(i[0] == path for i in items):
            path = f"{path}-{len(items)}"
        docs = []
        for n in range(rng.choice((0, 1, 1, 2))):
            kind = rng.choice(("pdf", "pdf", "xlsx"))
            doc_path = f"documentos/{year}/{slug(rng.choice(DOC_LEADS) + ' ' + term)}-t{n + 1}-{len(items)}.{kind}"
            document(doc_path, kind, title)
            docs.append(f"<li><a href='/{doc_path}'>{escape(title)} — {kind.upper()} trimestre {n + 1}</a></li>")
        body = (
            f"<p>En cumplimiento del artículo 92 de la LTAIPEMyM, el Ayuntamiento de {escape(name)} publica "
            f"{escape(term)}. Fecha de actualización: 30/09/{year}.</p><ul>{''.join(docs)}</ul>"
        )
        page(path, title, body)
        items.append((path, title))
    listing = "".join(f"<li><a href='/{p}/'>{escape(t)}</a></li>" for p, t in items)
    page(
        "transparencia",
        "Transparencia",
        f"<p>Información pública de oficio de {escape(name)}.</p><ol>{listing}</ol>"
        "<p>Solicitudes en <a href='https://www.saimex.org.mx/'>SAIMEX</a> y "
        "<a href='https://www.plataformadetransparencia.org.mx/'>Plataforma Nacional de Transparencia</a>.</p>",
    )

    news = []
    for n in range(articles):
        topic = rng.choice(NEWS_TOPICS)
        day = date(year, 1, 1) + timedelta(days=rng.randrange(300))
        path = f"noticias/{day:%Y/%m}/{slug(topic)}-{n}"
        news.append((path, f"{topic.capitalize()} en {name}", day))
    dead = {p for p, _, _ in news if rng.random() < DEAD_LINK_SHARE}
    site.dead_links = len(dead)
    for index, (path, title, day) in enumerate(news):
        related = news[(index + 1) % len(news)]
        paragraphs = "".join(f"<p>{_sentence(rng, name)}</p>" for _ in range(rng.randint(2, 5)))
        body = (
            f"<p class='fecha'>Publicado el {day:%d/%m/%Y}</p>{paragraphs}"
            f"<p>Relacionada: <a href='/{related[0]}/'>{escape(related[1])}</a></p>"
        )
        if path not in dead:
            page(path, title, body)
    chunks = [news[i::listings] for i in range(listings)]
    pager = "".join(f"<a href='/noticias/pagina-{i + 1}/'>{i + 1}</a> " for i in range(1, listings))
    for i, chunk in enumerate(chunks):
        entries = "".join(f"<li><a href='/{p}/'>{escape(t)}</a> {d:%d/%m/%Y}</li>" for p, t, d in chunk)
        page(
            "noticias" if i == 0 else f"noticias/pagina-{i + 1}",
            "Noticias",
            f"<ul>{entries}</ul><nav class='pager'>{pager}</nav>",
        )

    page(
        "",
        f"H. Ayuntamiento de {name}",
        f"<p>Bienvenidos al portal oficial del municipio de {escape(name)}.</p>"
        + "".join(f"<p><a href='/{p}/'>{escape(t)}</a></p>" for p, t, _ in news[:5]),
    )
    page(
        "contacto",
        "Contacto",
        f"<p>Palacio Municipal s/n, {escape(name)}, Estado de México. "
        f"Tel. (7{rng.randint(10, 99)}) {rng.randint(100, 999)} {rng.randint(1000, 9999)}. "
        f"Correo: <a href='mailto:contacto@{site.host}'>contacto@{site.host}</a></p>",
    )
    page(
        "aviso-de-privacidad",
        "Aviso de privacidad",
        "<p>Aviso de privacidad integral: los datos personales "
        "recabados se tratan conforme a la Ley de Protección de Datos Personales en Posesión de Sujetos Obligados "
        "del Estado de México y Municipios.</p>",
    )
    page(
        "tramites-y-servicios",
        menu["tramites-y-servicios"],
        "<p>Catálogo de trámites, requisitos y formatos: "
        "licencias de funcionamiento, predial, agua potable, registro civil.</p>",
    )
    page(
        "participacion-ciudadana",
        menu["participacion-ciudadana"],
        "<p>Consulta ciudadana, cabildo abierto, "
        "COCICOVI y presupuesto participativo. Envía tus propuestas.</p><form action='/buscar'>"
        "<input name='buscar'></form>",
    )
    sitemap = "".join(f"<li><a href='/{p}/'>{escape(t)}</a></li>" for p, t in items[:40])
    page("mapa-del-sitio", "Mapa del sitio", f"<ul>{sitemap}</ul>")
    site.files["robots.txt"] = b"User-agent: *\nDisallow: /buscar\n"
    return site


def _sentence(rng: random.Random, name: str) -> str:
    return (
        f"El gobierno municipal de {escape(name)} informa sobre {rng.choice(NEWS_TOPICS)} en "
        f"{rng.randint(2, 40)} comunidades, con una inversión de ${rng.randint(10, 900)} mil pesos "
        f"y la participación de {rng.randint(20, 900)} vecinas y vecinos."
    )


class _Layout:
    """The site's template: header with menu, sidebar, footer. Varies by theme and municipality."""

    def __init__(self, site: Site, menu: dict[str, str], rng: random.Random):
        self.site = site
        items = "".join(f"<li class='menu-item'><a href='/{k}/'>{escape(v)}</a></li>" for k, v in menu.items())
        self.header = (
            f"<header id='masthead'><a href='/' rel='home'>H. Ayuntamiento de {escape(site.name)} "
            f"2025-2027</a><nav class='main-navigation' aria-label='Menú principal'><ul class='menu'>"
            f"<li><a href='/'>Inicio</a></li>{items}</ul></nav></header>"
        )
        social = rng.sample(
            ["https://www.facebook.com/", "https://x.com/", "https://www.youtube.com/@", "https://www.instagram.com/"],
            k=rng.randint(1, 4),
        )
        links = "".join(f"<a href='{s}{slug(site.name)}'>{s.split('/')[2]}</a> " for s in social)
        self.footer = (
            f"<footer class='site-footer'><p>Palacio Municipal, {escape(site.name)}, Estado de México.</p>"
            f"<p><a href='/aviso-de-privacidad/'>Aviso de privacidad</a> | "
            f"<a href='/mapa-del-sitio/'>Mapa del sitio</a> | {links}</p></footer>"
        )

    def render(self, title: str, body: str) -> str:
        generator = {
            "wp": "WordPress 6.6.2",
            "joomla": "Joomla! - Open Source Content Management",
            "propio": "Portal municipal",
        }[self.site.theme]
        return (
            f"<!DOCTYPE html><html lang='es-MX'><head><meta charset='utf-8'>"
            f"<title>{escape(title)} – {escape(self.site.name)}</title>"
            f"<meta name='generator' content='{generator}'></head><body class='{self.site.theme}'>"
            f"{self.header}<main id='primary'><article><h1>{escape(title)}</h1>{body}</article></main>"
            f"{self.footer}</body></html>"
        )


def generate(out: Path, count: int, pages: int, seed: int = 7, night: int = 1) -> dict:
    """Writes the web to ``out`` and returns its manifest."""
    out = Path(out)
    obligations = [r for r in load_catalog(DEFAULT_EDITION).rules if r.check and r.check.kind == "publication"]
    pool = DocumentPool(seed)
    manifest = {"seed": seed, "night": night, "pages": pages, "municipalities": []}
    hosts = []
    for code, name in municipalities(count):
        site = build_site(code, name, pages, seed, night, pool, obligations)
        _write(out / "sites" / site.host, site.files, site.changed, night)
        hosts.append(f"127.0.0.1 {site.host}")
        manifest["municipalities"].append(
            {
                "inegi_code": code,
                "name": name,
                "host": site.host,
                "pages": site.pages,
                "documents": site.documents,
                "dead_links": site.dead_links,
                "changed": len(site.changed),
                "files": len(site.files),
            }
        )
    manifest["portal"] = write_portal(out, municipalities(count), seed, night)
    hosts.append(f"127.0.0.1 {ipomex.HOST}")
    (out / "hosts").write_text("\n".join(hosts) + "\n", encoding="utf-8")
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def _write(root: Path, files: dict[str, bytes], changed: set[str], night: int) -> None:
    """A host's files; those changed on this night carry its modification time (what nginx's validators use)."""
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        moment = EPOCH + (night * 86_400 if relative in changed else 0)
        os.utime(path, (moment, moment))


def write_portal(out: Path, chosen: list[tuple[str, str]], seed: int, night: int) -> dict:
    """The shared transparency portal's files, and its part of the manifest."""
    built = ipomex.build(chosen, seed, night, CHANGE_SHARE, slug)
    _write(out / "sites" / ipomex.HOST, built.files, built.changed, night)
    return {
        "host": ipomex.HOST,
        "files": len(built.files),
        "changed": len(built.changed),
        "formats_requested": len(ipomex.formats()),
        "keys": built.keys,
        "counts": built.counts,
    }


def write_registry(path: Path, manifest: dict, port: int) -> None:
    keys = manifest.get("portal", {}).get("keys", {})
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["inegi_code", "name", "website", "ipomex_url"])
        for m in manifest["municipalities"]:
            key = keys.get(m["inegi_code"])
            portal = ipomex.index_url(key, port) if key else ""
            writer.writerow([m["inegi_code"], m["name"], f"http://{m['host']}:{port}/", portal])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Genera una web municipal sintética para pruebas de rendimiento.")
    parser.add_argument("out", type=Path)
    parser.add_argument("--municipalities", type=int, default=10)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--night", type=int, default=1)
    args = parser.parse_args(argv)
    manifest = generate(args.out, args.municipalities, args.pages, args.seed, args.night)
    files = sum(m["files"] for m in manifest["municipalities"])
    print(f"{len(manifest['municipalities'])} municipios, {files} archivos en {args.out}")


if __name__ == "__main__":
    main()
