"""What the spider yields: one fetched (or failed) resource."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from models.artifact import FetchFacts


def _body_in_feeds(body: bytes | None) -> str | None:
    """A feed export (`scrapy crawl … -O recursos.jsonl`, for debugging) names the body, it does not copy it."""
    return None if body is None else f"{len(body)} bytes"


@dataclass
class ResourceItem:
    inegi_code: str
    url: str
    final_url: str
    status: int | None
    fetched_at: datetime
    depth: int = 0
    referer: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = ""
    body: bytes | None = field(default=None, metadata={"serializer": _body_in_feeds})
    sha256: str | None = None  # set without a body when a 304 reuses the previous crawl's body
    size: int = 0  # idem
    error: str | None = None
    # what was learned from the fetch beyond these fields (is_home, page, document…), typed; a feed shows it as stored
    facts: FetchFacts = field(default_factory=FetchFacts, metadata={"serializer": FetchFacts.stored})
    extract_sha256: str | None = None  # set when a 304 reuses the previous crawl's extract (page/document)
    warc_file: str | None = None  # WARC file (name) and record id of the response, when archived
    warc_record_id: str | None = None
    base_id: int | None = None  # a 304: the row whose body and extract it reuses; `headers` holds only what changed
    base_headers: dict[str, str] = field(default_factory=dict)  # that row's headers (not stored again)
