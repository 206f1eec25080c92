"""Accent- and case-insensitive phrase matching on word boundaries."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from functools import cached_property, lru_cache
from typing import TypeVar
from urllib.parse import SplitResult, unquote, urlsplit

from models.text import ACTION_WORDS, normalize

SEPARATORS = re.compile(r"[-_/.?=&%+#:;,]+")
CAMEL = re.compile(r"(?<=[a-záéíóúñ])(?=[A-ZÁÉÍÓÚÑ])")
WORD = re.compile(r"\w+")
LEADING_WORD = re.compile(r"\w+(?![\w*])")
WHOLE_WORD = re.compile(r"(?<![\w*])\w+(?![\w*])")
WORD_START = re.compile(r"(?<![\w*])\w+(?=\*)")
# Words of a link text or a file name that name a period, a number or a generic page, or join words: not a subject
# («Enero», «2º trimestre», «Fracción XIX b», «index.php»).
NAMELESS_WORDS = ACTION_WORDS | frozenset(
    "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre primer primero "
    "segundo tercer tercero cuarto trimestre trimestral semestre semestral bimestre mes mensual ano anual ejercicio "
    "fiscal periodo al fraccion fracciones fr frac articulo art inciso numeral que las por para con su sus index "
    "inicio default home id php html htm aspx jsp".split()
)
ROMAN = re.compile(r"[ivxlc]+")
# A cabildo commission or a committee is named after what it oversees («Comisión de Hacienda, Patrimonio y Cuenta
# Pública», «Comité de Transparencia»): its name, up to the end of the phrase, holds no term of a publication unless the
# term names such a body itself.
BODIES_NAMED_AFTER = {
    "comision": re.compile(r"\bcomision(?:es)?(?: edilicias?| permanentes?)? (?:de|del)\b[^.;:|()\n]{0,60}"),
    "comite": re.compile(r"\bcomites?(?: municipal(?:es)?)? (?:de|del)\b[^.;:|()\n]{0,60}"),
}

# The parts of a label: a page title's («Organigrama del DIF | H. Ayuntamiento de X», «Trámites :: Portal») or a link's
# composed with its card's heading or its table's row («Normatividad · Ley de Ingresos», crawler/extract_html.py).
LABEL_PARTS = re.compile(r"\s+[|\u2013\u2014\u00b7-]\s+|\s*::\s*")


@lru_cache(maxsize=4096)
def pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for a set of terms; `*` inside a term matches any run of letters."""
    alternatives = sorted({normalize(t) for t in terms if t.strip()}, key=len, reverse=True)
    if not alternatives:
        return None
    parts = [re.escape(term).replace(r"\*", r"\w*") for term in alternatives]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


F = TypeVar("F", bound=Callable)
_SITE_CACHES: list = []


def per_site(function: F) -> F:
    """`function` cached for one site's audit, where every rule asks it of the same texts; `forget_site_texts`
    empties its cache with the others after each site."""
    cached = lru_cache(maxsize=65536)(function)
    _SITE_CACHES.append(cached)
    return cached  # type: ignore[return-value]


@per_site
def folded(text: str) -> str:
    """normalize(), cached: the same link texts and page texts are searched by every rule of a site's audit
    (`forget_site_texts` empties it after each one)."""
    return normalize(text)


@lru_cache(maxsize=4096)
def literals(terms: tuple[str, ...]) -> tuple[str, ...]:
    """The longest fixed piece of each term: any match of `pattern(terms)` contains one of them."""
    return tuple(max(normalize(t).split("*"), key=len) for t in terms if t.strip())


@lru_cache(maxsize=4096)
def first_words(terms: tuple[str, ...]) -> frozenset[str] | None:
    """The whole word each term starts with (a match starts on a word boundary, so that word is in the
    text); None if some term starts with a wildcard or a non-word character."""
    words = set()
    for term in terms:
        if term.strip():
            leading = LEADING_WORD.match(normalize(term).strip())
            if leading is None:
                return None
            words.add(leading.group(0))
    return frozenset(words)


@lru_cache(maxsize=4096)
def term_words(term: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The whole words, and the starts of words ("curricul*"), that every match of `term` holds: a match
    is bounded by non-word characters, and so is each word of the term not touching a `*`."""
    folded_term = normalize(term)
    return frozenset(WHOLE_WORD.findall(folded_term)), tuple(WORD_START.findall(folded_term))


@per_site
def words(text: str) -> frozenset[str]:
    return frozenset(WORD.findall(text))


@per_site
def url_parts(url: str) -> SplitResult:
    """urlsplit(), cached for a site's audit: the standard library's cache keeps 128 addresses, and every rule asks
    of the same thousands."""
    return urlsplit(url)


@per_site
def host_of(url: str) -> str:
    """`url`'s host name in lower case, "" if it has none."""
    return (url_parts(url).hostname or "").lower()


def forget_site_texts() -> None:
    """Empties the caches keyed by a site's texts. Bounded by entries, not bytes, they would otherwise keep
    whole page texts of past sites: a state's night grew by ~3 MiB per municipality audited."""
    for cached in _SITE_CACHES:
        cached.cache_clear()


def find(terms: tuple[str, ...], text: str, exclude: tuple[str, ...] = ()) -> str | None:
    """The first term found in `text`, as it appears there (normalized), or None.

    Phrases of `exclude` are masked first: "presupuesto" is not found in "Presupuesto participativo 2026"
    when "presupuesto participativo" is excluded, but still in "Presupuesto de egresos y presupuesto participativo".
    A commission's or a committee's name (`BODIES_NAMED_AFTER`) is masked too.
    """
    compiled = pattern(terms)
    if compiled is None or not text:
        return None
    text = folded(text)
    if exclude and (masking := pattern(exclude)) is not None:
        text = masking.sub(" | ", text)
    # Cheap tests first, the regex only when one passes: whole words in a set, else substrings.
    anchors = first_words(terms)
    if anchors is not None and anchors.isdisjoint(words(text)):
        return None
    if not any(piece in text for piece in literals(terms)):
        return None
    for word, name in BODIES_NAMED_AFTER.items():
        if word in text and not any(word in literal for literal in literals(terms)):
            text = name.sub(" | ", text)
    match = compiled.search(text)
    return match.group(0) if match else None


@lru_cache(maxsize=65536)
def slug(url: str) -> str:
    """The path and query of a URL as words: percent-escapes decoded, -, _, /, . and the like as separators,
    camelCase split ("MarcoNormativo"). The text URL terms are searched in."""
    _, _, path = url.split("://", 1)[-1].partition("/")
    return _as_words(unquote(path))


def _as_words(text: str) -> str:
    """-, _, /, . and the like as separators, camelCase split: «MarcoNormativo/cuenta_publica» as words."""
    return SEPARATORS.sub(" ", CAMEL.sub(" ", text))


@lru_cache(maxsize=4096)
def as_url_words(terms: tuple[str, ...]) -> tuple[str, ...]:
    """URL terms written as URLs write them ("marco-normativo", "cuenta_publica") in the words `slug` yields."""
    return tuple(_as_words(term).strip() for term in terms)


def _nameless(word: str) -> bool:
    return (
        word in NAMELESS_WORDS or len(word) == 1 or ROMAN.fullmatch(word) is not None or any(c.isdigit() for c in word)
    )


def _content_words(text: str) -> list[str]:
    return [word for word in WORD.findall(folded(_as_words(text))) if not _nameless(word)]


def address_name(url: str) -> str:
    """What an address calls what it leads to: its last path segment that names something («/docs/deuda-3t-2026.pdf»:
    «deuda-3t-2026.pdf»; «/directorio/index.html»: «directorio»), else its query."""
    parts = url_parts(url)
    for segment in reversed(unquote(parts.path).split("/")):
        if _content_words(segment.rsplit(".", 1)[0] if "." in segment else segment):
            return segment
    return unquote(parts.query)


@lru_cache(maxsize=4096)
def vocabulary(terms: tuple[str, ...]) -> frozenset[str]:
    """The words a rule's terms and URL terms are made of."""
    return frozenset(_content_words(" ".join(terms)))


def named_by_address(
    link_text: str, href: str, terms: tuple[str, ...], url_terms: tuple[str, ...], exclude: tuple[str, ...] = ()
) -> bool:
    """Whether a link whose text holds none of the rule's terms is named by a URL term in its address: only when
    neither its text nor the address's own name says anything but what the rule's own words say, or the address's
    name holds one of the terms whole («Descargar PDF» for /D.4.2-Indicadores-de-Resultados.pdf). «Directorio» for
    /directorio, «Personas que reciben recursos públicos» for /recursos-publicos, «Fracción XIX» for
    /expedientes-reservados count; «Servicios personales por categoría» is not a catalogue of services, «Directorio»
    for /directorio-de-empresas not the staff's, and «Descargar» not a padrón de proveedores when it leads to
    /convocatoria-de-inscripcion-de-proveedores.pdf, whatever word the address shares with the rule; nor a text that
    names what the rule leaves to another format («Inventario de bienes inmuebles» for /inventario-2024.xlsx and the
    inventory of bienes muebles)."""
    if url_slug_match(url_terms, href, exclude) is None or (exclude and find(exclude, link_text)):
        return False
    words = vocabulary(terms + url_terms)
    name = address_name(href)
    address_agrees = all(word in words for word in _content_words(name)) or find(terms, _as_words(name), exclude)
    return bool(address_agrees) and all(word in words for word in _content_words(link_text))


def url_slug_match(url_terms: tuple[str, ...], url: str, exclude: tuple[str, ...] = ()) -> str | None:
    return find(as_url_words(url_terms), slug(url), as_url_words(exclude))


class WordIndex:
    """Which items of a list hold each whole word in their texts, so that a search tests only the items
    holding every word of a term instead of every item, for every rule."""

    def __init__(self, items: Iterable[Iterable[str | None]]):
        """`items`: per item, the texts `find` will search in it."""
        self._items: dict[str, list[int]] = {}
        self._size = 0
        for position, texts in enumerate(items):
            for word in frozenset().union(*(words(folded(text)) for text in texts if text)):
                self._items.setdefault(word, []).append(position)
            self._size = position + 1

    def candidates(self, terms: tuple[str, ...]) -> list[int] | range:
        """Ascending positions of the items where `find(terms, …)` may find something in one of their texts."""
        positions: set[int] = set()
        for term in terms:
            if not term.strip():
                continue
            whole, starts = term_words(term)
            if not whole and not starts:
                return range(self._size)
            holding = sorted(
                [self._items.get(word, ()) for word in whole] + [self._starting(start) for start in starts], key=len
            )
            positions.update(set(holding[0]).intersection(*holding[1:]))
        return sorted(positions)

    @cached_property
    def _vocabulary(self) -> list[str]:
        return sorted(self._items)

    def _starting(self, start: str) -> set[int]:
        """Positions of the items with a word that starts with `start`."""
        vocabulary, found = self._vocabulary, set()
        at = bisect_left(vocabulary, start)
        while at < len(vocabulary) and vocabulary[at].startswith(start):
            found.update(self._items[vocabulary[at]])
            at += 1
        return found
