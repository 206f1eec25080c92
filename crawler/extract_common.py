"""Helpers shared by the document extractors."""

from __future__ import annotations

import re
from datetime import date

MAX_DATES = 200
WS = re.compile(r"[ \t\r\f\v]+")
# titles that authoring tools fill in by themselves
_PLACEHOLDER_TITLE = re.compile(
    r"^\s*(untitled( document)?|sin t[ií]tulo|documento?\s*\d*|libro\s*\d+|book\s*\d+"
    r"|presentaci[oó]n\s*\d+|\(?anonymous\)?)\s*$",
    re.IGNORECASE,
)


class Rejected(Exception):
    """Input refused on purpose (too big, suspicious zip, unreadable); the message is the error."""


def clean_text(lines: list[str], max_chars: int) -> str:
    """Non-empty lines with runs of blanks collapsed, cut at ``max_chars``."""
    text = "\n".join(line for line in (WS.sub(" ", ln).strip() for ln in lines) if line)
    return text[:max_chars]


def first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""


def pick_title(declared: str, text: str) -> str:
    """The declared title unless empty or a tool's placeholder, else the first line."""
    title = WS.sub(" ", declared or "").strip()
    if not title or _PLACEHOLDER_TITLE.match(title):
        return first_line(text)
    return title[:500]


def iso_dates(values: set[date]) -> list[str]:
    return [d.isoformat() for d in sorted(values)[:MAX_DATES]]
