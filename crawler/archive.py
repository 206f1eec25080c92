"""Web archive: every fetched request/response pair goes into gzipped WARC files, one series per run.

`WarcArchiveMiddleware` sits next to the downloader (order 950, after the compression and redirect
middlewares on the way in), so it records each hop exactly as received: redirects, robots.txt and
encoded bodies included. The record id and date of the final response travel in `request.meta` to the item
(its fetch time is the record's WARC-Date, so that a later revisit's WARC-Refers-To-Date names the record).
Failed fetches have no response and no record. A 304 to a conditional request is a `revisit` record (profile
server-not-modified) holding the 304's headers and pointing, by WARC-Refers-To, to the earlier night's response
record whose payload still holds; no request record is written for it. A 304 with nothing to refer to is kept
as an ordinary response record.
"""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from apertura import __version__

ROOT = Path(__file__).resolve().parent.parent
NOT_MODIFIED_PROFILE = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
SUMMARY_SETTINGS = (
    "ROBOTSTXT_OBEY",
    "DOWNLOAD_DELAY",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DEPTH_LIMIT",
    "APERTURA_MAX_PAGES_PER_SITE",
    "APERTURA_ALLOW_PRIVATE_NETWORK",
)
# The body is stored de-chunked, so a Transfer-Encoding header would make replay tools de-chunk it again.
DROPPED_HEADERS = {b"transfer-encoding"}


def git_commit() -> str | None:
    try:
        result = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return (result.stdout.strip() or None) if result.returncode == 0 else None


class WarcArchiveMiddleware:
    def __init__(self, directory: Path, max_size: int, info: dict[str, str]):
        self.directory = directory
        self.max_size = max_size
        self.info = info
        self.serial = 0
        self.file: BinaryIO | None = None
        self.writer: WARCWriter | None = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.get("APERTURA_ARCHIVE_DIR"):
            raise NotConfigured("APERTURA_ARCHIVE_DIR is not set")
        info = {
            "software": f"Apertura/{__version__}",
            "git-commit": git_commit() or "desconocido",
            "http-header-user-agent": settings.get("USER_AGENT"),
            "start-time": datetime.now(UTC).isoformat(timespec="seconds"),
            "settings": "; ".join(f"{name}={settings.get(name)}" for name in SUMMARY_SETTINGS),
            "format": "WARC File Format 1.1",
        }
        middleware = cls(Path(settings.get("APERTURA_ARCHIVE_DIR")), settings.getint("APERTURA_ARCHIVE_MAX_SIZE"), info)
        crawler.signals.connect(middleware.close, signal=signals.spider_closed)
        middleware.stats = crawler.stats
        return middleware

    @property
    def filename(self) -> str:
        return f"{self.directory.name}-{self.serial:05d}.warc.gz"

    def _open(self) -> WARCWriter:
        self.directory.mkdir(parents=True, exist_ok=True)
        while (self.directory / self.filename).exists():  # a resumed run keeps its earlier files
            self.serial += 1
        self.file = open(self.directory / self.filename, "xb")
        self.writer = WARCWriter(self.file, gzip=True)
        self.writer.write_record(self.writer.create_warcinfo_record(self.filename, self.info))
        return self.writer

    def process_response(self, request, response):
        writer = self.writer or self._open()
        redirected = request.meta.get("redirect_urls")
        revisit_of = request.meta.get("revisit_of") if response.status == 304 and not redirected else None
        if revisit_of:
            record = self._revisit(writer, response, *revisit_of)
            writer.write_record(record)
            self.stats.inc_value("apertura/archive/revisits")
        else:
            record = writer.create_warc_record(
                response.url,
                "response",
                payload=BytesIO(response.body),
                # With its length, warcio digests the body in place instead of copying it to a temporary file
                # first; the record's bytes are the same.
                length=len(response.body),
                http_headers=self._response_headers(response),
                warc_headers_dict=self._address(response),
            )
            request_record = writer.create_warc_record(
                request.url,
                "request",
                payload=BytesIO(request.body or b""),
                http_headers=self._request_headers(request),
            )
            writer.write_request_response_pair(request_record, record)
        request.meta["warc_file"] = self.filename
        request.meta["warc_record_id"] = record.rec_headers.get_header("WARC-Record-ID")
        request.meta["warc_date"] = record.rec_headers.get_header("WARC-Date")  # the fetch time, as archived
        self.stats.inc_value("apertura/archive/records")
        if self.file is not None and self.file.tell() >= self.max_size:
            self._rotate()
        return response

    def _revisit(self, writer: WARCWriter, response, record_id: str, url: str, fetched_at: datetime):
        return writer.create_warc_record(
            response.url,
            "revisit",
            http_headers=self._response_headers(response),
            warc_headers_dict={
                "WARC-Profile": NOT_MODIFIED_PROFILE,
                "WARC-Refers-To": record_id,
                "WARC-Refers-To-Target-URI": url,
                "WARC-Refers-To-Date": fetched_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                **self._address(response),
            },
        )

    def _rotate(self) -> None:
        self.close()
        self.serial += 1

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file, self.writer = None, None

    @staticmethod
    def _response_headers(response) -> StatusAndHeaders:
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = ""
        headers = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, values in response.headers.items()
            if name.lower() not in DROPPED_HEADERS
            for value in values
        ]
        return StatusAndHeaders(
            f"{response.status} {reason}".strip(), headers, protocol=response.protocol or "HTTP/1.1"
        )

    @staticmethod
    def _request_headers(request) -> StatusAndHeaders:
        parts = urlsplit(request.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = [("Host", parts.netloc)] + [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, values in request.headers.items()
            for value in values
        ]
        return StatusAndHeaders(f"{request.method} {target} HTTP/1.1", headers, is_http_request=True)

    @staticmethod
    def _address(response) -> dict[str, str]:
        return {"WARC-IP-Address": str(response.ip_address)} if response.ip_address else {}
