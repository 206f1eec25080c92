"""IPOMEX: reading formats by their labels (3.0 pages, Excel exports, the 4.0 app in Chromium), judging
them against the update period, and the site/portal cross-check — over the replica in the sample web."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml

from apertura.pipeline.portal import locate
from auditors.checks import Outcome
from auditors.checks.portal import Portal, check_portal, combine
from auditors.site import Site
from crawler.portal import html_records, summarise, xlsx_records
from models import Link, Municipality, PageArtifact, ResourceArtifact, Status
from models.artifact import PortalFormatArtifact
from rules.catalog import load_catalog
from tests.conftest import ROOT, SAMPLE_HOSTS, run_apertura

PORTAL = ROOT / "sample_web" / "sites" / "www.ipomex.org.mx.test"
CORTE = date(2026, 11, 24)
CATALOG = load_catalog()


def read(path: str):
    return summarise(html_records((PORTAL / path).read_text("utf-8")), generation="ipo3")


# -- extraction by labels -------------------------------------------------------------------------


def test_table_definition_list_label_blocks_and_paragraphs_are_read_alike():
    table = read("ipo3/lgt/indice/METEPEC/art_92_viii.web")  # "Fecha de Actualización de la Información"
    assert (table.records, table.updated, table.periods) == (2, ["2026-01-15"], ["01/10/2025 - 31/12/2025"])
    assert table.areas == ["Dirección de Recursos Humanos"]
    dl = read("ipo3/lgt/indice/METEPEC/organigramas.web")  # <dl>, "FECHA DE ACTUALIZACIÓN"
    assert (dl.records, dl.updated, dl.validated) == (2, ["2026-10-10"], ["2026-10-10"])
    divs = read("ipo3/lgt/indice/METEPEC/art_92_vii.web")  # "Fecha de Actualizacion:" without accents
    assert (divs.records, divs.updated) == (2, ["2026-10-12"])
    long_dates = read("ipo3/lgt/indice/ACAMBAY/art_92_i.web")  # "30 de septiembre de 2026"
    assert (long_dates.records, long_dates.updated) == (1, ["2026-09-30"])


def test_empty_format_and_justified_note():
    empty = read("ipo3/lgt/indice/METEPEC/art_92_ix.web")
    assert (empty.records, empty.notes) == (0, [])
    justified = read("ipo3/lgt/indice/METEPEC/art_92_xiv_a.web")
    assert justified.records == 0 and justified.notes[0].startswith("No aplica")
    assert justified.areas == ["Dirección de Desarrollo Social"]


@pytest.mark.parametrize(
    ("name", "records", "updated"),
    [
        ("metepec_marco.xlsx", 2, ["2026-10-15"]),  # header on row 1, dates as Excel dates
        ("metepec_directorio.xlsx", 2, ["2026-10-12"]),  # five title rows before the header
        ("acambay_marco.xlsx", 1, ["2026-09-30"]),  # two title rows
    ],
)
def test_excel_exports_with_the_real_ipomex_columns_at_any_offset(name, records, updated):
    facts = summarise(xlsx_records((PORTAL / "_exports" / name).read_bytes()), generation="export")
    assert (facts.records, facts.updated) == (records, updated)
    assert facts.validated == updated and facts.areas
    assert "Área o unidad administrativa responsable" in facts.headers


# -- judging (pure) --------------------------------------------------------------------------------


def resource(url: str, status: int = 200, facts: PortalFormatArtifact | None = None, page: PageArtifact | None = None):
    return ResourceArtifact(
        url=url,
        final_url=url,
        status=status,
        fetched_at=datetime(2026, 11, 24, tzinfo=UTC),
        sha256="0" * 64,
        page=page,
        portal_formats=[facts] if facts else [],
    )


def site_with_links(*hrefs: str) -> Site:
    home = resource(
        "http://m.test/", page=PageArtifact(title="Inicio", links=[Link(href=h, text="IPOMEX") for h in hrefs])
    )
    home.is_home = True
    return Site([home], "http://m.test/")


def test_outdated_format_is_partial_and_current_is_compliant():
    rule = CATALOG.by_id["ltaipemym.92.VIII"]
    old = PortalFormatArtifact(generation="ipo3", format="art_92_viii", records=3, updated=["2026-01-15"])
    outcome = check_portal(rule, Portal([resource("http://p.test/a.web", facts=old)]), CORTE)
    assert outcome.status == Status.PARTIAL and "15/01/2026" in outcome.message
    assert outcome.evidence[0].matched.startswith("3 registros")
    current = old.model_copy(update={"updated": ["2026-10-15"]})
    assert (
        check_portal(rule, Portal([resource("http://p.test/a.web", facts=current)]), CORTE).status == Status.COMPLIANT
    )


def test_captcha_wall_is_not_verifiable_with_evidence():
    rule = CATALOG.by_id["ltaipemym.92.XIV.b"]
    wall = PortalFormatArtifact(generation="ipo3", format="art_92_xiv_b", blocked="captcha")
    outcome = check_portal(rule, Portal([resource("http://p.test/w.web", facts=wall)]), CORTE)
    assert outcome.status == Status.NOT_VERIFIABLE and "CAPTCHA" in outcome.message
    assert outcome.evidence[0].kind == "unreachable" and outcome.evidence[0].url == "http://p.test/w.web"


def test_combined_finding_takes_the_better_source_and_notes_a_missing_link():
    rule = CATALOG.by_id["ltaipemym.92.XI"]
    on_portal = Outcome(Status.COMPLIANT, "Publicado en IPOMEX.")
    absent = Outcome(Status.NON_COMPLIANT, "No se encontró la publicación.")
    portal = Portal([])
    unlinked = combine(rule, absent, on_portal, site_with_links("https://otra.test/"), portal)
    assert unlinked.status == Status.COMPLIANT
    assert [(s.source, s.status) for s in unlinked.sources] == [("sitio", "non_compliant"), ("ipomex", "compliant")]
    assert "no enlaza a IPOMEX" in unlinked.message and "arts. 75 y 79" in unlinked.message
    linked = combine(
        rule, absent, on_portal, site_with_links("https://www.ipomex.org.mx/ipo3/lgt/indice/X.web"), portal
    )
    assert "no enlaza a IPOMEX" not in linked.message and "no a este formato" in linked.message
    walled = combine(rule, absent, Outcome(Status.NOT_VERIFIABLE, "muro"), site_with_links(), portal)
    assert walled.status == Status.NOT_VERIFIABLE  # it may be on IPOMEX: never non_compliant


def test_portal_key_and_4_0_id_are_discovered_from_stored_site_links():
    page = resource(
        "http://m.test/transparencia/",
        page=PageArtifact(
            links=[
                Link(href="https://www.ipomex.org.mx/ipo3/lgt/indice/ACAMBAY.web?token=03AF", text="IPOMEX"),
                Link(href="https://infoem2.ipomex.org.mx/ipomex/#/obligaciones/99", text="IPOMEX 4.0"),
            ]
        ),
    )
    found = locate(Municipality(inegi_code="15001", name="Acambay"), [page])
    assert found.target.key == "ACAMBAY" and found.target.app_id == 99
    assert found.target.index_url == "https://www.ipomex.org.mx/ipo3/lgt/indice/ACAMBAY.web"
    assert found.target.app_url == "https://infoem2.ipomex.org.mx/ipomex/#/obligaciones/99"
    assert "http://m.test/transparencia/" in found.sources["clave"]
    assert locate(Municipality(inegi_code="15125", name="Tonanitla"), []) is None


# -- end to end: crawl the replica (3.0, exports, 4.0 in Chromium) in a subprocess ---------------------


@pytest.fixture(scope="module")
def portal_run(sample_web, tmp_path_factory):
    directory = tmp_path_factory.mktemp("ipomex")
    registry = directory / "padron.csv"
    lines = Path(sample_web["registry"]).read_text("utf-8").splitlines()
    registry.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")  # Metepec and Acambay
    db = f"sqlite:///{directory / 'apertura.sqlite'}"
    result = run_apertura(
        "nightly", "--registry", str(registry), "--hosts", str(SAMPLE_HOSTS), "--allow-private-network",
        "--delay", "0", "--max-pages", "40", "--db", db, "--fecha-corte", "2026-11-24", "--out", str(directory / "out"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return {"db": directory / "apertura.sqlite", "out": directory / "out"}


def findings(run, code: str) -> dict[str, dict]:
    data = json.loads((run["out"] / f"{code}.json").read_text("utf-8"))
    return {f["rule_id"]: f for f in data["findings"]}


@pytest.mark.browser
def test_portal_findings_match_the_labelled_replica(portal_run):
    labels = yaml.safe_load((ROOT / "sample_web" / "labels.yaml").read_text("utf-8"))["ipomex_expected"]
    for code, expected in labels.items():
        got = findings(portal_run, code)
        for rule_id, status in expected.items():
            portal = {s["source"]: s for s in got[rule_id]["sources"]}["ipomex"]
            assert portal["status"] == status, (code, rule_id, portal["message"])


@pytest.mark.browser
def test_the_4_0_app_is_read_from_the_rendered_page_and_wins_over_the_site(portal_run):
    honorarios = findings(portal_run, "15054")["ltaipemym.92.XI"]
    assert honorarios["status"] == "compliant"
    site, portal = honorarios["sources"]
    assert site["source"] == "sitio" and portal["source"] == "ipomex" and "IPOMEX 4.0" in portal["message"]
    assert "14 registros" in portal["evidence"][0]["matched"] and "14/10/2026" in portal["evidence"][0]["matched"]
    assert "Sitio:" in honorarios["message"] and "IPOMEX:" in honorarios["message"]


@pytest.mark.browser
def test_portal_crawl_is_stored_apart_with_its_sources_and_walls(portal_run):
    db = sqlite3.connect(portal_run["db"])
    rows = db.execute(
        "SELECT inegi_code, status, reason, stats, site_url FROM crawls WHERE source = 'ipomex'"
    ).fetchall()
    by_code = {r[0]: r for r in rows}
    assert set(by_code) == {"15054", "15001"}
    metepec = json.loads(by_code["15054"][3])
    assert metepec["origen"]["clave"] == "padrón" and "/transparencia/" in metepec["origen"]["id_4_0"]
    assert "token" not in by_code["15001"][4]  # the copied reCAPTCHA token is never replayed
    assert by_code["15001"][1] == "ok" and "captcha" in by_code["15001"][2]  # index walled, formats open
    urls = [
        u
        for (u,) in db.execute(
            "SELECT r.url FROM resources r JOIN crawls c ON c.id = r.crawl_id WHERE c.source = 'ipomex'"
        )
    ]
    assert any("infoExcel" in u for u in urls) and any("#/obligaciones/146" in u for u in urls)


@pytest.mark.browser
def test_the_municipalitys_own_applicability_table_decides_what_applies(portal_run):
    """Metepec publishes its Art. 93 table (art_93_i): fraction LI and the state incisos of 94.I do not apply,
    citing it; Acambay does not, so the reviewed default table leaves them to be confirmed (not scored)."""
    metepec, acambay = findings(portal_run, "15054"), findings(portal_run, "15001")
    for rule_id in ("ltaipemym.92.LI.a", "ltaipemym.94.I.e", "ltaipemym.94.I.j"):
        assert metepec[rule_id]["status"] == "not_applicable", metepec[rule_id]["message"]
        assert "tabla de aplicabilidad" in metepec[rule_id]["message"]
        assert metepec[rule_id]["evidence"][0]["url"].endswith("/METEPEC/art_93_i.web")
        assert acambay[rule_id]["status"] == "not_verifiable", acambay[rule_id]["message"]
        assert "Aplicabilidad por confirmar" in acambay[rule_id]["message"]
