"""Per-domain leases (crawler/ratelimit.py) against a real Redis: exclusion and quiet time between
processes, a dead holder's lease expiring, bounded polling, and real crawls in which every way a request
can end (response, redirect, retry, timeout, refused connection) gives its lease back and
every request Chromium sends waits for the lease."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler
from itertools import pairwise

import pytest
from redis import Redis
from scrapy.settings import Settings

from crawler.ratelimit import KEY_PREFIX, DomainLeases, domain_of, lease_ttl
from tests.conftest import ROOT, free_port, loopback_server

INTERVAL = 0.15
DOMAIN = "sitio.gob.mx.test"

PAGE = b"""<!DOCTYPE html><html><head><title>Sitio</title><link rel="stylesheet" href="/estilo.css">
<script src="/a.js"></script><script src="/b.js"></script></head>
<body><img src="/foto.png" alt=""><div id="datos"></div>
<script>
Promise.all([1, 2, 3].map(function (n) {
  return fetch("/datos/" + n + ".json").then(function (r) { return r.json(); });
})).then(function (rows) {
  var box = document.getElementById("datos");
  rows.forEach(function (row) { var p = document.createElement("p"); p.textContent = row.dato; box.appendChild(p); });
  var done = document.createElement("span"); done.id = "listo"; done.textContent = window.A + window.B;
  document.body.appendChild(done);
});
</script></body></html>"""
FILES = {
    "/pagina": ("text/html", PAGE),
    "/estilo.css": ("text/css", b"body { color: #222; }"),
    "/a.js": ("text/javascript", b"window.A = 'guion-a ';"),
    "/b.js": ("text/javascript", b"window.B = 'guion-b';"),
    "/foto.png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "/robots.txt": ("text/plain", b"User-agent: *\nAllow: /\n"),
    **{f"/datos/{n}.json": ("application/json", b'{"dato": "dato-%d"}' % n) for n in (1, 2, 3)},
    **{f"/pagina-{n}": ("text/html", b"<html><body>plana</body></html>") for n in range(6)},
}


class LeaseWebHandler(BaseHTTPRequestHandler):
    """Serves FILES, plus a redirect, a 500, and a response slower than the probes' download timeout."""

    def do_GET(self):
        self.server.log.append((time.time(), self.path))
        if self.path == "/redirige":
            self.send_response(302)
            self.send_header("Location", "/pagina-0")
            self.end_headers()
            return
        if self.path == "/lento":
            time.sleep(2)
        if self.path not in FILES:
            self.send_error(500 if self.path == "/falla" else 404)
            return
        kind, body = FILES[self.path]
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def lease_web():
    with loopback_server(LeaseWebHandler, log=[]) as server:
        yield server


def gaps(moments: list[float]) -> list[float]:
    moments = sorted(moments)
    return [b - a for a, b in pairwise(moments)]


def test_two_processes_never_hold_a_domain_together_and_leave_the_interval_between(redis_server):
    async def worker(leases: DomainLeases, domain: str, held: list) -> None:
        for _ in range(5):
            token = await leases.acquire(domain)
            start = time.monotonic()
            await asyncio.sleep(0.03)  # the request in flight
            held.append((start, time.monotonic()))
            await leases.release(domain, token)

    async def night() -> tuple[list, list]:
        first, second = (DomainLeases(f"{redis_server}/3", INTERVAL, ttl=5) for _ in range(2))
        metepec, other = [], []
        await asyncio.gather(
            worker(first, "metepec.gob.mx", metepec),
            worker(second, "metepec.gob.mx", metepec),
            worker(first, "toluca.gob.mx", other),
        )
        return metepec, other

    began = time.monotonic()
    metepec, other = asyncio.run(night())
    metepec.sort()
    quiet = [start - end for (_, end), (start, _) in pairwise(metepec)]
    assert len(metepec) == 10 and min(quiet) >= INTERVAL - 0.002, quiet  # Redis TIME has ms resolution
    # Another domain is not held back by Metepec's: its five requests took about 4 intervals, not 14.
    assert other[-1][1] - began < 8 * INTERVAL


def test_a_dead_holders_lease_expires_after_its_ttl(redis_server):
    async def scenario() -> float:
        dead, alive = (DomainLeases(f"{redis_server}/4", INTERVAL, ttl=0.6) for _ in range(2))
        await dead.acquire("metepec.gob.mx")  # never released: its worker was killed
        began = time.monotonic()
        await alive.acquire("metepec.gob.mx")
        return time.monotonic() - began

    assert 0.5 <= asyncio.run(scenario()) <= 1.2
    defaults = Settings()
    defaults.setmodule("crawler.settings")
    assert defaults.getfloat("DOWNLOAD_TIMEOUT") < lease_ttl(defaults) <= 60  # a lost lease costs seconds, not minutes


def test_waiting_for_a_held_lease_polls_redis_about_once_per_interval(redis_server):
    async def scenario() -> None:
        holder, waiter = (DomainLeases(f"{redis_server}/5", INTERVAL, ttl=30) for _ in range(2))
        await holder.acquire("metepec.gob.mx")
        waiters = [asyncio.create_task(waiter.acquire("metepec.gob.mx")) for _ in range(5)]
        await asyncio.sleep(1.5)
        for task in waiters:
            task.cancel()
        await asyncio.gather(*waiters, return_exceptions=True)
        assert not waiter._local["metepec.gob.mx"].locked()  # a cancelled wait leaves nothing held

    redis = Redis.from_url(f"{redis_server}/5")
    before = redis.info("commandstats").get("cmdstat_evalsha", {}).get("calls", 0)
    asyncio.run(scenario())
    calls = redis.info("commandstats")["cmdstat_evalsha"]["calls"] - before
    # Five requests waiting in one process: one of them asks Redis, every INTERVAL (1.5 s / 0.15 s = 10).
    assert calls <= 1.5 / INTERVAL + 4, calls


def run_probes(count: int, config: dict, env: dict | None = None) -> tuple[list[str], float]:
    began = time.monotonic()
    command = [sys.executable, "-m", "tests.lease_probe", json.dumps(config)]
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
    probes = [subprocess.Popen(command, cwd=ROOT, env=env, **pipes) for _ in range(count)]
    outputs = []
    for probe in probes:
        stdout, stderr = probe.communicate(timeout=180)
        assert probe.returncode == 0, stderr[-3000:]
        outputs.append(stdout)
    return outputs, time.monotonic() - began


@pytest.mark.slow
@pytest.mark.browser
def test_every_request_of_two_crawls_waits_for_the_lease_and_gives_it_back(redis_server, lease_web):
    """Two processes crawl one domain at once: Chromium renders a page whose scripts, stylesheet and three
    fetch() calls hit the server, next to plain requests that redirect, fail and are retried, time out or
    meet a closed port. At the server, every pair of arrivals is INTERVAL apart;
    after the crawls no lease is left behind."""
    port, closed = lease_web.server_address[1], free_port()
    site = f"http://{DOMAIN}:{port}"
    plain = [f"{site}/pagina-{n}" for n in range(1, 6)] + [
        f"{site}/redirige", f"{site}/falla", f"{site}/lento", f"http://cerrado.gob.mx.test:{closed}/",
    ]  # fmt: skip
    config = {"redis": f"{redis_server}/6", "delay": INTERVAL, "plain": plain, "rendered": [f"{site}/pagina"],
              "hosts": {DOMAIN: "127.0.0.1", "cerrado.gob.mx.test": "127.0.0.1"}}  # fmt: skip
    env = {**os.environ, "APERTURA_DOWNLOAD_TIMEOUT": "1", "PYTHONPATH": str(ROOT)}
    outputs, elapsed = run_probes(2, config, env)

    for output in outputs:  # the scripts ran and their three fetches came back
        assert "dato-1 dato-2 dato-3 guion-a guion-b" in output, output
    paths = defaultdict(int)
    for _, path in lease_web.log:
        paths[path] += 1
    for path in ("/pagina", "/a.js", "/b.js", "/estilo.css", "/datos/1.json", "/datos/2.json", "/datos/3.json"):
        assert paths[path] == 2, (path, dict(paths))  # once per process, in Chromium
    assert paths["/foto.png"] == 0, dict(paths)  # images are not fetched at all
    assert set(paths) <= set(FILES) | {"/redirige", "/falla", "/lento"}, dict(paths)  # nothing else was asked
    assert paths["/falla"] == 2 * 3 and paths["/lento"] >= 2  # retried; timed out
    smallest = min(gaps([moment for moment, _ in lease_web.log]))
    print(f"\n{len(lease_web.log)} requests to {DOMAIN}; smallest gap {smallest:.3f} s (interval {INTERVAL} s)")
    assert smallest >= INTERVAL, sorted(gaps([m for m, _ in lease_web.log]))[:5]

    redis = Redis.from_url(f"{redis_server}/6")
    assert redis.keys(f"{KEY_PREFIX}*:turno") == []  # every lease was released, none left to expire
    settings = Settings()
    settings.setmodule("crawler.settings")
    assert elapsed < lease_ttl(settings) - 1  # so no request ever waited for a leaked lease to expire
    assert domain_of(site) == DOMAIN
