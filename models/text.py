"""Text normalisation shared by the auditors, the registry and the benchmarks: accents, case and whitespace folded."""

from __future__ import annotations

import re
import unicodedata

NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# Words of a link text that say what to do, not what the document is: «Ver PDF», «Descargar», «Clic aquí».
ACTION_WORDS = frozenset(
    "ver descargar descarga consultar consulta abrir acceder clic click aqui pdf xls xlsx doc docx documento archivo "
    "formato enlace link liga mas el la los en de del".split()
)
# Words of a link text that say where the document is kept, not what it is: «IPOMEX», «Ver en Google Drive».
PLACE_WORDS = frozenset("ipomex sipot saimex infoem google drive docs onedrive dropbox mega nube".split())

# How a site names its news section, folded («Noticias», «Boletines», «Sala de prensa»): a post found under it (its
# breadcrumb trail, its menu item) is a news item.
NEWS_SECTION = r"noticias|comunicados?|boletin(?:es)?|sala de prensa|prensa|blog"


def normalize(text: str) -> str:
    """Fold accents, case and whitespace.

    "  Acambay de Ruíz  CASTAÑEDA" -> "acambay de ruiz castaneda"
    """
    if text.isascii():
        return " ".join(text.casefold().split())
    # Combining marks are never ASCII: only the non-ASCII runs of the decomposed text are read character by
    # character (an audit folds every page it reads).
    decomposed = NON_ASCII.sub(_without_marks, unicodedata.normalize("NFKD", text))
    return " ".join(decomposed.casefold().split())


def _without_marks(run: re.Match[str]) -> str:
    return "".join(ch for ch in run.group() if not unicodedata.combining(ch))
