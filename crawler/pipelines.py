"""Persists every fetched resource: body once per SHA-256, its columns and facts per fetch."""

from __future__ import annotations

import time
from dataclasses import fields

from scrapy.exceptions import NotConfigured
from sqlalchemy import event
from sqlalchemy.orm import sessionmaker

from crawler.items import ResourceItem
from storage import repository
from storage.database import make_engine
from storage.orm import Resource

MAX_BUFFERED_BYTES = 16 * 1024 * 1024
MAX_BUFFER_SECONDS = 1.0
# The item's fields that are columns of `resources`, by name: with `StorePipeline._row`, the one mapping of an item
# to its row (the body goes to `bodies`; `page`/`document` of the facts to `extracts`).
COLUMNS = tuple(field.name for field in fields(ResourceItem) if field.name in Resource.__table__.c)


def _relaxed_sync(dbapi_connection, _record) -> None:
    """The crawl's writes to SQLite: in WAL mode, `synchronous=NORMAL` syncs at checkpoints, not at every commit
    of a batch. The database stays consistent on a crash; a power cut may lose the last batches, which a resumed
    run crawls again (its crawls are finished only after the spider closes)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class StorePipeline:
    def __init__(self, db_url: str, crawl_ids: dict[str, int], batch: int):
        self.db_url = db_url
        self.crawl_ids = crawl_ids
        self.batch = batch

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
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _relaxed_sync)
        self.sessions = sessionmaker(self.engine)
        self.buffer: list[ResourceItem] = []
        self.buffered_bytes = 0
        self.first_buffered = 0.0

    def close_spider(self):
        self.flush()
        self.engine.dispose()

    def process_item(self, item: ResourceItem):
        # Items are written in short transactions so that SQLite's single writer lock is free most of
        # the time (a recheck may run beside a nightly).
        if not self.buffer:
            self.first_buffered = time.monotonic()
        self.buffer.append(item)
        self.buffered_bytes += len(item.body or b"")
        if (
            len(self.buffer) >= self.batch
            or self.buffered_bytes >= MAX_BUFFERED_BYTES
            or time.monotonic() - self.first_buffered >= MAX_BUFFER_SECONDS
        ):
            self.flush()
        return item

    def flush(self) -> None:
        with self.sessions.begin() as session:
            # The batch's bodies in one statement, then its rows in another.
            fresh = [(id(item), item.body) for item in self.buffer if item.body is not None]
            stored = repository.store_bodies(session, [body for _, body in fresh])
            hashes = dict(zip((key for key, _ in fresh), stored, strict=True))
            repository.add_resources(
                session, [self._row(item, hashes.get(id(item), item.sha256)) for item in self.buffer]
            )
        self.buffer, self.buffered_bytes = [], 0

    def _row(self, item: ResourceItem, sha256: str | None) -> dict:
        row = {name: getattr(item, name) for name in COLUMNS}
        row.update(
            crawl_id=self.crawl_ids[item.inegi_code],
            size=len(item.body) if item.body is not None else item.size,
            sha256=sha256,
            facts=item.facts.stored(),
        )
        item.body = None  # stored; do not keep it alive in the engine
        return row
