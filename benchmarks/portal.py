"""The transparency portal of the generated web: one IPOMEX-like domain shared by every municipality.

Each municipality has its 3.0 index (``/ipo3/lgt/indice/<KEY>.web``) linking the formats it publishes, most
with the date of their last update beside the link, and one page per published format (a table with the LTG
metadata columns, some formats current, some outdated). Formats it does not publish are not linked and answer
404; a few answer a CAPTCHA wall. Night ``n > 1`` updates ``CHANGE_SHARE`` of the published formats: a new
date in the format's page and in its index entry, and a newer mtime (Last-Modified, ETag) for both.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from crawler.portal import from_slug
from rules.catalog import DEFAULT_EDITION, load_catalog
from sample_web.build_ipomex import CAPTCHA, page, table

HOST = "www.ipomex.org.mx.test"
PUBLISHED = (0.5, 0.95)  # share of the catalog's formats a municipality publishes, drawn per municipality
UNDATED_SHARE = 0.2  # index entries without an update date beside the link
CAPTCHA_SHARE = 0.03
CURRENT_SHARE = 0.7  # published formats updated in the last quarter; the rest are a year old
HEADERS = [
    "Ejercicio",
    "Fecha de inicio del periodo que se informa",
    "Fecha de término del periodo que se informa",
    "Denominación",
    "Área(s) responsable(s) que genera(n), posee(n), publica(n) y actualizan la información",
    "Fecha de validación",
    "Fecha de actualización",
    "Nota",
]


@dataclass
class Portal:
    files: dict[str, bytes] = field(default_factory=dict)  # path under the host -> bytes
    changed: set[str] = field(default_factory=set)
    keys: dict[str, str] = field(default_factory=dict)  # INEGI code -> portal key
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # INEGI code -> published/captcha/missing


def formats() -> list[str]:
    """The formats the IPOMEX spider asks for: the catalog's, and the applicability table."""
    catalog = load_catalog(DEFAULT_EDITION)
    found = [rule.ipomex_format for rule in catalog.rules if rule.ipomex_format]
    return list(dict.fromkeys([*found, *filter(None, [catalog.edition.applicability_format])]))


def key_for(code: str, name: str, slug) -> str:
    return f"{slug(name).replace('-', '')[:16].upper()}{code[-3:]}"


def index_path(key: str) -> str:
    return f"ipo3/lgt/indice/{key}.web"


def format_path(key: str, fmt: str) -> str:
    return f"ipo3/lgt/indice/{key}/{fmt}.web"


def index_url(key: str, port: int) -> str:
    return f"http://{HOST}:{port}/{index_path(key)}"


def format_url(key: str, fmt: str, port: int) -> str:
    return f"http://{HOST}:{port}/{format_path(key, fmt)}"


def _changes(seed: int, path: str, night: int, share: float) -> bool:
    if night <= 1:
        return False
    digest = hashlib.sha256(f"{seed}:{HOST}:{path}:{night}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < share


def build(municipalities: list[tuple[str, str]], seed: int, night: int, share: float, slug) -> Portal:
    portal = Portal()
    catalog_formats = formats()
    for code, name in municipalities:
        rng = random.Random(f"{seed}:portal:{code}")
        key = portal.keys[code] = key_for(code, name, slug)
        sujeto = f"Ayuntamiento de {name}"
        share_published = rng.uniform(*PUBLISHED)
        published = [f for f in catalog_formats if rng.random() < share_published]
        entries, counts, index_changed = [], {"published": 0, "captcha": 0, "missing": 0}, False
        for fmt in catalog_formats:
            path = format_path(key, fmt)
            captcha = rng.random() < CAPTCHA_SHARE
            current = rng.random() < CURRENT_SHARE
            updated = date(2026, 7, 1) + timedelta(days=rng.randrange(120))
            if not current:
                updated -= timedelta(days=365)
            undated = rng.random() < UNDATED_SHARE
            records = rng.randint(2, 8)
            if fmt not in published:
                counts["missing"] += 1
                continue
            ident = from_slug(fmt)
            heading = f"Artículo {ident.get('article', '92')}, fracción {ident.get('fraction', '')} {ident.get('letter') or ''}"
            if captcha:
                counts["captcha"] += 1
                portal.files[path] = CAPTCHA.encode()
            else:
                counts["published"] += 1
                if _changes(seed, path, night, share):
                    updated = date(2026, 11, 1) + timedelta(days=night)
                    portal.changed.add(path)
                    index_changed = True
                shown = updated.strftime("%d/%m/%Y")
                rows = [
                    [
                        "2026",
                        "01/07/2026",
                        "30/09/2026",
                        f"Registro {i + 1}",
                        "Unidad de Transparencia",
                        shown,
                        shown,
                        "",
                    ]
                    for i in range(records)
                ]
                portal.files[path] = page(sujeto, heading, table(HEADERS, rows)).encode()
            date_text = "" if undated or captcha else f" — Fecha de actualización: {updated:%d/%m/%Y}"
            entries.append(f'<li><a href="{key}/{fmt}.web">{heading.strip()}</a>{date_text}</li>')
        index = index_path(key)
        portal.files[index] = page(sujeto, "Obligaciones de transparencia", f"<ul>{''.join(entries)}</ul>").encode()
        if index_changed:
            portal.changed.add(index)
        portal.counts[code] = counts
    return portal
