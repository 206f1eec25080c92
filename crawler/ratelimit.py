"""Politeness across machines: at most one request per interval to each domain, counted in Redis.

`GlobalRateLimitAddon` switches it on when APERTURA_REDIS_URL is set. Every request then reserves the
domain's next free moment with one atomic Lua script (Redis' own clock, so workers' clocks do not
matter) and waits for it. Scrapy's local delays are turned off, because a request held in a local
queue after its reservation could leave together with the next reservation of another worker; for the
same reason the middleware admits only as many requests per domain as the downloader lets through at
once, so a reserved request is never queued behind one still in flight.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from urllib.parse import urlsplit

import tldextract
from redis.asyncio import Redis
from scrapy.exceptions import NotConfigured

KEY_PREFIX = "apertura:cortesia:"
SLOT_META = "apertura_rate_slot"
MAX_LATENESS = 0.1  # fraction of the interval a request may leave after its reserved moment
MAX_RESERVATIONS = 5  # then it leaves late rather than never

# KEYS[1]: the domain's key; ARGV[1]: interval in ms. Returns the ms to wait for the reserved moment.
RESERVE = """
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
local free = slot + tonumber(ARGV[1])
redis.call('SET', KEYS[1], free, 'PX', free - now + 60000)
return slot - now
"""

_domains = tldextract.TLDExtract(suffix_list_urls=())  # the bundled public suffix list; no download


def domain_of(url: str) -> str:
    """The registered domain (sibling hosts such as www. and infoem2. share it), else the host name."""
    host = (urlsplit(url).hostname or "").lower()
    return _domains(host).top_domain_under_public_suffix or host


class GlobalRateLimitAddon:
    """Enables the middleware when APERTURA_REDIS_URL is set; the local DOWNLOAD_DELAY becomes global."""

    def update_settings(self, settings) -> None:
        if not settings.get("APERTURA_REDIS_URL"):
            return
        # Above whatever set them (the project module, the command line): these are consequences, not defaults.
        names = ("DOWNLOAD_DELAY", "AUTOTHROTTLE_ENABLED", "APERTURA_GLOBAL_DELAY")
        priority = max(settings.getpriority(name) or 0 for name in names)
        if settings.get("APERTURA_GLOBAL_DELAY") is None:
            settings.set("APERTURA_GLOBAL_DELAY", settings.getfloat("DOWNLOAD_DELAY"), priority=priority)
        settings.set("DOWNLOAD_DELAY", 0, priority=priority)
        settings.set("AUTOTHROTTLE_ENABLED", False, priority=priority)
        settings["DOWNLOADER_MIDDLEWARES"].update({"crawler.ratelimit.GlobalRateLimitMiddleware": 960})


class GlobalRateLimitMiddleware:
    def __init__(self, redis_url: str, interval: float, concurrency: int):
        self.redis = Redis.from_url(redis_url)
        self.interval_ms = int(interval * 1000)
        self.reserve = self.redis.register_script(RESERVE)
        self.in_flight: defaultdict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(concurrency))

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.get("APERTURA_REDIS_URL"):
            raise NotConfigured("APERTURA_REDIS_URL is not set")
        return cls(
            settings.get("APERTURA_REDIS_URL"),
            settings.getfloat("APERTURA_GLOBAL_DELAY"),
            settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
        )

    async def process_request(self, request, spider=None):
        domain = domain_of(request.url)
        await self.in_flight[domain].acquire()
        request.meta[SLOT_META] = domain
        try:
            await self._wait_for_a_moment(domain)
        except BaseException:
            self._release(request)
            raise
        return None

    async def _wait_for_a_moment(self, domain: str) -> None:
        """Reserves the domain's next moment and sleeps until it; woken too late (the event loop was busy
        extracting or storing), the moment may be close to the next reservation: reserve another."""
        loop = asyncio.get_running_loop()
        for _ in range(MAX_RESERVATIONS):
            wait = await self.reserve(keys=[KEY_PREFIX + domain], args=[self.interval_ms]) / 1000
            reserved_at = loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if loop.time() - reserved_at - wait <= self.interval_ms / 1000 * MAX_LATENESS:
                return

    def process_response(self, request, response, spider=None):
        self._release(request)
        return response

    def process_exception(self, request, exception, spider=None):
        self._release(request)
        return None

    def _release(self, request) -> None:
        if domain := request.meta.pop(SLOT_META, None):
            self.in_flight[domain].release()
