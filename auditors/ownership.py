"""Whose is a linked resource: the municipality's own, a transparency portal's, or another government's."""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import parse_qs

import tldextract
import yaml

from apertura.registry.padron import ipomex4_id_from_url, ipomex_key_from_url
from auditors.matching import host_of, url_parts

OWN, PORTAL, OTHER_GOVERNMENT = "own", "portal", "other_government"
# The evidence note of a site link into the transparency portal: such a link is judged by the portal's crawl.
PORTAL_LINK = "enlace al portal de transparencia: se juzga con lo que el rastreo del portal encontró para ese formato"
_domains = tldextract.TLDExtract(suffix_list_urls=())  # the bundled public suffix list; no download


@cache
def _data() -> dict:
    return yaml.safe_load((Path(__file__).with_name("domains.yaml")).read_text(encoding="utf-8"))


@cache
def _lists() -> dict[str, tuple[str, ...]]:
    return {key: tuple(hosts) for key, hosts in _data().items() if isinstance(hosts, list)}


def names_a_subject(url: str) -> bool:
    """A link into a national transparency platform's records of one obligated subject (domains.yaml)."""
    platforms = _data()["subject_platforms"]
    if not _within(_host(url), tuple(platforms["hosts"])):
        return False
    query = parse_qs(url_parts(url).query)
    return any(query.get(name, [""])[0].strip() for name in platforms["subject_parameters"])


def opens_subject_records(url: str) -> bool:
    """A link into one obligated subject's records, not to a platform's own pages: the PNT's consultation of a subject
    (names_a_subject), or an IPOMEX index or 4.0 obligations page, as the registry recognises them."""
    return names_a_subject(url) or bool(ipomex_key_from_url(url) or ipomex4_id_from_url(url))


@lru_cache(maxsize=16384)
def on_document_service(url: str) -> bool:
    """A link to a service that holds files and folders (Drive, Dropbox, OneDrive…; domains.yaml)."""
    return _within(_host(url), _lists()["document_services"])


def asks_to_sign_in(url: str) -> bool:
    """A file service's sign-in page (domains.yaml `sign_in_hosts`): where a link to a file that is not public ends."""
    return _within(_host(url), _lists()["sign_in_hosts"])


def is_service_system(url: str, page_url: str, owners: Owners) -> bool:
    """A link that may lead to a system for doing something online: on another server than the page, the
    municipality's own or a third party's (a payment gateway), not a social network, a map or a file service
    (domains.yaml), not another government's or a transparency portal."""
    host = _host(url)
    if not host or host == _host(page_url) or not url.startswith(("http://", "https://")):
        return False
    if owners.is_municipal_domain(url) or on_form_service(url):
        return True
    lists = _lists()
    elsewhere = lists["not_service_systems"] + lists["document_services"] + lists["transparency_portals"]
    return not _within(host, elsewhere + lists["other_governments"]) and not host.endswith((".gob.mx", ".gov"))


def on_form_service(url: str) -> bool:
    """A link to a service that holds forms (domains.yaml `form_services`)."""
    host = _host(url)
    return any(
        f"{host}{url_parts(url).path}".startswith(entry) if "/" in entry else _within(host, (entry,))
        for entry in _lists()["form_services"]
    )


def _within(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def within(url: str, domains: tuple[str, ...]) -> bool:
    """`url`'s host is one of `domains` or a subdomain of one."""
    return _within(_host(url), domains)


def _host(url: str) -> str:
    """The host name, without the `.test` suffix reserved for test networks (RFC 2606), where the sample web and
    the evaluation sets serve real domains on loopback."""
    return host_of(url).removesuffix(".test")


def registered_domain(url: str) -> str:
    return _registered_domain(_host(url))


@lru_cache(maxsize=4096)
def _registered_domain(host: str) -> str:
    return _domains(host).top_domain_under_public_suffix or host


# Words of a hyphenated domain that name any government, not this municipality ("gobierno-tultepec").
GENERIC_WORDS = {
    "gobierno", "municipio", "municipal", "ayuntamiento", "presidencia", "transparencia", "portal", "ciudad",
    "estado", "villa", "pueblo",
}  # fmt: skip
MIN_NAME = 5  # characters: shorter pieces ("san", "juan") name too many places


def _names(label: str) -> set[str]:
    """The names a municipality's domain label gives it: the label, and each piece of a hyphenated one
    ("terrenate-terrenate" → "terrenate", so its previous domain terrenatetlaxcala.gob.mx is its own too)."""
    pieces = {label, *label.split("-")} if "-" in label else {label}
    return {piece for piece in pieces if len(piece) >= MIN_NAME and piece not in GENERIC_WORDS}


class Owners:
    """Classifies link targets against the municipality's own domains (padrón site and home page)."""

    def __init__(self, own_urls: list[str | None]):
        self.own = {registered_domain(url) for url in own_urls if url}
        # "tultepec" of tultepec.gob.mx: a system on another domain named after the municipality is its own
        self.names = {name for domain in self.own for name in _names(_domains(domain).domain)}
        self._owners: dict[str, str] = {}  # by URL: every rule of an audit classifies the same links

    def is_municipal_domain(self, url: str) -> bool:
        """The municipality's own domain or a subdomain, or a domain named after it (not a hosting service)."""
        host = _host(url)
        return bool(host) and (registered_domain(url) in self.own or any(name in host for name in self.names))

    def of(self, url: str) -> str:
        owner = self._owners.get(url)
        if owner is None:
            owner = self._owners[url] = self._of(url)
        return owner

    def _of(self, url: str) -> str:
        host = _host(url)
        if not host or registered_domain(url) in self.own or _within(host, _lists()["hosting"]):
            return OWN
        if _within(host, _lists()["transparency_portals"]):
            return PORTAL
        if self.is_municipal_domain(url):
            return OWN
        if _within(host, _lists()["other_governments"]) or host.endswith((".gob.mx", ".gov")):
            return OTHER_GOVERNMENT
        return OWN
