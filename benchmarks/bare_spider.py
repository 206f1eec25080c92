"""Scrapy's own ceiling on the generated web: a spider that only follows links, nothing else.

Same politeness and concurrency settings as Apertura's crawl (crawler/settings.py, `--delay 0`), sites
reached through nginx as an HTTP proxy like wget; no extraction, archive or storage. The gap between
this rate and Apertura's is what Apertura adds; the gap between this rate and wget's is Scrapy's.

Usage:  python -m benchmarks.bare_spider PROXY_URL HOST:PORT [HOST:PORT ...]
(prints the responses received and the seconds from the spider's start to its end)
"""

from __future__ import annotations

import os
import sys
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, hosts: list[str], **kwargs):
        super().__init__(**kwargs)
        self.hosts, self.responses = set(hosts), 0

    async def start(self):
        for host in sorted(self.hosts):
            yield scrapy.Request(f"http://{host}/")

    def parse(self, response):
        self.responses += 1
        if not isinstance(response, scrapy.http.TextResponse):
            return
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if urlsplit(url).netloc in self.hosts:
                yield scrapy.Request(url)


def main(argv: list[str]) -> int:
    proxy, hosts = argv[0], argv[1:]
    os.environ["http_proxy"] = proxy  # read by HttpProxyMiddleware: robots.txt requests included
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    # Apertura's own components off: only Scrapy's downloader, scheduler and robots.txt remain.
    settings.setdict(
        {
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_START_DELAY": 0,
            "ITEM_PIPELINES": {},
            "ADDONS": {},
            "DOWNLOADER_MIDDLEWARES": {},
            "TWISTED_DNS_RESOLVER": "scrapy.resolver.CachingThreadedResolver",
            "HTTPPROXY_ENABLED": True,
            "LOG_LEVEL": "ERROR",
        },
        priority="cmdline",
    )
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, hosts=hosts)
    process.start()
    stats = crawler.stats.get_stats()
    print(crawler.spider.responses, (stats["finish_time"] - stats["start_time"]).total_seconds())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
