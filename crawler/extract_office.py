"""Facts from zipped office formats: XLSX (openpyxl), DOCX, ODT and ODS (stdlib XML).

Every format is a zip: members' declared sizes are checked before anything is read
(``zipfile`` never inflates a member beyond its declared size), XML with a DTD is
refused, and paragraphs/rows are streamed and capped.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import IO
from xml.etree import ElementTree as ET

from crawler.dates import find_dates, make_date, parse_iso_prefix
from crawler.extract_common import WS, Rejected, clean_text, iso_dates, pick_title
from models.artifact import DocumentArtifact

MAX_UNZIPPED = 100 * 1024 * 1024
MAX_ZIP_MEMBERS = 5_000
MAX_RATIO = 1_000  # deflate cannot do much better than ~1030:1 on real data
MAX_SHEETS = 50
MAX_ROWS = 500  # per sheet
MAX_COLS = 60
OFFICE_KINDS = ("xlsx", "docx", "odt", "ods")


def zip_kind(zf: zipfile.ZipFile) -> str | None:
    names = set(zf.namelist())
    if "mimetype" in names:
        with zf.open("mimetype") as member:
            mime = member.read(200).decode("ascii", "replace").strip()
        return {
            "application/vnd.oasis.opendocument.text": "odt",
            "application/vnd.oasis.opendocument.spreadsheet": "ods",
        }.get(mime)
    if "[Content_Types].xml" in names:
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
    return None


def _open_zip(body: bytes, max_unzipped: int) -> zipfile.ZipFile:
    """Open a zip after checking the declared sizes of its members."""
    zf = zipfile.ZipFile(io.BytesIO(body))
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise Rejected("archivo comprimido sospechoso: demasiados elementos")
    if sum(i.file_size for i in infos) > max_unzipped:
        raise Rejected("archivo comprimido sospechoso: tamaño descomprimido excesivo")
    for info in infos:
        if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise Rejected("archivo comprimido sospechoso: tasa de compresión excesiva")
    return zf


# --- Office Open XML / OpenDocument properties -------------------------------
_NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
}


def _q(prefix: str, name: str) -> str:
    return f"{{{_NS[prefix]}}}{name}"


def _xml_stream(zf: zipfile.ZipFile, name: str) -> IO[bytes]:
    """A member to parse, refusing DTDs (no entity expansion tricks)."""
    with zf.open(name) as probe:
        start = probe.read(4096)
    if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
        raise Rejected("XML con DTD no permitido")
    return zf.open(name)


def _properties(zf: zipfile.ZipFile, name: str, title_tag: str, date_tags: tuple[str, ...]) -> tuple[str, set[date]]:
    if name not in zf.namelist():
        return "", set()
    with _xml_stream(zf, name) as stream:
        root = ET.parse(stream).getroot()
    node = root.find(f".//{title_tag}")
    title = WS.sub(" ", node.text or "").strip() if node is not None else ""
    dates = set()
    for tag in date_tags:
        for node in root.iter(tag):
            value = parse_iso_prefix(node.text or "")
            if value:
                dates.add(value)
    return title, dates


def _ooxml_properties(zf: zipfile.ZipFile) -> tuple[str, set[date]]:
    return _properties(
        zf, "docProps/core.xml", _q("dc", "title"), (_q("dcterms", "created"), _q("dcterms", "modified"))
    )


def _odf_properties(zf: zipfile.ZipFile) -> tuple[str, set[date]]:
    return _properties(zf, "meta.xml", _q("dc", "title"), (_q("meta", "creation-date"), _q("dc", "date")))


# --- DOCX -------------------------------------------------------------------
def _docx_paragraphs(zf: zipfile.ZipFile) -> Iterator[str]:
    w_p, w_t, w_tab, w_br = _q("w", "p"), _q("w", "t"), _q("w", "tab"), _q("w", "br")
    with _xml_stream(zf, "word/document.xml") as stream:
        for _, elem in ET.iterparse(stream, events=("end",)):
            if elem.tag != w_p:
                continue
            out = []
            for node in elem.iter():
                if node.tag == w_t:
                    out.append(node.text or "")
                elif node.tag == w_tab:
                    out.append(" ")
                elif node.tag == w_br:
                    out.append("\n")
            elem.clear()
            yield "".join(out)


def _docx(zf: zipfile.ZipFile, max_chars: int) -> DocumentArtifact:
    lines = _collect(_docx_paragraphs(zf), max_chars)
    title, dates = _ooxml_properties(zf)
    text = clean_text(lines, max_chars)
    return DocumentArtifact(
        kind="docx", title=pick_title(title, text), text=text, dates=iso_dates(dates | set(find_dates(text)))
    )


def _collect(paragraphs: Iterator[str], max_chars: int) -> list[str]:
    lines, size = [], 0
    for line in paragraphs:
        lines.append(line)
        size += len(line) + 1
        if size >= max_chars:
            break
    return lines


# --- ODT / ODS ----------------------------------------------------------------
def _odf_text(elem: ET.Element) -> str:
    out = [elem.text or ""]
    for child in elem:
        if child.tag == _q("text", "s"):
            out.append(" " * min(int(child.get(_q("text", "c"), "1") or 1), 100))
        elif child.tag == _q("text", "tab"):
            out.append(" ")
        elif child.tag == _q("text", "line-break"):
            out.append("\n")
        else:
            out.append(_odf_text(child))
        out.append(child.tail or "")
    return "".join(out)


def _odf_paragraphs(zf: zipfile.ZipFile, cell_dates: set[date]) -> Iterator[str]:
    blocks = {_q("text", "p"), _q("text", "h")}
    cell, value_type, date_value = _q("table", "table-cell"), _q("office", "value-type"), _q("office", "date-value")
    with _xml_stream(zf, "content.xml") as stream:
        for _, elem in ET.iterparse(stream, events=("end",)):
            if elem.tag in blocks:
                yield _odf_text(elem)
                elem.clear()
            elif elem.tag == cell:
                if elem.get(value_type) == "date":
                    value = parse_iso_prefix(elem.get(date_value, ""))
                    if value:
                        cell_dates.add(value)
                elem.clear()


def _odf(zf: zipfile.ZipFile, kind: str, max_chars: int) -> DocumentArtifact:
    cell_dates: set[date] = set()
    lines = _collect(_odf_paragraphs(zf, cell_dates), max_chars)
    title, dates = _odf_properties(zf)
    text = clean_text(lines, max_chars)
    return DocumentArtifact(
        kind=kind, title=pick_title(title, text), text=text, dates=iso_dates(dates | cell_dates | set(find_dates(text)))
    )


# --- XLSX -------------------------------------------------------------------
def _xlsx(body: bytes, zf: zipfile.ZipFile, max_chars: int, max_rows: int) -> DocumentArtifact:
    import openpyxl

    title, dates = _ooxml_properties(zf)
    workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    lines: list[str] = []
    size = 0
    most_rows = 0
    try:
        sheets = workbook.sheetnames
        for sheet in workbook.worksheets[:MAX_SHEETS]:
            lines.append(sheet.title)
            rows = 0
            for row in sheet.iter_rows(max_row=max_rows, max_col=MAX_COLS, values_only=True):
                cells = []
                for value in row:
                    if value is None or value == "":
                        continue
                    if isinstance(value, (datetime, date)):
                        day = make_date(value.year, value.month, value.day)
                        if day:
                            dates.add(day)
                        cells.append(value.isoformat()[:10] if day else str(value))
                    else:
                        cells.append(str(value))
                if cells:
                    rows += 1
                    line = " | ".join(cells)
                    lines.append(line)
                    size += len(line) + 1
                if size >= max_chars:
                    break
            most_rows = max(most_rows, rows)
            if size >= max_chars:
                break
    finally:
        workbook.close()
    text = clean_text(lines, max_chars)
    title = pick_title(title, "") or (sheets[0] if sheets else "")
    return DocumentArtifact(
        kind="xlsx", title=title, text=text, dates=iso_dates(dates | set(find_dates(text))), rows=most_rows
    )


def extract_office(
    body: bytes, kind: str, max_chars: int, max_unzipped: int = MAX_UNZIPPED, max_rows: int = MAX_ROWS
) -> DocumentArtifact:
    """Facts from an xlsx/docx/odt/ods body; raises ``Rejected`` (or anything) on bad input."""
    try:
        zf = _open_zip(body, max_unzipped)
    except zipfile.BadZipFile as exc:
        raise Rejected(f"archivo dañado: {exc}") from exc
    with zf:
        if kind == "xlsx":
            return _xlsx(body, zf, max_chars, max_rows)
        if kind == "docx":
            return _docx(zf, max_chars)
        return _odf(zf, kind, max_chars)
