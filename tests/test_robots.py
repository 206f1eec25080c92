"""robots.txt binds every request, including those that arrive while it is still downloading."""

from __future__ import annotations

import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from tests.conftest import loopback_server

ROOT = Path(__file__).resolve().parent.parent
ROBOTS = b"User-agent: *\nDisallow: /privado\n"
PATHS = ["/", "/privado/a", "/publico", "/privado/b", "/otro", "/privado/c"]


class SlowRobots(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - stdlib name
        self.server.paths.append(self.path)
        if self.path == "/robots.txt":
            time.sleep(0.5)  # every start request arrives while robots.txt is on its way
        body = ROBOTS if self.path == "/robots.txt" else b"<html><body>ok</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain" if self.path == "/robots.txt" else "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class AllAtOnce(scrapy.Spider):
    name = "all_at_once"

    async def start(self):
        for path in PATHS:
            yield scrapy.Request(f"{self.base}{path}", callback=self.parse)

    def parse(self, response):
        return None


@pytest.fixture
def server():
    with loopback_server(SlowRobots, paths=[]) as server:
        yield server


def crawl(base: str) -> int:
    """Runs AllAtOnce on `base` with the project's downloader middlewares; returns robots.txt refusals."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    # Only the downloader middlewares under test: no SSRF guard (loopback), no archive, no storage.
    middlewares = {
        k: v
        for k, v in settings.getdict("DOWNLOADER_MIDDLEWARES").items()
        if "netguard" not in k and "archive" not in k
    }
    settings.setdict(
        {
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
            "ITEM_PIPELINES": {},
            "ADDONS": {},
            "TWISTED_DNS_RESOLVER": "scrapy.resolver.CachingThreadedResolver",
            "DOWNLOADER_MIDDLEWARES": middlewares,
        },
        priority="cmdline",
    )
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(AllAtOnce)
    process.crawl(crawler, base=base)
    process.start()
    return crawler.stats.get_value("robotstxt/forbidden", 0)


@pytest.mark.slow
def test_requests_waiting_for_robots_txt_are_all_checked(server):
    # In its own process: a Twisted reactor starts once per process.
    base = f"http://127.0.0.1:{server.server_address[1]}"
    done = subprocess.run(
        [sys.executable, "-m", "tests.test_robots", base], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    fetched = set(server.paths)
    assert {"/", "/publico", "/otro"} <= fetched
    assert not any(p.startswith("/privado") for p in fetched), sorted(fetched)
    assert done.stdout.split()[-1] == "3"  # refused by robots.txt, as Scrapy counts them


if __name__ == "__main__":
    print(crawl(sys.argv[1]))
