"""A small crawl with the project's settings and a Redis for the per-domain leases, run as its own
process by tests/test_ratelimit.py (one process per simulated worker: Scrapy's reactor cannot restart).

    python -m tests.lease_probe '{"redis": URL, "delay": S, "hosts": {...}, "plain": [...], "rendered": [...]}'

Prints one line `rendered <url> <visible text>` per page rendered in Chromium.
"""

from __future__ import annotations

import json
import os
import sys

from scrapy import Request, Spider
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy_playwright.page import PageMethod

from apertura.pipeline.jobs import environment_settings


class LeaseProbe(Spider):
    name = "lease_probe"

    def __init__(self, plain: list[str], rendered: list[str], **kwargs):
        super().__init__(**kwargs)
        self.plain, self.rendered = plain, rendered

    async def start(self):
        for url in self.rendered:
            idle = [PageMethod("wait_for_load_state", "networkidle")]  # the page's fetch() calls answered
            meta = {"playwright": True, "playwright_page_methods": idle}
            yield Request(url, meta=meta, dont_filter=True, callback=self.parse_rendered)
        for url in self.plain:
            yield Request(url, dont_filter=True, callback=self.parse, errback=self.failed)

    def parse(self, response):
        return None

    def parse_rendered(self, response):
        text = " ".join(response.xpath("//body//*[not(self::script)]/text()").getall()).split()
        print("rendered", response.url, " ".join(text), flush=True)

    def failed(self, failure):
        return None


def main(config: dict) -> None:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.setdict(
        {
            "APERTURA_REDIS_URL": config["redis"],
            "DOWNLOAD_DELAY": config["delay"],
            "APERTURA_HOSTS": config.get("hosts", {}),
            "APERTURA_ALLOW_PRIVATE_NETWORK": True,
            "ITEM_PIPELINES": {},
            **environment_settings(os.environ),  # DOWNLOAD_TIMEOUT, as the CLI takes it
        },
        priority="cmdline",
    )
    process = CrawlerProcess(settings)
    process.crawl(LeaseProbe, plain=config.get("plain", []), rendered=config.get("rendered", []))
    process.start()


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
