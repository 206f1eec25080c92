"""Discovery of a municipality's official website: propose candidate URLs, fetch their home pages,
judge them by content and record every candidate with its evidence (table ``site_candidates``).

Candidates come from the name (``candidates.py``), the registry's website and domain hint, and
links in stored pages (``stored_links.py``); each host is tried over https and http.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from apertura.registry.discovery.assess import OFFICIAL, VERDICT_RANK, assess
from apertura.registry.discovery.candidates import DEFAULT_SUFFIX, abbreviations, candidate_hosts
from apertura.registry.discovery.probe import TIMEOUT, fetch_home
from apertura.registry.padron import Registry, name_key
from models.municipality import Municipality
from storage import site_candidates
from storage.orm import SiteCandidate
from storage.repository import now

WORKERS = 4  # concurrent home-page requests (different hosts, one request each)


@dataclass
class Options:
    suffix: str = DEFAULT_SUFFIX
    port: int | None = None  # tests only: the port of candidates built from names (production: 80/443)
    hosts: dict[str, str] = field(default_factory=dict)
    allow_private: bool = False
    today: date = field(default_factory=date.today)
    timeout: float = TIMEOUT


def candidate_urls(m: Municipality, options: Options, stored: dict[str, str]) -> dict[str, str]:
    """URL -> origin (Spanish), in trial order: name slugs, registry, stored links."""
    port = f":{options.port}" if options.port else ""
    abbreviated = abbreviations().get(name_key(m.name), ())
    hosts = {
        h: "abreviatura conocida (abreviaturas.csv)"
        if h.removeprefix("www.").split(".")[0] in abbreviated
        else "dominio derivado del nombre"
        for h in candidate_hosts(m.name, options.suffix)
    }
    if m.domain_hint:
        hosts.setdefault(m.domain_hint.lower(), "padrón: dominio visto sin URL (domain_hint)")
    urls = {f"{scheme}://{host}{port}/": origin for host, origin in hosts.items() for scheme in ("https", "http")}
    if m.website:
        parts = urlsplit(m.website)
        urls.setdefault(f"{parts.scheme}://{parts.netloc.lower()}/", "padrón: sitio registrado")
    for url, origin in stored.items():
        urls[url] = f"{urls[url]}; {origin}" if url in urls else origin
    return urls


def discover(
    session: Session, m: Municipality, registry: Registry, options: Options, stored: dict[str, str] | None = None
) -> list[SiteCandidate]:
    """Check every candidate of ``m`` and record it; returns the candidates best first."""
    urls = candidate_urls(m, options, stored or {})
    key = name_key(m.name)
    longer = tuple(o.name for o in registry if o.inegi_code != m.inegi_code and f" {key} " in f" {name_key(o.name)} ")
    suffix = "." + options.suffix.strip(".").lower()

    def check(url: str):
        fetched = fetch_home(url, hosts=options.hosts, allow_private=options.allow_private, timeout=options.timeout)
        host = urlsplit(fetched.final_url).hostname or ""
        verdict = assess(
            name=m.name,
            status=fetched.status,
            body=fetched.body,
            content_type=fetched.content_type,
            final_url=fetched.final_url,
            error=fetched.error,
            today=options.today,
            longer_names=longer,
            official_domain=host.endswith(suffix),
        )
        return fetched, verdict, now()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(check, urls))
    rows = []
    for (url, origin), (fetched, verdict, checked_at) in zip(urls.items(), results, strict=False):
        reached = fetched.status is not None
        rows.append(
            site_candidates.record_check(
                session,
                m.inegi_code,
                url,
                origin=origin,
                checked_at=checked_at,
                final_url=fetched.final_url if reached else None,
                status=fetched.status,
                sha256=hashlib.sha256(fetched.body).hexdigest() if reached else None,
                matched=verdict.matched,
                verdict=verdict.verdict,
                reason=verdict.reason,
                score=verdict.score,
            )
        )
    return sorted(rows, key=rank)


def rank(row: SiteCandidate) -> tuple:
    """Sort key: verdict, then score, then https, then the shorter URL."""
    return (VERDICT_RANK.index(row.verdict), -row.score, not row.url.startswith("https:"), len(row.url), row.url)


def proposal(rows: list[SiteCandidate]) -> SiteCandidate | None:
    """The best candidate judged the current official site, if any."""
    best = sorted((r for r in rows if r.verdict == OFFICIAL), key=rank)
    return best[0] if best else None
