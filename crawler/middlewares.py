"""Downloader middleware: retries that honour the server's Retry-After; robots.txt for every request; redirect loops."""

from __future__ import annotations

import asyncio
import email.utils
from datetime import UTC, datetime
from urllib.parse import urldefrag, urljoin

from scrapy.downloadermiddlewares import robotstxt as scrapy_robotstxt
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message
from w3lib.url import safe_url_string

from crawler.failures import REDIRECT_LOOP

RETRY_AFTER_CODES = {429, 503}
NO_ADDRESS = "no results for hostname lookup"  # Twisted's DNSLookupError when the name resolves to nothing


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date); None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retry, but a 429/503 with Retry-After waits that long first (up to APERTURA_RETRY_AFTER_MAX),
    and a host name the resolver answered does not exist (no address at all) is not asked again.

    A longer wait is not worth a night's slot: the response is kept as it is (a fact: the site refused).
    A name without addresses is an answer, not a hiccup (a resolver that times out is retried): retried in the
    same millisecond it gives the same answer, and Scrapy 2.19 holds such retries until its 5-second heartbeat,
    so an unresolvable portal made each of its ~89 format pages wait 10 s.
    """

    def process_exception(self, request, exception, spider=None):
        if NO_ADDRESS in str(exception):
            return None
        return super().process_exception(request, exception)

    @classmethod
    def from_crawler(cls, crawler):
        middleware = super().from_crawler(crawler)
        middleware.max_wait = crawler.settings.getfloat("APERTURA_RETRY_AFTER_MAX")
        return middleware

    async def process_response(self, request, response, spider=None):
        wait = retry_after_seconds(response.headers.get(b"Retry-After", b"").decode("latin-1"))
        if response.status not in RETRY_AFTER_CODES or wait is None or request.meta.get("dont_retry"):
            return super().process_response(request, response)
        if wait > self.max_wait:
            self.crawler.stats.inc_value("apertura/retry_after_too_long")
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        self.crawler.stats.inc_value("apertura/retry_after_waits")
        await asyncio.sleep(wait)
        return retry


class RobotsTxtMiddleware(scrapy_robotstxt.RobotsTxtMiddleware):
    """Scrapy's, except that every request waiting for a site's robots.txt gets its rules.

    Scrapy 2.19 shares one Deferred among the requests that arrive while robots.txt is downloading and
    awaits it once per request; Twisted's `asFuture` consumes the result, so only the first waiter gets
    the parser and the others (at the start of a crawl: the home page's siblings) pass unchecked.
    """

    async def robot_parser(self, request):
        parser = await super().robot_parser(request)
        return parser if parser is not None else self._parsers.get(urlparse_cached(request).netloc)


class RedirectLoopMiddleware:
    """Refuses a redirect back to an address of the same chain as soon as its response arrives.

    Scrapy's RedirectMiddleware only stops a chain after REDIRECT_MAX_TIMES hops, and a looping hop of a request
    that the dupefilter checks is dropped without any errback: the loop would leave no trace at all. Placed after
    RedirectMiddleware (a higher number), so it sees the redirect response first. A request the dupefilter
    checks can still lose a looping hop there when the loop passes through a cookie handshake.
    """

    def process_response(self, request, response, spider=None):
        location = response.headers.get(b"Location")
        if not (300 <= response.status < 400 and location):
            return response
        try:
            target = urldefrag(urljoin(request.url, safe_url_string(location.decode("latin-1"))))[0]
        except ValueError:
            return response
        chain = [urldefrag(url)[0] for url in [*(request.meta.get("redirect_urls") or []), request.url]]
        # a redirect to itself that sets a cookie is a common session handshake: one repeat is allowed then
        if chain.count(target) > (1 if response.headers.get(b"Set-Cookie") else 0):
            raise IgnoreRequest(f"{REDIRECT_LOOP}: {' -> '.join([*chain, target])}"[:600])
        return response
