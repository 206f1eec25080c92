"""Gathers a municipality's obligation formats on IPOMEX: 3.0 `.web` pages, their Excel exports, the 4.0 app.

Each fetched page, export or rendered app view is stored as a resource whose artifact carries
`portal_formats` (crawler/portal.py reads them by their visible labels). The 4.0 app is a hash-routed
single-page application: it is rendered in Chromium (crawler/render.py's RenderAddon) and read from
the DOM, never from a guessed API. CAPTCHA and WAF walls are recorded as facts (`page.blocked`); the
spider never tries to get past them.

Incremental nights (the portal is one domain shared by every municipality, so its requests set the length of
a polite night): every request is conditional on the previous crawl's validators, a 304 reuses the stored
answer, and a format whose index entry shows the same update date as last time (or that the index still does
not list) is not requested at all: its previous answer is recorded again, marked `reused`, for the audit (citing no
WARC record of tonight's: none was made).
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.http import Request, Response
from scrapy_playwright.page import PageMethod

from crawler.extract import extract_page
from crawler.failures import describe
from crawler.incremental import PreviousCrawls
from crawler.items import ResourceItem
from crawler.portal import app_formats, fold, from_slug, html_records, index_updates, summarise, xlsx_records
from models.artifact import FetchFacts, PortalFormatArtifact, successful

_FORMAT_LINK = re.compile(r"/(ipo3?)/lgt/indice/([^/]+)/([a-z0-9_]+)\.web$", re.IGNORECASE)


@dataclass(frozen=True)
class PortalTarget:
    inegi_code: str
    key: str | None = None  # IPOMEX 3.0 KEY
    index_url: str | None = None  # 3.0 index, without any copied ?token=
    app_url: str | None = None  # 4.0 app: …/ipomex/#/obligaciones/{id}
    app_id: int | None = None

    @property
    def origin(self) -> str:
        parts = urlsplit(self.index_url or "")
        return f"{parts.scheme}://{parts.netloc}"

    def in_portal(self, url: str) -> bool:
        """Same portal domain as the index (www., ipomex2., infoem2. are its sibling hosts)."""
        domain = (urlsplit(self.index_url or self.app_url or "").hostname or "").removeprefix("www.")
        host = urlsplit(url).hostname or ""
        return bool(domain) and (host == domain or host.endswith("." + domain))


class IpomexSpider(scrapy.Spider):
    name = "ipomex"
    custom_settings = {"APERTURA_RENDER_ENABLED": True}
    # set in from_crawler
    previous: PreviousCrawls
    answers: dict[str, dict[str, int]]  # inegi_code -> the previous crawl's answers (URL -> resource id)
    previous_index: dict[str, dict[str, str | None] | None]  # inegi_code -> the index the previous crawl read

    def __init__(self, targets: list[PortalTarget], formats: list[str], **kwargs):
        super().__init__(**kwargs)
        self.targets = {t.inegi_code: t for t in targets}
        self.formats = list(dict.fromkeys(formats))

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.previous = PreviousCrawls(
            settings.get("APERTURA_DB_URL"), dict(settings.getdict("APERTURA_PREVIOUS_CRAWLS"))
        )
        spider.answers, spider.previous_index = {}, {}
        crawler.signals.connect(spider.previous.close, signal=signals.spider_closed)
        return spider

    async def start(self):
        for target in self.targets.values():
            meta = {"inegi_code": target.inegi_code}
            await asyncio.to_thread(self._load_previous, target)
            if target.index_url:
                yield self._request(
                    target.index_url, self.parse_index, meta, errback=self.index_failed, dont_filter=True
                )
            if target.app_url:
                wait = [PageMethod("wait_for_load_state", "networkidle")]
                yield Request(
                    target.app_url,
                    callback=self.parse_app,
                    errback=self.failed,
                    dont_filter=True,
                    meta={**meta, "playwright": True, "playwright_page_methods": wait},
                )

    def _load_previous(self, target: PortalTarget) -> None:
        """The previous crawl's answers and the index it read (blocking: called in a thread)."""
        code = target.inegi_code
        self.answers[code] = self.previous.answers(code)
        index_id = self.answers[code].get(target.index_url or "")
        stored = self.previous.stored(index_id) if index_id is not None else None
        self.previous_index[code] = stored["facts"].get("portal_index") if stored else None

    def _request(self, url: str, callback, meta: dict, errback=None, **kwargs) -> Request:
        """ConditionalRequestMiddleware makes it conditional on the previous crawl's ETag / Last-Modified."""
        return Request(url, callback=callback, errback=errback or self.failed, meta=meta, **kwargs)

    # -- 3.0 --------------------------------------------------------------
    async def parse_index(self, response: Response):
        code = response.meta["inegi_code"]
        target = self.targets[code]
        if _is_not_modified(response):
            item, stored = await self._not_modified(response)
            updates = stored["facts"].get("portal_index") or {}
        else:
            item, page = self._page_item(response)
            readable = page is not None and not page.blocked and successful(response.status)
            updates = index_updates(response.text, response.url) if readable else {}
            updates = {url: date for url, date in updates.items() if self._format_slug(target, url)}
            if readable:
                item.facts.portal_index = updates
        yield item
        linked: dict[str, str] = {}
        for url in updates:
            if slug := self._format_slug(target, url):
                linked.setdefault(slug, url)
        for request in self._format_requests(code, linked):
            reason = self._unchanged(code, request.url, updates)
            previous = await self._stored(code, request.url) if reason else None
            if (
                reason is None
                or previous is None
                or (previous["page"] or {}).get("blocked")
                or previous["status"] is None
            ):
                yield request  # no usable previous answer: a wall or an error says nothing about the format
                continue
            yield self._reused(code, previous, reason)
            async for export in self._reused_exports(code, previous, reason, request.meta["format"]):
                yield export

    def _format_slug(self, target: PortalTarget, url: str) -> str | None:
        match = _FORMAT_LINK.search(urlsplit(url).path)
        if match and match[2].lower() == (target.key or "").lower() and target.in_portal(url):
            return match[3].lower()
        return None

    def _unchanged(self, code: str, url: str, updates: dict[str, str | None]) -> str | None:
        """Why the previous answer for a format still holds, from the index alone; None: fetch it."""
        before = self.previous_index.get(code)
        if before is None or url not in self.answers.get(code, {}):
            return None
        if url in updates:
            same = updates[url] is not None and before.get(url) == updates[url]
            return f"el índice muestra la misma fecha de actualización ({updates[url]})" if same else None
        return None if url in before else "el índice sigue sin enlazar este formato"

    async def _stored(self, code: str, url: str) -> dict | None:
        resource_id = self.answers.get(code, {}).get(url)
        return None if resource_id is None else await asyncio.to_thread(self.previous.stored, resource_id)

    def _reused(self, code: str, stored: dict, reason: str) -> ResourceItem:
        """The previous answer recorded again without a request: same status, body and facts.

        Tonight's WARC has no record of it (nothing was asked), so the row cites none; where the answer was
        archived (an earlier night's WACZ) is kept in its facts (`reused_warc`), outside what a night's bundle
        must contain."""
        self.crawler.stats.inc_value("apertura/portal_reused")
        archived = {"file": stored["warc_file"], "record_id": stored["warc_record_id"]}
        archived = stored["facts"].get("reused_warc") or archived  # the night it was really fetched
        return ResourceItem(
            inegi_code=code,
            url=stored["url"],
            final_url=stored["final_url"],
            status=stored["status"],
            fetched_at=stored["fetched_at"],
            headers=stored["headers"],
            content_type=stored["content_type"],
            sha256=stored["sha256"],
            size=stored["size"],
            error=stored["error"],
            facts=FetchFacts.model_validate(
                {**stored["facts"], "not_modified": True, "reused": reason, "reused_warc": archived}
            ),
            extract_sha256=stored["extract_sha256"],
        )

    async def _reused_exports(self, code: str, stored: dict, reason: str, slug: str):
        """The Excel exports of an unchanged format: their previous answers, else a request."""
        for facts in stored["facts"].get("portal_formats", []):
            for url in facts.get("exports", []):
                export = await self._stored(code, url)
                if export is not None and export["status"] is not None:
                    yield self._reused(code, export, reason)
                else:
                    yield self._request(url, self.parse_export, {"inegi_code": code, "format": slug})

    def index_failed(self, failure):
        yield self.failed(failure)
        yield from self._format_requests(failure.request.meta["inegi_code"], {})

    def _format_requests(self, inegi_code: str, linked: dict[str, str]):
        """Every catalog format: the link the index gives, else the 3.0 address pattern."""
        target = self.targets[inegi_code]
        for slug in self.formats:
            url = linked.get(slug) or f"{target.origin}/ipo3/lgt/indice/{target.key}/{slug}.web"
            yield self._request(url, self.parse_format, {"inegi_code": inegi_code, "format": slug})

    async def _not_modified(self, response: Response) -> tuple[ResourceItem, dict]:
        """304: the previous crawl's answer still holds; recorded with this night's request."""
        self.crawler.stats.inc_value("apertura/not_modified")
        stored = response.meta["previous"]  # read by crawler.incremental.ConditionalRequestMiddleware
        item = self._item(response)
        item.body = None
        item.headers = {**stored["headers"], **item.headers}
        item.content_type = stored["content_type"]
        item.sha256, item.size, item.extract_sha256 = stored["sha256"], stored["size"], stored["extract_sha256"]
        kept = {k: v for k, v in stored["facts"].items() if k not in ("reused", "reused_warc")}  # asked tonight
        item.facts = FetchFacts.model_validate({**kept, **item.facts.stored(), "not_modified": True})
        return item, stored

    async def parse_format(self, response: Response):
        target = self.targets[response.meta["inegi_code"]]
        slug = response.meta["format"]
        if _is_not_modified(response):
            item, stored = await self._not_modified(response)
            yield item
            async for export in self._reused_exports(target.inegi_code, stored, "el formato no cambió (304)", slug):
                yield export
            return
        item, page = self._page_item(response)
        generation = _FORMAT_LINK.search(urlsplit(response.url).path)
        identity = {
            "generation": generation[1].lower() if generation else "ipo3",
            "key": target.key,
            "format": slug,
            **from_slug(slug),
        }
        facts = PortalFormatArtifact(**identity, blocked=page.blocked if page else None)
        if page is not None and successful(response.status) and not page.blocked:
            facts = summarise(html_records(response.text), **identity)
            facts.exports = [
                link.href for link in page.links if _is_export(link.href, link.text) and target.in_portal(link.href)
            ]
            for url in facts.exports:
                yield self._request(url, self.parse_export, {"inegi_code": target.inegi_code, "format": slug})
        item.facts.portal_formats = [facts]
        yield item

    async def parse_export(self, response: Response):
        target = self.targets[response.meta["inegi_code"]]
        slug = response.meta["format"]
        if _is_not_modified(response):
            yield (await self._not_modified(response))[0]
            return
        if response.body[:2] == b"PK" and successful(response.status):
            item = self._item(response)
            try:
                facts = summarise(
                    xlsx_records(response.body), generation="export", key=target.key, format=slug, **from_slug(slug)
                )
                item.facts = FetchFacts(portal_formats=[facts])
            except Exception as error:  # a corrupt workbook is a fact about the export, not a crash
                item.error = f"exportación ilegible: {type(error).__name__}"
            yield item
        else:  # an HTML answer (error page, wall) or a format we cannot read (old binary XLS)
            item, _ = self._page_item(response)
            yield item

    # -- 4.0 --------------------------------------------------------------
    def parse_app(self, response: Response):
        target = self.targets[response.meta["inegi_code"]]
        item, page = self._page_item(response)
        item.facts.rendered = True
        if page is not None and not page.blocked and successful(response.status):
            formats = app_formats(response.text, key=str(target.app_id))
            item.facts.portal_formats = formats
        yield item

    # -- items --------------------------------------------------------------
    def _page_item(self, response: Response):
        item = self._item(response)
        content_type = item.content_type
        if content_type.split(";")[0].strip().lower() not in ("text/html", "application/xhtml+xml", ""):
            return item, None
        page = extract_page(response.body, response.url, content_type)
        item.facts.page = page
        return item, page

    def _item(self, response: Response) -> ResourceItem:
        request = response.request
        assert request is not None  # set on every response handed to a callback
        redirects = request.meta.get("redirect_urls") or []
        return ResourceItem(
            inegi_code=request.meta["inegi_code"],
            url=redirects[0] if redirects else request.url,
            final_url=response.url,
            status=response.status,
            fetched_at=datetime.now(UTC),
            headers={k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()},
            content_type=(response.headers.get(b"Content-Type") or b"").decode("latin-1"),
            body=response.body,
            facts=FetchFacts(redirect_urls=redirects),
            warc_file=request.meta.get("warc_file"),
            warc_record_id=request.meta.get("warc_record_id"),
        )

    def failed(self, failure):
        request = failure.request
        kind, error = describe(failure)
        facts = FetchFacts(failure=kind)
        if request.meta.get("format"):
            facts.portal_formats = [_stub(request.meta["format"], self.targets[request.meta["inegi_code"]])]
        return ResourceItem(
            inegi_code=request.meta["inegi_code"],
            url=request.url,
            final_url=request.url,
            status=None,
            fetched_at=datetime.now(UTC),
            error=error,
            facts=facts,
        )


def _is_not_modified(response: Response) -> bool:
    return response.status == 304 and "previous" in response.meta  # crawler.incremental.ConditionalRequestMiddleware


def _stub(slug: str, target: PortalTarget) -> PortalFormatArtifact:
    return PortalFormatArtifact(generation="ipo3", key=target.key, format=slug, **from_slug(slug))


def _is_export(href: str, text: str) -> bool:
    path = urlsplit(href).path.lower()
    return "infoexcel" in path or path.endswith((".xls", ".xlsx")) or "excel" in fold(text)
