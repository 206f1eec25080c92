"""Persists every fetched resource: body once per SHA-256, facts and artifact per fetch."""

from __future__ import annotations

from scrapy.exceptions import NotConfigured
from sqlalchemy.orm import sessionmaker

from crawler.items import ResourceItem
from storage import repository
from storage.database import make_engine


class StorePipeline:
    def __init__(self, db_url: str, crawl_ids: dict[str, int], batch: int):
        self.db_url = db_url
        self.crawl_ids = crawl_ids
        self.batch = batch
        self.pending = 0

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.get("APERTURA_DB_URL"):
            raise NotConfigured("APERTURA_DB_URL is not set")
        return cls(
            settings.get("APERTURA_DB_URL"),
            dict(settings.getdict("APERTURA_CRAWL_IDS")),
            settings.getint("APERTURA_STORE_BATCH"),
        )

    def open_spider(self):
        self.engine = make_engine(self.db_url)
        self.session = sessionmaker(self.engine)()

    def close_spider(self):
        self.session.commit()
        self.session.close()
        self.engine.dispose()

    def process_item(self, item: ResourceItem):
        sha256 = repository.store_body(self.session, item.body) if item.body is not None else None
        repository.add_resource(
            self.session,
            self.crawl_ids[item.inegi_code],
            url=item.url,
            final_url=item.final_url,
            status=item.status,
            headers=item.headers,
            content_type=item.content_type,
            size=len(item.body or b""),
            sha256=sha256,
            fetched_at=item.fetched_at,
            depth=item.depth,
            referer=item.referer,
            error=item.error,
            artifact=item.artifact,
        )
        self.pending += 1
        if self.pending >= self.batch:
            self.session.commit()
            self.pending = 0
        item.body = None  # the body is stored; do not keep it alive in the engine
        return item
