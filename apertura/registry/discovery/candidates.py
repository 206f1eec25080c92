"""Candidate host names for a municipality's official site: a pure function of its name.

"San Mateo Atenco" -> sanmateoatenco, smatenco (saint-prefixed initials) ...; each slug gives
``<slug><suffix>`` and ``www.<slug><suffix>``. Known abbreviations ("neza", "izcalli") are data
in ``abreviaturas.csv`` (name, abbreviation, source of the abbreviation).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from apertura.registry.padron import name_key

ABBREVIATIONS_CSV = Path(__file__).with_name("abreviaturas.csv")
DEFAULT_SUFFIX = ".gob.mx"
# Articles and prepositions dropped from the slug ("Valle de Bravo" -> vallebravo, also valledebravo).
ARTICLES = frozenset({"de", "del", "la", "las", "el", "los", "y"})
# First words that do not name a place on their own: no "san.gob.mx" candidate.
GENERIC_FIRST_WORDS = frozenset({"san", "santo", "santa", "villa", "valle", "ciudad"})
SAINT_WORDS = frozenset({"san", "santo", "santa"})


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, tuple[str, ...]]:
    """name key -> known abbreviations, from abreviaturas.csv."""
    found: dict[str, tuple[str, ...]] = {}
    with ABBREVIATIONS_CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            key = name_key(row["name"])
            found[key] = (*found.get(key, ()), row["abbreviation"].strip().lower())
    return found


def slugs(name: str) -> list[str]:
    """Slugs for a municipality name, most likely first, without duplicates.

    Accents, case and punctuation are folded; articles are dropped (and also kept, as many
    domains keep them); multi-word names also give their first word, long names their first two
    words (valledechalco) and saint names the initials of the leading words plus the last word
    (smatenco).
    """
    words = name_key(name).split()
    content = [w for w in words if w not in ARTICLES]
    found = ["".join(content), "".join(words)]
    if len(content) > 1 and content[0] not in GENERIC_FIRST_WORDS:
        found.append(content[0])
    if len(content) > 2:  # "Valle de Chalco Solidaridad" -> valledechalco, vallechalco
        leading = words[: words.index(content[1]) + 1]
        found += ["".join(leading), "".join(content[:2])]
    if len(content) > 2 and content[0] in SAINT_WORDS:
        found.append("".join(w[0] for w in content[:-1]) + content[-1])
    found.extend(abbreviations().get(name_key(name), ()))
    return list(dict.fromkeys(s for s in found if s))


def candidate_hosts(name: str, suffix: str = DEFAULT_SUFFIX) -> list[str]:
    """``<slug><suffix>`` and ``www.<slug><suffix>`` for every slug of ``name``."""
    suffix = "." + suffix.strip().strip(".").lower()
    return [host for slug in slugs(name) for host in (f"{slug}{suffix}", f"www.{slug}{suffix}")]
