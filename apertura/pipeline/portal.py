"""The IPOMEX crawl of each municipality: where its portal is, and the crawl after the site's.

The registry gives the IPOMEX key, 4.0 id and URL when known; otherwise they are taken from the links
to IPOMEX stored with the municipal site's crawl, and the source is recorded in the portal crawl's
stats. The registry's URL fixes the portal's origin; IPOMEX's generations live on sibling hosts of
one domain (www. for 3.0, infoem2. for 4.0), so the other generation is addressed on its sibling.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.settings import Settings
from sqlalchemy.orm import Session, sessionmaker
from twisted.internet.defer import Deferred, DeferredList

from apertura.registry.padron import ipomex4_id_from_url, ipomex_key_from_url
from auditors.checks.portal import Portal
from crawler.spiders.ipomex import IpomexSpider, PortalTarget
from models import Municipality, ResourceArtifact
from storage import repository
from storage.orm import Crawl

DEFAULT_ORIGIN = "https://www.ipomex.org.mx"
CRAWLER_PRIORITY = 50


@dataclass
class Located:
    target: PortalTarget
    sources: dict[str, str]  # what came from where, for the crawl's stats


def locate(municipality: Municipality, site: list[ResourceArtifact]) -> Located | None:
    """The portal addresses of a municipality, from the registry or from its site's stored links."""
    key, app_id, origin = municipality.ipomex_key, municipality.ipomex4_id, _origin(municipality.ipomex_url)
    sources = {"clave": "padrón", "id_4_0": "padrón"}
    for resource in site:
        for link in resource.page.links if resource.page else []:
            found = f"enlace «{link.text or link.href}» en {resource.final_url}"
            if key is None and (key := ipomex_key_from_url(link.href)):
                sources["clave"], origin = found, origin or _origin(link.href)
            if app_id is None and (app_id := ipomex4_id_from_url(link.href)):
                sources["id_4_0"], origin = found, origin or _origin(link.href)
    if key is None and app_id is None:
        return None
    origin = origin or DEFAULT_ORIGIN
    index_url = f"{_sibling(origin, 'www')}/ipo3/lgt/indice/{key}.web" if key else None
    if key and municipality.ipomex_url and ipomex_key_from_url(municipality.ipomex_url) == key:
        index_url = municipality.ipomex_url.split("?", 1)[0].split("#", 1)[0]  # a copied ?token= is not ours
    app_url = f"{_sibling(origin, 'infoem2')}/ipomex/#/obligaciones/{app_id}" if app_id else None
    sources = {k: v for k, v in sources.items() if (k == "clave" and key) or (k == "id_4_0" and app_id)}
    return Located(PortalTarget(municipality.inegi_code, key, index_url, app_url, app_id), sources)


def _origin(url: str | None) -> str | None:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def _sibling(origin: str, prefix: str) -> str:
    parts = urlsplit(origin)
    host = parts.hostname or ""
    domain = host.split(".", 1)[1] if host.count(".") >= 2 and "ipomex" not in host.split(".", 1)[0] else host
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{prefix}.{domain}{port}"


def schedule(
    process,
    site_done: Deferred,
    sessions: sessionmaker[Session],
    run_id: int,
    municipalities: list[Municipality],
    site_crawls: dict[str, Crawl],
    formats: list[str],
    settings: Settings,
) -> Deferred:
    """Starts the IPOMEX spider in the site spider's Scrapy process.

    The portal is one domain shared by every municipality, so with a polite delay its queue is the night's
    longest: the municipalities whose portal the registry gives start beside the site crawl, not after it.
    Those whose portal is only linked from their site follow once the site crawl and that first portal crawl
    are done (one portal spider at a time: two would each keep their own delay on the same host)."""
    known = {m.inegi_code: found for m in municipalities if (found := locate(m, []))}
    first, crawl_ids = _start(process, sessions, run_id, known, formats, settings)

    def rest(_):
        located, existing = {}, {}
        for municipality in municipalities:
            code = municipality.inegi_code
            with sessions() as session:  # one at a time: a state's crawls do not fit in memory together
                site = repository.crawl_resources(session, session.merge(site_crawls[code]))
                found = locate(municipality, site)
            if found is None:
                continue
            if code not in known:
                located[code] = found
            elif found.target.app_url and not known[code].target.app_url:  # the 4.0 app, linked from the site
                located[code] = Located(replace(found.target, index_url=None), found.sources)
                existing[code] = crawl_ids[code]
        return _start(process, sessions, run_id, located, formats, settings, existing)[0]

    return DeferredList([d for d in (site_done, first) if d is not None]).addCallback(rest)


def _start(
    process,
    sessions: sessionmaker[Session],
    run_id: int,
    located: dict[str, Located],
    formats: list[str],
    settings: Settings,
    existing: dict[str, int] | None = None,
) -> tuple[Deferred | None, dict[str, int]]:
    """Starts the IPOMEX spider on these targets, each conditional on its previous portal crawl; a target whose
    crawl was created by an earlier portal spider of this run (`existing`) adds to it."""
    if not located:
        return None, {}
    crawl_ids = dict(existing or {})
    with sessions.begin() as session:
        previous = {c: row.id for c in located if (row := repository.latest_crawl(session, c, source="ipomex"))}
        for code, found in located.items():
            if code in crawl_ids:
                row = session.get(Crawl, crawl_ids[code])
                if row is None:
                    raise LookupError(f"{code}: the run's IPOMEX crawl {crawl_ids[code]} is not stored")
                origin = {**row.stats["origen"], **found.sources}
                row.stats = {**row.stats, "origen": origin, "ipomex_4_0": found.target.app_url}
                continue
            row = repository.create_crawl(
                session,
                run_id=run_id,
                inegi_code=code,
                source="ipomex",
                site_url=found.target.index_url or found.target.app_url,
            )
            row.stats = {"origen": found.sources, "ipomex_4_0": found.target.app_url}
            crawl_ids[code] = row.id
    # Above "cmdline": CrawlerProcess merges its own settings into a given Crawler at equal priority.
    portal_settings = settings.copy()
    portal_settings.set("APERTURA_CRAWL_IDS", crawl_ids, priority=CRAWLER_PRIORITY)
    portal_settings.set("APERTURA_PREVIOUS_CRAWLS", previous, priority=CRAWLER_PRIORITY)
    crawler = Crawler(IpomexSpider, portal_settings)
    return process.crawl(crawler, targets=[f.target for f in located.values()], formats=formats), crawl_ids


def finish(sessions: sessionmaker[Session], run_id: int, inegi_codes: Collection[str]) -> None:
    """Close this run's portal crawls of these municipalities with their availability and address sources."""
    with sessions.begin() as session:
        for crawl_row in repository.run_crawls(session, run_id, source="ipomex"):
            if crawl_row.finished_at is not None or crawl_row.inegi_code not in inegi_codes:
                continue
            resources = repository.crawl_resources(session, crawl_row)
            status, reason = availability(resources)
            stats = {
                **crawl_row.stats,
                "resources": len(resources),
                "errors": sum(r.error is not None for r in resources),
                "formats": sum(len(r.portal_formats) for r in resources),
                "requests": sum(r.reused is None for r in resources),
                "reused": sum(r.reused is not None for r in resources),
            }
            repository.finish_crawl(session, crawl_row, status=status, reason=reason, stats=stats)


def availability(resources: list[ResourceArtifact]) -> tuple[str, str | None]:
    """ "ok" when some format page or app view was read; "blocked"/"unreachable" with the reason otherwise."""
    observations = Portal(resources).observations
    read = [o for o in observations if o.resource.ok and not o.facts.blocked]
    walls = [(r.final_url, r.page.blocked) for r in resources if r.page and r.page.blocked]  # (URL, the wall)
    if read or any(r.ok and r.rendered for r in resources):
        return "ok", (f"{len(walls)} páginas con muro ({walls[0][1]}), p. ej. {walls[0][0]}" if walls else None)
    if walls:
        return "blocked", f"IPOMEX respondió con un muro ({walls[0][1]}) en {walls[0][0]}"
    errors = [r.error or f"HTTP {r.status}" for r in resources if not r.ok]
    return "unreachable", errors[0] if errors else "no se descargó ningún recurso de IPOMEX"


def for_audit(session: Session, site_crawl: Crawl) -> Portal | None:
    """The portal crawl made in the same run as the site crawl, as auditors see it."""
    rows = [
        c
        for c in repository.run_crawls(session, site_crawl.run_id, source="ipomex")
        if c.inegi_code == site_crawl.inegi_code and c.finished_at is not None
    ]
    if not rows:
        return None
    return Portal(repository.crawl_resources(session, rows[-1]), rows[-1].site_url)
