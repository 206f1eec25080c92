"""SSRF guard and host overrides.

Names resolve through :class:`GuardedResolver`, so every request, redirects included, is checked
against the address it will really reach. IP literals never go through the resolver, so
:class:`NetworkGuardMiddleware` checks those, and the URL scheme, before download.

APERTURA_ALLOW_PRIVATE_NETWORK lifts the guard; APERTURA_PRIVATE_ADDRESSES_ALLOWED lets through only the
listed addresses (a local replica on 127.0.0.1, while a redirect to any other private address is still
refused). Scrapy rewords a refused lookup as a plain DNS failure, so the names the resolver refused are
kept in `REFUSED` for the spider to say why (crawler/failures.py).
"""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

ALLOWED_SCHEMES = {"http", "https"}
REFUSED: dict[str, str] = {}  # host name -> the non-public address it resolved to, in this process


class BlockedAddress(DNSLookupError):
    """The host resolves to a private, loopback, link-local or metadata address."""


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return ip.is_global and not ip.is_multicast


def permitted(address: str, allow_private: bool, allowed: frozenset[str] = frozenset()) -> bool:
    """Whether a request may reach `address`: public, or private but allowed by the settings."""
    return allow_private or is_public(address) or str(ipaddress.ip_address(address)) in allowed


def allowed_addresses(settings) -> frozenset[str]:
    """APERTURA_PRIVATE_ADDRESSES_ALLOWED, normalised."""
    listed = settings.getlist("APERTURA_PRIVATE_ADDRESSES_ALLOWED")
    return frozenset(str(ipaddress.ip_address(a.strip())) for a in listed if a.strip())


def resolve(host: str, hosts: dict[str, str]) -> list[str]:
    """The addresses `host` reaches: itself if an IP literal, the APERTURA_HOSTS override, else the system
    resolver (blocking); [] when it does not resolve."""
    host = host.lower().strip("[]")
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    if host in hosts:
        return [hosts[host]]
    try:
        return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None)})
    except OSError:
        return []


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
    allowed: frozenset[str] = frozenset()

    @classmethod
    def from_crawler(cls, crawler, reactor):
        resolver = super().from_crawler(crawler, reactor)
        resolver.hosts = dict(crawler.settings.getdict("APERTURA_HOSTS"))
        resolver.allow_private = crawler.settings.getbool("APERTURA_ALLOW_PRIVATE_NETWORK")
        resolver.allowed = allowed_addresses(crawler.settings)
        return resolver

    def getHostByName(self, name: str, timeout=()):
        override = self.hosts.get(name.lower())
        d = defer.succeed(override) if override else super().getHostByName(name, timeout)
        return d.addCallback(self._check, name)

    def _check(self, address: str, name: str) -> str:
        if not permitted(address, self.allow_private, self.allowed):
            REFUSED[name.lower()] = address
            raise BlockedAddress(f"{name} resuelve a {address}, una dirección no pública")
        return address


class NetworkGuardMiddleware:
    """Refuses non-http(s) schemes and non-public IP literals (unless private network is allowed)."""

    def __init__(self, allow_private: bool, allowed: frozenset[str] = frozenset()):
        self.allow_private = allow_private
        self.allowed = allowed

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getbool("APERTURA_ALLOW_PRIVATE_NETWORK"), allowed_addresses(crawler.settings))

    def process_request(self, request):
        parts = urlsplit(request.url)
        if parts.scheme not in ALLOWED_SCHEMES:
            raise IgnoreRequest(f"esquema no permitido: {parts.scheme}")
        host = (parts.hostname or "").strip("[]")
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            return None
        if not permitted(str(literal), self.allow_private, self.allowed):
            raise IgnoreRequest(f"dirección no pública: {host}")
        return None
