"""Municipal HTML reports and the state overview, built from a real crawl of the sample web."""

from __future__ import annotations

import json
import math
import re
import statistics
import subprocess
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from apertura.cli.main import app
from apertura.pipeline import jobs
from apertura.registry.padron import load_registry
from apertura.reporting import overview, reports
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


# a refused connection in Spanish: named from the exception (older crawls) or the crawler's own sentence
REFUSED_ES = "el servidor rechazó la conexión|la conexión se rechazó o se interrumpió"


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


def chromium(p):
    return p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)


def test_nightly_report_reads_top_down(sample_run):
    html = (sample_run["out"] / "15054.html").read_text(encoding="utf-8")
    data = MunicipalityReport.model_validate_json((sample_run["out"] / "15054.json").read_text(encoding="utf-8"))
    assert "Content-Security-Policy" in html and "<script" not in html
    positions = [html.index(f"<h2{tag}>{heading}</h2>") for tag, heading in
                 (("", "Resumen"), (' class="findings-start"', "Hallazgos"), ("", "Qué revisar a mano"))]  # fmt: skip
    assert positions == sorted(positions)  # summary, findings, to-do list last
    assert html.index("<h3>Evolución</h3>") < positions[1]
    # Metepec and Tonanitla share CONAPO "Muy bajo"; published at the end of the nightly, so both count.
    assert data.peers.stratum == "Muy bajo" and data.peers.ranked == 2 and data.peers.rank == 1
    assert "Lugar <strong>1</strong> de 2 municipios auditados" in html
    assert f"{data.downloaded} recursos descargados de {data.resources} solicitados" in html
    # every finding: its legal basis and an anchor; evidence links to the site stay links
    for finding in data.findings:
        assert f'id="{finding.rule_id}"' in html and f"Fundamento: {finding.legal_basis}" in html
    cited = next(e for f in data.findings for e in f.evidence if e.url and e.kind == "page")
    assert f'<a class="live" href="{cited.url}"' in html
    # the to-do list: collapsed, last, and only what needs a person
    todo = html.split("<h2>Qué revisar a mano</h2>")[1]
    assert todo.lstrip().startswith('<details class="todo" id="revisar">')
    listed = re.findall(r'<li><a href="#([^"]+)">', todo)
    needs = reports.to_review(data)
    assert listed == [f.rule_id for f in needs] and listed
    leaves = [f for f in data.findings if not f.is_group]
    assert {f.rule_id for f in leaves if f.status == "partial"} <= set(listed)
    absent = [f for f in leaves if f.status == "non_compliant" and all(e.kind == "absence" for e in f.evidence)]
    assert len(absent) > 50 and not {f.rule_id for f in absent} & set(listed)  # a documented search needs no person
    assert f"No se listan {len(absent)} incumplimientos" in todo
    assert len(listed) < 20  # Metepec's list had 81 items before issue 21
    assert not any(
        f.rule_id in listed for f in leaves if f.status == "compliant" and "revisar" not in f.message.lower()
    )


def test_findings_are_grouped_by_dimension_with_failures_first(sample_run):
    data = MunicipalityReport.model_validate_json((sample_run["out"] / "15054.json").read_text(encoding="utf-8"))
    groups = reports.grouped(data)
    assert [d for d, _ in groups] == ["transparencia", "participacion", "tic"]
    order = [s.value for s in reports.STATUS_ORDER]
    for dimension, statuses in groups:
        found = [s.value for s, _ in statuses]
        assert found == sorted(found, key=order.index)
        for status, items in statuses:
            assert all(f.dimension == dimension and f.status == status and not f.parent for f, _ in items)
            assert all(sub.parent == f.rule_id for f, subs in items for sub in subs)
    shown = [f.rule_id for _, statuses in groups for _, items in statuses for f, subs in items for f in [f, *subs]]
    assert sorted(shown) == sorted(f.rule_id for f in data.findings)  # nothing lost, nothing twice


@pytest.mark.browser
def test_report_structure_in_chromium(sample_run):
    """Failures open, what passes collapsed; thumbnails of the cited screenshots load from informes/capturas."""
    from playwright.sync_api import sync_playwright

    source = sample_run["out"] / "15054.html"
    with sync_playwright() as p:
        browser = chromium(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(source.as_uri())
        first = page.locator("section.dimension").first
        assert first.locator("[data-status]").first.get_attribute("data-status") in ("non_compliant", "partial")
        assert page.locator("section.group[data-status=non_compliant] tr.finding").first.is_visible()
        compliant = page.locator("details.group[data-status=compliant]").first
        assert compliant.get_attribute("open") is None and not compliant.locator("tr.finding").first.is_visible()
        assert not page.locator("#revisar li").first.is_visible()  # the to-do list is collapsed
        page.wait_for_load_state("load")
        sizes = page.evaluate(
            "[...document.querySelectorAll('section.group img.thumb')].map(i => [i.naturalWidth, i.width, i.height])"
        )
        assert sizes  # thumbnails in the open (failed or partial) groups
        assert all(natural == 1280 and 100 <= width <= 200 and 60 <= height <= 130 for natural, width, height in sizes)
        assert all(r.startswith("file://") for r in requests)
        height = page.evaluate("document.documentElement.scrollHeight")
        browser.close()
    assert height < 30_000  # was ~36,700 px with everything expanded and the to-do list first
    for src in re.findall(r'<img class="thumb" src="([^"]+)"', source.read_text(encoding="utf-8")):
        assert src.startswith("capturas/") and (source.parent / src).is_file()


@pytest.mark.browser
def test_unreachable_report_is_one_screen(sample_run):
    from playwright.sync_api import sync_playwright

    source = sample_run["out"] / "15123.html"
    html = source.read_text(encoding="utf-8")
    data = MunicipalityReport.model_validate_json((sample_run["out"] / "15123.json").read_text(encoding="utf-8"))
    assert data.crawl_status == "unreachable" and data.peers.rank is None and data.downloaded == 0
    assert "No se pudo consultar el sitio" in html and "No cumple" not in html
    assert f"0 recursos descargados de {data.resources} solicitados" in html
    assert re.search(REFUSED_ES, html)  # the failure in Spanish; the original as detail only
    assert "Qué revisar a mano" not in html and "Hallazgos" not in html
    assert "Ninguna auditoría anterior de este municipio encontró el sitio accesible." in html
    with sync_playwright() as p:
        browser = chromium(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(source.as_uri())
        rows = page.locator("table.attempts tr").count() - 1
        height = page.evaluate("document.documentElement.scrollHeight")
        browser.close()
    assert rows == len(data.attempts) >= 1 and height <= 1100
    times = [a.fetched_at for a in data.attempts]
    assert times == sorted(times) and {a.url for a in data.attempts} >= {data.website}


def test_unreachable_report_shows_the_last_audit_with_the_site_reachable(sample_run, sample_db_copy):
    """Tonanitla's site answered in the nightly; a later crawl that fails points back at that audit."""
    padron = load_registry(sample_run["registry"])
    with open_database(sample_db_copy).begin() as session:
        reachable = repository.latest_audit(session, "15125")
        crawl = repository.create_crawl(
            session, run_id=reachable.run_id, inegi_code="15125", site_url="http://tonanitla.test/"
        )
        repository.finish_crawl(
            session,
            crawl,
            status="unreachable",
            reason="DNSLookupError: no address",
            stats={"resources": 0, "errors": 0},
        )
        failed = repository.save_audit(session, run_id=reachable.run_id, crawl=crawl, catalog=reachable.catalog,
                                       fecha_corte=reachable.fecha_corte, findings=[], scores=[])  # fmt: skip
        report = jobs.report(session, failed, padron.find("15125"))
        expected = (reachable.id, reachable.scores)
    assert report.last_reachable.audit_id == expected[0]
    assert [s.model_dump() for s in report.last_reachable.scores] == expected[1]
    html = reports.render("municipio.html.j2", report=report, screenshots=None, replay=None, bundled=False)
    assert f"Auditoría {expected[0]}, fecha de corte" in html and "no se pudo resolver el nombre del dominio" in html


def test_failures_read_in_spanish():
    assert reports.failure_text("DNSLookupError: DNS lookup failed: no results for hostname lookup: x.test.") == (
        "no se pudo resolver el nombre del dominio (DNS)"
    )
    sentence = "la conexión se rechazó o se interrumpió: DownloadConnectionRefusedError: Connection was refused"
    assert reports.failure_text(sentence) == "la conexión se rechazó o se interrumpió"
    assert reports.failure_text("WeirdNewError: something") == "la descarga falló"
    assert reports.failure_text("la página de inicio respondió HTTP 503") == "la página de inicio respondió HTTP 503"


def trend_svg(html: str) -> str:
    return html.split("<h3>Evolución</h3>")[1].split("</svg>")[0]


@pytest.mark.browser
def test_trend_has_a_dated_axis_in_date_order(sample_run, sample_db_copy, tmp_path):
    """Audits made out of date order are drawn by date; close dates never get overlapping labels."""
    from playwright.sync_api import sync_playwright

    for corte in ("2027-06-30", "2026-06-30", "2026-07-02"):
        cli("audit", "15054", "--registry", str(sample_run["registry"]), "--db", sample_db_copy,
            "--fecha-corte", corte, "--out", str(tmp_path))  # fmt: skip
    report = build_report(sample_db_copy, sample_run["registry"], "15054")
    assert [p.fecha_corte.isoformat() for p in report.history] == [
        "2026-11-24",
        "2027-06-30",
        "2026-06-30",
        "2026-07-02",
    ]
    html = (tmp_path / "15054.html").read_text(encoding="utf-8")
    trend = trend_svg(html)
    series = re.findall(r'data-dimension="global">\s*<polyline[^>]* points="([^"]+)"', trend)[0].split()
    xs = [float(p.split(",")[0]) for p in series]
    assert len(xs) == 4 and xs == sorted(xs) and len(set(xs)) == 4  # by date: 06-30, 07-02, 11-24, 2027-06-30
    labels = re.findall(r'<text class="tick"[^>]*>([^<]+)</text>', trend)
    assert labels == sorted(labels) and labels[0] == "2026-06-30" and labels[-1] == "2027-06-30"
    assert "2026-07-02" not in labels  # two days after the first label: no room for it
    with sync_playwright() as p:
        browser = chromium(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto((tmp_path / "15054.html").as_uri())
        boxes = page.evaluate(
            "[...document.querySelectorAll('svg.trend text.tick')].map(t => { const b = t.getBoundingClientRect(); return [b.left, b.right]; })"
        )
        browser.close()
    assert len(boxes) == len(labels) and all(a[1] < b[0] for a, b in zip(boxes, boxes[1:], strict=False))  # no overlap


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


def test_archive_links_and_periods(sample_run, tmp_path):
    """A replay server turns each archived evidence into a «Copia archivada» link at its URL and capture time."""
    report = build_report(sample_run["db"], sample_run["registry"], "15054")
    finding = next(f for f in report.findings if any(e.warc_record_id for e in f.evidence))
    report.findings[report.findings.index(finding)] = finding.model_copy(
        update={"period_found": "2º trimestre 2026", "period_expected": "3er trimestre 2026"}
    )
    evidence = next(e for e in finding.evidence if e.warc_record_id)
    html = reports.write_html(report, tmp_path / "r.html", replay="http://127.0.0.1:8080/archivo").read_text()
    stamp = evidence.fetched_at.strftime("%Y%m%d%H%M%S")
    assert f'<a class="archived" href="http://127.0.0.1:8080/archivo/{stamp}/{evidence.url}"' in html
    assert (
        "Periodo encontrado: <strong>2º trimestre 2026</strong>; periodo esperado: <strong>3er trimestre 2026</strong>"
        in html
    )
    bundled = reports.write_html(report, tmp_path / "b.html", bundled=True).read_text()
    assert f'href="/archivo/{stamp}/{evidence.url}"' in bundled and "apertura review --servir" in bundled
    plain = reports.write_html(report, tmp_path / "p.html", replay="").read_text()
    assert 'class="archived"' not in plain and "registro WARC" in plain


# ---------------------------------------------------------------- scraped text never runs


HOSTILE_URL = "javascript:window.__pwned=1"
HOSTILE_IMG = '<img src=x onerror="window.__pwned=1;alert(2)">'


def hostile_report(db_url: str, registry: Path) -> tuple[MunicipalityReport, str]:
    """Tonanitla's real report with text the crawler extracted (a news title `<script>alert(1)</script> …`)."""
    report = build_report(db_url, registry, "15125")
    with open_database(db_url).begin() as session:
        news = session.scalars(select(Resource).where(Resource.url.endswith("/noticias.php"))).first()
        scraped = next(r for r in repository.crawl_resources(session, news.crawl) if r.url == news.url).page.text
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
    """Letter pages: findings start on a new page, collapsed groups print expanded, rows are not split."""
    from playwright.sync_api import sync_playwright

    source = sample_run["out"] / "15001.html"
    data = MunicipalityReport.model_validate_json((sample_run["out"] / "15001.json").read_text(encoding="utf-8"))
    with sync_playwright() as p:
        browser = chromium(p)
        page = browser.new_page()
        page.goto(source.as_uri())
        pdf = page.pdf(format="Letter", print_background=True)
        unreachable = browser.new_page()
        unreachable.goto((sample_run["out"] / "15123.html").as_uri())
        one_page = unreachable.pdf(format="Letter", print_background=True)
        browser.close()
    (tmp_path / "informe.pdf").write_bytes(pdf)
    (tmp_path / "luvianos.pdf").write_bytes(one_page)
    pages = pdf_pages(tmp_path / "informe.pdf")
    assert len(pdf_pages(tmp_path / "luvianos.pdf")) == 1
    text = "\n".join(pages)
    assert 1 < len(pages) < 80
    assert "Acambay de Ruíz Castañeda" in pages[0] and "Clave INEGI 15001" in pages[0]
    start = next(t for t in pages if "Hallazgos" in t)
    assert start.lstrip().startswith("Hallazgos")  # the findings start a page
    assert "Qué revisar a mano" in text and "Fundamento: LTAIPEMyM" in text
    assert "ltaipemym.92.XXVII.a" in text  # rule ids are not broken across lines
    compliant = [f.rule_id for f in data.findings if f.status == "compliant" and not f.parent]
    # collapsed in the browser, printed in full (a long rule id may wrap after an underscore only)
    assert compliant and all(rule.split("_")[0] in text for rule in compliant)
    for page_text in pages:  # no page ends with a heading whose content is on the next one
        last = page_text.strip().splitlines()[-1]
        assert not re.fullmatch(
            r"(No cumple|Cumple parcialmente|Transparencia|Participación|TIC) \(\d+\)|Transparencia|Participación|TIC",
            last,
        ), last
    for finding in [f for f in data.findings if f.status == "non_compliant"][:10]:  # a row stays on one page
        rows = [t[t.index(finding.rule_id) :] for t in pages if f"{finding.rule_id} " in t]
        assert any("Fundamento:" in row[:600] for row in rows), finding.rule_id


def pdf_pages(path: Path) -> list[str]:
    """Each page's text as Poppler lays it out, blanks collapsed (the crawl reads PDFs the same way)."""
    command = ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"]
    text = subprocess.run(command, capture_output=True, check=True, text=True).stdout
    return [re.sub(r"[ \t]+", " ", page) for page in text.split("\f")[:-1]]  # a form feed ends every page


# ---------------------------------------------------------------- the state overview


def test_nightly_writes_the_state_overview(sample_run):
    state = StateOverview.model_validate_json((sample_run["out"] / "estatal.json").read_text(encoding="utf-8"))
    by_code = {r.inegi_code: r for r in state.municipalities}
    assert [r.inegi_code for r in state.municipalities][:3] == ["15054", "15001", "15125"]  # by global score
    assert by_code["15123"].status == "not_verifiable" and by_code["15123"].crawl_status == "unreachable"
    assert by_code["15054"].peers.state_rank == 1 and by_code["15125"].peers.rank == 2
    html = (sample_run["out"] / "estatal.html").read_text(encoding="utf-8")
    assert "<script" not in html and html.count('aria-label="Distribución') == 4  # one strip chart per score
    assert "No verificable" in html and "Clasificación por índice global" in html
    # no local path of the registry, crawl errors in Spanish
    assert str(sample_run["dir"]) not in html and str(sample_run["dir"]) not in state.registry
    assert "Padrón: registry.csv" in html and state.registry == "registry.csv"
    assert re.search(REFUSED_ES, html) and "ConnectionRefused" not in html
    # n = 3: no correlation is computed, and the page says why
    assert all(c.n == 3 and c.pearson is None and c.spearman is None for c in state.correlations)
    assert "muestra pequeña (n = 3 &lt; 10): no significativa" in html


def test_overview_command_with_the_bundled_registry(sample_run, tmp_path):
    """The sample municipalities keep their INEGI codes, so the bundled registry lists the other 121 as sin auditar."""
    result = cli("overview", "--db", sample_run["db"], "--out", str(tmp_path), "--estrato", "idh", "--json")
    state = StateOverview.model_validate_json(result.stdout)
    assert len(state.municipalities) == 125 and state.stratum_kind == "idh"
    assert sum(r.status == "not_audited" for r in state.municipalities) == 121
    assert (tmp_path / "estatal.html").exists() and (tmp_path / "estatal.json").exists()
    html = (tmp_path / "estatal.html").read_text(encoding="utf-8")
    assert "Sin auditar" in html and "Nivel de IDH 2020 (PNUD)" in html


def test_correlations_match_a_direct_computation():
    """With enough municipalities (≥ 10) both coefficients are computed; with fewer, neither."""
    from apertura.registry.padron import Registry

    idh = [0.61, 0.64, 0.66, 0.69, 0.70, 0.72, 0.74, 0.77, 0.79, 0.80, 0.83, 0.85]
    scores = [22.0, 31.5, 28.0, 40.0, 45.5, 39.0, 52.0, 60.5, 58.0, 71.0, 66.0, 80.0]
    codes = [f"15{n:03d}" for n in range(1, 13)]
    padron = Registry([municipality(code, "Bajo", x) for code, x in zip(codes, idh, strict=False)])
    state = overview.build(padron, {code: latest(y) for code, y in zip(codes, scores, strict=False)})
    mx, my = statistics.fmean(idh), statistics.fmean(scores)
    expected = sum((x - mx) * (y - my) for x, y in zip(idh, scores, strict=False)) / math.sqrt(
        sum((x - mx) ** 2 for x in idh) * sum((y - my) ** 2 for y in scores)
    )
    found = next(c for c in state.correlations if c.indicator == "pnud_idh_2020" and c.dimension == "global")
    assert found.n == 12 and found.pearson == pytest.approx(expected, abs=1e-3) and found.spearman is not None
    few = overview.build(
        padron,
        {code: latest(y) for code, y in list(zip(codes, scores, strict=False))[: overview.MIN_CORRELATION_N - 1]},
    )
    small = next(c for c in few.correlations if c.indicator == "pnud_idh_2020" and c.dimension == "global")
    assert small.n == 9 and small.pearson is None and small.spearman is None


@pytest.mark.browser
def test_state_map_in_chromium(sample_run, tmp_path):
    """Four choropleths of the 125 INEGI outlines, no request beyond the file, found by hovering or in the table."""
    from playwright.sync_api import sync_playwright

    cli("overview", "--db", sample_run["db"], "--registry", str(sample_run["registry"]), "--out", str(tmp_path))
    source = tmp_path / "estatal.html"
    html = source.read_text(encoding="utf-8")
    assert "INEGI, Marco Geoestadístico" in html and "INEGI no respalda" in html
    with sync_playwright() as p:
        browser = chromium(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(source.as_uri())
        maps = page.locator("svg.map")
        assert maps.count() == 4
        assert [f.get_attribute("data-key") for f in page.locator(".maps figure").all()] == [
            "global",
            "transparencia",
            "participacion",
            "tic",
        ]
        for i in range(4):
            box = maps.nth(i).bounding_box()
            assert 300 <= box["width"] <= 700 and 0.7 <= box["height"] / box["width"] <= 1.3
            assert maps.nth(i).locator("a.municipality").count() == 125
        fills = page.evaluate("""[...document.querySelectorAll('figure[data-key=global] a.municipality')].map(a =>
            [a.dataset.code, a.querySelector('use').getAttribute('fill'), a.querySelector('title').textContent])""")
        by_code = {code: (fill, title) for code, fill, title in fills}
        assert by_code["15054"][0].startswith("#") and by_code["15054"][1].startswith("Metepec (15054): Índice global ")
        assert by_code["15123"][0] == "url(#hatch-not-verifiable)" and re.search(
            f"no verificable \\(({REFUSED_ES})\\)$", by_code["15123"][1]
        )
        assert by_code["15002"][0] == "url(#hatch-no-data)" and by_code["15002"][1].endswith(": sin auditar")
        # each outline is drawn: its rendered box is not empty and lies inside the map
        shape = maps.nth(0).locator("a[data-code='15054'] use").bounding_box()
        outer = maps.nth(0).bounding_box()
        assert shape["width"] > 2 and outer["x"] <= shape["x"] <= outer["x"] + outer["width"]
        page.locator("figure[data-key=global] a[data-code='15054']").click()
        assert page.evaluate("location.hash") == "#m-15054" and page.locator("tr#m-15054").is_visible()
        legend = page.locator(".legend").inner_text()
        browser.close()
    assert "No verificable" in legend and "Sin dato" in legend and "80–100" in legend
    assert all(r.startswith("file://") for r in requests)


def municipality(code: str, grade: str | None, idh: float | None = None) -> Municipality:
    return Municipality(inegi_code=code, name=f"M{code}", conapo_gm_2020=grade, pnud_idh_2020=idh, conapo_im_2020=idh)


def latest(value: float | None, status: str = "ok") -> overview.LatestAudit:
    from datetime import date, datetime

    scores = dict.fromkeys(overview.SCORE_KEYS, value)
    return overview.LatestAudit(1, date(2026, 11, 24), datetime.now(UTC), scores, status, None)


def test_build_ranks_ties_strata_and_unaudited():
    from apertura.registry.padron import Registry

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
    assert spearman.n == 3 and spearman.spearman is None  # too few municipalities to mean anything
    assert overview._average_ranks([40, 40, 70]) == [1.5, 1.5, 3]  # ties share their mean rank (Spearman)
    assert json.loads(state.model_dump_json())["stratum_kind"] == "conapo"
