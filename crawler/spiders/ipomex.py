"""Gathers a municipality's obligation formats on IPOMEX: 3.0 `.web` pages, their Excel exports, the 4.0 app.

Each fetched page, export or rendered app view is stored as a resource whose artifact carries
`portal_formats` (crawler/portal.py reads them by their visible labels). The 4.0 app is a hash-routed
single-page application: it is rendered in Chromium (crawler/render.py's RenderAddon) and read from
the DOM, never from a guessed API. CAPTCHA and WAF walls are recorded as facts (`page.blocked`); the
spider never tries to get past them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Request, Response
from scrapy_playwright.page import PageMethod

from crawler.extract import extract_page
from crawler.failures import describe
from crawler.items import ResourceItem
from crawler.portal import app_formats, fold, from_slug, html_records, summarise, xlsx_records
from models.artifact import PortalFormatArtifact

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

    def __init__(self, targets: list[PortalTarget], formats: list[str], **kwargs):
        super().__init__(**kwargs)
        self.targets = {t.inegi_code: t for t in targets}
        self.formats = list(dict.fromkeys(formats))

    async def start(self):
        for target in self.targets.values():
            meta = {"inegi_code": target.inegi_code}
            if target.index_url:
                yield Request(
                    target.index_url, callback=self.parse_index, errback=self.index_failed, meta=meta, dont_filter=True
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

    # -- 3.0 --------------------------------------------------------------
    def parse_index(self, response: Response):
        item, page = self._page_item(response)
        yield item
        linked = {}
        if page is not None and not page.blocked:
            target = self.targets[response.meta["inegi_code"]]
            for link in page.links:
                match = _FORMAT_LINK.search(urlsplit(link.href).path)
                if match and match[2].lower() == (target.key or "").lower() and target.in_portal(link.href):
                    linked.setdefault(match[3].lower(), link.href)
        yield from self._format_requests(response.meta["inegi_code"], linked)

    def index_failed(self, failure):
        yield self.failed(failure)
        yield from self._format_requests(failure.request.meta["inegi_code"], {})

    def _format_requests(self, inegi_code: str, linked: dict[str, str]):
        """Every catalog format: the link the index gives, else the 3.0 address pattern."""
        target = self.targets[inegi_code]
        for slug in self.formats:
            url = linked.get(slug) or f"{target.origin}/ipo3/lgt/indice/{target.key}/{slug}.web"
            yield Request(
                url, callback=self.parse_format, errback=self.failed, meta={"inegi_code": inegi_code, "format": slug}
            )

    def parse_format(self, response: Response):
        target = self.targets[response.meta["inegi_code"]]
        slug = response.meta["format"]
        item, page = self._page_item(response)
        generation = _FORMAT_LINK.search(urlsplit(response.url).path)
        identity = {
            "generation": generation[1].lower() if generation else "ipo3",
            "key": target.key,
            "format": slug,
            **from_slug(slug),
        }
        facts = PortalFormatArtifact(**identity, blocked=page.blocked if page else None)
        if page is not None and 200 <= response.status < 300 and not page.blocked:
            facts = summarise(html_records(response.text), **identity)
            facts.exports = [
                link.href for link in page.links if _is_export(link.href, link.text) and target.in_portal(link.href)
            ]
            for url in facts.exports:
                yield Request(
                    url,
                    callback=self.parse_export,
                    errback=self.failed,
                    meta={"inegi_code": target.inegi_code, "format": slug},
                )
        item.artifact["portal_formats"] = [facts.model_dump(mode="json")]
        yield item

    def parse_export(self, response: Response):
        target = self.targets[response.meta["inegi_code"]]
        slug = response.meta["format"]
        if response.body[:2] == b"PK" and 200 <= response.status < 300:
            item = self._item(response)
            try:
                facts = summarise(
                    xlsx_records(response.body), generation="export", key=target.key, format=slug, **from_slug(slug)
                )
                item.artifact = {"portal_formats": [facts.model_dump(mode="json")]}
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
        item.artifact["rendered"] = True
        if page is not None and not page.blocked and 200 <= response.status < 300:
            formats = app_formats(response.text, key=str(target.app_id))
            item.artifact["portal_formats"] = [f.model_dump(mode="json") for f in formats]
        yield item

    # -- items --------------------------------------------------------------
    def _page_item(self, response: Response):
        item = self._item(response)
        content_type = item.content_type
        if content_type.split(";")[0].strip().lower() not in ("text/html", "application/xhtml+xml", ""):
            return item, None
        page = extract_page(response.body, response.url, content_type)
        item.artifact["page"] = page.model_dump(mode="json")
        return item, page

    def _item(self, response: Response) -> ResourceItem:
        request = response.request
        redirects = request.meta.get("redirect_urls") or []
        return ResourceItem(
            inegi_code=request.meta["inegi_code"],
            url=redirects[0] if redirects else request.url,
            final_url=response.url,
            status=response.status,
            fetched_at=datetime.now(UTC),
            headers={k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()},
            content_type=response.headers.get(b"Content-Type", b"").decode("latin-1"),
            body=response.body,
            artifact={"redirect_urls": redirects},
            warc_file=request.meta.get("warc_file"),
            warc_record_id=request.meta.get("warc_record_id"),
        )

    def failed(self, failure):
        request = failure.request
        kind, error = describe(failure)
        artifact = {"failure": kind}
        if request.meta.get("format"):
            artifact["portal_formats"] = [_stub(request.meta["format"], self.targets[request.meta["inegi_code"]])]
        return ResourceItem(
            inegi_code=request.meta["inegi_code"],
            url=request.url,
            final_url=request.url,
            status=None,
            fetched_at=datetime.now(UTC),
            error=error,
            artifact=artifact,
        )


def _stub(slug: str, target: PortalTarget) -> dict:
    return PortalFormatArtifact(generation="ipo3", key=target.key, format=slug, **from_slug(slug)).model_dump(
        mode="json"
    )


def _is_export(href: str, text: str) -> bool:
    path = urlsplit(href).path.lower()
    return "infoexcel" in path or path.endswith((".xls", ".xlsx")) or "excel" in fold(text)
