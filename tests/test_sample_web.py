"""The bundled sample web: server behaviour, registry and ground-truth labels."""

import csv
import http.client
from pathlib import Path

import pytest
import yaml

from sample_web import server
from sample_web.server import SITES_DIR, registry_rows, serve, write_registry

METEPEC = "www.metepec.gob.mx.test"
ACAMBAY = "acambay.gob.mx.test"
TONANITLA = "www.tonanitla.gob.mx.test"
SAMPLE_DIR = Path(server.__file__).parent

RULE_IDS = """
ltaipemym.79 ltaipemym.92.I ltaipemym.92.II.a ltaipemym.92.II.b ltaipemym.92.VII
ltaipemym.92.VIII ltaipemym.92.XVI ltaipemym.92.XXIV ltaipemym.92.XXV.a ltaipemym.94.I.a
ltaipemym.94.II.a ltaipemym.94.II.b ltaipemym.107 part.copaci part.cocicovi
part.cabildo_abierto part.presupuesto_participativo part.denuncia_ciudadana
part.solicitud_informacion norm.bando_municipal norm.plan_desarrollo_municipal tic.https
tic.viewport tic.lang tic.site_search tic.social_media tic.contact_channels tic.open_data
""".split()


@pytest.fixture(scope="module")
def port():
    with serve() as bound:
        yield bound


def fetch(port, host, path, method="GET", headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, headers={"Host": f"{host}:{port}", **(headers or {})})
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def test_virtual_hosts_by_host_header(port):
    _, metepec = fetch(port, METEPEC, "/")
    _, tonanitla = fetch(port, TONANITLA, "/")
    assert b"Metepec" in metepec and b"TONANITLA" in tonanitla
    response, _ = fetch(port, "www.unknown.gob.mx.test", "/")
    assert response.status == 404


def test_metepec_home_has_transparency_menu_and_js_menu(port):
    response, body = fetch(port, METEPEC, "/")
    assert response.status == 200
    html = body.decode("utf-8")
    assert '<html lang="es' in html and 'name="viewport"' in html
    assert 'href="/transparencia/">TRANSPARENCIA<' in html
    assert "document.createElement" in html
    _, sitemap = fetch(port, METEPEC, "/mapa-del-sitio/")
    assert b"/participacion-ciudadana/presupuesto-participativo/" in sitemap


def test_keep_alive_and_content_length(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        for path in ("/", "/transparencia/", "/robots.txt"):
            conn.request("GET", path, headers={"Host": METEPEC})
            response = conn.getresponse()
            body = response.read()
            assert response.status == 200
            assert int(response.getheader("Content-Length")) == len(body)
    finally:
        conn.close()


def test_acambay_is_latin1(port):
    response, body = fetch(port, ACAMBAY, "/")
    assert response.getheader("Content-Type") == "text/html; charset=ISO-8859-1"
    assert "RUÍZ CASTAÑEDA".encode("iso-8859-1") in body
    assert "RUÍZ".encode() not in body
    assert b"charset=iso-8859-1" in body.lower()
    assert b"<html lang" not in body


def test_joomla_query_routes(port):
    path = "/index.php?option=com_content&view=article&id=23&Itemid=131"
    response, body = fetch(port, ACAMBAY, path)
    assert response.status == 200 and b"saimex" in body
    reordered = "/index.php?Itemid=131&id=23&view=article&option=com_content"
    assert fetch(port, ACAMBAY, reordered)[1] == body
    assert fetch(port, ACAMBAY, "/_articulos/23.html")[0].status == 404


def test_soft_404_and_real_404(port):
    response, body = fetch(port, TONANITLA, "/transparencia.php")
    assert response.status == 200
    assert b"no encontrada" in body.lower() or b"no existe" in body
    assert fetch(port, TONANITLA, "/directorio.php")[0].status == 404
    assert fetch(port, METEPEC, "/no-existe/")[0].status == 404


def test_conditional_requests(port):
    response, body = fetch(port, METEPEC, "/transparencia/")
    etag, last_modified = response.getheader("ETag"), response.getheader("Last-Modified")
    assert etag and last_modified == "Mon, 16 Nov 2026 17:30:00 GMT"
    response, body = fetch(port, METEPEC, "/transparencia/", headers={"If-None-Match": etag})
    assert response.status == 304 and body == b""
    response, _ = fetch(port, METEPEC, "/transparencia/", headers={"If-Modified-Since": last_modified})
    assert response.status == 304
    response, _ = fetch(port, METEPEC, "/transparencia/", headers={"If-None-Match": '"x"'})
    assert response.status == 200


def test_head_and_redirect(port):
    response, body = fetch(port, METEPEC, "/transparencia/", method="HEAD")
    assert response.status == 200 and body == b""
    response, _ = fetch(port, METEPEC, "/transparencia")
    assert response.status == 301 and response.getheader("Location") == "/transparencia/"


def test_robots_txt(port):
    response, body = fetch(port, METEPEC, "/robots.txt")
    assert response.status == 200
    assert response.getheader("Content-Type").startswith("text/plain")
    assert b"Disallow: /wp-admin/" in body


def test_pdf_and_xlsx(port):
    path = "/wp-content/uploads/2026/02/bando-municipal-metepec-2026.pdf"
    response, body = fetch(port, METEPEC, path)
    assert response.getheader("Content-Type") == "application/pdf"
    assert body.startswith(b"%PDF")
    response, body = fetch(port, ACAMBAY, "/images/pdf/BANDO_MUNICIPAL_2023.pdf")
    assert response.status == 200 and body.startswith(b"%PDF")
    response, body = fetch(port, METEPEC, "/wp-content/uploads/2026/10/tabulador-remuneraciones-2026.xlsx")
    assert response.getheader("Content-Type").endswith("spreadsheetml.sheet")
    assert body.startswith(b"PK")


def test_registry(tmp_path):
    rows = registry_rows(8753)
    assert [r["inegi_code"] for r in rows] == ["15054", "15001", "15125", "15123"]
    assert rows[0]["website"] == "http://www.metepec.gob.mx.test:8753/"
    assert rows[3]["website"] == "http://luvianos.gob.mx.test:9/"
    target = tmp_path / "registry.csv"
    write_registry(target, 8753)
    with open(target, encoding="utf-8", newline="") as fh:
        assert list(csv.DictReader(fh)) == rows
    with open(SAMPLE_DIR / "registry.csv", encoding="utf-8", newline="") as fh:
        assert list(csv.DictReader(fh)) == rows
    assert target.read_text("utf-8").splitlines()[0] == "inegi_code,name,website,ipomex_url"


def test_hosts_file_covers_every_site():
    names = {
        name
        for line in (SAMPLE_DIR / "hosts").read_text().splitlines()
        if line.startswith("127.0.0.1")
        for name in line.split()[1:]
    }
    sites = {p.name for p in SITES_DIR.iterdir() if p.is_dir()}
    assert sites <= names and "luvianos.gob.mx.test" in names


def test_labels_cover_every_rule():
    labels = yaml.safe_load((SAMPLE_DIR / "labels.yaml").read_text("utf-8"))
    municipalities = labels["municipalities"]
    assert set(municipalities) == {"15054", "15001", "15125", "15123"}
    allowed = {"compliant", "partial", "non_compliant", "not_verifiable"}
    for code, entry in municipalities.items():
        assert set(entry["expected"]) == set(RULE_IDS), code
        assert set(entry["expected"].values()) <= allowed, code
    assert set(municipalities["15123"]["expected"].values()) == {"not_verifiable"}


def test_sample_web_is_small():
    total = sum(p.stat().st_size for p in SAMPLE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    assert total < 2 * 1024 * 1024
