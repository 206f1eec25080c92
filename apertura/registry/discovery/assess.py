"""Is a fetched home page the current official site of a municipality? A pure function of the fetch.

Matching is done on the page title, visible text and image ``alt`` texts (the state coat of arms is
often only an image), folded with :func:`apertura.registry.padron.name_key` (no accents, case or
punctuation). A municipal term in the Estado de México lasts three years and starts in a year
divisible by 3 (2019-2021, 2022-2024, 2025-2027), so the current term follows from the date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bs4 import BeautifulSoup

from apertura.registry.padron import name_key
from crawler.extract_html import decode_html, extract_page

OFFICIAL = "official"
PROBABLE = "probable"
PREVIOUS = "previous_administration"
NOT_OFFICIAL = "not_official"
NOT_VERIFIABLE = "not_verifiable"
UNCHECKED = "unchecked"  # added by a reviewer, never fetched
VERDICTS_ES = {
    OFFICIAL: "sitio oficial vigente",
    PROBABLE: "probable (revisar)",
    PREVIOUS: "administración anterior",
    NOT_OFFICIAL: "no es el sitio",
    NOT_VERIFIABLE: "no verificable",
    UNCHECKED: "sin verificar",
}
# Best first, for ranking candidates.
VERDICT_RANK = [OFFICIAL, PROBABLE, PREVIOUS, UNCHECKED, NOT_VERIFIABLE, NOT_OFFICIAL]

_PARKED = (
    "dominio en venta",
    "dominio esta a la venta",
    "dominio a la venta",
    "dominio se vende",
    "compra este dominio",
    "este dominio ha sido registrado",
    "dominio estacionado",
    "domain is for sale",
    "domain for sale",
    "buy this domain",
    "this domain has been registered",
    "this domain is parked",
    "domain is parked",
    "parked domain",
    "domain parking",
    "parked free",
)
_COUNCIL = (
    "h ayuntamiento",
    "ayuntamiento de",
    "ayuntamiento constitucional",
    "gobierno municipal",
    "presidencia municipal",
)
_STATE = ("estado de mexico", "edo mex", "edomex")
_TERM = re.compile(r"\b(20\d\d) (20\d\d)\b")  # "2025-2027" / "2025–2027" after folding
_BLOCKING_STATUS = {401, 403, 407, 429}
_MIN_TEXT = 50


@dataclass
class Assessment:
    verdict: str
    reason: str
    matched: list[str] = field(default_factory=list)
    score: int = 0


def current_term(today: date) -> tuple[int, int]:
    start = today.year - today.year % 3
    return start, start + 2


def assess(
    *,
    name: str,
    status: int | None,
    body: bytes,
    content_type: str,
    final_url: str,
    error: str | None,
    today: date,
    longer_names: tuple[str, ...] = (),
    official_domain: bool = False,
) -> Assessment:
    """Verdict for one fetched candidate. ``longer_names`` are other municipalities whose name
    contains this one ("Atizapán de Zaragoza" for "Atizapán"); their mentions do not count."""
    if error:
        return Assessment(NOT_VERIFIABLE, f"no se pudo consultar: {error}")
    if status is None or status >= 500 or status in _BLOCKING_STATUS:
        return Assessment(NOT_VERIFIABLE, f"el servidor respondió HTTP {status}")
    if status >= 400:
        return Assessment(NOT_OFFICIAL, f"la página de inicio no existe (HTTP {status})")
    if status >= 300:
        return Assessment(NOT_VERIFIABLE, f"redirección sin destino utilizable (HTTP {status})")
    if "html" not in content_type.lower() and not body.lstrip()[:1] == b"<":
        return Assessment(NOT_OFFICIAL, f"la respuesta no es una página HTML ({content_type or 'sin tipo'})")

    page = extract_page(body, final_url, content_type)
    if page.blocked:
        return Assessment(NOT_VERIFIABLE, f"el sitio respondió con un muro ({page.blocked})")
    alts = [str(img["alt"]) for img in BeautifulSoup(decode_html(body, content_type), "lxml").find_all("img", alt=True)]
    corpus = f" {name_key(' '.join([page.title, page.text, *alts]))} "
    parked = [p for p in _PARKED if f" {p} " in corpus]
    if parked:
        return Assessment(NOT_OFFICIAL, f"dominio estacionado o en venta («{parked[0]}»)", parked)
    if page.soft_404:
        return Assessment(NOT_OFFICIAL, f"la página de inicio es una página de error (404 suave: «{page.title}»)")

    for longer in longer_names:
        corpus = corpus.replace(f" {name_key(longer)} ", " ")
    key = name_key(name)
    matched, score = [], 0
    named = f" {key} " in corpus
    if named:
        matched.append(f"nombre: {name}")
        score += 4 if key in name_key(page.title) else 3
    council = [p for p in _COUNCIL if f" {p} " in corpus]
    if council:
        matched.append(f"ayuntamiento: «{council[0]}»")
        score += 2
    state = [p for p in _STATE if f" {p} " in corpus]
    if state:
        in_alt = any(state[0] in name_key(alt) for alt in alts)
        matched.append(f"Estado de México{' (imagen: escudo o logotipo)' if in_alt else ''}")
        score += 1
    start, end = current_term(today)
    terms = sorted({(int(a), int(b)) for a, b in _TERM.findall(corpus) if int(b) - int(a) == 2 and int(a) % 3 == 0})
    current = (start, end) in terms
    previous = [t for t in terms if t[1] < start]
    if current:
        matched.append(f"administración {start}-{end}")
        score += 3
    matched += [f"administración anterior {a}-{b}" for a, b in previous]
    if official_domain:
        matched.append("dominio oficial")
        score += 1

    if not named:
        if len(page.text) < _MIN_TEXT:
            reason = "la página de inicio casi no tiene texto (¿se genera con JavaScript?)"
            return Assessment(NOT_VERIFIABLE, reason, matched, score)
        return Assessment(NOT_OFFICIAL, f"no menciona al municipio de {name}: sitio no relacionado", matched, score)
    if not council:
        return Assessment(NOT_OFFICIAL, f"menciona a {name} pero no es un sitio de ayuntamiento", matched, score)
    if current and state:
        return Assessment(
            OFFICIAL, f"sitio del H. Ayuntamiento de {name}, administración {start}-{end}", matched, score
        )
    if current:
        return Assessment(PROBABLE, "administración vigente, pero no menciona el Estado de México", matched, score)
    if previous:
        last = f"{previous[-1][0]}-{previous[-1][1]}"
        reason = f"solo muestra una administración anterior ({last}); no la {start}-{end}"
        return Assessment(PREVIOUS, reason, matched, score - 3)
    return Assessment(PROBABLE, f"sitio de ayuntamiento sin años de la administración {start}-{end}", matched, score)
