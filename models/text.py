"""Text normalisation shared by the auditors, the registry and the benchmarks: accents, case and whitespace folded."""

from __future__ import annotations

import unicodedata


def normalize(text: str) -> str:
    """Fold accents, case and whitespace.

    "  Acambay de Ruíz  CASTAÑEDA" -> "acambay de ruiz castaneda"
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
