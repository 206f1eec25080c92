"""Gathers one or more municipal sites: pages and documents within each site's own domain, and one hop to the
targets of the links that leave it (crawler/offsite.py)."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import secrets
import socket
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

import scrapy
from scrapy import signals
from scrapy.http import Request, Response
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from scrapy_playwright.page import PageMethod

from crawler.budget import AUXILIARY, BudgetExhausted, Candidate, deferred, rank, relevant
from crawler.extract import decode_html, extract_document_with_timeout, extract_page, shutdown_pool, worker_pool
from crawler.failures import describe
from crawler.items import ResourceItem
from crawler.netguard import allowed_addresses, permitted
from crawler.offsite import OffsitePolicy, is_portal_url, portal_domain
from crawler.render import TEMPLATE_REASONS, data_failures, explore_menus, render_reason, settle
from crawler.tls import check_certificate
from crawler.urls import canonical, trap_reason
from models.artifact import EMPTY_SHELL, FetchFacts, PageArtifact, TlsFacts, successful

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_SITEMAPS_PER_SITE = 5
# a linked image file: fetched only when it names what a rule looks for (an organigrama.png), never a photo gallery's
IMAGE_FILE = re.compile(r"\.(?:png|jpe?g|gif|webp)$", re.IGNORECASE)
MAX_SEARCH_PROBES_PER_SITE = 3  # search forms sent once each (a template's form asks one address, or its own page's)
MAX_SITEMAP_SIZE = 10 * 1024 * 1024


@dataclass(frozen=True)
class SiteTarget:
    inegi_code: str
    start_url: str
    portal_url: str | None = None  # the registry's IPOMEX address: links to its domain are the portal spider's

    @cached_property  # asked for every link of every page
    def host(self) -> str:
        return (urlsplit(self.start_url).hostname or "").lower()

    @cached_property
    def domain(self) -> str:
        return self.host.removeprefix("www.")

    def in_scope(self, url: str) -> bool:
        return self.covers((urlsplit(url).hostname or "").lower())

    def covers(self, host: str) -> bool:
        return host == self.domain or host.endswith("." + self.domain)


class MunicipalSiteSpider(scrapy.Spider):
    """The jobs pass `targets`; for debugging, `scrapy crawl municipal_site -a url=URL [-a inegi_code=CLAVE]
    [-a portal_url=URL]` crawls one site with the catalogue's settings (docs/rastreo.md)."""

    name = "municipal_site"
    # from the settings (from_crawler)
    max_pages: int
    document_extensions: set[str]
    document_timeout: float
    render_enabled: bool
    render_max: int
    shell_render_max: int
    render_timeout: float
    tls_timeout: float
    hosts: dict[str, str]
    allow_private: bool
    allowed_addresses: frozenset[str]
    offsite_policy: OffsitePolicy
    depth_limit: int
    ocr_pages: int
    ocr_seconds: float
    page_workers: int
    page_pool: ProcessPoolExecutor | None

    def __init__(
        self,
        targets: list[SiteTarget] | None = None,
        url: str | None = None,
        inegi_code: str = "00000",
        portal_url: str | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if targets is None:
            if not url:
                raise ValueError("municipal_site needs the site to crawl: scrapy crawl municipal_site -a url=URL")
            targets = [SiteTarget(inegi_code, url, portal_url)]
        self.targets = {t.inegi_code: t for t in targets}
        self.scheduled: Counter[str] = Counter()  # requests that spent the site's page budget (crawler/budget.py)
        self.seen: set[str] = set()
        self.sitemaps: Counter[str] = Counter()
        self.search_probes: Counter[str] = Counter()
        self.renders: Counter[tuple[str, bool]] = Counter()  # (site, empty shell)
        self.template_renders: set[tuple[str, str | None, str]] = set()
        self.tls_checks: dict[tuple[str, int], asyncio.Future] = {}
        self.offsite: Counter[str] = Counter()
        # per municipality: two sites linking to the same page each get it (and its URL may be another site's page)
        self.offsite_seen: dict[str, set[str]] = {t.inegi_code: set() for t in targets}
        self.portal_domains: dict[str, set[str]] = {
            t.inegi_code: {portal_domain(t.portal_url)} if t.portal_url else set() for t in targets
        }

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.max_pages = settings.getint("APERTURA_MAX_PAGES_PER_SITE")
        spider.document_extensions = {f".{e}" for e in settings.getlist("APERTURA_DOCUMENT_EXTENSIONS")}
        spider.document_timeout = settings.getfloat("APERTURA_DOCUMENT_TIMEOUT")
        spider.render_enabled = settings.getbool("APERTURA_RENDER_ENABLED")
        spider.render_max = settings.getint("APERTURA_RENDER_MAX_PER_SITE")
        spider.shell_render_max = settings.getint("APERTURA_RENDER_MAX_SHELLS_PER_SITE")
        spider.render_timeout = settings.getfloat("APERTURA_RENDER_TIMEOUT")
        spider.tls_timeout = settings.getfloat("APERTURA_TLS_TIMEOUT")
        spider.hosts = dict(settings.getdict("APERTURA_HOSTS"))
        spider.allow_private = settings.getbool("APERTURA_ALLOW_PRIVATE_NETWORK")
        spider.allowed_addresses = allowed_addresses(settings)
        spider.offsite_policy = OffsitePolicy.from_settings(settings)
        spider.depth_limit = settings.getint("DEPTH_LIMIT")
        spider.ocr_pages = settings.getint("APERTURA_OCR_MAX_PAGES")
        spider.ocr_seconds = settings.getfloat("APERTURA_OCR_TIMEOUT")
        spider.document_timeout += spider.ocr_seconds if spider.ocr_pages else 0  # OCR has its own budget
        spider.page_workers = settings.getint("APERTURA_PAGE_WORKERS") or os.cpu_count() or 1
        spider.page_pool = None
        crawler.signals.connect(spider._close_pools, signal=signals.spider_closed)
        return spider

    def _close_pools(self) -> None:
        """The extraction workers go with the crawl: the audits that follow need their memory."""
        if self.page_pool is not None:
            self.page_pool.shutdown(cancel_futures=True)
        shutdown_pool()

    async def start(self):
        for target in self.targets.values():
            code = target.inegi_code
            first = {"dont_filter": True, "priority": AUXILIARY}  # before the links they lead to
            yield self._request(target.start_url, {"inegi_code": code, "is_home": True}, **first)
            if other := _other_scheme(target.start_url):
                # Whether the site also answers on the other scheme is an ICT fact (HTTPS, redirect).
                yield self._request(other, {"inegi_code": code, "probe": True}, **first)
            auxiliary = {"priority": AUXILIARY}
            yield self._request(
                urljoin(target.start_url, "/robots.txt"), {"inegi_code": code, "role": "robots"}, **auxiliary
            )
            yield self._request(
                urljoin(target.start_url, "/sitemap.xml"), {"inegi_code": code, "role": "sitemap"}, **auxiliary
            )
            # GSA-style soft-404 probe: what does the site answer for a path that cannot exist?
            missing = f"/apertura-no-existe-{secrets.token_hex(6)}"
            yield self._request(
                urljoin(target.start_url, missing), {"inegi_code": code, "role": "not_found_probe"}, **auxiliary
            )

    def _request(self, url: str, meta: dict, **kwargs) -> Request:
        if not meta.get("role") and not meta.get("offsite"):  # auxiliary and off-site fetches have their own limits
            meta["budget"] = True  # spent when the scheduler hands it to the downloader (PageBudgetMiddleware)
        if not meta.get("offsite"):
            self.seen.add(url)
        return Request(url, callback=self.parse, errback=self.failed, meta=meta, **kwargs)

    def spend_budget(self, inegi_code: str) -> bool:
        """One request of the site's page budget, if any is left (asked by crawler.budget.PageBudgetMiddleware,
        highest-ranked requests first)."""
        if self.scheduled[inegi_code] >= self.max_pages:
            return False
        self.scheduled[inegi_code] += 1
        return True

    async def parse(self, response: Response):
        meta = response.meta
        if response.status == 304 and "previous" in meta:  # crawler.incremental.ConditionalRequestMiddleware
            item, links = await self._not_modified(response)
        else:
            item, links = await self._fresh(response)
        if item.final_url.startswith("https://") and (meta.get("is_home") or meta.get("probe")):
            tls = await self._tls(item.final_url)
            tls.hsts = {**item.base_headers, **item.headers}.get("Strict-Transport-Security")
            item.facts.tls = tls
        body = item.body
        yield item
        if meta.get("role") == "robots" and response.status == 200:
            for url in sitemap_urls_from_robots(decode_html(body or b"", "text/plain"), base_url=response.url):
                if request := self._sitemap_request(meta["inegi_code"], url):
                    yield request
        elif meta.get("role") == "sitemap" and response.status == 200:
            for request in self._from_sitemap(meta["inegi_code"], body or b"", response):
                yield request
        elif not meta.get("probe") and meta.get("role") in (None, "not_found_probe") and _usable(item):
            reason = item.facts.render_reason
            if meta.get("role") and reason != EMPTY_SHELL:  # a single-page app shows its «not found» only rendered
                reason = None
            if reason and not meta.get("playwright") and self.render_enabled:
                if request := self._render_request(meta, response.url, reason, links):
                    yield request
            # one hop: an off-site target's links are never followed, nor an auxiliary fetch's
            if not meta.get("role") and not meta.get("offsite"):
                texts = _link_texts(item.facts.page)
                for request in self._follow(meta["inegi_code"], links, response, texts=texts):
                    yield request
                if request := self._search_probe(meta, item):
                    yield request

    async def _fresh(self, response: Response) -> tuple[ResourceItem, list[str]]:
        meta = response.meta
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        assert response.request is not None  # set on every response handed to a callback
        item = self._item(response.request, response.status, final_url=response.url)
        item.headers = _headers(response)
        item.content_type = content_type
        item.body = response.body
        facts = _base_facts(meta)
        links = []
        if meta.get("role") in ("robots", "sitemap"):
            pass  # read by the callbacks above, not extracted as content
        elif _is_html(content_type, response.body):
            plain = not meta.get("playwright") and meta.get("role") in (None, "not_found_probe")
            if extracted := await self._extract_page(response.body, response.url, content_type, plain):
                page, reason = extracted
                if meta.get("playwright") and "plain_links" in meta:
                    _mark_rendered(page["links"], set(meta["plain_links"]))
                    page["links"] += _clicked(meta, {link["href"] for link in page["links"]})
                facts.page = PageArtifact.model_validate(page)
                links = [link["href"] for link in page["links"]]
                if reason:
                    facts.render_reason = reason
        elif self._is_document(response.url, content_type) and successful(response.status):
            document = await asyncio.to_thread(
                extract_document_with_timeout,
                response.body,
                response.url,
                content_type,
                self.document_timeout,
                ocr_pages=self.ocr_pages,
                ocr_seconds=self.ocr_seconds,
            )
            facts.document = document
        item.facts = facts
        return item, links

    async def _extract_page(
        self, body: bytes, url: str, content_type: str, plain: bool
    ) -> tuple[dict, str | None] | None:
        """The page artifact (as JSON) and render reason, computed in worker processes: parsing is most of
        the crawl's CPU, and a huge DOM must not stall the reactor (download timeouts, Chromium routes)."""
        if self.page_pool is None:
            self.page_pool = worker_pool(self.page_workers)
        pool = self.page_pool
        try:
            return await asyncio.wrap_future(pool.submit(_extract_html, body, url, content_type, plain))
        except BrokenProcessPool:  # a worker died (memory, a crash in C): the next page gets a new pool
            log.warning("el proceso de extracción falló con %s; la página se guarda sin extraer", url)
            if self.page_pool is pool:
                self.page_pool = None
                pool.shutdown(wait=False, cancel_futures=True)
            return None

    async def _not_modified(self, response: Response) -> tuple[ResourceItem, list[str]]:
        """304: the previous crawl's body and facts still hold."""
        self.crawler.stats.inc_value("apertura/not_modified")
        previous = response.meta["previous"]
        assert response.request is not None
        item = self._item(response.request, 304, final_url=response.url)
        item.base_id, item.base_headers = response.meta["previous_id"], previous["headers"]
        item.headers = {k: v for k, v in _headers(response).items() if previous["headers"].get(k) != v}
        item.content_type = previous["content_type"]
        item.sha256, item.size = previous["sha256"], previous["size"]
        item.extract_sha256 = previous["extract_sha256"]
        item.facts = _base_facts(response.meta)
        if reason := previous["facts"].get("render_reason"):
            item.facts.render_reason = reason
        item.facts.not_modified = True
        return item, previous["links"]

    async def _tls(self, url: str) -> TlsFacts:
        parts = urlsplit(url)
        host, port = (parts.hostname or "").lower(), parts.port or 443
        if (host, port) not in self.tls_checks:
            self.tls_checks[host, port] = asyncio.ensure_future(asyncio.to_thread(self._check_tls, host, port))
        return (await self.tls_checks[host, port]).model_copy()

    def _check_tls(self, host: str, port: int) -> TlsFacts:
        try:
            address = self.hosts.get(host) or str(socket.getaddrinfo(host, port)[0][4][0])
        except OSError as error:
            return TlsFacts(error=f"no se resolvió {host}: {error}")
        if not permitted(address, self.allow_private, self.allowed_addresses):
            return TlsFacts(error=f"{host} resuelve a {address}, una dirección no pública")
        return check_certificate(host, address, port, self.tls_timeout)

    def _render_request(self, meta: dict, url: str, reason: str, links: list[str]) -> Request | None:
        code = meta["inegi_code"]
        # template-wide reasons: once per site, and once per off-site host
        template = (code, urlsplit(url).hostname if meta.get("offsite") else None, reason)
        if reason in TEMPLATE_REASONS and template in self.template_renders:
            return None
        self.template_renders.add(template)
        budget = (code, reason == EMPTY_SHELL)
        if self.renders[budget] >= (self.shell_render_max if reason == EMPTY_SHELL else self.render_max):
            self.crawler.stats.inc_value("apertura/render_budget_exhausted")
            return None
        self.renders[budget] += 1
        self.crawler.stats.inc_value("apertura/rendered")
        failed: list[str] = []
        render_meta = {
            "inegi_code": code,
            "is_home": meta.get("is_home", False),
            "playwright": True,
            "playwright_context_kwargs": {"ignore_https_errors": True},  # the certificate is a fact, not a stop
            "playwright_page_goto_kwargs": {"wait_until": "load", "timeout": self.render_timeout * 1000},
            "playwright_page_methods": [PageMethod(settle)]
            + ([PageMethod(explore_menus)] if meta.get("is_home") else []),
            "playwright_page_event_handlers": {"requestfailed": data_failures(failed)},
            "script_failures": failed,
            "render_reason": reason,
            "plain_links": links,  # the links of the plain HTML: the others were built by scripts (via "rendered")
            **{key: meta[key] for key in ("offsite", "linked_from", "role") if key in meta},
        }
        return Request(
            url, callback=self.parse, errback=self.failed, meta=render_meta, dont_filter=True, priority=AUXILIARY
        )

    def _search_probe(self, meta: dict, item: ResourceItem) -> Request | None:
        """The page's search form, sent with a query: a form that answers with the page it is on searches nothing
        (auditors/checks/page_feature.py)."""
        code = meta["inegi_code"]
        page = item.facts.page
        url = page.search_url if page else (meta.get("previous", {}).get("page") or {}).get("search_url")
        if not url or url in self.seen or self.search_probes[code] >= MAX_SEARCH_PROBES_PER_SITE:
            return None
        if not self.targets[code].in_scope(url):  # a form sent to another host is that host's search
            return None
        self.search_probes[code] += 1
        return self._request(url, {"inegi_code": code, "role": "search_probe"}, priority=AUXILIARY)

    def _sitemap_request(self, code: str, url: str) -> Request | None:
        url = canonical(url)
        if not self.targets[code].in_scope(url) or self.sitemaps[code] >= MAX_SITEMAPS_PER_SITE or url in self.seen:
            return None
        self.sitemaps[code] += 1
        return self._request(url, {"inegi_code": code, "role": "sitemap"}, priority=AUXILIARY)

    def _from_sitemap(self, code: str, body: bytes, response: Response):
        try:
            if body[:2] == b"\x1f\x8b":
                body = gunzip(body, max_size=MAX_SITEMAP_SIZE)
            sitemap = Sitemap(body)
        except Exception:  # noqa: BLE001 - a broken sitemap is just no seeds
            self.crawler.stats.inc_value("apertura/sitemap_unreadable")
            return
        locations = [entry["loc"] for entry in sitemap if entry.get("loc")]
        if sitemap.type == "sitemapindex":
            for url in locations:
                if request := self._sitemap_request(code, url):
                    yield request
        elif sitemap.type == "urlset":
            yield from self._follow(code, locations, response, offsite=False)

    def _follow(
        self,
        inegi_code: str,
        links: list[str],
        response: Response,
        offsite: bool = True,
        texts: dict[str, str] | None = None,
    ):
        """Requests for the links of a page: in-scope ones ranked by what the audit needs (crawler/budget.py) for
        the page budget, and (from the site's own pages) off-site targets within the off-site budget."""
        texts = texts or {}
        followed: list[Candidate] = []
        target = self.targets[inegi_code]
        offsite = offsite and self.offsite_policy.enabled and target.in_scope(response.url)
        web = [_canonical_host(href) for href in links if href.startswith(("http://", "https://"))]
        if offsite:
            self._learn_portal(inegi_code, [url for url, host in web if not target.covers(host)])
        for url, host in web:
            image = bool(IMAGE_FILE.search(urlsplit(url).path))
            if image and not relevant(url, texts.get(url, "")):
                self.crawler.stats.inc_value("apertura/image_links_skipped")
                continue
            if not target.covers(host):
                if offsite and url not in self.offsite_seen[inegi_code]:
                    if request := self._offsite_request(inegi_code, url, response):
                        yield request
                continue
            if url in self.seen:
                continue
            if reason := trap_reason(url):
                self.crawler.stats.inc_value(f"apertura/trap_skipped/{reason}")
                continue
            document = image or self._names_a_document(url)  # by its link alone: nothing was fetched yet
            if self.scheduled[inegi_code] >= self.max_pages:  # spent already: not even queued
                deferred(self.crawler.stats, "document" if document else "page")
                continue
            self.seen.add(url)  # a link repeated on the page is one request
            followed.append(Candidate(url, texts.get(url, ""), document))
        if not followed:
            return
        ranked = sorted(zip(rank(followed), followed, strict=True), key=lambda pair: -pair[0])
        for priority, candidate in ranked:  # in rank order too: an idle downloader takes the first ones at once
            meta = {"inegi_code": inegi_code, "budget_kind": "document" if candidate.document else "page"}
            yield self._request(candidate.url, meta, headers={"Referer": response.url}, priority=priority)

    def _learn_portal(self, inegi_code: str, urls: list[str]) -> None:
        """A linked IPOMEX index or app names the portal's domain: its other links are the portal spider's too."""
        for url in urls:
            if is_portal_url(url):
                self.portal_domains[inegi_code].add(portal_domain(url))

    def _offsite_request(self, inegi_code: str, url: str, response: Response) -> Request | None:
        """One hop to an off-site target (crawler/offsite.py); `dont_filter` so that a redirect chain that loops or
        meets an address fetched before still ends in a stored resource."""
        stats = self.crawler.stats
        if self.depth_limit and response.meta.get("depth", 0) >= self.depth_limit:
            stats.inc_value("apertura/offsite_skipped/depth")  # DepthMiddleware would drop it; a shallower page may not
            return None
        self.offsite_seen[inegi_code].add(url)
        if reason := trap_reason(url) or self.offsite_policy.skip_reason(url, self.portal_domains[inegi_code]):
            stats.inc_value(f"apertura/offsite_skipped/{reason}")
            return None
        if self.offsite[inegi_code] >= self.offsite_policy.max_per_site:
            stats.inc_value("apertura/offsite_budget_exhausted")
            return None
        self.offsite[inegi_code] += 1
        stats.inc_value("apertura/offsite")
        meta = {"inegi_code": inegi_code, "offsite": True, "linked_from": response.url}
        return self._request(url, meta, headers={"Referer": response.url}, dont_filter=True)

    def failed(self, failure):
        if failure.check(BudgetExhausted):  # never requested: counted in the stats (apertura/deferred_links)
            return None
        request = failure.request
        item = self._item(request, None, final_url=request.url)
        kind, item.error = describe(failure)
        item.facts = _base_facts(request.meta)
        item.facts.failure = kind
        return item

    def _item(self, request: Request, status: int | None, final_url: str) -> ResourceItem:
        redirects = request.meta.get("redirect_urls") or []
        return ResourceItem(
            inegi_code=request.meta["inegi_code"],
            url=redirects[0] if redirects else request.url,
            final_url=final_url,
            status=status,
            fetched_at=_archived_at(request.meta) or datetime.now(UTC),
            depth=request.meta.get("depth", 0),
            referer=(request.headers.get(b"Referer") or b"").decode("latin-1") or None,
            warc_file=request.meta.get("warc_file"),
            warc_record_id=request.meta.get("warc_record_id"),
        )

    def _is_document(self, url: str, content_type: str) -> bool:
        return self._names_a_document(url) or not content_type.startswith("text/")

    def _names_a_document(self, url: str) -> bool:
        path = urlsplit(url).path.lower()
        return any(path.endswith(ext) for ext in self.document_extensions)


@lru_cache(maxsize=16384)
def _canonical_host(href: str) -> tuple[str, str]:
    """A link's canonical URL and its host, in lower case (SiteTarget.covers); remembered, as a site's menus link
    the same URLs from every page."""
    url = canonical(href)
    return url, (urlsplit(url).hostname or "").lower()


def _link_texts(page: PageArtifact | None) -> dict[str, str]:
    """Each link's text by its canonical URL (a URL linked twice: both texts), for ranking it."""
    texts: dict[str, str] = {}
    for link in page.links if page else []:
        text = (link.text or "").strip()
        if not text or not link.href.startswith(("http://", "https://")):
            continue
        url = _canonical_host(link.href)[0]
        if url not in texts:
            texts[url] = text
        elif text not in texts[url]:
            texts[url] += " " + text
    return texts


def _archived_at(meta: dict) -> datetime | None:
    return datetime.fromisoformat(meta["warc_date"]) if meta.get("warc_date") else None


def _headers(response: Response) -> dict[str, str]:
    return {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}


def _extract_html(body: bytes, url: str, content_type: str, plain: bool) -> tuple[dict, str | None]:
    """Runs in a worker process: the page artifact as JSON and why it needs rendering (plain HTML only)."""
    page = extract_page(body, url, content_type)
    reason = (
        render_reason(decode_html(body, content_type), page) if plain and not (page.blocked or page.soft_404) else None
    )
    return page.model_dump(mode="json"), reason


def _usable(item: ResourceItem) -> bool:
    """A success whose links are worth following (a fresh 2xx or a reused 304)."""
    return successful(item.status) or (item.status is not None and item.facts.not_modified)


def _base_facts(meta: dict) -> FetchFacts:
    """What the request's meta says about any fetch of it (the facts every item of the site spider has)."""
    facts = FetchFacts(
        is_home=meta.get("is_home", False), probe=meta.get("probe", False), redirect_urls=meta.get("redirect_urls", [])
    )
    if meta.get("role"):
        facts.role = meta["role"]
    if meta.get("offsite"):
        facts.offsite, facts.linked_from = True, meta.get("linked_from")
    if meta.get("playwright"):
        facts.rendered, facts.render_reason = True, meta.get("render_reason")
        facts.script_failures = list(meta.get("script_failures", ()))
    return facts


def _clicked(meta: dict, known: set[str]) -> list[dict]:
    """The menu items without an address that Chromium clicked on the rendered home page (render.explore_menus), as
    links of that page."""
    results = [method.result for method in meta.get("playwright_page_methods", ()) if method.method is explore_menus]
    pairs = [pair for result in results if isinstance(result, list) for pair in result]
    return [
        {"href": href, "text": text, "context": "nav", "via": "click"}
        for text, href in pairs
        if href not in known and href.startswith(("http://", "https://"))
    ]


def _mark_rendered(links: list[dict], plain: set[str]) -> None:
    """Links of a rendered page that its plain HTML did not have were built by scripts."""
    for link in links:
        if link["href"] not in plain:
            link["via"] = "rendered"


def _is_html(content_type: str, body: bytes) -> bool:
    if content_type:
        return content_type.split(";")[0].strip().lower() in HTML_TYPES
    return body[:512].lstrip().lower().startswith((b"<!doctype html", b"<html"))


def _other_scheme(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.port:
        return None
    return urlunsplit(("https", parts.netloc, parts.path or "/", parts.query, ""))
