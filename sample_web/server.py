"""Local HTTP server for the bundled sample web (virtual hosts on loopback).

Every directory under ``sites/`` is one virtual host, chosen by the ``Host``
header (port stripped). Per-site behaviour lives in ``sites/<host>/_site.json``:

    charset          charset announced for text types (default "utf-8")
    last_modified    fixed HTTP date used as Last-Modified for every file
    routes           {"/path?query": "file"} for CMS-style query URLs
    soft_404_paths   paths answered with 200 and the site's soft-404 page
    soft_404_page    file used for those paths
    fallback_page    file answered with 200 for every other missing path (a single-page app's host
                     rewrites them all to its index.html)
    error_paths      {"/path": status} answered with that status and a generic error page

Files and folders whose name starts with "_" are never served directly, unless the site says `"build_output": true`
(a JavaScript build's `_astro/`, `_next/`); `_site.json` and names starting with "." never are.

Usage:  python -m sample_web.server --port 8753
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import email.utils
import hashlib
import json
import signal
import threading
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

SITES_DIR = Path(__file__).resolve().parent / "sites"
DEMO_PORT = 8753
INDEX_FILES = ("index.html", "index.php")

CONTENT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".php": "text/html",
    ".web": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".xml": "application/xml",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".ico": "image/x-icon",
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
TEXT_TYPES = {
    "text/html",
    "text/css",
    "text/javascript",
    "text/plain",
    "text/csv",
    "application/xml",
    "application/json",
    "image/svg+xml",
}

NOT_FOUND_PAGE = """<!DOCTYPE html>
<html><head><title>404 No encontrado</title></head>
<body><h1>No encontrado</h1>
<p>El recurso solicitado no existe en este servidor.</p></body></html>
"""

ERROR_PAGE = """<!DOCTYPE html>
<html><head><title>Error {status}</title></head>
<body><h1>Error interno del servidor</h1><p>La solicitud no pudo completarse ({status}).</p></body></html>
"""

# (inegi_code, name, host, ipomex_url); Luvianos is down: nothing listens on port 9.
MUNICIPALITIES = (
    ("15054", "Metepec", "www.metepec.gob.mx.test", "/ipo3/lgt/indice/METEPEC.web"),
    (
        "15001",
        "Acambay de Ruíz Castañeda",
        "acambay.gob.mx.test",
        "/ipo3/lgt/indice/ACAMBAY.web?token=03AFcWeA5sXo2Lq9bR",
    ),  # as copied from a municipal site
    ("15125", "Tonanitla", "www.tonanitla.gob.mx.test", ""),
    ("15123", "Luvianos", "luvianos.gob.mx.test", ""),
)
DOWN_HOSTS = {"luvianos.gob.mx.test": 9}
IPOMEX_HOST = (
    "www.ipomex.org.mx.test"  # replica of IPOMEX 3.0; its siblings ipomex2. and infoem2. serve exports and 4.0
)


def registry_rows(port: int) -> list[dict]:
    """Registry rows for the sample municipalities served on ``port``."""
    return [
        {
            "inegi_code": code,
            "name": name,
            "website": f"http://{host}:{DOWN_HOSTS.get(host, port)}/",
            "ipomex_url": f"http://{IPOMEX_HOST}:{port}{ipomex}" if ipomex else "",
        }
        for code, name, host, ipomex in MUNICIPALITIES
    ]


def write_registry(path: str | Path, port: int) -> None:
    """Write :func:`registry_rows` as CSV (header inegi_code,name,website,ipomex_url)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["inegi_code", "name", "website", "ipomex_url"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(registry_rows(port))


def _canonical(target: str) -> str:
    """Path plus query with sorted parameters, so routes match in any order."""
    parts = urlsplit(target)
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return parts.path + ("?" + query if query else "")


@cache
def _site(sites_dir: Path, host: str) -> dict | None:
    root = sites_dir / host
    if not host or host.startswith((".", "_")) or not root.is_dir():
        return None
    config_file = root / "_site.json"
    config = json.loads(config_file.read_text("utf-8")) if config_file.exists() else {}
    config["root"] = root.resolve()
    config["routes"] = {_canonical(k): v for k, v in config.get("routes", {}).items()}
    config.setdefault("charset", "utf-8")
    config.setdefault("last_modified", "Mon, 02 Nov 2026 16:00:00 GMT")
    config.setdefault("soft_404_paths", [])
    config.setdefault("error_paths", {})
    return config


class SampleWebHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30  # idle keep-alive connections are closed after this

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def version_string(self) -> str:
        return "Apache"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        pass

    # -- resolution -------------------------------------------------------
    def _resolve(self, site: dict) -> tuple[str, Path | None]:
        """Return (kind, file) where kind is "file", "soft404", "redirect" or "missing"."""
        root: Path = site["root"]
        route = site["routes"].get(_canonical(self.path))
        path = unquote(urlsplit(self.path).path)
        if route:
            return "file", root / route
        if path in site["soft_404_paths"] and site.get("soft_404_page"):
            return "soft404", root / site["soft_404_page"]
        segments = [s for s in path.split("/") if s]
        hidden = (".",) if site.get("build_output") else ("_", ".")
        if any(s.startswith(hidden) for s in segments) or segments == ["_site.json"]:
            return "missing", None
        candidate = root.joinpath(*segments)
        if candidate.is_dir():
            if not path.endswith("/"):
                return "redirect", None
            candidate = next(
                (candidate / n for n in INDEX_FILES if (candidate / n).is_file()), candidate / INDEX_FILES[0]
            )
        candidate = candidate.resolve()
        if not candidate.is_file() or not candidate.is_relative_to(root):
            if site.get("fallback_page"):
                return "soft404", root / site["fallback_page"]
            return "missing", None
        return "file", candidate

    def _respond(self, send_body: bool) -> None:
        host = (self.headers.get("Host") or "").strip().lower()
        host = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        site = _site(self.server.sites_dir, host.rstrip("."))
        if site is None:
            return self._send(404, NOT_FOUND_PAGE.encode(), "text/html; charset=utf-8", send_body)
        error = site["error_paths"].get(urlsplit(self.path).path)
        if error:
            body = ERROR_PAGE.format(status=error).encode()
            return self._send(error, body, "text/html; charset=utf-8", send_body)
        kind, file = self._resolve(site)
        if kind == "redirect":
            location = urlsplit(self.path).path + "/"
            return self._send(301, b"", "text/html", send_body, {"Location": location})
        if kind == "missing":
            body = NOT_FOUND_PAGE.encode(site["charset"])
            return self._send(404, body, f"text/html; charset={site['charset']}", send_body)
        body = file.read_bytes()
        ctype = CONTENT_TYPES.get(file.suffix.lower(), "application/octet-stream")
        if ctype in TEXT_TYPES:
            ctype += f"; charset={site['charset']}"
        headers = {"Last-Modified": site["last_modified"]}
        if kind == "file":  # a soft 404 behaves like a dynamic page: no validators
            headers["ETag"] = f'"{hashlib.sha256(body).hexdigest()}"'
            if self._not_modified(headers):
                return self._send(304, b"", ctype, send_body, headers, length=len(body))
        self._send(200, body, ctype, send_body, headers)

    def _not_modified(self, headers: dict) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
            return "*" in tags or headers["ETag"] in tags
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                since_dt = email.utils.parsedate_to_datetime(since)
                modified = email.utils.parsedate_to_datetime(headers["Last-Modified"])
                return modified <= since_dt
            except (TypeError, ValueError):
                return False
        return False

    def _send(
        self,
        status: int,
        body: bytes,
        ctype: str,
        send_body: bool,
        headers: dict | None = None,
        length: int | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if send_body and status != 304:
            self.wfile.write(body)


class SampleWebServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    sites_dir = SITES_DIR

    def handle_error(self, request, client_address) -> None:
        pass  # clients dropping connections are normal; keep stderr quiet


@contextlib.contextmanager
def serve(port: int = 0, host: str = "127.0.0.1", sites_dir: Path = SITES_DIR):
    """Serve the sample web (or a copy of it in `sites_dir`) in a daemon thread; yields the bound port."""
    server = SampleWebServer((host, port), SampleWebHandler)
    server.sites_dir = Path(sites_dir)
    thread = threading.Thread(target=server.serve_forever, name="sample-web", daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Sirve la web de muestra de Apertura.")
    parser.add_argument("--port", type=int, default=DEMO_PORT)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    with serve(args.port, args.host) as port:
        print(
            f"Web de muestra escuchando en {args.host}:{port} "
            f"(resolución de nombres: {Path(__file__).parent / 'hosts'})"
        )
        for row in registry_rows(port):
            note = "  (caído: nada escucha)" if row["website"].endswith(":9/") else ""
            print(f"  {row['name']}: {row['website']}{note}")
        print("Ctrl-C para detener.", flush=True)
        while not stop.wait(0.5):
            pass
    print("Servidor detenido.")


if __name__ == "__main__":
    main()
