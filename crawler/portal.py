"""Facts about obligation formats on a transparency portal (IPOMEX), read by their visible labels.

We have not seen the real markup of IPOMEX 3.0 or 4.0, so nothing here depends on element classes or
ids: a format is read from table headers, definition lists or "label: value" pairs whose label is one
of the LTG metadata names ("Fecha de actualización", "Periodo", "Área responsable", "Nota"…), with
any case, accents and wording variant below. Excel exports are read the same way from their header
row, wherever it sits. Pure functions, no network.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urljoin

from bs4 import BeautifulSoup, NavigableString, Tag

from crawler.dates import find_dates
from models.artifact import ApplicabilityRow, PortalFormatArtifact

# Order matters: the first pattern that matches a folded label names its field.
FIELDS = (
    ("validated", re.compile(r"fecha de validacion")),
    ("frequency", re.compile(r"periodo de actualizacion|periodicidad")),
    ("updated", re.compile(r"fecha de (la )?(ultima )?actualizacion|ultima actualizacion|^actualizad[oa]")),
    ("area", re.compile(r"\barea.*responsable|unidad.*responsable|responsable de la informacion")),
    ("note", re.compile(r"\bnotas?\b|^observaciones|^aclaracion")),
    ("period_start", re.compile(r"fecha de inicio del periodo")),
    ("period_end", re.compile(r"fecha de termino del periodo")),
    ("period", re.compile(r"^periodo\b|periodo que se (informa|reporta)|^ejercicio$")),
    ("count", re.compile(r"registros$")),
    ("fraction", re.compile(r"^fraccion|^obligacion")),
    ("letter", re.compile(r"^formato$")),
    ("article", re.compile(r"^articulo$")),
)
METADATA = {"validated", "frequency", "updated", "area", "note", "period", "period_start", "period_end"}
IDENTITY = {"count", "fraction", "letter", "article"}
MAX_LABEL = 160
MAX_CONTENT_LABEL = 60
MAX_ROWS = 5_000
HEADER_SEARCH_ROWS = 30
_WS = re.compile(r"\s+")
_ROMAN = r"[IVXLC]+"
_FRACTION = re.compile(
    rf"\b(?:fracci[oó]n|fr\.?)\s*({_ROMAN})\b(?:[\s,]*(?:inciso|formato)?\s*\(?([a-z])\)?(?![\w.]))?", re.IGNORECASE
)
_ARTICLE = re.compile(r"\b(?:art[ií]culo|art\.?)\s*(\d{2,3})\b", re.IGNORECASE)
_SLUG = re.compile(r"^art_(\d+)_([ivxlc]+)(?:_([a-z]))?$")


def fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", (value or "").lower())
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _WS.sub(" ", text).strip().rstrip(":").strip()


def field_of(label: str) -> str | None:
    """The metadata field a visible label names, or None."""
    folded = fold(label)
    if not folded or len(folded) > MAX_LABEL:
        return None
    return next((name for name, pattern in FIELDS if pattern.search(folded)), None)


@dataclass
class Records:
    """Rows of a format: each a mapping of field (or raw header) to the visible value."""

    headers: list[str] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)


def _clean(value: str | None) -> str:
    return _WS.sub(" ", value or "").strip()


def _rows_from_grid(grid: list[list[str]]) -> Records | None:
    """A header row (at any offset) naming at least one metadata field, then its data rows."""
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        names = [field_of(cell) for cell in row]
        if sum(n is not None for n in names) >= 1 and sum(bool(c) for c in row) >= 2:
            keys = [n or fold(cell) or f"col{i}" for i, (n, cell) in enumerate(zip(names, row, strict=False))]
            rows = []
            for values in grid[index + 1 : index + 1 + MAX_ROWS]:
                record = {k: v for k, v in zip(keys, values, strict=False) if v}
                if record and len([v for v in values if v]) >= min(2, len(keys)):
                    rows.append(record)
            return Records([c for c in row if c], rows)
    return None


def _table_grid(table: Tag) -> list[list[str]]:
    grid = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        grid.append([_clean(cell.get_text(" ")) for cell in tr.find_all(["th", "td"], recursive=False)])
    return grid


def _pairs(root: Tag) -> Records | None:
    """ "Label: value" pairs in document order (dl/dt/dd, label/value divs, "Label: value" text)."""
    nodes = [
        (_clean(str(s)), s.parent.name == "dt")
        for s in root.find_all(string=True)
        if isinstance(s, NavigableString) and s.parent is not None and s.parent.name not in ("script", "style", "title")
    ]
    nodes = [(t, dt) for t, dt in nodes if t]
    rows: list[dict[str, str]] = []
    current: dict[str, str] = {}
    headers: list[str] = []
    i = 0
    while i < len(nodes):
        text, is_dt = nodes[i]
        label, _, inline = text.partition(":")
        labelled = bool(inline.strip()) or text.endswith(":")
        name = field_of(label) if labelled else _bare_label(text)
        if name is None and (is_dt or labelled) and 0 < len(label) <= MAX_CONTENT_LABEL:
            name = fold(label)  # a content column ("Cargo", "Denominación del área")
        if name is None:
            i += 1
            continue
        value = inline.strip()
        following = nodes[i + 1] if i + 1 < len(nodes) else None
        if (
            not value
            and following
            and not following[1]
            and not _bare_label(following[0])
            and not following[0].endswith(":")
        ):
            value, i = nodes[i + 1][0], i + 1
        if name in current:
            rows.append(current)
            current = {}
        current[name] = value
        headers.append(label.strip() if inline.strip() else text.rstrip(":").strip())
        i += 1
    if current:
        rows.append(current)
    return Records(list(dict.fromkeys(headers)), rows) if rows else None


def _bare_label(text: str) -> str | None:
    """A label written without a colon ("Fecha de actualización" in a dt or a span): short and known."""
    return field_of(text) if len(text) <= MAX_CONTENT_LABEL else None


def html_records(html: str) -> Records:
    """The records of a rendered page: tables with a metadata header, else label/value pairs."""
    soup = BeautifulSoup(html, "lxml")
    for tag in soup.find_all(["script", "style", "noscript", "template"]):
        tag.decompose()
    found = Records()
    for table in soup.find_all("table"):
        records = _rows_from_grid(_table_grid(table))
        if records:
            found.headers += records.headers
            found.rows += records.rows
            table.decompose()
    pairs = _pairs(soup.body or soup)
    if pairs:
        found.headers += pairs.headers
        found.rows += pairs.rows
    return found


def xlsx_records(body: bytes) -> Records:
    """The records of an Excel (XLSX) export: the first sheet with a metadata header row."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            grid = [
                [_clean(_cell_text(v)) for v in row]
                for row in sheet.iter_rows(max_row=MAX_ROWS + HEADER_SEARCH_ROWS, values_only=True)
            ]
            records = _rows_from_grid(grid)
            if records:
                return records
    finally:
        workbook.close()
    return Records()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _dates(values: list[str]) -> list[str]:
    return sorted({d.isoformat() for v in values for d in find_dates(v)})


def summarise(records: Records | list[dict[str, str]], **identity) -> PortalFormatArtifact:
    """One format's facts from its rows; rows carrying only metadata (a "no aplica" note) are not records."""
    rows = records.rows if isinstance(records, Records) else records
    headers = records.headers if isinstance(records, Records) else []
    content = [r for r in rows if any(k not in METADATA and k not in IDENTITY for k in r)]
    counts = [int(m.group()) for r in rows if (m := re.search(r"\d+", r.get("count", "")))]
    periods = []
    for r in rows:
        if r.get("period_start") or r.get("period_end"):
            periods.append(f"{r.get('period_start', '')} - {r.get('period_end', '')}".strip(" -"))
        elif r.get("period"):
            periods.append(r["period"])
    return PortalFormatArtifact(
        **identity,
        headers=headers,
        records=sum(counts) if counts else len(content),
        periods=list(dict.fromkeys(periods)),
        updated=_dates([r["updated"] for r in rows if r.get("updated")]),
        validated=_dates([r["validated"] for r in rows if r.get("validated")]),
        areas=list(dict.fromkeys(r["area"] for r in rows if r.get("area"))),
        notes=list(dict.fromkeys(r["note"] for r in rows if r.get("note"))),
        applicability=applicability_rows(rows),
    )


_ANSWER = re.compile(r"^(?:(no)\s*(?:aplica|aplicable|corresponde)?|(si|aplica|aplicable|x)(?:\s+aplica)?)\b")


def applicability_rows(rows: list[dict[str, str]]) -> list[ApplicabilityRow]:
    """The table of applicable fractions (Art. 93): rows naming a fraction and an «aplica / no aplica» answer.

    Only tables with a column whose label says «aplica» are read; a row whose answer is unclear is kept with
    `applies=None`, so the auditor can say so instead of guessing."""
    found = []
    for row in rows:
        answer_keys = [k for k in row if "aplica" in k and k not in ("fraction", "article", "letter")]
        if not answer_keys or not row.get("fraction"):
            continue
        value = row["fraction"]
        named = identify(
            value if re.search(r"fracc|fr\.", value, re.IGNORECASE) else f"fracción {value}",
            default_article=_article(row.get("article")),
        )
        if not named:
            continue
        letter = (
            named["letter"] or (row.get("inciso") or row.get("letter") or "").strip().strip("()").lower()[:1] or None
        )
        answer = fold(" ".join(row[k] for k in answer_keys))
        match = _ANSWER.match(answer)
        applies = None if match is None else match[1] is None
        text = " · ".join(v for k, v in row.items() if k not in ("fraction", "article", "letter") and v)
        found.append(
            ApplicabilityRow(
                article=named["article"], fraction=named["fraction"], letter=letter, applies=applies, text=text[:300]
            )
        )
    return found


def _article(value: str | None) -> str | None:
    match = re.search(r"\d{2,3}", value or "")
    return match[0] if match else None


def from_slug(slug: str) -> dict:
    """Article, fraction and letter of a 3.0 page slug ("art_92_xiv_b"; "organigramas" is 92-II A)."""
    if slug == "organigramas":
        return {"article": "92", "fraction": "II", "letter": "a"}
    match = _SLUG.match(slug)
    if not match:
        return {}
    return {"article": match[1], "fraction": match[2].upper(), "letter": match[3]}


def identify(text: str, default_article: str | None = None) -> dict:
    """Article, fraction and letter named in a visible text ("Artículo 92, fracción XIV, formato B")."""
    fraction = _FRACTION.search(text)
    if not fraction:
        return {}
    article = _ARTICLE.search(text)
    letter = fraction[2]
    if letter is None:
        after = re.match(
            r"\s*[,-]?\s*(?:formato|inciso)?\s*\(?([a-z])\)?(?![\w.])", text[fraction.end() :], re.IGNORECASE
        )
        letter = after[1] if after else None
    return {
        "article": article[1] if article else default_article,
        "fraction": fraction[1].upper(),
        "letter": letter.lower() if letter else None,
    }


def app_formats(html: str, key: str) -> list[PortalFormatArtifact]:
    """Formats listed by the IPOMEX 4.0 app (rendered DOM): one row per format with its metadata."""
    found = []
    for row in html_records(html).rows:
        ident = identify(" ".join(v for k, v in row.items() if k not in METADATA and k != "count"))
        if ident.get("fraction") and ident.get("article"):
            found.append(summarise([row], generation="ipo4", key=key, **ident))
    return found


def index_updates(html: str, base_url: str) -> dict[str, str | None]:
    """Format links of a portal index with the update date shown beside each (its list item or table row).

    Absolute URL -> the latest date in that entry (ISO), or None where the index shows none."""
    soup = BeautifulSoup(html, "lxml")
    found: dict[str, str | None] = {}
    for anchor in soup.find_all("a", href=True):
        entry = anchor.find_parent(["li", "tr"]) or anchor
        dates = find_dates(entry.get_text(" "))
        found.setdefault(urljoin(base_url, str(anchor["href"])), dates[-1].isoformat() if dates else None)
    return found
