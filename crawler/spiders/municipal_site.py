"""Gathers one or more municipal sites: pages and documents within each site's own domain."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urldefrag, urlsplit, urlunsplit

import scrapy
from scrapy.http import Request, Response

from crawler.extract import extract_document_with_timeout, extract_page
from crawler.items import ResourceItem

HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class SiteTarget:
    inegi_code: str
    start_url: str

    @property
    def host(self) -> str:
        return (urlsplit(self.start_url).hostname or "").lower()

    @property
    def domain(self) -> str:
        return self.host.removeprefix("www.")

    def in_scope(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return host == self.domain or host.endswith("." + self.domain)


class MunicipalSiteSpider(scrapy.Spider):
    name = "municipal_site"

    def __init__(self, targets: list[SiteTarget], **kwargs):
        super().__init__(**kwargs)
        self.targets = {t.inegi_code: t for t in targets}
        self.scheduled: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.max_pages = settings.getint("APERTURA_MAX_PAGES_PER_SITE")
        spider.document_extensions = {f".{e}" for e in settings.getlist("APERTURA_DOCUMENT_EXTENSIONS")}
        spider.document_timeout = settings.getfloat("APERTURA_DOCUMENT_TIMEOUT")
        return spider

    async def start(self):
        for target in self.targets.values():
            meta = {"inegi_code": target.inegi_code, "is_home": True}
            yield self._request(target.start_url, meta, dont_filter=True)
            if other := _other_scheme(target.start_url):
                # Whether the site also answers on the other scheme is an ICT fact (HTTPS, redirect).
                yield self._request(other, {"inegi_code": target.inegi_code, "probe": True}, dont_filter=True)

    def _request(self, url: str, meta: dict, **kwargs) -> Request:
        self.scheduled[meta["inegi_code"]] += 1
        return Request(url, callback=self.parse, errback=self.failed, meta=meta, **kwargs)

    async def parse(self, response: Response):
        meta = response.meta
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        item = self._item(response.request, response.status, final_url=response.url)
        item.headers = {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}
        item.content_type = content_type
        item.body = response.body
        artifact: dict = {"is_home": meta.get("is_home", False), "probe": meta.get("probe", False)}
        artifact["redirect_urls"] = meta.get("redirect_urls", [])
        links = []
        if _is_html(content_type, response.body):
            page = extract_page(response.body, response.url, content_type)
            artifact["page"] = page.model_dump(mode="json")
            links = [link.href for link in page.links]
        elif self._is_document(response.url, content_type) and 200 <= response.status < 300:
            document = await asyncio.to_thread(
                extract_document_with_timeout, response.body, response.url, content_type, self.document_timeout
            )
            artifact["document"] = document.model_dump(mode="json")
        item.artifact = artifact
        yield item
        if not meta.get("probe") and 200 <= response.status < 300:
            for request in self._follow(meta["inegi_code"], links, response):
                yield request

    def _follow(self, inegi_code: str, links: list[str], response: Response):
        target = self.targets[inegi_code]
        for href in links:
            url = urldefrag(href)[0]
            if not url.startswith(("http://", "https://")) or not target.in_scope(url):
                continue
            if self.scheduled[inegi_code] >= self.max_pages:
                self.crawler.stats.inc_value("apertura/page_budget_exhausted")
                return
            yield self._request(url, {"inegi_code": inegi_code}, headers={"Referer": response.url})

    def failed(self, failure):
        request = failure.request
        item = self._item(request, None, final_url=request.url)
        item.error = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        item.artifact = {"is_home": request.meta.get("is_home", False), "probe": request.meta.get("probe", False)}
        return item

    def _item(self, request: Request, status: int | None, final_url: str) -> ResourceItem:
        redirects = request.meta.get("redirect_urls") or []
        return ResourceItem(
            inegi_code=request.meta["inegi_code"],
            url=redirects[0] if redirects else request.url,
            final_url=final_url,
            status=status,
            fetched_at=datetime.now(timezone.utc),
            depth=request.meta.get("depth", 0),
            referer=(request.headers.get(b"Referer") or b"").decode("latin-1") or None,
        )

    def _is_document(self, url: str, content_type: str) -> bool:
        path = urlsplit(url).path.lower()
        return any(path.endswith(ext) for ext in self.document_extensions) or not content_type.startswith("text/")


def _is_html(content_type: str, body: bytes) -> bool:
    if content_type:
        return content_type.split(";")[0].strip().lower() in HTML_TYPES
    return body[:512].lstrip().lower().startswith((b"<!doctype html", b"<html"))


def _other_scheme(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.port:
        return None
    return urlunsplit(("https", parts.netloc, parts.path or "/", parts.query, ""))
