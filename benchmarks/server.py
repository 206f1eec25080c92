"""Serves a generated web with Debian's nginx, unprivileged, on loopback: one virtual host per site.

nginx runs in the foreground (`daemon off;`) from a config written to a temporary prefix, with ETag and
Last-Modified on (its defaults for static files), keep-alive, and an access log of host, status and
bytes sent (with the time of each request), which the benchmarks read to count requests and bytes per night.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

NGINX = "/usr/sbin/nginx"
CONFIG = """\
worker_processes auto;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  types {{
    text/html html web; text/plain txt; application/pdf pdf;
    application/vnd.openxmlformats-officedocument.spreadsheetml.sheet xlsx;
  }}
  default_type application/octet-stream;
  charset utf-8;
  log_format bench '$msec $host $status $bytes_sent';
  access_log {prefix}/access.log bench buffer=256k flush=1s;
  client_body_temp_path {prefix}/tmp;
  proxy_temp_path {prefix}/tmp;
  fastcgi_temp_path {prefix}/tmp;
  uwsgi_temp_path {prefix}/tmp;
  scgi_temp_path {prefix}/tmp;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 65;
  keepalive_requests 100000;
  etag on;
  server_tokens off;
  server {{ listen 127.0.0.1:{port} default_server; return 404; }}
{servers}
}}
"""
SERVER = "  server {{ listen 127.0.0.1:{port}; server_name {host}; root {root}; index index.html; }}\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Nginx:
    def __init__(self, sites: Path, port: int):
        self.sites = Path(sites).resolve()
        self.port = port
        self.prefix = Path(tempfile.mkdtemp(prefix="apertura-nginx-"))
        (self.prefix / "tmp").mkdir()
        servers = "".join(
            SERVER.format(port=port, host=d.name, root=d) for d in sorted(self.sites.iterdir()) if d.is_dir()
        )
        self.config = self.prefix / "nginx.conf"
        self.config.write_text(CONFIG.format(prefix=self.prefix, port=port, servers=servers), encoding="utf-8")
        self.process: subprocess.Popen | None = None

    @property
    def access_log(self) -> Path:
        return self.prefix / "access.log"

    def start(self) -> None:
        command = [NGINX, "-e", str(self.prefix / "error.log"), "-p", str(self.prefix), "-c", str(self.config)]
        self.process = subprocess.Popen(command, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx no arrancó: {self.process.stderr.read().decode(errors='replace')}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return
            time.sleep(0.05)
        raise RuntimeError(f"nginx no escucha en 127.0.0.1:{self.port} tras 10 s")

    def stop(self) -> None:
        """Graceful stop (SIGQUIT) so the buffered access log is flushed."""
        if self.process and self.process.poll() is None:
            subprocess.run(
                [
                    NGINX,
                    "-e",
                    str(self.prefix / "error.log"),
                    "-p",
                    str(self.prefix),
                    "-c",
                    str(self.config),
                    "-s",
                    "quit",
                ],
                check=False,
                capture_output=True,
            )
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_offset(self) -> int:
        """Size of the access log once nginx has flushed its buffer: the start of what comes next."""
        time.sleep(1.5)
        return self.access_log.stat().st_size if self.access_log.exists() else 0

    def log_totals(self, since: int = 0) -> tuple[int, int, dict[int, int]]:
        """(requests, bytes sent, requests per status) logged after byte offset `since`."""
        time.sleep(1.5)  # nginx flushes its log buffer every second
        requests = sent = 0
        statuses: dict[int, int] = {}
        if self.access_log.exists():
            with open(self.access_log, "rb") as fh:
                fh.seek(since)
                for line in fh.read().decode("utf-8", errors="replace").splitlines():
                    _, status, size = line.rsplit(" ", 2)
                    requests += 1
                    sent += int(size)
                    statuses[int(status)] = statuses.get(int(status), 0) + 1
        return requests, sent, statuses


@contextlib.contextmanager
def serve(sites: Path, port: int | None = None):
    """Runs nginx on the sites directory; yields the running server."""
    server = Nginx(sites, port or free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.prefix, ignore_errors=True)
