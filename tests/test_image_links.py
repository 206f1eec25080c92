"""A linked image file is fetched only when it names what a rule looks for (an organigrama), and is kept as an image
document read by OCR; a photo gallery's files are not fetched (crawler/spiders/municipal_site.py `IMAGE_FILE`). A
real loopback site crawled by the municipal spider (`scrapy crawl`, as in docs/rastreo.md)."""

from __future__ import annotations

import io
import json
import shutil
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

import pytest
from PIL import Image, ImageDraw, ImageFont

from tests.conftest import loopback_server, loopback_settings, scrapy_crawl, send

HOST = "organigrama.gob.mx.test"
PHOTOS = [f"/galeria/feria-patronal-{n}.jpg" for n in range(6)]
PAGE = (
    "<html lang='es'><head><title>Organigrama</title></head><body><nav><a href='/'>Inicio</a></nav><h1>Organigrama</h1>"
    "<p>Consulta aquí la <a href='/img/organigrama-2026.png'>estructura jerárquica</a> del ayuntamiento.</p>"
    "<h2>Galería</h2>"
    + "".join(f"<a href='{photo}'><img src='{photo}' alt='Feria'></a>" for photo in PHOTOS)
    + "</body></html>"
)


def _chart() -> bytes:
    image = Image.new("L", (900, 240), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=36)
    draw.text((40, 40), "PRESIDENCIA MUNICIPAL", fill=0, font=font)
    draw.text((40, 140), "TESORERIA   CONTRALORIA", fill=0, font=font)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


class Site(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - stdlib name
        path = urlsplit(self.path).path
        self.server.paths.append(path)
        if path == "/":
            body, kind = (
                b"<html><body><nav><a href='/organigrama.html'>Organigrama</a></nav></body></html>",
                "text/html",
            )
        elif path == "/organigrama.html":
            body, kind = PAGE.encode(), "text/html; charset=utf-8"
        elif path == "/img/organigrama-2026.png":
            body, kind = self.server.chart, "image/png"
        elif path in PHOTOS:
            body, kind = self.server.chart, "image/jpeg"
        else:
            self.send_error(404)
            return
        send(self, body, kind)

    def log_message(self, *args):
        pass


@pytest.mark.slow
def test_an_organigrama_image_is_fetched_and_read_and_a_gallery_is_not(tmp_path):
    with loopback_server(Site, paths=[], chart=_chart()) as server:
        home = f"http://{HOST}:{server.server_address[1]}/"
        settings = loopback_settings(HOST, APERTURA_OCR_MAX_PAGES="1", LOG_LEVEL="INFO")
        result = scrapy_crawl(home, tmp_path / "recursos.jsonl", settings)
        assert result.returncode == 0, result.stderr[-3000:]
        paths = list(server.paths)
    assert not set(PHOTOS) & set(paths)  # the gallery's files name nothing a rule looks for
    assert f"'apertura/image_links_skipped': {len(PHOTOS)}" in result.stderr
    items = [json.loads(line) for line in (tmp_path / "recursos.jsonl").read_text(encoding="utf-8").splitlines()]
    [chart] = [item for item in items if item["url"].endswith("/img/organigrama-2026.png")]
    document = chart["facts"]["document"]
    assert (document["kind"], document["pages"], document["image_only"], document["error"]) == ("image", 1, True, None)
    if shutil.which("tesseract"):  # installed by scripts/system-deps.sh
        assert "PRESIDENCIA" in document["text"].upper() and document["ocr"]
