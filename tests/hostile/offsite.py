"""Two municipal sites and the off-site web they link to, on loopback, one host name per case.

`municipio.fuera.test` links to off-site targets of every kind (live, missing, hanging, behind a shortener's
redirect chain, looping, redirecting into a private address, disallowed by robots.txt, huge, skipped, portal);
`navega.fuera.test` reaches its sections only through navigation that is not a plain link. `interno.externo.test`
maps to 127.0.0.2, an address the crawl must refuse: nothing listens there.
"""

from __future__ import annotations

import contextlib
import io
import threading
import time
from collections import Counter
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from tests.hostile.server import Handler, html

SITE = "municipio.fuera.test"
NAV = "navega.fuera.test"
EXTERNAL = "externo.test"
PRIVATE = "127.0.0.2"
HANG_SECONDS = 20
HUGE = 40 * 1024 * 1024
SECTIONS = {"onclick": "/seccion-onclick/", "data-href": "/seccion-data/", "option": "/seccion-opcion/",
            "form": "/seccion-formulario/", "script": "/seccion-script/", "rendered": "/seccion-render/"}  # fmt: skip


def _pdf(text: str) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter, invariant=1)
    pdf.drawString(72, 720, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


class OffsiteHandler(Handler):
    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        path = urlsplit(self.path).path
        self.server.web.hits[(host, path)] += 1
        try:
            self.route(host, path)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def route(self, host: str, path: str) -> None:
        web: OffsiteWeb = self.server.web
        name = host.removesuffix("." + EXTERNAL)
        if host == SITE:
            return self.site(path)
        if host == NAV:
            return self.navigation(path)
        if path == "/robots.txt":
            return self.send(200, "User-agent: *\nDisallow: /privado/\n", "text/plain")
        if name == "vivo":
            pages = {"/organigrama.html": html("Organigrama municipal", links=["/mas.html", web.url("otro", "/")]),
                     "/presupuesto.html": html("Presupuesto de egresos 2026")}  # fmt: skip
            if path == "/estructura.pdf":
                return self.send(200, _pdf("Estructura orgánica del ayuntamiento"), "application/pdf")
            return self.send(200, pages[path]) if path in pages else self.send(404, html("No encontrado"))
        if name == "roto":
            return self.send(404, html("No encontrado"))
        if name == "lento":
            time.sleep(HANG_SECONDS)
            return self.send(200, html("Demasiado tarde"))
        if name == "corto":  # a URL shortener: two hops to the live page
            return (
                self.redirect(f"/r{path}", 301)
                if not path.startswith("/r/")
                else self.redirect(web.url("vivo", "/presupuesto.html"))
            )
        if name == "bucle":
            return self.redirect("/b" if path == "/a" else "/a")
        if name == "privado":
            target = f"http://{PRIVATE}:{web.port}/secreto" if path == "/literal" else web.url("interno", "/secreto")
            return self.redirect(target)
        if name == "enorme":
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(HUGE))
            self.end_headers()
            chunk = b"%PDF-1.4 " + b"0" * (1024 * 1024 - 9)
            for _ in range(HUGE // len(chunk)):
                self.wfile.write(chunk)
            return None
        return self.send(200, html(f"{name}: no debía pedirse"))

    def site(self, path: str) -> None:
        if path == "/acta-escaneada.pdf":
            from tests.test_extract import SCAN, make_scanned_pdf

            return self.send(200, make_scanned_pdf(SCAN), "application/pdf")
        if path != "/":
            return self.send(200, html("Transparencia")) if path == "/transparencia/" else self.send(404, html("No"))
        self.send(
            200,
            html("Inicio", links=["/transparencia/", "/acta-escaneada.pdf", *self.server.web.offsite_links().values()]),
        )

    def navigation(self, path: str) -> None:
        if path != "/":
            known = {section: via for via, section in SECTIONS.items()}
            return self.send(200, html(f"Sección {known[path]}")) if path in known else self.send(404, html("No"))
        body = (
            f"""<ul class="menu"><li onclick="location.href='{SECTIONS["onclick"]}'">Cabildo</li>"""
            f"""<li data-href="{SECTIONS["data-href"]}">Trámites</li></ul>"""
            f"""<select onchange="window.location=this.value"><option value="">Ir a…</option>"""
            f"""<option value="{SECTIONS["option"]}">Obras</option></select>"""
            f"""<form action="{SECTIONS["form"]}"><button>Directorio</button></form>"""
            """<div id="menu-js" class="menu"></div>"""
            f"""<script>var secciones = [{{titulo: 'Noticias', url: '{SECTIONS["script"]}'}}];"""
            """document.getElementById('menu-js').innerHTML = '<a href="/seccion-' + 'render/">Agenda</a>';</script>"""
            "<p>" + "Portal del ayuntamiento con información pública y servicios. " * 8 + "</p>"
        )
        self.send(200, html("Inicio", body))


class OffsiteWeb:
    CASES = ("vivo", "roto", "lento", "corto", "bucle", "privado", "robots", "enorme", "otro")

    def __init__(self):
        self.hits: Counter[tuple[str, str]] = Counter()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), OffsiteHandler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.server.handle_error = lambda *args: None
        self.server.web = self
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, name: str, path: str = "/") -> str:
        host = name if name in (SITE, NAV) else f"{name}.{EXTERNAL}"
        return f"http://{host}:{self.port}{path}"

    def offsite_links(self) -> dict[str, str]:
        """The home's off-site links by case; the last two must never be requested."""
        return {
            "vivo": self.url("vivo", "/organigrama.html"), "pdf": self.url("vivo", "/estructura.pdf"),
            "roto": self.url("roto", "/falta.html"), "lento": self.url("lento", "/"),
            "corto": self.url("corto", "/x7"), "bucle": self.url("bucle", "/a"),
            "privado": self.url("privado", "/"), "literal": self.url("privado", "/literal"),
            "robots": self.url("robots", "/privado/doc.html"), "enorme": self.url("enorme", "/enorme.pdf"),
            "social": "https://www.facebook.com/municipio.fuera", "portal": "https://www.ipomex.org.mx/",
        }  # fmt: skip

    def hosts_file(self, path: Path) -> Path:
        names = [SITE, NAV, *(f"{case}.{EXTERNAL}" for case in self.CASES)]
        path.write_text(
            "".join(f"127.0.0.1 {name}\n" for name in names) + f"{PRIVATE} interno.{EXTERNAL}\n", encoding="utf-8"
        )
        return path

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextlib.contextmanager
def offsite_web():
    web = OffsiteWeb()
    try:
        yield web
    finally:
        web.close()
