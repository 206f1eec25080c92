"""Incremental nights: conditional requests from the previous finished crawl of each municipality.

An unchanged resource answers 304; it is stored again reusing the previous SHA-256 and extract (marked
``not_modified``), naming the original row as its base and keeping only the headers that changed; its WARC
record is a revisit of the original response record (crawler/archive.py). So it costs one request, no new
body, no new extract and no copy of unchanged headers.
`ConditionalRequestMiddleware` does the database reads, so the spider never touches the store: it adds the
validators to a request (``previous_id``, ``revisit_of``) and, on a 304, the stored facts (``meta["previous"]``).
"""

from __future__ import annotations

import asyncio
import threading

from scrapy import signals
from scrapy.exceptions import NotConfigured
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from storage import repository
from storage.database import make_engine
from storage.orm import Resource


class PreviousCrawls:
    """Read-only access to the previous crawls; blocking, so the spider calls it in a thread."""

    def __init__(self, db_url: str | None, crawl_ids: dict[str, int]):
        self.crawl_ids = crawl_ids
        self.sessions = sessionmaker(make_engine(db_url)) if db_url and crawl_ids else None
        self._validators: dict[str, dict[str, repository.Validator]] = {}
        self._lock = threading.Lock()

    def validators(self, inegi_code: str) -> dict[str, repository.Validator]:
        """final URL -> the original fetch's row id, validators and WARC record."""
        with self._lock:
            if inegi_code not in self._validators:
                crawl_id = self.crawl_ids.get(inegi_code)
                found: dict[str, repository.Validator] = {}
                if self.sessions is not None and crawl_id is not None:
                    with self.sessions() as session:
                        found = repository.validators(session, crawl_id)
                self._validators[inegi_code] = found
            return self._validators[inegi_code]

    def answers(self, inegi_code: str) -> dict[str, int]:
        """Requested URL -> resource id of every answer of the previous crawl (errors and 404s included)."""
        crawl_id = self.crawl_ids.get(inegi_code)
        if self.sessions is None or crawl_id is None:
            return {}
        with self.sessions() as session:
            rows = session.execute(select(Resource.url, Resource.id).where(Resource.crawl_id == crawl_id))
            return {url: resource_id for url, resource_id in rows}

    def stored(self, resource_id: int) -> dict:
        """A previous answer as the pipeline stores it: what a 304 reuses, or what is recorded again without a
        request, with the links of the page to follow again."""
        assert self.sessions is not None, "stored() is only asked about a resource of a previous crawl"
        with self.sessions() as session:
            row = session.get(Resource, resource_id)
            if row is None:
                raise LookupError(f"resource {resource_id} is not stored")
            page = row.extract.content.get("page") if row.extract else None
            return {
                "url": row.url,
                "final_url": row.final_url,
                "status": row.status,
                "headers": dict(row.headers or {}),
                "content_type": row.content_type,
                "sha256": row.sha256,
                "size": row.size,
                "fetched_at": row.fetched_at,
                "error": row.error,
                "facts": dict(row.facts or {}),
                "extract_sha256": row.extract_sha256,
                "page": page,
                "links": [link["href"] for link in (page or {}).get("links", [])],
                "warc_file": row.warc_file,
                "warc_record_id": row.warc_record_id,
            }

    def close(self) -> None:
        if self.sessions is not None:
            self.sessions.kw["bind"].dispose()


class ConditionalRequestMiddleware:
    """Downloader middleware: conditional requests from APERTURA_PREVIOUS_CRAWLS (inegi_code -> crawl id) in the
    store at APERTURA_DB_URL. Requests rendered in Chromium and redirect hops are sent as they are."""

    def __init__(self, previous: PreviousCrawls):
        self.previous = previous

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        crawl_ids = dict(settings.getdict("APERTURA_PREVIOUS_CRAWLS"))
        if not settings.get("APERTURA_DB_URL") or not crawl_ids:
            raise NotConfigured  # a first night: nothing to ask against (no args: Scrapy logs nothing)
        middleware = cls(PreviousCrawls(settings.get("APERTURA_DB_URL"), crawl_ids))
        crawler.signals.connect(middleware.previous.close, signal=signals.spider_closed)
        return middleware

    async def process_request(self, request, spider=None):
        code = request.meta.get("inegi_code")
        if code is None or request.meta.get("playwright") or request.meta.get("redirect_urls"):
            return None
        validator = (await asyncio.to_thread(self.previous.validators, code)).get(request.url)
        if validator:
            for name, value in conditional_headers(validator.etag, validator.last_modified).items():
                request.headers[name] = value
            request.meta["previous_id"] = validator.resource_id
            if validator.warc_record_id:  # a 304 is archived as a revisit of this record
                request.meta["revisit_of"] = (validator.warc_record_id, request.url, validator.fetched_at)
        return None

    async def process_response(self, request, response, spider=None):
        if response.status == 304 and request.meta.get("previous_id") and not request.meta.get("redirect_urls"):
            request.meta["previous"] = await asyncio.to_thread(self.previous.stored, request.meta["previous_id"])
        return response


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers
