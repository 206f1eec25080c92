"""Scrapy's AutoThrottle, except that a `304 Not Modified` may lower a domain's delay as a `200` does.

Scrapy lets only a 200 lower the delay, because error pages are small and answer fast. A 304 is no error: it
is what an unchanged page answers a conditional request with, so on a second night it is most of the answers,
and one slow response kept the delay up for the rest of the night (a night at 1 request/s after one 2-second
page).
"""

from __future__ import annotations

from scrapy.extensions import throttle


class AutoThrottle(throttle.AutoThrottle):
    def _adjust_delay(self, slot, latency, response):
        if response.status == 304:
            response = response.replace(status=200)
        super()._adjust_delay(slot, latency, response)
