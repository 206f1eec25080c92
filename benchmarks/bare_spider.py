"""Scrapy's own ceiling on the generated web: a spider that only follows links, nothing else.

Same politeness and concurrency settings as Apertura's crawl (crawler/settings.py, `--delay 0`), sites
reached through nginx as an HTTP proxy like wget; no extraction, archive or storage. The gap between
this rate and Apertura's is what Apertura adds; the gap between this rate and wget's is Scrapy's.

Usage:  python -m benchmarks.bare_spider PROXY_URL HOST:PORT [HOST:PORT ...] [--urls FILE]
(prints the responses received and the seconds from the spider's start to its end). With --urls, the URLs of
FILE (one per line) are asked as well, and their hosts' links followed: the transparency portal's indexes and
format pages, asked as the IPOMEX spider asks them.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, hosts: list[str], urls: list[str], **kwargs):
        super().__init__(**kwargs)
        self.roots, self.urls, self.responses = sorted(hosts), urls, 0
        self.hosts = {*hosts, *(urlsplit(url).netloc for url in urls)}

    async def start(self):
        for url in [f"http://{host}/" for host in self.roots] + self.urls:
            yield scrapy.Request(url)

    def parse(self, response):
        self.responses += 1
        if not isinstance(response, scrapy.http.TextResponse):
            return
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if urlsplit(url).netloc in self.hosts:
                yield scrapy.Request(url)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("proxy")
    parser.add_argument("hosts", nargs="+")
    parser.add_argument("--urls", type=Path)
    args = parser.parse_args(argv)
    proxy, hosts = args.proxy, args.hosts
    urls = args.urls.read_text(encoding="utf-8").split() if args.urls else []
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
            "HTTPERROR_ALLOW_ALL": True,  # a 404 is a response Apertura stores too
            "LOG_LEVEL": "ERROR",
        },
        priority="cmdline",
    )
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, hosts=hosts, urls=urls)
    process.start()
    stats = crawler.stats.get_stats()
    print(crawler.spider.responses, (stats["finish_time"] - stats["start_time"]).total_seconds())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
