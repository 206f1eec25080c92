"""A rule's subject as words: to tell an index page that lists documents about it from one listing something else
(auditors/checks/publication.py)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from auditors.matching import find
from models.text import normalize

STOPWORDS = frozenset("de del la las los el en por para con sus y o a al que se un una municipal municipio".split())


@dataclass(frozen=True)
class Topic:
    """The rule's subject: its terms as phrases, its core words (those shared by two or more terms: "acta",
    "cabildo" and "sesion" for the minutes) and what its content must include (`require_terms`), to tell an
    index about it from one listing something else."""

    phrases: tuple[str, ...]
    core: frozenset[str]
    required: tuple[str, ...]

    def named_in(self, text: str) -> bool:
        if find(self.phrases, text) or find(self.required, text):
            return True
        words = {_stem(w) for w in text.split()}
        return len(self.core & words) >= min(2, len(self.core)) if self.core else False


def _stem(word: str) -> str:
    """Spanish plural to singular, enough to compare ("sesiones" → "sesion", "actas" → "acta")."""
    if len(word) > 4 and word.endswith("es") and word[-3] in "lnrdzj":
        return word[:-2]
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


@lru_cache(maxsize=512)
def topic_of(phrases: tuple[str, ...], required: tuple[str, ...]) -> Topic:
    seen: Counter[str] = Counter()
    for phrase in phrases:
        seen.update({_stem(w) for w in normalize(phrase).split() if w not in STOPWORDS and len(w) > 3})
    core = {w for w, n in seen.items() if n >= 2} or (set(seen) if len(phrases) == 1 else set())
    return Topic(phrases, frozenset(core), required)
