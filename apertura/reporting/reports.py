"""Renders reports from pydantic models (never from ORM rows): terminal table, JSON, HTML."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from rich.console import Console
from rich.padding import Padding
from rich.table import Table

from apertura.registry.padron import STRATA
from apertura.reporting import charts
from apertura.reporting.review import describe
from models import Evidence, Finding, MunicipalityReport, Status
from models.labels import (  # noqa: F401 (re-exported)
    CRAWL_STATUS_ES,
    DIMENSION_ES,
    NATURE_ES,
    PRACTICE_STATUS_ES,
    STATUS_ES,
    VERDICT_ES,
    crawl_status_text,
    status_text,
)
from storage.bodies import BodyUnavailable

STATUS_STYLE = {
    Status.COMPLIANT: "green",
    Status.PARTIAL: "yellow",
    Status.NON_COMPLIANT: "red",
    Status.NOT_VERIFIABLE: "magenta",
    Status.NOT_APPLICABLE: "dim",
}
DIMENSIONS = ("transparencia", "participacion", "tic")
# the order a reviewer reads findings in: what fails first; what passes or does not apply, collapsed
STATUS_ORDER = (Status.NON_COMPLIANT, Status.PARTIAL, Status.NOT_VERIFIABLE, Status.COMPLIANT, Status.NOT_APPLICABLE)
OPEN_STATUSES = (Status.NON_COMPLIANT, Status.PARTIAL)
UNREACHABLE = ("unreachable", "blocked", "no_site")
SCREENSHOTS = "capturas"  # beside the reports: `<sha256>.png` of the screenshots they cite
BUNDLE_REPLAY = "/archivo"  # where `apertura review --servir` replays a bundle's WACZ (apertura/evidence/replay.py)
REPLAY_ENV = "APERTURA_REPLAY_URL"  # a replay server (pywb) over the run archives, for the reports' archive links
# Scrapy/Twisted failures ("DNSLookupError: …") as a reader understands them; the original stays as detail.
FAILURES_ES = (
    ("DNSLookupError", "no se pudo resolver el nombre del dominio (DNS)"),
    ("ConnectionRefused", "el servidor rechazó la conexión"),
    ("TimeoutError", "se agotó el tiempo de espera"),
    ("TimedOut", "se agotó el tiempo de espera"),
    ("ConnectionLost", "la conexión se interrumpió antes de completar la respuesta"),
    ("ResponseNeverReceived", "el servidor cerró la conexión sin responder"),
    ("ResponseFailed", "la respuesta del servidor llegó incompleta"),
    ("SSL", "falló la conexión segura (TLS/SSL)"),
    ("NoRouteError", "no hay ruta de red hacia el servidor"),
    ("ConnectError", "no se pudo conectar con el servidor"),
)

_templates = Environment(
    loader=PackageLoader("apertura.reporting", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_templates.globals.update(
    STATUS_ES=STATUS_ES,
    status_text=status_text,
    NATURE_ES=NATURE_ES,
    DIMENSION_ES=DIMENSION_ES,
    VERDICT_ES=VERDICT_ES,
    STRATA=STRATA,
)
_HEX_DIGEST = re.compile(r"[0-9a-f]{64}")
_EXCEPTION = re.compile(r"[A-Za-z_.]*(Error|Exception|Failure|Lost|Received|Failed)")
_SENTENCE_THEN_TYPE = re.compile(r"(?P<sentence>[^:]+):\s*[A-Za-z_.]*(Error|Exception|Failure|Lost|Received|Failed):")


def http_url(url: str | None) -> str | None:
    """The URL if it may become a link (http or https); anything else (javascript:, data:…) stays text."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


def hex_digest(value: str | None) -> str | None:
    """A SHA-256 safe to put in a path (capturas/<sha>.png)."""
    return value if isinstance(value, str) and _HEX_DIGEST.fullmatch(value) else None


def score_text(value: float | None) -> str:
    return "n/d" if value is None else f"{value:.1f}"


def breakable(rule_id: str) -> Markup:
    """A rule id that may wrap after its underscores only ("part.solicitud_informacion"), never inside a part."""
    return Markup("_<wbr>").join(escape(part) for part in rule_id.split("_"))


def failure_text(reason: str | None) -> str:
    """A crawl failure as a reader understands it. The crawler writes «<Spanish sentence>: <Type>: <detail>»
    (crawler/failures.py): the sentence is kept. Older crawls stored Scrapy/Twisted's «DNSLookupError: …»:
    the exception is named in Spanish (FAILURES_ES). Either way the original is shown apart as detail."""
    if not reason:
        return ""
    head = reason.split(":", 1)[0].strip()
    if _EXCEPTION.fullmatch(head):
        return next((spanish for marker, spanish in FAILURES_ES if marker.lower() in head.lower()), "la descarga falló")
    if sentence := _SENTENCE_THEN_TYPE.match(reason):
        return sentence["sentence"].strip()
    return reason


def archived_url(evidence: Evidence, replay: str | None) -> str | None:
    """The evidence's archived copy in a replay server (pywb URL scheme: `<prefix>/<timestamp>/<url>`)."""
    url = http_url(evidence.url)
    if not replay or not evidence.warc_record_id or not evidence.fetched_at or not url:
        return None
    stamp = evidence.fetched_at.astimezone(UTC).strftime("%Y%m%d%H%M%S")
    return f"{replay.rstrip('/')}/{stamp}/{url}"


def grouped(report: MunicipalityReport) -> list[tuple[str, list[tuple[Status, list[tuple[Finding, list[Finding]]]]]]]:
    """Findings by dimension, then by status in `STATUS_ORDER`; each top-level finding with its sub-rules."""
    children: dict[str, list[Finding]] = {}
    for finding in report.findings:
        if finding.parent:
            children.setdefault(finding.parent, []).append(finding)
    top = [f for f in report.findings if not f.parent]
    result = []
    for dimension in DIMENSIONS:
        by_status = [
            (status, [(f, children.get(f.rule_id, [])) for f in top if f.dimension == dimension and f.status == status])
            for status in STATUS_ORDER
        ]
        by_status = [(status, items) for status, items in by_status if items]
        if by_status:
            result.append((dimension, by_status))
    return result


def to_review(report: MunicipalityReport) -> list[Finding]:
    """Findings that need a person: partial ones; failures resting on something found (a broken link, a stale
    document) rather than on a documented search that found nothing; those the tool could not decide although
    the site answered; and any whose message asks for a review («revisar vigencia»). Never groups (their
    sub-rules are listed) nor findings with a verdict on the current evidence."""
    reachable = report.crawl_status not in UNREACHABLE
    return [f for f in report.findings if not f.is_group and not (f.verdict and f.verdict.current) and (
        f.status == Status.PARTIAL
        or (f.status == Status.NON_COMPLIANT and not by_absence(f))
        or (f.status == Status.NOT_VERIFIABLE and reachable)
        or "revisar" in f.message.lower()
    )]  # fmt: skip


def by_absence(finding: Finding) -> bool:
    """A failure whose only evidence is a search that found nothing (its terms are in the finding)."""
    return bool(finding.evidence) and all(e.kind == "absence" for e in finding.evidence)


_templates.filters.update(
    http_url=http_url, hex_digest=hex_digest, verdict_text=describe, score=score_text, crawl_status=crawl_status_text,
    failure=failure_text, archived=archived_url, breakable=breakable,
)  # fmt: skip
_templates.tests["by_absence"] = by_absence
_templates.globals.update(
    grouped=grouped, to_review=to_review, trend=charts.trend, UNREACHABLE=UNREACHABLE, OPEN_STATUSES=OPEN_STATUSES
)


def render(template: str, **context) -> str:
    return _templates.get_template(template).render(**context)


WIDE = 120  # below this many columns a table would cut rule ids or squeeze the detail: one block per row


def print_report(report: MunicipalityReport, console: Console) -> None:
    if console.width < WIDE:
        console.print(f"[bold]{report.name} ({report.inegi_code}) — corte {report.fecha_corte.isoformat()}[/]")
        for finding in report.findings:
            if not finding.parent:
                style = STATUS_STYLE[finding.status]
                console.print(
                    f"[bold]{finding.rule_id}[/] · {finding.title} · [{style}]{STATUS_ES[finding.status]}[/]",
                    highlight=False,
                )
                console.print(Padding(finding.message, (0, 0, 0, 4)), highlight=False)
        console.print(scores_line(report))
        return
    table = Table(title=f"{report.name} ({report.inegi_code}) — corte {report.fecha_corte.isoformat()}")
    table.add_column("Regla", no_wrap=True)
    table.add_column("Obligación")
    table.add_column("Resultado")
    table.add_column("Detalle")
    for finding in report.findings:
        if finding.parent:
            continue  # formats are summarised by their fraction; all are in the JSON/HTML reports
        style = STATUS_STYLE[finding.status]
        table.add_row(
            finding.rule_id,
            finding.title,
            f"[{style}]{status_text(finding.status, finding.nature)}[/]",
            finding.message,
        )
    console.print(table)
    console.print(scores_line(report))


def summary_row(report: MunicipalityReport) -> tuple[str, ...]:
    """A report's row in the run's summary table: what a night keeps of each report until the end."""
    return (
        report.inegi_code,
        report.name,
        crawl_status_text(report.crawl_status),
        *(score_text(s.value) for s in report.scores),
    )


def print_summary(rows: list[tuple[str, ...]], console: Console) -> None:
    """One row per municipality (`summary_row`): crawl status and scores by dimension."""
    table = Table(title="Resumen de la ejecución")
    for column in ("Clave", "Municipio", "Rastreo", *DIMENSION_ES.values()):
        # on a narrow terminal names and headers wrap; a code or a crawl status must stay whole
        # (a name longer than its column folds onto the next line instead of being cut with an ellipsis)
        table.add_column(column, no_wrap=column in ("Clave", "Rastreo"), overflow="fold")
    for row in rows:
        table.add_row(*row)
    console.print(table)


def scores_line(report: MunicipalityReport) -> str:
    return " · ".join(f"{DIMENSION_ES[s.dimension]}: {score_text(s.value)}" for s in report.scores)


def write_json(report: MunicipalityReport, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report.model_dump_json(indent=2), encoding="utf-8")
    return path


def write_html(
    report: MunicipalityReport,
    path: Path,
    screenshots: str | None = None,
    replay: str | None = None,
    bundled: bool = False,
) -> Path:
    """`screenshots`: folder, relative to the report, holding `<sha256>.png` (as in an evidence bundle,
    "../evidencia/capturas"); without it the report names the screenshots instead of showing thumbnails.
    `replay`: URL prefix of a replay server holding the run's archive (pywb); by default $APERTURA_REPLAY_URL;
    each cited page then links to its archived copy. `bundled`: the report is inside an evidence bundle,
    whose archive `apertura review --servir` replays."""
    if bundled:
        replay = BUNDLE_REPLAY
    elif replay is None:
        replay = os.environ.get(REPLAY_ENV) or None
    html = render("municipio.html.j2", report=report, screenshots=screenshots, replay=replay, bundled=bundled).lstrip()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


def write_reports(
    report: MunicipalityReport,
    directory: Path,
    screenshots: str | None = None,
    replay: str | None = None,
    bundled: bool = False,
) -> list[Path]:
    stem = directory / f"{report.inegi_code}"
    html = write_html(report, stem.with_suffix(".html"), screenshots, replay, bundled)
    return [write_json(report, stem.with_suffix(".json")), html]


def cited_screenshots(report: MunicipalityReport) -> list[str]:
    return sorted({d for f in report.findings for e in f.evidence if (d := hex_digest(e.screenshot_sha256))})


def write_screenshots(report: MunicipalityReport, folder: Path, body: Callable[[str], bytes | None]) -> int:
    """Writes `<folder>/<sha256>.png` for every screenshot the report cites (`body` reads one by its hash; a
    file already there is kept: it is named by its content). Returns how many are missing from the store."""
    folder.mkdir(parents=True, exist_ok=True)
    missing = 0
    for sha256 in cited_screenshots(report):
        target = folder / f"{sha256}.png"
        if target.exists():
            continue
        try:
            content = body(sha256)
        except BodyUnavailable:
            content = None
        if content is None:
            missing += 1
        else:
            target.write_bytes(content)
    return missing
