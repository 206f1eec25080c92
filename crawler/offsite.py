"""Which off-site link targets the site spider fetches (one hop): everything except skipped and portal domains.

A municipality's pages link to documents and systems on other hosts (a state portal, a shortener, a cloud drive);
a finding that cites such a link needs to know what is behind it, so the spider fetches the target once and stores
it as a resource with `offsite: true`, never following its links. Not fetched: hosts where a fetch says nothing
(APERTURA_OFFSITE_SKIP_DOMAINS: social networks, maps, video) and the transparency portal the IPOMEX spider
crawls (APERTURA_PORTAL_DOMAINS, plus the domain of the municipality's registry `ipomex_url` and of any IPOMEX
index or 4.0 app URL the site links to). With APERTURA_OFFSITE_MAPPED_ONLY, only hosts named in APERTURA_HOSTS are
fetched: a replica on loopback must not reach the real domains it links to.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from crawler.ratelimit import domain_of


def under(host: str, domain: str) -> bool:
    """`host` is `domain` or one of its subdomains."""
    return host == domain or host.endswith("." + domain)


def portal_domain(url: str) -> str:
    """The domain whose hosts belong to the portal at `url` (www., ipomex2., infoem2. are siblings)."""
    host = (urlsplit(url).hostname or "").lower()
    registered = domain_of(url)
    return host.removeprefix("www.") if registered == host else registered


def is_portal_url(url: str) -> bool:
    """An IPOMEX 3.0 index or 4.0 app address, recognised as the registry recognises them."""
    from apertura.registry.padron import ipomex4_id_from_url, ipomex_key_from_url  # not in the page-parsing workers

    return bool(ipomex_key_from_url(url) or ipomex4_id_from_url(url))


@dataclass(frozen=True)
class OffsitePolicy:
    enabled: bool = True
    max_per_site: int = 150
    skip: tuple[str, ...] = ()  # "domain" or "domain/path-prefix"
    portal_domains: tuple[str, ...] = ()
    only_hosts: frozenset[str] | None = None  # APERTURA_OFFSITE_MAPPED_ONLY: the APERTURA_HOSTS names

    @classmethod
    def from_settings(cls, settings) -> OffsitePolicy:
        return cls(
            enabled=settings.getbool("APERTURA_OFFSITE_ENABLED"),
            max_per_site=settings.getint("APERTURA_OFFSITE_MAX_PER_SITE"),
            skip=tuple(e.lower().strip("/") for e in settings.getlist("APERTURA_OFFSITE_SKIP_DOMAINS")),
            portal_domains=tuple(d.lower() for d in settings.getlist("APERTURA_PORTAL_DOMAINS")),
            only_hosts=frozenset(h.lower() for h in settings.getdict("APERTURA_HOSTS"))
            if settings.getbool("APERTURA_OFFSITE_MAPPED_ONLY")
            else None,
        )

    def skip_reason(self, url: str, portal_domains: frozenset[str] | set[str] = frozenset()) -> str | None:
        """ "portal", "skipped_domain" or "unmapped" when `url` must not be fetched, else None. `portal_domains` are the
        site's own (see the module docstring)."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if any(under(host, d) for d in (*self.portal_domains, *portal_domains)) or is_portal_url(url):
            return "portal"
        path = parts.path or "/"
        for entry in self.skip:
            domain, _, prefix = entry.partition("/")
            if under(host, domain) and (not prefix or path.lower().startswith("/" + prefix)):
                return "skipped_domain"
        if self.only_hosts is not None and host not in self.only_hosts:
            return "unmapped"
        return None
