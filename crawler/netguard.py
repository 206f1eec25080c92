"""SSRF guard and host overrides.

Names resolve through :class:`GuardedResolver`, so every request, redirects included, is checked
against the address it will really reach. IP literals never go through the resolver, so
:class:`NetworkGuardMiddleware` checks those, and the URL scheme, before download.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

ALLOWED_SCHEMES = {"http", "https"}


class BlockedAddress(DNSLookupError):
    """The host resolves to a private, loopback, link-local or metadata address."""


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return ip.is_global and not ip.is_multicast


def read_hosts_file(path: Path) -> dict[str, str]:
    """/etc/hosts format: `ADDRESS NAME [NAME…]`, `#` comments."""
    mapping: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) >= 2:
            ipaddress.ip_address(fields[0])
            for name in fields[1:]:
                mapping[name.lower()] = fields[0]
    return mapping


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, plus APERTURA_HOSTS overrides and the private-network guard."""

    hosts: dict[str, str] = {}
    allow_private: bool = False

    @classmethod
    def from_crawler(cls, crawler, reactor):
        resolver = super().from_crawler(crawler, reactor)
        resolver.hosts = dict(crawler.settings.getdict("APERTURA_HOSTS"))
        resolver.allow_private = crawler.settings.getbool("APERTURA_ALLOW_PRIVATE_NETWORK")
        return resolver

    def getHostByName(self, name: str, timeout=()):
        override = self.hosts.get(name.lower())
        d = defer.succeed(override) if override else super().getHostByName(name, timeout)
        return d.addCallback(self._check, name)

    def _check(self, address: str, name: str) -> str:
        if not self.allow_private and not is_public(address):
            raise BlockedAddress(f"{name} resuelve a {address}, una dirección no pública")
        return address


class NetworkGuardMiddleware:
    """Refuses non-http(s) schemes and non-public IP literals (unless private network is allowed)."""

    def __init__(self, allow_private: bool):
        self.allow_private = allow_private

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getbool("APERTURA_ALLOW_PRIVATE_NETWORK"))

    def process_request(self, request):
        parts = urlsplit(request.url)
        if parts.scheme not in ALLOWED_SCHEMES:
            raise IgnoreRequest(f"esquema no permitido: {parts.scheme}")
        host = (parts.hostname or "").strip("[]")
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            return None
        if not self.allow_private and not is_public(str(literal)):
            raise IgnoreRequest(f"dirección no pública: {host}")
        return None
