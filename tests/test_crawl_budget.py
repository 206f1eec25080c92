"""The page budget goes to what the audit needs first (crawler/budget.py): a real loopback site whose transparency
page lists far more documents than the budget, crawled by the municipal spider (`scrapy crawl`, as in
docs/rastreo.md)."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest

from crawler.budget import Candidate, rank
from tests.conftest import loopback_server, loopback_settings, scrapy_crawl, send

BUDGET = 13  # three pages, the inventory and FORTAMUN, eight quarters
HOST = "presupuesto.gob.mx.test"

# Listed first, as a long listing lists its archive: photos of events, nothing any rule looks for.
UNMATCHED = [f"/galeria/Fotografias evento {2018 + n % 3} numero {n}.pdf" for n in range(60)]
# What rules look for: an inventory, FORTAMUN formats, financial statements of many quarters (newest wanted).
RELEVANT = [
    "/docs/Inventario de Bienes Muebles 1er Trimestre 2026.pdf",
    "/docs/Formato FORTAMUN 4to Trimestre 2025.pdf",
]
QUARTERS = [f"/docs/Estado de Situacion Financiera {q} Trimestre {y}.pdf" for y in (2023, 2024, 2025) for q in "1234"]
NEWEST = QUARTERS[4:]  # the quarters of 2024 and 2025
OLDEST = QUARTERS[:4]  # 2023


def _listing() -> bytes:
    links = [*UNMATCHED, *reversed(QUARTERS), *RELEVANT]  # link order: the archive first, the inventory last
    items = "".join(f'<li><a href="{quote(path)}">{Path(path).stem}</a></li>' for path in links)
    return f"<html><head><title>Transparencia</title></head><body><ul>{items}</ul></body></html>".encode()


HOME = (
    b"<html><head><title>Municipio</title></head><body><nav><a href='/transparencia.html'>Transparencia</a>"
    b"<a href='/contacto.html'>Contacto</a></nav><p>Ayuntamiento.</p></body></html>"
)


class Site(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - stdlib name
        path = unquote(urlsplit(self.path).path)
        self.server.paths.append(path)
        if path == "/":
            body, kind = HOME, "text/html"
        elif path == "/transparencia.html":
            body, kind = _listing(), "text/html"
        elif path == "/contacto.html":
            body, kind = b"<html><body><p>Palacio municipal.</p></body></html>", "text/html"
        elif path.endswith(".pdf"):
            body, kind = b"%PDF-1.4\n%%EOF\n", "application/pdf"
        else:
            self.send_error(404)
            return
        send(self, body, kind)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    with loopback_server(Site, paths=[]) as server:
        yield server


@pytest.mark.slow
def test_a_long_listing_spends_the_budget_on_relevant_and_recent_documents(site, tmp_path):
    home = f"http://{HOST}:{site.server_address[1]}/"
    settings = loopback_settings(HOST, APERTURA_MAX_PAGES_PER_SITE=str(BUDGET), LOG_LEVEL="INFO")
    result = scrapy_crawl(home, tmp_path / "recursos.jsonl", settings)
    assert result.returncode == 0, result.stderr[-3000:]

    fetched = [p for p in site.paths if p not in ("/robots.txt", "/sitemap.xml") and "apertura-no-existe" not in p]
    assert len(fetched) <= BUDGET, fetched  # still a hard bound
    assert {"/", "/transparencia.html", "/contacto.html"} <= set(fetched)  # navigation first
    assert set(RELEVANT) <= set(fetched)  # what the rules look for, though linked last
    assert set(NEWEST) <= set(fetched)  # the newest periods of a long series first
    assert not set(OLDEST) & set(fetched)
    assert not set(UNMATCHED) & set(fetched)  # the archive waits for budget that never comes
    deferred = 60 + len(QUARTERS) + len(RELEVANT) + 3 - len(fetched)
    assert f"'apertura/deferred_links': {deferred}" in result.stderr  # what was left out, in the stats


def test_rank_orders_pages_then_matched_and_recent_documents():
    candidates = [
        Candidate("http://m.test/galeria/foto-2019.pdf", "Galería 2019", True),
        Candidate("http://m.test/docs/cuenta-publica-2021.pdf", "Cuenta pública 2021", True),
        Candidate("http://m.test/docs/cuenta-publica-2025.pdf", "Cuenta pública 2025", True),
        Candidate("http://m.test/gobierno.html", "Gobierno", False),
        Candidate("http://m.test/docs/inventario.pdf", "Inventario de bienes muebles", True),
    ]
    photo, old, new, page, inventory = rank(candidates)
    assert page > new > old > photo  # pages first; among documents, matched ones, the most recent first
    assert inventory > photo
