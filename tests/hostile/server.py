"""A hostile web on loopback: one virtual host per fault case, plain HTTP plus TLS listeners.

`CASES` maps each host to its handler; `HostileWeb` serves them all on one HTTP port and each
TLS host on its own port with its own certificate (see certs.py).
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import socket
import ssl
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.hostile.certs import make_certificates

DOMAIN = "hostil.test"
TLS_HOSTS = {"valido": "valid", "vencido": "expired", "autofirmado": "self_signed", "otronombre": "wrong_host"}
HANG_SECONDS = 20


def html(title: str, body: str = "", links: list[str] = (), lang: str = "es") -> str:
    anchors = "".join(
        f'<li><a href="{href}">{text}</a></li>' for href, text in ((h, h.strip("/") or "inicio") for h in links)
    )
    text = body or f"<p>{title}: información pública del ayuntamiento, trámites, servicios y transparencia.</p>"
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><h1>{title}</h1>{text}<nav><ul>{anchors}</ul></nav></body></html>"
    )


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    server_version = "Hostil/1.0"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        case = host.removesuffix("." + DOMAIN)
        self.server.web.hits[(case, self.path)] += 1
        handler = CASES.get(case)
        if handler is None:
            return self.send(404, "<h1>No existe</h1>")
        try:
            handler(self, urlsplit(self.path).path, self.path)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass

    def send(self, status: int, body: str | bytes, content_type: str = "text/html; charset=utf-8", **headers) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(data)

    def redirect(self, location: str, status: int = 302) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def home_or_404(self, path: str, body: str | bytes, **kwargs) -> None:
        if path == "/":
            self.send(200, body, **kwargs)
        else:
            self.send(404, html("No encontrado"))

    @property
    def web(self) -> HostileWeb:
        return self.server.web


# --- cases: (handler, path, raw path) -------------------------------------------------------------------------


def normal(h: Handler, path: str, raw: str) -> None:
    """Baseline with validators (ETag, Last-Modified) for incremental nights, robots and a sitemap."""
    pages = {"/": html("Inicio", links=["/transparencia/", "/privado/secreto.html"]),
             "/transparencia/": html("Transparencia"), "/solo-en-sitemap.html": html("Gaceta municipal"),
             "/privado/secreto.html": html("Privado")}  # fmt: skip
    if path == "/robots.txt":
        port = h.server.server_address[1]
        return h.send(
            200, f"User-agent: *\nDisallow: /privado/\nSitemap: http://normal.{DOMAIN}:{port}/mapa.xml\n", "text/plain"
        )
    if path == "/mapa.xml":
        port = h.server.server_address[1]
        xml = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               f"<url><loc>http://normal.{DOMAIN}:{port}/solo-en-sitemap.html</loc></url></urlset>")  # fmt: skip
        return h.send(200, xml, "application/xml")
    if path not in pages:
        return h.send(404, html("No encontrado"))
    etag = f'"{hashlib.sha256(pages[path].encode()).hexdigest()[:16]}"'
    if h.headers.get("If-None-Match") == etag:
        h.send_response(304)
        h.send_header("ETag", etag)
        return h.end_headers()
    h.send(200, pages[path], ETag=etag, Last_Modified="Mon, 02 Nov 2026 16:00:00 GMT")


def slow(h: Handler, path: str, raw: str) -> None:
    time.sleep(1.5)
    h.home_or_404(path, html("Inicio lento"))


def hang(h: Handler, path: str, raw: str) -> None:
    time.sleep(HANG_SECONDS)
    h.home_or_404(path, html("Demasiado tarde"))


def reset(h: Handler, path: str, raw: str) -> None:
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.connection.close()  # RST instead of a response
    h.close_connection = True


def error500(h: Handler, path: str, raw: str) -> None:
    h.send(500, "<h1>Internal Server Error</h1>")


def throttled(h: Handler, path: str, raw: str) -> None:
    """429 with Retry-After on the first request of each path, then the page."""
    if h.web.hits[("limite429", raw)] == 1:
        return h.send(429, "<h1>Too Many Requests</h1>", Retry_After="1")
    h.home_or_404(path, html("Inicio tras esperar"))


def unavailable(h: Handler, path: str, raw: str) -> None:
    h.send(503, "<h1>Service Unavailable</h1>", Retry_After="1")


def redirect_loop(h: Handler, path: str, raw: str) -> None:
    h.redirect("/b" if path == "/a" else "/a")


def redirect_chain(h: Handler, path: str, raw: str) -> None:
    step = int(path.strip("/")) if path.strip("/").isdigit() else 0
    h.redirect(f"/{step + 1}")


@cache
def _bomb() -> bytes:
    return gzip.compress(b"\0" * (60 * 1024 * 1024), compresslevel=9)


def gzip_bomb(h: Handler, path: str, raw: str) -> None:
    if path == "/bomba.html":
        return h.send(200, _bomb(), Content_Encoding="gzip")
    h.home_or_404(path, html("Inicio", links=["/bomba.html"]))


def oversized(h: Handler, path: str, raw: str) -> None:
    if path != "/enorme.pdf":
        return h.home_or_404(path, html("Inicio", links=["/enorme.pdf"]))
    size = 40 * 1024 * 1024
    h.send_response(200)
    h.send_header("Content-Type", "application/pdf")
    h.send_header("Content-Length", str(size))
    h.end_headers()
    chunk = b"%PDF-1.4 " + b"0" * (1024 * 1024 - 9)
    for _ in range(size // len(chunk)):
        h.wfile.write(chunk)


def calendar(h: Handler, path: str, raw: str) -> None:
    month = int(parse_qs(urlsplit(raw).query).get("mes", ["0"])[0])
    h.send(200, html(f"Agenda, mes {month}", links=[f"/agenda?mes={month + 1}", f"/agenda?mes={month - 1}"]))


def pagination(h: Handler, path: str, raw: str) -> None:
    page = int(parse_qs(urlsplit(raw).query).get("pagina", ["1"])[0])
    h.send(200, html(f"Noticias, página {page}", links=[f"/noticias?pagina={page + k}" for k in range(1, 30)]))


def session_ids(h: Handler, path: str, raw: str) -> None:
    links = ["/tramites?PHPSESSID=a1", "/tramites?PHPSESSID=b2", "/tramites;jsessionid=C3", "/tramites?sid=d4&x=1",
             "/tramites?x=1&sid=e5"]  # fmt: skip
    h.send(200, html("Inicio" if path == "/" else "Trámites", links=links))


def long_url(h: Handler, path: str, raw: str) -> None:
    h.send(200, html("Inicio", links=["/a" * 1200, "/corta"]))


def soft_404(h: Handler, path: str, raw: str) -> None:
    if path == "/":
        return h.send(200, html("Inicio", links=["/tramite-borrado"]))
    h.send(200, html("Página no encontrada", "<p>Lo sentimos, la página que busca no existe.</p>"))


def catch_all(h: Handler, path: str, raw: str) -> None:
    """Answers 200 with the same page for any path (GSA-style soft 404)."""
    if path == "/":
        return h.send(200, html("Inicio", links=["/transparencia/"]))
    h.send(200, html("Municipio", "<p>Bienvenido al portal. Consulte nuestras secciones.</p>"))


def no_charset(h: Handler, path: str, raw: str) -> None:
    body = (
        "<html><head><title>Participación ciudadana</title></head><body><p>Participación y consulta</p></body></html>"
    )
    h.home_or_404(path, body.encode("utf-8"), content_type="text/html")


def latin1(h: Handler, path: str, raw: str) -> None:
    body = html("Participación ciudadana").replace('<meta charset="utf-8">', "")
    h.home_or_404(path, body.encode("iso-8859-1"), content_type="text/html; charset=ISO-8859-1")


def wrong_charset(h: Handler, path: str, raw: str) -> None:
    body = html("Participación ciudadana").replace('<meta charset="utf-8">', "")
    h.home_or_404(path, body.encode("iso-8859-1"), content_type="text/html; charset=utf-8")


def malformed(h: Handler, path: str, raw: str) -> None:
    body = "<html><head><title>Inicio roto</title><body><div><p>Texto <b>sin <i>cerrar<table><tr><td>celda<a href='/x'>enlace</div></html></p>"
    h.home_or_404(path, body)


def binary(h: Handler, path: str, raw: str) -> None:
    h.home_or_404(path, os.urandom(200_000))


def robots(h: Handler, path: str, raw: str) -> None:
    if path == "/robots.txt":
        return h.send(200, "User-agent: *\nDisallow: /privado/\n", "text/plain")
    h.send(200, html("Inicio" if path == "/" else path, links=["/privado/nomina.html", "/publico.html"]))


def captcha(h: Handler, path: str, raw: str) -> None:
    body = ('<html><head><title>Verificación</title><script src="https://www.google.com/recaptcha/api.js"></script>'
            '</head><body><form><div class="g-recaptcha" data-sitekey="x"></div></form></body></html>')  # fmt: skip
    h.send(200, body)


def waf(h: Handler, path: str, raw: str) -> None:
    h.send(403, "<html><head><title>Access Denied</title></head><body><h1>Access Denied</h1>"
                "<p>You don't have permission to access this server. Reference #18.2f</p></body></html>")  # fmt: skip


def huge_dom(h: Handler, path: str, raw: str) -> None:
    cells = "".join(f"<div class='c'><span>{i}</span></div>" for i in range(150_000))
    h.home_or_404(path, html("Inicio enorme", cells))


def never_settles(h: Handler, path: str, raw: str) -> None:
    """An empty shell whose script builds the menu, then polls forever."""
    if path == "/poll":
        return h.send(200, "{}", "application/json")
    if path != "/":
        return h.send(200, html(path.strip("/")))
    script = ("<script>var n=document.getElementById('menu');n.innerHTML='<a href=\"/tramites/\">Trámites</a>"
              "<a href=\"/transparencia/\">Transparencia</a>';setInterval(function(){fetch('/poll')},200);</script>")  # fmt: skip
    h.send(200, f"<html lang='es'><head><title>Portal</title></head><body><div id='menu'></div>{script}</body></html>")


def hash_routes(h: Handler, path: str, raw: str) -> None:
    shell = ("<html lang='es'><head><title>SPA</title><link rel='icon' href='/icono.svg'></head><body><div id='app'></div>"
             "<a href='#/transparencia'>Transparencia</a><script>document.getElementById('app').innerHTML="
             "'<a href=\"/pagina-real/\">Página real</a>';</script></body></html>")  # fmt: skip
    h.home_or_404(path, shell) if path != "/pagina-real/" else h.send(200, html("Página real"))


def web_component(h: Handler, path: str, raw: str) -> None:
    """Text but no link: the site's own script writes the whole menu into an empty <site-header>."""
    if path == "/main.js":
        script = ("customElements.define('site-header',class extends HTMLElement{connectedCallback(){this.innerHTML="
                  "'<nav><a href=\"/tramites/\">Trámites</a><a href=\"/transparencia/\">Transparencia</a></nav>'}});")  # fmt: skip
        return h.send(200, script, "text/javascript")
    if path != "/":
        return h.send(200, html(path.strip("/")))
    text = "<p>" + "Historia, fiestas y tradiciones del municipio. " * 10 + "</p>"
    h.send(200, f"<html lang='es'><head><title>Inicio</title><script src='/main.js' defer></script></head>"
                f"<body><site-header></site-header>{text}</body></html>")  # fmt: skip


SPA_VIEWS = {
    "/": "<h1>Bienvenida</h1><p>Gobierno municipal 2025-2027: trámites, servicios y rendición de cuentas.</p>",
    "/transparencia": "<h1>Transparencia</h1><p>Obligaciones de transparencia del ayuntamiento: marco normativo, "
    "estructura orgánica, directorio y remuneraciones, con sus formatos por trimestre.</p>",
}


def history_routes(h: Handler, path: str, raw: str) -> None:
    """A single-page app on a host that answers every path with its shell (history routes, no "#"); its script
    shows each route's view, or «Página no encontrada» for a route it does not know."""
    if path == "/app.js":
        views = json.dumps(SPA_VIEWS, ensure_ascii=False)
        script = (f"var v={views}[location.pathname]||'<h1>Página no encontrada</h1><p>La ruta no existe.</p>';"
                  "document.getElementById('app').innerHTML='<nav><a href=\"/\">Inicio</a> <a href=\"/transparencia\">"
                  "Transparencia</a> <a href=\"/contraloria\">Contraloría</a></nav><main>'+v+'</main>';")  # fmt: skip
        return h.send(200, script, "text/javascript; charset=utf-8")
    h.send(200, "<html lang='es'><head><title>Municipio</title><script src='/app.js' defer></script></head>"
                "<body><div id='app'></div></body></html>")  # fmt: skip


OFFICIALS = [f"{name} | {post}" for name, post in (
    ("Ana Ruiz Soto", "Presidenta Municipal"), ("Luis Mora Gil", "Síndico Municipal"),
    ("Eva Pérez Luna", "Secretaria del Ayuntamiento"), ("Raúl Díaz Vega", "Tesorero Municipal"),
    ("Inés Cruz Paz", "Contralora Municipal"), ("Omar León Rey", "Director de Obras Públicas"),
    ("Sara Ortiz Mar", "Directora de Desarrollo Social"), ("Iván Sosa Rico", "Director de Seguridad Pública"),
)]  # fmt: skip
ISLAND_PAGE = ("<html lang='es'><head><title>{title}</title><script type='module'>"
               "setTimeout(()=>fetch('{api}').then(r=>r.json()).then(rows=>{{document.querySelector('astro-island')"
               ".innerHTML='<table>'+rows.map(r=>'<tr><td>'+r.split(' | ').join('</td><td>')+'</td><td>(951) 516 20'"
               "+(10+rows.indexOf(r))+'</td></tr>').join('')+'</table>'}}),200)</script></head><body><nav><a href='/'>"
               "Inicio</a> <a href='/transparencia/'>Transparencia</a> <a href='/directorio/'>Directorio</a></nav>"
               "<h1>{title}</h1><p>{intro}</p><astro-island client='load'><div>Cargando…</div></astro-island></body></html>")  # fmt: skip


def islands(h: Handler, path: str, raw: str) -> None:
    """Astro-style pages whose island fetches its rows after "load" (a 200 ms timer: at 400 ms, a loaded machine's late
    timer left the fetch outside Playwright's 500 ms network-idle window once): the directory's API answers 200 ms
    later, the transparency section's API closes the connection without an answer."""
    if path == "/api/directorio":
        time.sleep(0.2)
        return h.send(200, json.dumps(OFFICIALS, ensure_ascii=False), "application/json; charset=utf-8")
    if path == "/api/obligaciones":
        h.close_connection = True
        return None
    pages = {
        "/directorio/": (
            "Directorio",
            "/api/directorio",
            "Servidores públicos del ayuntamiento con su cargo y teléfono.",
        ),
        "/transparencia/": ("Transparencia", "/api/obligaciones", "Obligaciones de transparencia por fracción."),
        "/": ("Inicio", "/api/directorio", "Bienvenidos al portal del municipio: trámites, servicios y noticias."),
    }
    if path not in pages:
        return h.send(404, html("No encontrado"))
    title, api, intro = pages[path]
    h.send(200, ISLAND_PAGE.format(title=title, api=api, intro=intro))


CLICK_MENU_APP = """
const views = {"/": "<h1>Inicio</h1><p>Portal del municipio: servicios, trámites y noticias del ayuntamiento.</p>",
  "/obligaciones": "<h1>Obligaciones</h1><p>Obligaciones de transparencia del ayuntamiento por fracción.</p>",
  "/tramites": "<h1>Trámites</h1><p>Catálogo de trámites y servicios con requisitos y costos.</p>"};
const go = (path) => { history.pushState({}, "", path); show(); };
function show() {
  document.getElementById("vista").innerHTML = views[location.pathname] || "<h1>Página no encontrada</h1>";
}
const bar = document.getElementById("barra");
bar.innerHTML = '<div role="menuitem" aria-haspopup="true" aria-controls="sub-t" id="t">TRANSPARENCIA</div>' +
  '<ul role="menu" id="sub-t" hidden><li role="menuitem" id="o">Obligaciones</li></ul>' +
  '<ul role="menu"><li role="menuitem" id="tr">Trámites</li></ul>';
let moving = false;
document.getElementById("t").addEventListener("mouseenter", () => setTimeout(() => {
  const sub = document.getElementById("sub-t");
  sub.hidden = false;
  moving = true;
  sub.animate([{opacity: 0, transform: "scaleY(0.8)"}, {opacity: 1, transform: "none"}], 300).finished
    .then(() => { moving = false; });
}, 300));
document.getElementById("o").addEventListener("click", () => { if (!moving) go("/obligaciones"); });
document.getElementById("tr").addEventListener("click", () => go("/tramites"));
show();
"""


def click_menu(h: Handler, path: str, raw: str) -> None:
    """A single-page app whose menu items have no address: a script navigates on click, and the transparency submenu
    opens 0.3 s after the mouse is over its title (a hover-intent delay) and ignores clicks while its 0.3 s opening
    animation runs: a fixed 300 ms sleep, or clicking at the first visible item, misses it."""
    if path == "/app.js":
        return h.send(200, CLICK_MENU_APP, "text/javascript; charset=utf-8")
    h.send(200, "<html lang='es'><head><title>Municipio</title><script src='/app.js' defer></script></head>"
                "<body><nav id='barra'></nav><main id='vista'></main></body></html>")  # fmt: skip


def to_https(h: Handler, path: str, raw: str) -> None:
    h.redirect(f"https://valido.{DOMAIN}:{h.web.tls_ports['valido']}{path}", 301)


def tls_site(h: Handler, path: str, raw: str) -> None:
    """The TLS hosts; valido adds HSTS and mixed content (an http:// script on an https page)."""
    body = html("Inicio seguro", '<script src="http://cdn.inseguro.example/x.js"></script><p>Sitio con HTTPS.</p>')
    h.home_or_404(path, body, Strict_Transport_Security="max-age=31536000")


CASES: dict[str, Callable[[Handler, str, str], None]] = {
    "normal": normal, "lento": slow, "colgado": hang, "reset": reset, "error500": error500,
    "limite429": throttled, "caido503": unavailable, "bucle": redirect_loop, "cadena": redirect_chain,
    "bomba": gzip_bomb, "enorme": oversized, "calendario": calendar, "paginacion": pagination,
    "sesiones": session_ids, "urllarga": long_url, "soft404": soft_404, "todo200": catch_all,
    "sincharset": no_charset, "latin1": latin1, "charsetfalso": wrong_charset, "malformado": malformed,
    "binario": binary, "robots": robots, "captcha": captcha, "waf": waf, "domgigante": huge_dom,
    "jsinfinito": never_settles, "rutashash": hash_routes, "componente": web_component,
    "spahistoria": history_routes, "islas": islands, "menuclic": click_menu,
    "ahttps": to_https,
    **{name: tls_site for name in TLS_HOSTS},
}  # fmt: skip


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 64

    def handle_error(self, request, client_address) -> None:
        pass  # hostile by design: resets and broken pipes are expected


class HostileWeb:
    def __init__(self, directory: Path):
        self.hits: Counter[tuple[str, str]] = Counter()
        self.servers: list[_Server] = []
        self.ca_file, certificates = make_certificates(directory, {f"{h}.{DOMAIN}": k for h, k in TLS_HOSTS.items()})
        self.port = self._serve(None)
        self.tls_ports = {name: self._serve(certificates[f"{name}.{DOMAIN}"]) for name in TLS_HOSTS}

    def _serve(self, certificate: tuple[Path, Path] | None) -> int:
        server = _Server(("127.0.0.1", 0), Handler)
        server.web = self
        if certificate:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*certificate)
            server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.servers.append(server)
        return server.server_address[1]

    def url(self, case: str) -> str:
        if case in TLS_HOSTS:
            return f"https://{case}.{DOMAIN}:{self.tls_ports[case]}/"
        return f"http://{case}.{DOMAIN}:{self.port}/"

    def hosts_file(self, path: Path) -> Path:
        path.write_text("".join(f"127.0.0.1 {case}.{DOMAIN}\n" for case in CASES), encoding="utf-8")
        return path

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


@contextlib.contextmanager
def hostile_web(directory: Path):
    web = HostileWeb(directory)
    try:
        yield web
    finally:
        web.close()
