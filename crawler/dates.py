"""Find calendar dates in Spanish (Mexican) text.

Recognised forms, all day-first as written in Mexico:

- long dates: "15 de enero de 2026", "1o. de marzo del 2025", "1º de Marzo, 2025",
  "lunes 15 enero 2026", "15-ene-2026", "15/ENE/2026";
- numeric: "15/01/2026", "15-01-2026", "15.01.2026" (day first, four-digit year);
- ISO: "2026-01-15", "2026/01/15", "2026-01-15T10:00:00";
- month and year: "enero 2026", "enero de 2026", "enero del 2026" (-> first of the month).

Impossible dates (31/02) and years outside 1990–2100 are ignored.
"""

from __future__ import annotations

import re
from datetime import date

MIN_YEAR = 1990
MAX_YEAR = 2100

_MONTHS = {
    "enero": 1,
    "ene": 1,
    "febrero": 2,
    "feb": 2,
    "marzo": 3,
    "mar": 3,
    "abril": 4,
    "abr": 4,
    "mayo": 5,
    "may": 5,
    "junio": 6,
    "jun": 6,
    "julio": 7,
    "jul": 7,
    "agosto": 8,
    "ago": 8,
    "septiembre": 9,
    "setiembre": 9,
    "sep": 9,
    "sept": 9,
    "set": 9,
    "octubre": 10,
    "oct": 10,
    "noviembre": 11,
    "nov": 11,
    "diciembre": 12,
    "dic": 12,
}
_FULL = "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre"
_ABBR = "ene|feb|mar|abr|may|jun|jul|ago|sept|sep|set|oct|nov|dic"

_DAY = r"(?P<d>[0-3]?\d)(?:\s*(?:o\.?|º|°|ro\.?|er\.?))?"
_YEAR = r"(?P<y>\d{4})(?!\d)"

_PATTERNS = [
    # 15 de enero de 2026 / 1o. de marzo del 2025 / 15 enero, 2026
    re.compile(
        rf"(?<!\d){_DAY}\s*(?:de\s+)?(?P<m>{_FULL})\.?\s*(?:,\s*|de(?:l)?\s+)?{_YEAR}",
        re.IGNORECASE,
    ),
    # 15-ene-2026 / 15/ENE/2026 / 15 ene 2026
    re.compile(rf"(?<!\d)(?P<d>[0-3]?\d)[\s/.-](?P<m>{_ABBR})\.?[\s/.-]{_YEAR}", re.IGNORECASE),
    # ISO 2026-01-15 / 2026/01/15
    re.compile(r"(?<![\d/.-])(?P<y>\d{4})(?P<s>[-/])(?P<m>[01]?\d)(?P=s)(?P<d>[0-3]?\d)(?!\d)"),
    # 15/01/2026, 15-01-2026, 15.01.2026 (day first)
    re.compile(r"(?<![\d/.-])(?P<d>[0-3]?\d)(?P<s>[-/.])(?P<m>[01]?\d)(?P=s)(?P<y>\d{4})(?!\d)"),
]
# enero 2026 / enero de 2026 / enero del 2026 (run after the full dates have been blanked out)
_MONTH_YEAR = re.compile(rf"\b(?P<m>{_FULL})\s*(?:,\s*|de(?:l)?\s+)?{_YEAR}", re.IGNORECASE)


def make_date(year: int | str, month: int | str, day: int | str) -> date | None:
    """A valid date within the accepted year range, else None."""
    try:
        y, m, d = int(year), int(month), int(day)
        if not MIN_YEAR <= y <= MAX_YEAR:
            return None
        return date(y, m, d)
    except (TypeError, ValueError):
        return None


def _month(value: str) -> int:
    return int(value) if value.isdigit() else _MONTHS[value.lower().rstrip(".")]


def find_dates(text: str, limit: int = 200) -> list[date]:
    """Sorted unique valid dates found in ``text`` (at most ``limit``)."""
    if not text:
        return []
    found: set[date] = set()
    for pattern in _PATTERNS:
        out = []
        last = 0
        for match in pattern.finditer(text):
            value = make_date(match["y"], _month(match["m"]), match["d"])
            if value is not None:
                found.add(value)
            # blank every match (valid or not) so later patterns do not re-read its parts
            out.append(text[last : match.start()])
            out.append(" " * (match.end() - match.start()))
            last = match.end()
        if out:
            out.append(text[last:])
            text = "".join(out)
    for match in _MONTH_YEAR.finditer(text):
        value = make_date(match["y"], _month(match["m"]), 1)
        if value is not None:
            found.add(value)
    return sorted(found)[:limit]


_PDF_DATE = re.compile(r"(?:D:)?\s*(\d{4})(\d{2})?(\d{2})?")
_ISO_PREFIX = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_iso_prefix(value: str) -> date | None:
    """Date from an ISO-like string ("2026-01-15", "2026-01-15T10:00:00-06:00")."""
    match = _ISO_PREFIX.search(value or "")
    return make_date(*match.groups()) if match else None


def parse_pdf_date(value: str) -> date | None:
    """Date from a PDF date string ("D:20260115103000-06'00'")."""
    match = _PDF_DATE.match((value or "").strip())
    if not match or not match.group(2):
        return None
    return make_date(match.group(1), match.group(2), match.group(3) or 1)
