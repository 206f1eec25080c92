"""OCR of scanned PDFs and of images: each PDF page rendered to a grey image with pypdfium2, then read by
Debian's `tesseract` with its Spanish data (`tesseract-ocr-spa`) through its command line.

Runs inside the document extraction worker (crawler/extract.py), within a page budget and a time budget: a page
is not started once the budget is spent, and a Tesseract run is killed at the budget's end. Tesseract is held to
one thread: the crawl's cores are shared.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import time
from dataclasses import dataclass

LANGUAGE = "spa"
DPI = 200
MAX_SIDE = 4000  # pixels: a large-format scan (a plan) is rendered smaller, not at DPI
MIN_SECONDS = 1.0  # a page is not started with less time left than this
NO_TESSERACT = "OCR no disponible: falta el programa tesseract"


@dataclass(frozen=True)
class OcrResult:
    text: str = ""
    pages: int = 0  # pages read
    error: str | None = None  # why OCR stopped short or did not run


def tesseract() -> str | None:
    return shutil.which("tesseract")


def ocr_pdf(body: bytes, max_pages: int, max_seconds: float) -> OcrResult:
    """The text of the first `max_pages` pages of a PDF, read by OCR within `max_seconds`."""
    program = tesseract()
    if program is None:
        return OcrResult(error=NO_TESSERACT)
    import pypdfium2  # heavy import, only when needed

    deadline = time.monotonic() + max_seconds
    texts: list[str] = []
    error = None
    pdf = pypdfium2.PdfDocument(body)
    try:
        wanted = min(len(pdf), max_pages)
        for index in range(wanted):
            remaining = deadline - time.monotonic()
            if remaining < MIN_SECONDS:
                error = f"tiempo de OCR agotado tras {len(texts)} de {wanted} páginas"
                break
            try:
                text = _read_page(program, _page_png(pdf, index), remaining)
            except subprocess.TimeoutExpired:
                error = f"tiempo de OCR agotado tras {len(texts)} de {wanted} páginas"
                break
            except RuntimeError as exc:
                error = f"OCR falló en la página {index + 1}: {exc}"[:300]
                break
            texts.append(text)
    finally:
        pdf.close()
    return OcrResult("\n".join(texts), len(texts), error)


def ocr_image(body: bytes, max_seconds: float) -> OcrResult:
    """The text of one image (an organigrama, a table of fees published as a picture), read by OCR."""
    program = tesseract()
    if program is None:
        return OcrResult(error=NO_TESSERACT)
    try:
        return OcrResult(_read_page(program, body, max_seconds), 1)
    except subprocess.TimeoutExpired:
        return OcrResult(error="tiempo de OCR agotado")
    except RuntimeError as exc:
        return OcrResult(error=f"OCR falló: {exc}"[:300])


def _page_png(pdf, index: int) -> bytes:
    page = pdf[index]
    try:
        width, height = page.get_size()  # points
        scale = min(DPI / 72, MAX_SIDE / max(width, height, 1))
        image = page.render(scale=scale, grayscale=True).to_pil()
    finally:
        page.close()
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _read_page(program: str, png: bytes, timeout: float) -> str:
    # --psm 1: page layout with orientation detection, so a sheet scanned sideways or upside down reads upright
    result = subprocess.run(
        [program, "stdin", "stdout", "-l", LANGUAGE, "--psm", "1"],
        input=png,
        capture_output=True,
        timeout=timeout,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr.decode("utf-8", "replace").strip()[-200:] or f"código {result.returncode}")
    return result.stdout.decode("utf-8", "replace")
