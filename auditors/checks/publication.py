"""`publication`: the site publishes the obligation as a link, page or document recognisable by its words."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from auditors import periods
from auditors.checks import Outcome, cite
from auditors.matching import find, url_slug_match
from auditors.site import Site, is_live
from models import Evidence, ResourceArtifact, Rule, Status
from models.rule import PublicationCheck

STRONG = ("link", "page", "document")
LABELS = {
    "link": "enlace",
    "page": "página",
    "document": "documento",
    "external": "enlace externo",
    "broken": "enlace roto",
    "mention": "mención en texto",
}


@dataclass
class Hit:
    kind: str  # link | page | document | external | broken | mention
    label: str  # the words that matched: link text, page title, document title
    where: ResourceArtifact  # the page or document holding the match
    target: ResourceArtifact | None = None  # for links: the fetched destination
    href: str | None = None

    @property
    def evidence_resource(self) -> ResourceArtifact:
        return self.target or self.where


def check_publication(rule: Rule, site: Site, fecha_corte: date) -> Outcome:
    check: PublicationCheck = rule.check
    terms, url_terms = tuple(check.terms), tuple(check.url_terms)
    hits = _hits(terms, url_terms, site)
    strong = [h for h in hits if h.kind in STRONG]
    if strong:
        return _judge_strong(rule, strong, fecha_corte)
    weak = [h for h in hits if h.kind in ("external", "broken", "mention")]
    if any(h.kind == "external" for h in weak):
        hits = [h for h in weak if h.kind == "external"]
        return Outcome(Status.COMPLIANT, "Se enlaza a una publicación externa (no descargada).", _evidence(hits))
    if weak:
        kinds = ", ".join(sorted({LABELS[h.kind] for h in weak}))
        return Outcome(Status.PARTIAL, f"Solo se encontró {kinds}; no hay publicación accesible.", _evidence(weak))
    return Outcome(Status.NON_COMPLIANT, "No se encontró la publicación.", [_absence(terms + url_terms, site)])


def _hits(terms: tuple[str, ...], url_terms: tuple[str, ...], site: Site) -> list[Hit]:
    hits: list[Hit] = []
    # Only the items holding the terms' words (site.*_words) are searched.
    links = _union(site.link_words.candidates(terms), url_terms and site.link_url_words.candidates(url_terms))
    matched = []
    for text, href, indexes in (site.distinct_links[position] for position in links):
        if href.startswith(("mailto:", "tel:")):
            continue
        if find(terms, text) or (url_terms and url_slug_match(url_terms, href)):
            matched.extend(indexes)
    for on in (site.links[index] for index in sorted(matched)):
        href = on.link.href
        target = site.target(href)
        kind = "external" if target is None else ("link" if is_live(target) else "broken")
        hits.append(Hit(kind, on.link.text or href, on.page, target, href))
    for page in (site.pages[position] for position in site.page_words.candidates(terms)):
        facts = page.page
        if find(terms, facts.title) or any(find(terms, h) for h in facts.headings):
            hits.append(Hit("page", facts.title or page.final_url, page))
        elif mention := find(terms, facts.text):
            hits.append(Hit("mention", mention, page))
    documents = _union(site.document_words.candidates(terms), url_terms and site.document_url_words.candidates(url_terms))
    for doc in (site.documents[position] for position in documents):
        facts = doc.document
        if find(terms, facts.title) or find(terms, facts.text[:400]) or (url_terms and url_slug_match(url_terms, doc.url)):
            hits.append(Hit("document", facts.title or doc.final_url, doc))
        elif mention := find(terms, facts.text):
            hits.append(Hit("mention", mention, doc))
    return hits


def _union(positions: Iterable[int], more_positions: Iterable[int]) -> Iterable[int]:
    return sorted({*positions, *more_positions}) if more_positions else positions


def _judge_strong(rule: Rule, hits: list[Hit], fecha_corte: date) -> Outcome:
    check: PublicationCheck = rule.check
    if check.require_terms:
        complete = [h for h in hits if _has_required(check.require_terms, h.evidence_resource)]
        if not complete:
            wanted = ", ".join(check.require_terms)
            return Outcome(Status.PARTIAL, f"Publicado, pero sin {wanted}.", _evidence(hits))
        hits = complete
    if rule.currency is None:
        return Outcome(Status.COMPLIANT, f"Publicado ({LABELS[hits[0].kind]}).", _evidence(hits))
    # A menu link repeated on every page is one hit per page: each distinct one is read once.
    seen: dict[tuple[str, str, int], periods.Published] = {}
    for hit in hits:
        key = (hit.label, hit.href or hit.where.final_url, id(hit.evidence_resource))
        if key not in seen:
            seen[key] = period_found(hit, rule, fecha_corte)
    located = [(f, h) for h in hits if (f := seen[(h.label, h.href or h.where.final_url, id(h.evidence_resource))]).period]
    judgement = periods.judge(rule.currency, seen.values(), fecha_corte)
    if judgement.current is None:
        return Outcome(Status.PARTIAL, f"Publicado; {judgement.message}", _evidence(hits))
    best = next(h for f, h in located if f.period == judgement.found)
    ordered = [best] + [h for h in hits if h is not best]
    if not judgement.current:
        return Outcome(Status.PARTIAL, f"Publicado pero desactualizado: {judgement.message}", _evidence(ordered))
    return Outcome(Status.COMPLIANT, f"Publicado y vigente: {judgement.message}", _evidence(ordered))


def period_found(hit: Hit, rule: Rule, fecha_corte: date) -> periods.Published:
    """The period a publication reports (auditors/periods.py): from its label, file name, the head of a
    document or a page's title and headings, else from the dates it holds."""
    resource = hit.evidence_resource
    document, page = resource.document, resource.page
    texts = [("título", hit.label), ("nombre del archivo", periods.filename_text(hit.href or hit.where.final_url))]
    if hit.target is not None or hit.href is None:
        texts.append(("nombre del archivo", periods.filename_text(resource.final_url)))
    if document is not None:
        texts += [("título del documento", document.title), ("texto del documento", document.text[:1500])]
    elif page is not None:
        texts += [("título de la página", page.title), ("encabezados", " · ".join(page.headings[:20]))]
    facts = document or page
    amendments = tuple(rule.currency.amendments)
    amended = bool(amendments) and any(find(amendments, text or "") for _, text in texts)
    return periods.found(rule.currency, texts, facts.dates if facts else [], fecha_corte, amended)


def _has_required(require_terms: list[str], resource: ResourceArtifact) -> bool:
    facts = resource.document or resource.page
    return bool(facts and find(tuple(require_terms), facts.text))


def _evidence(hits: list[Hit], limit: int = 5) -> list[Evidence]:
    evidence, seen = [], set()
    for hit in hits:
        resource = hit.evidence_resource
        if len(evidence) == limit:
            break
        if (hit.kind, resource.final_url) in seen:
            continue
        seen.add((hit.kind, resource.final_url))
        external = hit.kind == "external"
        if hit.kind in ("link", "external", "broken"):
            kind = "link"
        else:
            kind = "document" if resource.document else "page"
        found_on = f" en {hit.where.final_url}" if hit.href else ""
        matched = f"{LABELS[hit.kind]}: «{hit.label}»{found_on}"
        note = _failure(resource) if hit.kind == "broken" else None
        if external:
            evidence.append(Evidence(kind=kind, url=hit.href, matched=matched, note=note))
        else:
            evidence.append(cite(resource, kind, matched=matched, note=note))
    return evidence


def _failure(resource: ResourceArtifact) -> str:
    if resource.error:
        return resource.error
    if resource.page and resource.page.soft_404:
        return "responde 200 pero dice que la página no existe (soft 404)"
    return f"HTTP {resource.status}"


def _absence(searched: tuple[str, ...], site: Site) -> Evidence:
    return Evidence(
        kind="absence",
        searched=list(searched),
        resources_examined=len(site.pages) + len(site.documents),
        note="Se buscó en textos de enlaces, títulos, encabezados, URL y documentos del sitio.",
    )
