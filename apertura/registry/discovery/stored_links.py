"""Candidate sites from links in stored pages (a municipality's IPOMEX portal or any crawled site)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from apertura.registry.discovery.candidates import slugs
from apertura.registry.padron import name_key
from models.municipality import Municipality
from storage import repository

# Anchor texts that name "the official site" when the page belongs to the municipality's own crawl.
_OFFICIAL_ANCHORS = ("ayuntamiento", "sitio oficial", "pagina oficial", "gobierno municipal", "portal municipal")


def _home(href: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc.lower()}/"


def stored_link_candidates(session: Session, targets: Iterable[Municipality]) -> dict[str, dict[str, str]]:
    """inegi_code -> {home URL: origin} for links in the latest crawl of every municipality and source
    whose anchor names the municipality, whose host looks like one of its slugs, or that sit on the
    municipality's own pages with an anchor such as "H. Ayuntamiento"."""
    targets = list(targets)
    by_slug: dict[str, list[Municipality]] = {}
    for m in targets:
        for slug in slugs(m.name):
            by_slug.setdefault(slug, []).append(m)
    keys = [(f" {name_key(m.name)} ", m) for m in targets]
    target_codes = {m.inegi_code for m in targets}
    # storage annotates its rows as Row[tuple[...]] (SQLAlchemy 2.0's spelling), which 2.1 reads as one column
    rows = cast(Iterable[tuple[str, dict, str]], repository.latest_extracts(session))
    found: dict[str, dict[str, str]] = {}
    for page_url, extracted, owner in rows:
        page_host = urlsplit(page_url).hostname
        for link in (extracted.get("page") or {}).get("links", []):
            home = _home(link.get("href", ""))
            host = urlsplit(home).hostname if home else None
            if not home or not host or host == page_host or "ipomex" in host:  # (a home always has a host)
                continue
            text = link.get("text", "")
            anchor = f" {name_key(text)} "
            label = host.removeprefix("www.").split(".")[0]
            for key, m in keys:
                if key in anchor:
                    found.setdefault(m.inegi_code, {}).setdefault(home, f"enlace «{text}» en {page_url}")
            for m in by_slug.get(label, []):
                found.setdefault(m.inegi_code, {}).setdefault(home, f"enlace a {host} en {page_url}")
            if owner in target_codes and any(f" {a} " in anchor for a in _OFFICIAL_ANCHORS):
                found.setdefault(owner, {}).setdefault(home, f"enlace «{text}» en {page_url}")
    return found
