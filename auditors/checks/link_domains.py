"""`link_domains`: the site links to external services (social media, SAIMEX, the national platform)."""

from __future__ import annotations

from datetime import date

from auditors.checks import Outcome, cite
from auditors.matching import host_of, url_parts
from auditors.ownership import opens_subject_records
from auditors.site import Site, is_live
from models import Evidence, Rule, Status
from models.rule import LinkDomainsCheck

NETWORK_PAGES = {
    "",
    "home",
    "index.php",
    "login",
    "login.php",
    "signup",
    "help",
    "about",
    "legal",
    "privacy",
    "policies",
}


def domain_of(href: str, domains: list[str]) -> str | None:
    host = host_of(href)
    return next((d for d in domains if host == d or host.endswith("." + d)), None)


def _names_any(href: str, fragments: list[str]) -> bool:
    parts = url_parts(href)
    where = f"{parts.path}?{parts.query}".lower()
    return any(fragment in where for fragment in fragments)


def _names_an_account(href: str) -> bool:
    """A path after the network's domain («/AyuntamientoVilla»), not its front page or a page of its own."""
    first = url_parts(href).path.strip("/").split("/")[0].lower()
    return first not in NETWORK_PAGES


def _own_section_unreached(site: Site) -> bool:
    return any(site.owners.is_municipal_domain(link.href) for link in site.unreached_section)


def check_link_domains(rule: Rule, site: Site, fecha_corte: date) -> Outcome:
    check = rule.check
    assert isinstance(check, LinkDomainsCheck)
    first: dict[str, int] = {}  # domain -> position in `site.links` of its first link
    records: dict[str, int] = {}  # the same, of its first link into the municipality's own records (subject_records)
    unverified: list[Evidence] = []
    for _, href, positions in site.distinct_links:
        domain = domain_of(href, check.domains)
        if domain and check.not_the_service and _names_any(href, check.not_the_service):
            continue
        if domain and check.accounts and not _names_an_account(href):
            continue
        if domain and check.verify_target and not is_live(target := site.target(href)):
            on = site.links[positions[0]]
            note = "el destino no se descargó" if target is None else (target.error or f"HTTP {target.status}")
            unverified.append(cite(on.page, "link", matched=f"«{on.link.text or href}» → {href}", note=note))
            continue
        if domain and positions[0] < first.get(domain, len(site.links)):
            first[domain] = positions[0]
        if domain and check.subject_records and opens_subject_records(href):
            records[domain] = min(positions[0], records.get(domain, len(site.links)))
    first |= records  # a link into the municipality's own records, where there is one, is the evidence
    found: dict[str, Evidence] = {}
    for domain, position in sorted(first.items(), key=lambda item: item[1]):
        on = site.links[position]
        found[domain] = cite(on.page, "link", matched=f"«{on.link.text or on.link.href}» → {on.link.href}")
    if found and check.subject_records and not records:
        general = f"Enlaces a {', '.join(found)}, pero solo a sus páginas generales"
        if check.own_section and site.own_section is None:  # neither of the two places the article asks for
            if _own_section_unreached(site):
                return Outcome(
                    Status.NOT_VERIFIABLE,
                    f"{general}, y la sección de transparencia del sitio no se pudo abrir; revisar a mano.",
                    list(found.values()),
                )
            return Outcome(
                Status.NON_COMPLIANT,
                f"{general}, no a la información del municipio, y el sitio no tiene una sección de transparencia "
                "propia con contenido.",
                list(found.values()),
            )
        return Outcome(Status.PARTIAL, f"{general}, no a la información del municipio.", list(found.values()))
    if records and check.own_section and site.own_section is None and not _own_section_unreached(site):
        return Outcome(
            Status.PARTIAL,
            f"Enlaces a la información del municipio en {', '.join(found)}, pero el sitio no tiene una sección de "
            "transparencia propia con contenido (la información se publica en el sitio propio y en la Plataforma).",
            list(found.values()),
        )
    if len(found) >= check.min_distinct:
        return Outcome(Status.COMPLIANT, f"Enlaces a: {', '.join(found)}.", list(found.values()))
    if found:
        return Outcome(
            Status.PARTIAL,
            f"Enlaces a {len(found)} de los {check.min_distinct} servicios requeridos: {', '.join(found)}.",
            list(found.values()),
        )
    if unverified:
        return Outcome(
            Status.NOT_VERIFIABLE,
            "Hay enlaces a estos servicios, pero su destino no respondió o no se descargó; revisar a mano.",
            unverified[:5],
        )
    absence = Evidence(
        kind="absence",
        searched=check.domains,
        resources_examined=len(site.pages),
        note="Se buscaron enlaces a estos dominios en todas las páginas descargadas.",
    )
    return Outcome(Status.NON_COMPLIANT, "No se encontraron enlaces a estos servicios.", [absence])
