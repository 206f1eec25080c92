"""Politeness across machines: one request at a time to each domain, and `interval` seconds of quiet
between a response and the next request, counted in Redis.

`GlobalRateLimitAddon` switches it on when APERTURA_REDIS_URL is set. A request first takes the
domain's *lease* in Redis (one atomic Lua script, on Redis' own clock so workers' clocks do not matter):
granted only when nobody holds it and the domain's quiet time is over. The holder releases it when its
response (or error) comes back, which starts the next quiet time. So the next request to the domain
can only be *sent* once the previous one was answered, plus the interval: gaps between arrivals at the
server are at least the interval, whatever delays a busy event loop adds after the grant (booking
start times could not promise that). The cost: at most one request in flight per domain across all
workers, i.e. a domain's throughput is 1 / (latency + interval).

A lease has a TTL longer than any download may take (DOWNLOAD_TIMEOUT, or APERTURA_RENDER_TIMEOUT for
Chromium, plus LEASE_MARGIN): a worker killed while holding one stalls that domain for at most that long.

Plain requests take the lease in `GlobalRateLimitMiddleware`, the last downloader middleware, so
nothing after the grant can drop a request without its release in process_response/process_exception.
Pages rendered in Chromium do not: every request the browser itself sends (the page, its scripts,
stylesheets, XHR) takes the lease in the browser's request hook (`BrowserLeases`, used by
crawler/render.py), and gives it back when that request's response has been read.
"""

from __future__ import annotations

import asyncio
import functools
import uuid
from collections import defaultdict
from urllib.parse import urlsplit

import tldextract
from playwright.async_api import Error as PlaywrightError
from redis.asyncio import Redis
from scrapy.exceptions import NotConfigured
from scrapy.utils.httpobj import urlparse_cached

KEY_PREFIX = "apertura:cortesia:"
LEASE_META = "apertura_rate_lease"
LEASE_MARGIN = 10.0  # seconds a lease outlives the longest download, for the holder's event-loop delays
MIN_POLL, MAX_POLL = 0.02, 1.0  # seconds between looks at a lease held elsewhere (the interval, within these)

# KEYS: lease, quiet; ARGV: token, lease TTL ms, poll ms. Returns 0 (granted) or the ms to wait first.
ACQUIRE = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  return tonumber(ARGV[3])
end
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local quiet_until = tonumber(redis.call('GET', KEYS[2]) or '0')
if quiet_until > now then
  return quiet_until - now
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 0
"""

# KEYS: lease, quiet; ARGV: token, interval ms. Only the holder releases; its release starts the quiet time.
RELEASE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('DEL', KEYS[1])
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('SET', KEYS[2], now + tonumber(ARGV[2]), 'PX', tonumber(ARGV[2]) + 1000)
return 1
"""

_domains = tldextract.TLDExtract(suffix_list_urls=())  # the bundled public suffix list; no download


def domain_of(url: str) -> str:
    """The registered domain (sibling hosts such as www. and infoem2. share it), else the host name."""
    host = (urlsplit(url).hostname or "").lower()
    return _domains(host).top_domain_under_public_suffix or host


def global_delay(settings) -> float:
    """Seconds of quiet between a response from a domain and the next request to it, across workers."""
    if settings.get("APERTURA_GLOBAL_DELAY") is not None:
        return settings.getfloat("APERTURA_GLOBAL_DELAY")
    return settings.getfloat("DOWNLOAD_DELAY")


def lease_ttl(settings) -> float:
    return max(settings.getfloat("DOWNLOAD_TIMEOUT"), settings.getfloat("APERTURA_RENDER_TIMEOUT")) + LEASE_MARGIN


class DomainLeases:
    """The per-domain leases in Redis. Within one process a domain is waited for by one caller at a time
    (a local lock held from the grant to the release), so waiting does not multiply the calls to Redis."""

    def __init__(self, redis_url: str, interval: float, ttl: float):
        self.redis = Redis.from_url(redis_url)
        self.interval_ms = int(interval * 1000)
        self.ttl_ms = int(ttl * 1000)
        self.poll_ms = int(min(max(interval, MIN_POLL), MAX_POLL) * 1000)
        self._acquire = self.redis.register_script(ACQUIRE)
        self._release = self.redis.register_script(RELEASE)
        self._local: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    @classmethod
    def from_settings(cls, settings) -> DomainLeases:
        """The process's leases: the middleware and the browser hook share them, and their local locks."""
        return _shared_leases(settings.get("APERTURA_REDIS_URL"), global_delay(settings), lease_ttl(settings))

    async def acquire(self, domain: str) -> str:
        """Waits until this process holds the domain's lease; returns its token."""
        await self._local[domain].acquire()
        token = uuid.uuid4().hex
        try:
            while wait_ms := await self._acquire(keys=self._keys(domain), args=[token, self.ttl_ms, self.poll_ms]):
                await asyncio.sleep(wait_ms / 1000)
        except BaseException:
            self._local[domain].release()
            raise
        return token

    async def release(self, domain: str, token: str, answered: bool = True) -> None:
        """Ends the lease. A request that failed or was cancelled without an answer may still be on its way
        to the server (or waiting there for a thread), so its lease is kept one more interval."""
        try:
            if not answered:
                await asyncio.sleep(self.interval_ms / 1000)
            await self._release(keys=self._keys(domain), args=[token, self.interval_ms])
        finally:
            self._local[domain].release()

    @staticmethod
    def _keys(domain: str) -> list[str]:
        return [f"{KEY_PREFIX}{domain}:turno", f"{KEY_PREFIX}{domain}:pausa"]


@functools.cache
def _shared_leases(redis_url: str, interval: float, ttl: float) -> DomainLeases:
    return DomainLeases(redis_url, interval, ttl)


class GlobalRateLimitAddon:
    """Enables the middleware when APERTURA_REDIS_URL is set; the local DOWNLOAD_DELAY becomes global."""

    def update_settings(self, settings) -> None:
        if not settings.get("APERTURA_REDIS_URL"):
            return
        # Above whatever set them (the project module, the command line): these are consequences, not defaults.
        names = ("DOWNLOAD_DELAY", "AUTOTHROTTLE_ENABLED", "APERTURA_GLOBAL_DELAY")
        priority = max(settings.getpriority(name) or 0 for name in names)
        settings.set("APERTURA_GLOBAL_DELAY", global_delay(settings), priority=priority)
        settings.set("DOWNLOAD_DELAY", 0, priority=priority)
        settings.set("AUTOTHROTTLE_ENABLED", False, priority=priority)
        settings["DOWNLOADER_MIDDLEWARES"].update({"crawler.ratelimit.GlobalRateLimitMiddleware": 960})


class GlobalRateLimitMiddleware:
    """Takes the domain's lease for each plain request and releases it with the response or error.

    Chromium pages (meta `playwright`) take no lease here, their browser's requests do; they are moved to
    a download slot of their own, so that a plain request already holding the lease never queues behind
    a page whose requests wait for that same lease.
    """

    def __init__(self, leases: DomainLeases):
        self.leases = leases

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("APERTURA_REDIS_URL"):
            raise NotConfigured("APERTURA_REDIS_URL is not set")
        return cls(DomainLeases.from_settings(crawler.settings))

    async def process_request(self, request, spider=None):
        if request.meta.get("playwright"):
            request.meta.setdefault("download_slot", f"{urlparse_cached(request).hostname} (Chromium)")
            return
        domain = domain_of(request.url)
        request.meta[LEASE_META] = (domain, await self.leases.acquire(domain))

    async def process_response(self, request, response, spider=None):
        await self._release(request)
        return response

    async def process_exception(self, request, exception, spider=None):
        await self._release(request, answered=False)

    async def _release(self, request, answered: bool = True) -> None:
        if lease := request.meta.pop(LEASE_META, None):
            domain, token = lease
            await self.leases.release(domain, token, answered=answered)


class BrowserLeases:
    """The lease for each request Chromium sends: taken before the request leaves (awaited in
    scrapy-playwright's request hook), released once its response body was read or it failed."""

    def __init__(self, leases: DomainLeases):
        self.leases = leases
        self._releases: set[asyncio.Task] = set()

    async def take(self, request) -> None:
        """Holds `request` (a Playwright request) until its domain's lease is granted."""
        domain = domain_of(request.url)
        token = await self.leases.acquire(domain)
        task = asyncio.create_task(self._release_when_done(request, domain, token))
        self._releases.add(task)
        task.add_done_callback(self._releases.discard)

    async def _release_when_done(self, request, domain: str, token: str) -> None:
        answered = False
        try:
            if response := await request.response():
                await response.finished()
                answered = True
        except PlaywrightError:
            pass  # the page or browser closed (scrapy-playwright closes it after its response): cancelled
        finally:
            await self.leases.release(domain, token, answered)
