"""The crawler sends a page's search form once (crawler/spiders/municipal_site.py `_search_probe`), so that the audit
can tell a search engine from a theme's box that searches nothing: a real loopback site crawled by the municipal
spider (`scrapy crawl`, as in docs/rastreo.md)."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import loopback_server, loopback_settings, scrapy_crawl, send

HOST = "buscador.gob.mx.test"
FORM = (
    '<form action="{action}" method="get"><input type="hidden" name="lang" value="es">'
    '<input name="s" type="text" placeholder="Type and hit enter..."></form>'
)


class Site(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - stdlib name
        parts = urlsplit(self.path)
        self.server.requests.append(self.path)
        form = FORM.format(action=self.server.action)
        if parts.path == "/" and "s" in parse_qs(parts.query) and self.server.searches:
            body = f"<html><body><h1>Resultados de búsqueda de: {parse_qs(parts.query)['s'][0]}</h1></body></html>"
        elif parts.path in ("/", "/buscar"):  # a static server ignores the query: the page itself
            body = f"<html><head><title>Municipio</title></head><body>{form}<a href='/transparencia.html'>Transparencia</a></body></html>"
        elif parts.path == "/transparencia.html":
            body = f"<html><head><title>Transparencia</title></head><body>{form}<h1>Transparencia</h1></body></html>"
        else:
            self.send_error(404)
            return
        send(self, body.encode(), "text/html; charset=utf-8")

    def log_message(self, *args):
        pass


def _crawl(tmp_path, action: str, searches: bool) -> tuple[list[dict], list[str]]:
    with loopback_server(Site, requests=[], action=action, searches=searches) as server:
        home = f"http://{HOST}:{server.server_address[1]}/"
        result = scrapy_crawl(home, tmp_path / "recursos.jsonl", loopback_settings(HOST))
        assert result.returncode == 0, result.stderr[-3000:]
        requests = list(server.requests)
    items = [json.loads(line) for line in (tmp_path / "recursos.jsonl").read_text(encoding="utf-8").splitlines()]
    return items, requests


def _shown(item: dict) -> tuple[str, str]:
    page = item["facts"]["page"]
    return page["title"], page["text"]


@pytest.mark.slow
def test_a_form_sent_to_its_own_static_page_is_probed_and_answers_the_same_bytes(tmp_path):
    items, requests = _crawl(tmp_path, "#", searches=False)
    probes = [item for item in items if item["facts"].get("role") == "search_probe"]
    # each page's form submits to the page itself: one probe per page, with the form's hidden field
    assert sorted(urlsplit(p["url"]).path + "?" + urlsplit(p["url"]).query for p in probes) == [
        "/?lang=es&s=transparencia",
        "/transparencia.html?lang=es&s=transparencia",
    ]
    by_url = {urlsplit(item["url"])._replace(netloc="").geturl(): item for item in items}
    assert _shown(by_url["http:///?lang=es&s=transparencia"]) == _shown(by_url["http:///"])
    assert requests.count("/?lang=es&s=transparencia") == 1


@pytest.mark.slow
def test_a_form_sent_to_a_search_engine_is_probed_once_for_the_whole_site(tmp_path):
    items, requests = _crawl(tmp_path, "/", searches=True)
    probes = [item for item in items if item["facts"].get("role") == "search_probe"]
    assert [urlsplit(p["url"]).query for p in probes] == ["lang=es&s=transparencia"]  # one address for every page
    home = next(item for item in items if urlsplit(item["url"]).path == "/" and not urlsplit(item["url"]).query)
    assert _shown(probes[0]) != _shown(home) and "Resultados" in _shown(probes[0])[1]
    assert requests.count("/?lang=es&s=transparencia") == 1
