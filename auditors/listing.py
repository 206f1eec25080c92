"""A page that lists the subject's publications: entries that name it and carry their publication data.

A table of the urban development programmes giving, for each, the date and issue of the official gazette that
published it, is the listing of those publications, not running text that mentions them. The crawler keeps a
page's text flat (cells and rows joined by spaces), so an entry is read as the stretch from one occurrence of
the subject to the next (at most `ENTRY_SPAN` characters): it counts when it holds a full date and an official
gazette's reference (periódico oficial, gaceta, diario oficial; tomo; número … sección). A sentence citing one
publication, or a transitory article citing two, is a mention: a listing has `MIN_ENTRIES` entries or more.
"""

from __future__ import annotations

import re

from auditors.matching import folded, pattern, per_site, url_parts
from auditors.ownership import on_document_service

MONTHS = "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre"
DATE = re.compile(
    rf"\b\d{{1,2}}\s+de\s+(?:{MONTHS})\s+(?:de|del)\s+(?:19|20)\d\d\b|\b\d{{1,2}}[/-]\d{{1,2}}[/-](?:19|20)\d\d\b"
)
GAZETTE = re.compile(
    r"\bperiodico oficial\b|\bgaceta (?:oficial|del gobierno|municipal)\b|\bdiario oficial\b"
    r"|\btomo [ivxlcdm\d]+\b|\b(?:no|num|numero)\.?\s*\d+\b[^.]{0,30}\bseccion\b"
)
GAZETTE_WORDS = ("oficial", "gaceta", "tomo", "seccion")  # each of GAZETTE's matches holds one of them
ENTRY_SPAN = 200  # characters after the subject's name that hold its entry's publication data
MIN_ENTRIES = 3
# an image linked as a file (an organigrama.png) is a document too; one shown in the page (<img>) is not a link
DOCUMENT = re.compile(r"\.(?:pdf|docx?|xlsx?|odt|ods|pptx?|zip|png|jpe?g|gif|webp)$", re.IGNORECASE)


def publication_entries(terms: tuple[str, ...], text: str) -> int:
    """How many entries of `text` name one of `terms` and carry a date and an official gazette's reference."""
    regex = pattern(terms)
    text = folded(text)
    if regex is None or _gazette_words(text) < MIN_ENTRIES:
        return 0
    matches = list(regex.finditer(text))
    starts = [m.end() for m in matches]
    ends = [m.start() for m in matches][1:] + [len(text)]
    entries = 0
    for start, end in zip(starts, ends, strict=True):
        entry = text[start : min(end, start + ENTRY_SPAN)]
        if DATE.search(entry) and GAZETTE.search(entry):
            entries += 1
    return entries if entries >= MIN_ENTRIES else 0


@per_site
def _gazette_words(text: str) -> int:
    """How many times a folded text says one of GAZETTE_WORDS: at least once in each entry with a gazette's reference
    (the entries do not overlap), so fewer than MIN_ENTRIES leaves each rule's search of the page undone."""
    return sum(text.count(word) for word in GAZETTE_WORDS)


def is_document_link(href: str) -> bool:
    """A file by its name, or anything on a service that holds files (a Drive folder, a Dropbox link)."""
    return bool(DOCUMENT.search(url_parts(href).path)) or on_document_service(href)
