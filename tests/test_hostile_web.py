"""The crawler against a hostile web: every fault case crawled through the real `apertura nightly` path.

All cases are one nightly run (one site per case, its own host name), in a subprocess because
Scrapy's reactor cannot restart; assertions read the database and the JSON reports.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import sqlite3
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler

from auditors.site import Site, is_broken
from crawler.netguard import NetworkGuardMiddleware
from crawler.render import EMPTY_MENU, NetworkGuard
from storage import repository
from storage.database import open_database
from tests.conftest import copy_sqlite_database
from tests.hostile.server import CASES, DOMAIN, hostile_web

ROOT = Path(__file__).resolve().parent.parent
APERTURA = str(ROOT / ".venv" / "bin" / "apertura")
CODES = {case: f"15{i:03d}" for i, case in enumerate(CASES, start=1)}
MAX_PAGES = 40


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    with hostile_web(tmp_path_factory.mktemp("certs")) as served:
        yield served


def run_nightly(web, directory: Path, cases: list[str], *, allow_private: bool = True) -> subprocess.CompletedProcess:
    registry = directory / "padron.csv"
    with registry.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["inegi_code", "name", "website", "ipomex_url"])
        writer.writerows([CODES[c], f"Caso {c}", web.url(c), ""] for c in cases)
    command = [
        APERTURA, "nightly", "--registry", str(registry), "--hosts", str(web.hosts_file(directory / "hosts")),
        "--db", f"sqlite:///{directory / 'apertura.sqlite'}", "--delay", "0", "--fecha-corte", "2026-11-24",
        "--out", str(directory / "informes"), "--max-pages", str(MAX_PAGES),
    ] + (["--allow-private-network"] if allow_private else [])  # fmt: skip
    env = {**os.environ, "APERTURA_DOWNLOAD_TIMEOUT": "3", "SSL_CERT_FILE": str(web.ca_file)}
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=int(os.environ.get("HOSTILE_TIMEOUT", 900)),
        env=env,
        cwd=directory,
    )


class Night:
    def __init__(self, directory: Path, process: subprocess.CompletedProcess, seconds: float):
        self.directory, self.process, self.seconds = directory, process, seconds
        self.sessions = open_database(f"sqlite:///{directory / 'apertura.sqlite'}")

    def crawl(self, case: str):
        with self.sessions() as session:
            row = repository.latest_crawl(session, CODES[case])
            return row, repository.crawl_resources(session, row)

    def resources(self, case: str):
        return self.crawl(case)[1]

    def home(self, case: str):
        return Site(self.resources(case)).home

    def by_path(self, case: str, path: str):
        return [
            r for r in self.resources(case) if r.url.split(f".{DOMAIN}:", 1)[1].split("/", 1)[1] == path.lstrip("/")
        ]

    def findings(self, case: str) -> dict[str, str]:
        report = json.loads((self.directory / "informes" / f"{CODES[case]}.json").read_text(encoding="utf-8"))
        return {f["rule_id"]: f["status"] for f in report["findings"]}


@pytest.fixture(scope="module")
def night(web, tmp_path_factory) -> Night:
    directory = tmp_path_factory.mktemp("night")
    started = time.monotonic()
    process = run_nightly(web, directory, list(CASES))
    assert process.returncode == 0, process.stderr[-3000:]
    return Night(directory, process, time.monotonic() - started)


def test_whole_night_is_bounded_in_memory_and_ends(night):
    # time is bounded by the subprocess timeout (HOSTILE_TIMEOUT); the run's duration is printed with -s
    print(f"hostile night: {night.seconds:.0f} s")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert peak_mb < 1500, f"{peak_mb:.0f} MB"
    assert "Traceback" not in night.process.stderr


def _only_not_verifiable(night, case):
    statuses = set(night.findings(case).values())
    assert "not_verifiable" in statuses and statuses <= {"not_verifiable", "not_applicable"}, statuses


@pytest.mark.parametrize(
    "case, expected", [("colgado", "Timeout"), ("reset", "Connection"), ("bucle", "redirect"), ("cadena", "redirect")]
)
def test_unreachable_home_is_not_verifiable(night, case, expected):
    crawl, _ = night.crawl(case)
    home = night.home(case)
    assert crawl.status == "unreachable"
    assert home.error and expected.lower() in home.error.lower()
    _only_not_verifiable(night, case)


@pytest.mark.parametrize("case, status, hits", [("error500", 500, 3), ("caido503", 503, 3)])
def test_server_errors_are_retried_then_recorded(night, web, case, status, hits):
    crawl, _ = night.crawl(case)
    assert night.home(case).status == status
    assert crawl.status == "unreachable" and str(status) in crawl.reason
    assert web.hits[(case, "/")] == hits  # RETRY_TIMES = 2
    _only_not_verifiable(night, case)


def test_429_retry_after_is_honoured(night, web):
    assert night.home("limite429").status == 200 and night.crawl("limite429")[0].status == "ok"
    assert web.hits[("limite429", "/")] == 2


def test_slow_site_is_crawled(night):
    assert night.home("lento").ok and night.crawl("lento")[0].status == "ok"


@pytest.mark.parametrize("case, path", [("bomba", "/bomba.html"), ("enorme", "/enorme.pdf")])
def test_oversized_bodies_are_refused_not_stored(night, case, path):
    [resource] = night.by_path(case, path)
    assert resource.error and resource.size == 0
    assert night.crawl(case)[0].status == "ok"


def test_infinite_calendar_and_deep_pagination_are_bounded(night):
    assert len(night.by_path("calendario", "/")) == 1
    agenda = [r for r in night.resources("calendario") if "agenda" in r.url]
    assert 0 < len(agenda) <= 12  # DEPTH_LIMIT bounds each chain
    pages = [r for r in night.resources("paginacion") if not r.role]
    assert len(pages) <= MAX_PAGES


def test_session_ids_are_stripped_and_canonicalized(night):
    urls = [r.url for r in night.resources("sesiones") if not r.role]
    assert not [u for u in urls if "sessid" in u.lower() or "sid=" in u.lower()]
    assert len(urls) == len(set(urls)) == 3  # /, /tramites, /tramites?x=1


def test_very_long_urls_are_not_followed(night):
    urls = [r.url for r in night.resources("urllarga")]
    assert max(map(len, urls)) < 500 and any(u.endswith("/corta") for u in urls)


def test_soft_404_page_is_flagged(night):
    [gone] = night.by_path("soft404", "/tramite-borrado")
    assert gone.status == 200 and gone.page.soft_404
    assert gone not in Site(night.resources("soft404")).pages


def test_site_answering_200_everywhere_is_detected_by_the_probe(night):
    resources = night.resources("todo200")
    [probe] = [r for r in resources if r.role == "not_found_probe"]
    assert probe.status == 200
    site = Site(resources)
    assert [p.url for p in site.pages] == [site.home.url]  # /transparencia/ equals the not-found answer


@pytest.mark.parametrize("case", ["sincharset", "latin1", "charsetfalso"])
def test_charsets(night, case):
    title = night.home(case).page.title
    assert title.startswith("Participaci") and (case == "charsetfalso" or title == "Participación ciudadana")


def test_malformed_html_and_binary_as_html_and_huge_dom(night):
    assert night.home("malformado").page.title == "Inicio roto"
    assert night.by_path("malformado", "/x")
    binary = night.home("binario")
    assert binary.status == 200 and binary.size == 200_000
    assert night.home("domgigante").page.title == "Inicio enorme"


def test_robots_txt_disallow_is_obeyed(night, web):
    assert night.by_path("robots", "/publico.html")
    [refused] = night.by_path("robots", "/privado/nomina.html")
    assert "robots.txt" in refused.error and not refused.ok and refused.size == 0
    assert web.hits[("robots", "/privado/nomina.html")] == 0


def test_sitemap_seeds_pages_linked_from_nowhere(night):
    assert night.by_path("normal", "/solo-en-sitemap.html")[0].ok


@pytest.mark.parametrize("case", ["captcha", "waf"])
def test_walls_are_blocked_and_not_verifiable(night, case):
    crawl, _ = night.crawl(case)
    assert crawl.status == "blocked"
    _only_not_verifiable(night, case)


@pytest.mark.parametrize(
    "case, valid, reason, verdict",
    [
        ("valido", True, None, "compliant"),
        ("ahttps", True, None, "compliant"),
        ("vencido", False, "vencido", "partial"),
        ("autofirmado", False, "autofirmado", "partial"),
        ("otronombre", False, "no corresponde", "partial"),
    ],
)
def test_tls_facts_are_recorded_and_judged(night, case, valid, reason, verdict):
    home = night.home(case)
    assert home.ok and home.final_url.startswith("https://")
    assert home.tls.checked and home.tls.valid is valid and home.tls.not_after
    assert reason is None or reason in home.tls.error
    assert home.tls.hsts == "max-age=31536000"
    assert night.findings(case)["tic.https"] == verdict


def test_plain_http_site_is_not_compliant_on_https(night):
    assert night.findings("lento")["tic.https"] == "non_compliant"


def test_crawl_stats_are_recorded(night):
    crawl, resources = night.crawl("normal")
    assert crawl.stats["requests"] == len(resources) and crawl.stats["bytes"] > 0
    assert {"not_modified", "rendered", "errors"} <= set(crawl.stats)


@pytest.mark.browser
def test_script_built_menu_is_rendered_even_if_js_never_settles(night):
    rendered = [r for r in night.resources("jsinfinito") if r.rendered]
    assert len(rendered) == 1 and rendered[0].ok and rendered[0].render_reason
    assert any(link.href.endswith("/tramites/") for link in rendered[0].page.links)
    assert night.by_path("jsinfinito", "/tramites/")[0].ok
    assert night.crawl("jsinfinito")[0].stats["rendered"] == 1


@pytest.mark.browser
def test_menu_written_into_an_empty_web_component_is_rendered(night):
    [plain] = [r for r in night.by_path("componente", "/") if not r.rendered]
    assert plain.render_reason == EMPTY_MENU and not plain.page.links
    [rendered] = [r for r in night.resources("componente") if r.rendered]
    assert {"/tramites/", "/transparencia/"} <= {urlsplit(link.href).path for link in rendered.page.links}
    assert night.by_path("componente", "/tramites/")[0].ok and night.by_path("componente", "/transparencia/")[0].ok


@pytest.mark.browser
def test_hash_route_shell_is_rendered(night):
    [plain] = [r for r in night.by_path("rutashash", "/") if not r.rendered]
    assert "#/" in plain.render_reason
    assert night.by_path("rutashash", "/pagina-real/")[0].ok


@pytest.mark.browser
def test_rendering_never_fetches_the_page_icon(web, night):
    # Chromium fetches icons outside Playwright's interception, so past the SSRF guard and the domain's lease.
    assert [r for r in night.resources("rutashash") if r.rendered]
    assert web.hits[("rutashash", "/icono.svg")] == web.hits[("rutashash", "/favicon.ico")] == 0


def test_plain_pages_are_not_rendered(night):
    assert not [r for r in night.resources("normal") + night.resources("malformado") if r.rendered]


def test_second_night_costs_304s_and_reuses_bodies(web, night, tmp_path):
    first = {r.url: r for r in night.resources("normal")}
    # same database: copy it so the module's night stays untouched
    copy_sqlite_database(night.directory / "apertura.sqlite", tmp_path / "apertura.sqlite")
    process = run_nightly(web, tmp_path, ["normal"])
    assert process.returncode == 0, process.stderr[-3000:]
    second = Night(tmp_path, process, 0)
    crawl, resources = second.crawl("normal")
    reused = [r for r in resources if r.not_modified]
    assert {r.status for r in reused} == {304} and len(reused) >= 3
    for r in reused:
        assert r.ok and r.sha256 == first[r.url].sha256 and r.page == first[r.url].page
    assert crawl.stats["not_modified"] == len(reused) and crawl.status == "ok"
    assert crawl.stats["bytes"] < night.crawl("normal")[0].stats["bytes"]
    assert len(Site(resources).pages) == len(Site(list(first.values())).pages)
    with sqlite3.connect(tmp_path / "apertura.sqlite") as db:  # a 304 points to the stored extract, no copy
        copies = db.execute("SELECT COUNT(*) FROM resources WHERE json_extract(facts, '$.page') IS NOT NULL")
        assert copies.fetchone() == (0,)
        extracts = {}
        for url, run_id, digest in db.execute(
            "SELECT r.url, c.run_id, r.extract_sha256 FROM resources r JOIN crawls c ON c.id = r.crawl_id"
        ):
            extracts.setdefault(run_id, {})[url] = digest
    extracted = [r.url for r in reused if r.page or r.document]
    assert extracted and all(extracts[2][url] == extracts[1][url] is not None for url in extracted)


@pytest.mark.slow
def test_loopback_needs_allow_private_network(web, tmp_path):
    before = web.hits[("normal", "/")]
    process = run_nightly(web, tmp_path, ["normal"], allow_private=False)
    assert process.returncode == 0, process.stderr[-3000:]
    crawl, resources = Night(tmp_path, process, 0).crawl("normal")
    assert crawl.status == "unreachable"  # the guarded resolver refuses 127.0.0.1 (Scrapy rewords the error)
    assert web.hits[("normal", "/")] == before
    assert set(Night(tmp_path, process, 0).findings("normal").values()) <= {"not_verifiable", "not_applicable"}


@pytest.mark.parametrize(
    "target", ["http://127.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://10.1.2.3/"]
)
def test_redirects_to_private_addresses_are_refused(target):
    crawler = get_crawler(settings_dict={"APERTURA_ALLOW_PRIVATE_NETWORK": False})
    redirect = RedirectMiddleware.from_crawler(crawler)
    crawler.spider = crawler._create_spider("x")
    request = Request("http://municipio.gob.mx/")
    response = Response(request.url, status=302, headers={"Location": target}, request=request)
    followed = redirect.process_response(request, response)
    assert isinstance(followed, Request) and followed.url.startswith(target.split("/latest")[0])
    with pytest.raises(IgnoreRequest):
        NetworkGuardMiddleware.from_crawler(crawler).process_request(followed)
    assert NetworkGuard({}, allow_private=False).refuses(followed.url)


def test_non_http_schemes_are_refused():
    crawler = get_crawler(settings_dict={"APERTURA_ALLOW_PRIVATE_NETWORK": True})
    with pytest.raises(IgnoreRequest):
        NetworkGuardMiddleware.from_crawler(crawler).process_request(Request("file:///etc/passwd"))
    assert NetworkGuard({}, allow_private=True).refuses("file:///etc/passwd")


def test_browser_guard_uses_host_overrides_and_can_be_relaxed():
    guard = NetworkGuard({"sitio.gob.mx": "127.0.0.1"}, allow_private=False)
    assert guard.refuses("http://sitio.gob.mx/") and not guard.refuses("http://93.184.216.34/")
    assert not NetworkGuard({"sitio.gob.mx": "127.0.0.1"}, allow_private=True).refuses("http://sitio.gob.mx/")


@pytest.mark.browser
def test_a_single_page_app_is_judged_by_what_chromium_shows(night):
    """Every path answers the same shell: the site's own pages are judged by their rendered views, the not-found probe
    too, so a route the app does not know is a soft 404 and the section it does know is the transparency link's
    target."""
    resources = night.resources("spahistoria")
    assert [r for r in resources if r.role == "not_found_probe" and r.rendered]
    site = Site(resources)
    section = site.target(night.by_path("spahistoria", "/transparencia")[0].url)
    assert section.rendered and "Obligaciones de transparencia" in section.page.text
    [unknown] = [r for r in night.by_path("spahistoria", "/contraloria") if r.rendered]
    assert is_broken(site.target(unknown.url))
    assert not [r for r in site.resources if r.page and r.page.soft_404 and r.unrendered_shell]
    assert night.findings("spahistoria")["ltaipemym.79"] == "compliant"


@pytest.mark.browser
def test_islands_are_rendered_until_their_data_arrives_and_a_section_whose_data_never_came_is_not_verifiable(night):
    [directory] = [r for r in night.by_path("islas", "/directorio/") if r.rendered]
    assert "Directora de Desarrollo Social" in directory.page.text and not directory.script_failures
    [section] = [r for r in night.by_path("islas", "/transparencia/") if r.rendered]
    assert [urlsplit(url).path for url in section.script_failures] == ["/api/obligaciones"]
    findings = night.findings("islas")
    assert findings["ltaipemym.92.VII"] in ("compliant", "partial")
    assert findings["ltaipemym.92.XXIV"] == findings["ltaipemym.94.II.b"] == "not_verifiable"


@pytest.mark.browser
def test_menu_items_without_an_address_are_clicked_on_the_rendered_home_page(night):
    [home] = [r for r in night.by_path("menuclic", "/") if r.rendered]
    clicked = {link.text: urlsplit(link.href).path for link in home.page.links if link.via == "click"}
    assert clicked == {"TRANSPARENCIA › Obligaciones": "/obligaciones", "Trámites": "/tramites"}
    assert "Catálogo de trámites y servicios" not in home.page.text  # stored as it opened, not as the clicks left it
    [section] = [r for r in night.by_path("menuclic", "/obligaciones") if r.rendered]
    assert "Obligaciones de transparencia" in section.page.text
    assert night.findings("menuclic")["ltaipemym.79"] == "compliant"
