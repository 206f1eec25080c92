"""Facts from documents (PDF, XLSX, DOCX, ODT/ODS, TXT/CSV): pure functions, no network.

``extract_document`` never raises: any failure becomes ``DocumentArtifact(error=...)``.
Hostile input is bounded by an input size cap, a zip-bomb check (declared uncompressed
sizes, which ``zipfile`` also enforces while reading) and a page/row/character cap. Only
Poppler's ``pdftotext`` runs with a time limit of its own; the crawl pipeline calls
``extract_document_with_timeout`` (a worker process that is killed when it overruns)
instead of calling ``extract_document`` directly.
"""

from __future__ import annotations

import io
import re
import resource
import shutil
import signal
import subprocess
import unicodedata
import zipfile
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from crawler.dates import find_dates, parse_pdf_date
from crawler.extract_common import Rejected, clean_text, first_line, iso_dates, pick_title
from crawler.extract_office import (
    MAX_ROWS,
    MAX_UNZIPPED,
    OFFICE_KINDS,
    extract_office,
    zip_kind,
)
from crawler.ocr import OcrResult, ocr_image, ocr_pdf
from models.artifact import DocumentArtifact

MAX_BYTES = 25 * 1024 * 1024
UNSUPPORTED = "formato no soportado"
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")

_CONTENT_TYPES = {
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "text/plain": "txt",
    "text/csv": "csv",
}
_EXTENSIONS = {".pdf", ".xlsx", ".xlsm", ".docx", ".odt", ".ods", ".doc", ".xls", ".txt", ".csv"}


def _kind_from_headers(url: str, content_type: str) -> str | None:
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime in _CONTENT_TYPES:
        return _CONTENT_TYPES[mime]
    suffix = PurePosixPath(urlsplit(url or "").path).suffix.lower()
    if suffix in _EXTENSIONS:
        return {".xlsm": "xlsx"}.get(suffix, suffix[1:])
    return None


def detect_kind(body: bytes, url: str = "", content_type: str = "") -> str | None:
    """ "pdf", "xlsx", "docx", "odt", "ods", "doc", "xls", "txt", "csv" or None.

    Magic bytes win when they are conclusive (servers often send PDFs as
    application/octet-stream or even text/html); otherwise the Content-Type header, then
    the URL extension, decide.
    """
    declared = _kind_from_headers(url, content_type)
    if b"%PDF-" in body[:1024]:
        return "pdf"
    if body[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as zf:
                return zip_kind(zf) or declared
        except Exception:  # noqa: BLE001 - a broken zip is reported when it is opened again
            return declared
    if body[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return declared if declared in ("doc", "xls") else "ole"
    if body.startswith(IMAGE_MAGIC) or (body[:4] == b"RIFF" and body[8:12] == b"WEBP"):
        return "image"
    return declared


# --- PDF --------------------------------------------------------------------
# Within APERTURA_DOCUMENT_TIMEOUT (20 s), so the worker reports it; the CPU limit also ends a pdftotext whose
# worker was killed first.
PDFTOTEXT_SECONDS = 15
# Fewer characters than this per page: a scan with a stamp if its pages draw an image, only a title if they draw
# nothing (no image, fewer than DRAWN_MIN_PATHS paths: a rule under the title, not a table or a chart)
SHORT_TEXT_CHARS = 50
DRAWN_MIN_PATHS = 8


def pdftotext() -> str | None:
    """Poppler's text extractor (Debian's poppler-utils): the crawl does not start without it."""
    return shutil.which("pdftotext")


def _pdf_text(body: bytes, max_pages: int) -> str:
    """The text of the first ``max_pages`` pages, line by line as laid out (columns of a row on one line)."""
    program = pdftotext()
    if program is None:
        raise Rejected("PDF no leído: falta el programa pdftotext (paquete poppler-utils)")
    command = [program, "-q", "-layout", "-enc", "UTF-8", "-l", str(max_pages), "-", "-"]
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as process:
        # set after the start, not in a preexec_fn: that would make every start a full fork of the worker
        resource.prlimit(process.pid, resource.RLIMIT_CPU, (PDFTOTEXT_SECONDS, PDFTOTEXT_SECONDS))
        try:
            output, _ = process.communicate(body, timeout=PDFTOTEXT_SECONDS)
        except subprocess.TimeoutExpired as exc:
            process.kill()
            raise Rejected(f"PDF ilegible: su texto no se leyó en {PDFTOTEXT_SECONDS} s") from exc
    if process.returncode == -signal.SIGXCPU:
        raise Rejected(f"PDF ilegible: su texto no se leyó en {PDFTOTEXT_SECONDS} s de CPU")
    if process.returncode:
        raise Rejected(f"PDF ilegible: pdftotext terminó con el código {process.returncode}")
    # accents drawn as separate glyphs come out decomposed; rules compare composed text
    return unicodedata.normalize("NFC", output.decode("utf-8", errors="replace")).replace("\f", "\n")


def _drawings(pdf, pages: int) -> tuple[bool, bool]:
    """Whether the pages read draw an image, and whether they draw anything: an image, or DRAWN_MIN_PATHS paths (a
    table's lines, a chart, a logo, text drawn as outlines)."""
    import pypdfium2.raw as pdfium_c

    paths = 0
    for index in range(pages):
        page = pdf[index]
        try:
            for item in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=4):
                if item.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                    return True, True
                paths += 1
        finally:
            page.close()
    return False, paths >= DRAWN_MIN_PATHS


def _pdf(body: bytes, max_pages: int, max_chars: int, ocr_pages: int, ocr_seconds: float) -> DocumentArtifact:
    import pypdfium2  # heavy import, only when needed

    try:
        pdf = pypdfium2.PdfDocument(body)
    except Exception as exc:  # noqa: BLE001 - PDFium reports every broken file as one error
        raise Rejected(f"PDF ilegible: PDFium no pudo abrirlo ({exc})"[:300]) from exc
    try:
        pages = len(pdf)
        meta = pdf.get_metadata_dict()  # PDFium decodes the values (PDFDocEncoding or UTF-16) to str
        examined = min(pages, max_pages)
        text = clean_text(_pdf_text(body, max_pages).splitlines(), max_chars)
        per_page = len(re.sub(r"\s", "", text)) / max(examined, 1)
        images, drawn = _drawings(pdf, examined) if per_page < SHORT_TEXT_CHARS else (False, None)
        # scanned: (almost) no text layer; a page number stamp on a scan is tolerated
        image_only = pages > 0 and (per_page < 10 or images)
    finally:
        pdf.close()
    ocr = OcrResult()
    if image_only and ocr_pages > 0:
        ocr = ocr_pdf(body, ocr_pages, ocr_seconds)
        read = clean_text(ocr.text.splitlines(), max_chars)
        if len(read) > len(text):
            text = read
        else:
            ocr = OcrResult(pages=ocr.pages, error=ocr.error)  # nothing more than the stamp: not OCR text
    dates = set(find_dates(text))
    for key in ("CreationDate", "ModDate"):
        value = parse_pdf_date(meta[key])
        if value:
            dates.add(value)
    return DocumentArtifact(
        kind="pdf",
        title=pick_title(meta["Title"], text),
        text=text,
        pages=pages,
        dates=iso_dates(dates),
        image_only=image_only,
        drawn=drawn,
        ocr=bool(ocr.text),
        ocr_pages=ocr.pages,
        ocr_error=ocr.error,
    )


def _plain(body: bytes, kind: str, max_chars: int) -> DocumentArtifact:
    try:
        raw = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raw = body.decode("cp1252", errors="replace")
    text = clean_text(raw[: max_chars * 2].splitlines(), max_chars)
    return DocumentArtifact(kind=kind, title=first_line(text), text=text, dates=iso_dates(set(find_dates(text))))


def _extract(
    body: bytes,
    url: str,
    content_type: str,
    max_pages: int,
    max_chars: int,
    max_unzipped: int,
    max_rows: int,
    ocr_pages: int,
    ocr_seconds: float,
) -> DocumentArtifact:
    kind = detect_kind(body, url, content_type)
    if kind == "pdf":
        return _pdf(body, max_pages, max_chars, ocr_pages, ocr_seconds)
    if kind in ("txt", "csv"):
        return _plain(body, kind, max_chars)
    if kind in OFFICE_KINDS:
        return extract_office(body, kind, max_chars, max_unzipped, max_rows)
    if kind == "image":
        return _image(body, max_chars, ocr_pages, ocr_seconds)
    return DocumentArtifact(kind=kind, error=UNSUPPORTED)


def _image(body: bytes, max_chars: int, ocr_pages: int, ocr_seconds: float) -> DocumentArtifact:
    """A published image (an organigrama, fees as a picture): one page, read by OCR when the budget allows."""
    ocr = ocr_image(body, ocr_seconds) if ocr_pages > 0 else OcrResult()
    text = clean_text(ocr.text.splitlines(), max_chars)
    return DocumentArtifact(
        kind="image",
        title=first_line(text),
        text=text,
        pages=1,
        image_only=True,
        ocr=bool(text),
        ocr_pages=ocr.pages,
        ocr_error=ocr.error,
        dates=iso_dates(set(find_dates(text))),
    )


def extract_document(
    body: bytes,
    url: str,
    content_type: str = "",
    *,
    max_pages: int = 30,
    max_chars: int = 200_000,
    max_bytes: int = MAX_BYTES,
    max_unzipped: int = MAX_UNZIPPED,
    max_rows: int = MAX_ROWS,
    ocr_pages: int = 0,
    ocr_seconds: float = 60.0,
) -> DocumentArtifact:
    """Facts about one document. Never raises; failures come back as ``error``.

    Only the first ``max_pages`` PDF pages and ``max_rows`` rows of each sheet are read,
    text is cut at ``max_chars``. Bodies over ``max_bytes`` and zips whose members declare
    more than ``max_unzipped`` bytes are refused. There is no wall-clock limit here: the
    caller runs this in a worker process with a timeout (``extract_document_with_timeout``).
    A PDF without a text layer is read by OCR (crawler/ocr.py) when ``ocr_pages`` > 0: its first ``ocr_pages``
    pages within ``ocr_seconds``, on top of the extraction's own time.
    """
    try:
        if not body:
            return DocumentArtifact(error="archivo vacío")
        if len(body) > max_bytes:
            return DocumentArtifact(error="archivo demasiado grande")
        return _extract(body, url, content_type, max_pages, max_chars, max_unzipped, max_rows, ocr_pages, ocr_seconds)
    except Rejected as exc:
        return DocumentArtifact(kind=_safe_kind(body, url, content_type), error=str(exc))
    except Exception as exc:  # noqa: BLE001 - hostile input must never crash the crawl
        message = f"error al extraer: {type(exc).__name__}: {exc}"
        return DocumentArtifact(kind=_safe_kind(body, url, content_type), error=message[:300])


def _safe_kind(body: bytes, url: str, content_type: str) -> str | None:
    try:
        return detect_kind(body, url, content_type)
    except Exception:  # noqa: BLE001
        return None
