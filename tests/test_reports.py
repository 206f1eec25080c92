"""Municipal HTML reports and the state overview, built from a real crawl of the sample web."""

from __future__ import annotations

import json
import math
import re
import statistics
from pathlib import Path

import pdfplumber
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from apertura import jobs, overview, reports
from apertura.cli import app
from apertura.registry import load_registry
from models import Evidence, Municipality, MunicipalityReport
from models.overview import StateOverview
from storage import repository
from storage.database import open_database
from storage.orm import Resource

runner = CliRunner()
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def cli(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def build_report(db_url: str, registry: Path, code: str) -> MunicipalityReport:
    padron = load_registry(registry)
    with open_database(db_url).begin() as session:
        audit_row = repository.latest_audit(session, code)
        return jobs.report(session, audit_row, padron.find(code), overview.peer_position(session, padron, code))


# ---------------------------------------------------------------- the municipal report


def test_nightly_report_has_scores_findings_peers_and_review_list(sample_run):
    html = (sample_run["out"] / "15054.html").read_text(encoding="utf-8")
    data = MunicipalityReport.model_validate_json((sample_run["out"] / "15054.json").read_text(encoding="utf-8"))
    assert "Content-Security-Policy" in html and "<script" not in html
    for heading in ("Puntajes", "Contexto socioeconómico", "Evolución", "Qué revisar a mano", "Hallazgos"):
        assert f"<h2>{heading}</h2>" in html
    # Metepec and Tonanitla share CONAPO "Muy bajo"; published at the end of the nightly, so both count.
    assert data.peers.stratum == "Muy bajo" and data.peers.ranked == 2 and data.peers.rank == 1
    assert "Lugar <strong>1</strong> de 2 municipios auditados" in html
    first = data.findings[0]
    assert first.legal_basis in html and f'id="{first.rule_id}"' in html
    assert f'<a href="{first.evidence[0].url}"' in html  # evidence URLs are links
    partial = next(f for f in data.findings if f.status == "partial" and not f.is_group)
    review_list = html.split("<h2>Qué revisar a mano</h2>")[1].split("<h2>Hallazgos</h2>")[0]
    assert f'href="#{partial.rule_id}"' in review_list


def test_unreachable_municipality_is_not_verifiable_and_has_no_rank(sample_run):
    html = (sample_run["out"] / "15123.html").read_text(encoding="utf-8")
    data = MunicipalityReport.model_validate_json((sample_run["out"] / "15123.json").read_text(encoding="utf-8"))
    assert data.crawl_status == "unreachable" and data.peers.rank is None
    assert "No se pudo consultar el sitio" in html and "No cumple" not in html


def test_trend_appears_after_a_second_audit(sample_run, sample_db_copy, tmp_path):
    cli("audit", "15054", "--registry", str(sample_run["registry"]), "--db", sample_db_copy,
        "--fecha-corte", "2027-06-30", "--out", str(tmp_path))  # fmt: skip
    report = build_report(sample_db_copy, sample_run["registry"], "15054")
    assert [p.fecha_corte.isoformat() for p in report.history] == ["2026-11-24", "2027-06-30"]
    html = (tmp_path / "15054.html").read_text(encoding="utf-8")
    trend = html.split("<h2>Evolución</h2>")[1].split("<h2>")[0]
    assert "<polyline" in trend and "2027-06-30" in trend
    points = re.findall(r'points="([^"]+)"', trend)
    assert all(len(p.split()) == 2 for p in points)  # one point per audit for every series


def test_screenshot_thumbnails_use_the_given_folder(sample_run, tmp_path):
    report = build_report(sample_run["db"], sample_run["registry"], "15054")
    shot = "ab" * 32
    finding = report.findings[0]
    evidence = [finding.evidence[0].model_copy(update={"screenshot_sha256": shot}), *finding.evidence[1:]]
    report.findings[0] = finding.model_copy(update={"evidence": evidence})
    bundled = reports.write_html(report, tmp_path / "bundle.html", screenshots="../evidencia/capturas").read_text()
    plain = reports.write_html(report, tmp_path / "plain.html").read_text()
    assert f'<img class="thumb" src="../evidencia/capturas/{shot}.png"' in bundled
    assert "<img" not in plain and f"<code>{shot[:16]}…</code>" in plain


# ---------------------------------------------------------------- scraped text never runs


HOSTILE_URL = "javascript:window.__pwned=1"
HOSTILE_IMG = '<img src=x onerror="window.__pwned=1;alert(2)">'


def hostile_report(db_url: str, registry: Path) -> tuple[MunicipalityReport, str]:
    """Tonanitla's real report with text the crawler extracted (a news title `<script>alert(1)</script> …`)."""
    report = build_report(db_url, registry, "15125")
    with open_database(db_url).begin() as session:
        news = session.scalars(select(Resource).where(Resource.url.endswith("/noticias.php"))).first()
        scraped = news.full_artifact["page"]["text"]
    start = scraped.index("<script>alert(1)</script>")
    text = scraped[start : scraped.index("futbol", start) + len("futbol")]
    injected = [
        Evidence(kind="page", url=news.url, sha256=news.sha256, matched=text),
        Evidence(kind="link", url=HOSTILE_URL, matched=HOSTILE_IMG),
        Evidence(kind="link", url=" JavaScript:alert(3)", matched="<svg onload=alert(4)>"),
    ]
    first = report.findings[0]
    report.findings[0] = first.model_copy(update={"title": "<script>window.__pwned=1</script>", "evidence": injected})
    return report, text


@pytest.mark.browser
def test_scraped_script_injection_does_not_execute_in_chromium(sample_run, tmp_path):
    from playwright.sync_api import sync_playwright

    report, text = hostile_report(sample_run["db"], sample_run["registry"])
    path = reports.write_html(report, tmp_path / "15125.html")
    html = path.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and 'href="javascript' not in html.lower()
    dialogs = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator("img[src='x']").count() == 0 and page.locator("svg[onload]").count() == 0
        assert page.locator("a[href^='javascript' i]").count() == 0
        assert page.get_by_text(text).first.is_visible()
        assert page.get_by_text(HOSTILE_IMG).first.is_visible()
        assert page.get_by_text("<script>window.__pwned=1</script>").first.is_visible()
        assert page.get_by_text(HOSTILE_URL).first.is_visible()  # shown as text, not as a link
        browser.close()
    assert dialogs == []


@pytest.mark.browser
def test_report_prints_to_pdf(sample_run, tmp_path):
    from playwright.sync_api import sync_playwright

    source = sample_run["out"] / "15001.html"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(source.as_uri())
        pdf = page.pdf(format="Letter", print_background=True)
        browser.close()
    (tmp_path / "informe.pdf").write_bytes(pdf)
    with pdfplumber.open(tmp_path / "informe.pdf") as document:
        assert len(document.pages) > 1
        first = document.pages[0].extract_text()
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    assert "Acambay de Ruíz Castañeda" in first and "Clave INEGI 15001" in first
    assert "Qué revisar a mano" in text and "Fundamento: LTAIPEMyM" in text
    assert "ltaipemym.92.XXVII.a" in text  # rule ids are not broken across lines


# ---------------------------------------------------------------- the state overview


def test_nightly_writes_the_state_overview(sample_run):
    state = StateOverview.model_validate_json((sample_run["out"] / "estatal.json").read_text(encoding="utf-8"))
    by_code = {r.inegi_code: r for r in state.municipalities}
    assert [r.inegi_code for r in state.municipalities][:3] == ["15054", "15001", "15125"]  # by global score
    assert by_code["15123"].status == "not_verifiable" and by_code["15123"].crawl_status == "unreachable"
    assert by_code["15054"].peers.state_rank == 1 and by_code["15125"].peers.rank == 2
    html = (sample_run["out"] / "estatal.html").read_text(encoding="utf-8")
    assert "<script" not in html and html.count("<svg") == 4  # one strip chart per score
    assert "No verificable" in html and "Clasificación por índice global" in html


def test_overview_command_with_the_bundled_registry(sample_run, tmp_path):
    """The sample municipalities keep their INEGI codes, so the bundled registry lists the other 121 as sin auditar."""
    result = cli("overview", "--db", sample_run["db"], "--out", str(tmp_path), "--estrato", "idh", "--json")
    state = StateOverview.model_validate_json(result.stdout)
    assert len(state.municipalities) == 125 and state.stratum_kind == "idh"
    assert sum(r.status == "not_audited" for r in state.municipalities) == 121
    assert (tmp_path / "estatal.html").exists() and (tmp_path / "estatal.json").exists()
    html = (tmp_path / "estatal.html").read_text(encoding="utf-8")
    assert "Sin auditar" in html and "Nivel de IDH 2020 (PNUD)" in html


def test_correlations_match_a_direct_computation(sample_run):
    padron = load_registry(sample_run["registry"])
    with open_database(sample_run["db"]).begin() as session:
        state = overview.build(padron, overview.load_latest(session))
    audited = [r for r in state.municipalities if r.status == "audited"]
    xs = [r.indicators["pnud_idh_2020"] for r in audited]
    ys = [r.scores["global"] for r in audited]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    expected = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / math.sqrt(
        sum((x - mx) ** 2 for x in xs) * sum((y - my) ** 2 for y in ys)
    )
    found = next(c for c in state.correlations if c.indicator == "pnud_idh_2020" and c.dimension == "global")
    assert found.n == 3 and found.pearson == pytest.approx(expected, abs=1e-3)


def municipality(code: str, grade: str | None, idh: float | None = None) -> Municipality:
    return Municipality(inegi_code=code, name=f"M{code}", conapo_gm_2020=grade, pnud_idh_2020=idh, conapo_im_2020=idh)


def latest(value: float | None, status: str = "ok") -> overview.LatestAudit:
    from datetime import date, datetime, timezone

    scores = dict.fromkeys(overview.SCORE_KEYS, value)
    return overview.LatestAudit(1, date(2026, 11, 24), datetime.now(timezone.utc), scores, status, None)


def test_build_ranks_ties_strata_and_unaudited():
    from apertura.registry import Registry

    padron = Registry([
        municipality("15001", "Alto", 0.70), municipality("15002", "Alto", 0.72), municipality("15003", "Alto", 0.75),
        municipality("15004", "Bajo", 0.80), municipality("15005", None), municipality("15006", "Bajo", 0.81),
    ])  # fmt: skip
    state = overview.build(padron, {
        "15001": latest(40), "15002": latest(40), "15003": latest(70), "15004": latest(None, "unreachable"),
        "15005": latest(10),
    })  # fmt: skip
    rows = {r.inegi_code: r for r in state.municipalities}
    assert (rows["15003"].peers.rank, rows["15001"].peers.rank, rows["15002"].peers.rank) == (1, 2, 2)
    assert rows["15005"].peers.state_rank == 4 and rows["15005"].peers.stratum is None
    assert rows["15004"].status == "not_verifiable" and rows["15006"].status == "not_audited"
    assert [r.inegi_code for r in state.municipalities][:4] == ["15003", "15001", "15002", "15005"]
    alto = next(s for s in state.strata if s.kind == "conapo" and s.stratum == "Alto")
    assert alto.members == 3 and alto.scores["global"].median == 40 and alto.scores["global"].values == [40, 40, 70]
    assert [s.stratum for s in state.strata if s.kind == "conapo"] == ["Alto", "Bajo", "Sin dato"]
    spearman = next(c for c in state.correlations if c.indicator == "conapo_im_2020" and c.dimension == "global")
    assert spearman.n == 3 and spearman.spearman == pytest.approx(0.866, abs=1e-3)  # ranks (1,2,3) vs (1.5,1.5,3)
    assert json.loads(state.model_dump_json())["stratum_kind"] == "conapo"
