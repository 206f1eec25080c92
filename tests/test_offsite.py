"""Off-site link targets fetched one hop, and navigation that is not a plain link, through `apertura nightly`.

The night runs WITHOUT --allow-private-network: only 127.0.0.1 is let through (APERTURA_PRIVATE_ADDRESSES_ALLOWED,
the served replica), so a redirect into 127.0.0.2 must be refused like any private address.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from auditors.site import Site
from crawler.failures import classify
from crawler.offsite import OffsitePolicy
from crawler.spiders.municipal_site import MunicipalSiteSpider, SiteTarget
from storage import repository
from storage.database import open_database
from tests.hostile.offsite import NAV, PRIVATE, SECTIONS, SITE, offsite_web
from tests.test_webarchive import archived_uris

ROOT = Path(__file__).resolve().parent.parent
APERTURA = str(ROOT / ".venv" / "bin" / "apertura")
CODES = {SITE: "15901", NAV: "15902"}


@pytest.fixture(scope="module")
def web():
    with offsite_web() as served:
        yield served


class Night:
    def __init__(self, directory: Path):
        self.sessions = open_database(f"sqlite:///{directory / 'apertura.sqlite'}")

    def crawl(self, host: str):
        with self.sessions() as session:
            row = repository.latest_crawl(session, CODES[host])
            return row, repository.crawl_resources(session, row)

    def resources(self, host: str):
        return self.crawl(host)[1]


@pytest.fixture(scope="module")
def night(web, tmp_path_factory) -> Night:
    directory = tmp_path_factory.mktemp("offsite")
    registry = directory / "padron.csv"
    with registry.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["inegi_code", "name", "website", "ipomex_url"])
        writer.writerows([CODES[host], f"Sitio {host}", web.url(host), ""] for host in (SITE, NAV))
    command = [
        APERTURA, "nightly", "--registry", str(registry), "--hosts", str(web.hosts_file(directory / "hosts")),
        "--db", f"sqlite:///{directory / 'apertura.sqlite'}", "--delay", "0", "--fecha-corte", "2026-11-24",
        "--out", str(directory / "informes"), "--max-pages", "20",
    ]  # fmt: skip
    env = {**os.environ, "APERTURA_DOWNLOAD_TIMEOUT": "3", "APERTURA_PRIVATE_ADDRESSES_ALLOWED": "127.0.0.1",
           "APERTURA_OFFSITE_MAPPED_ONLY": "1", "XDG_DATA_HOME": str(directory / "datos")}  # fmt: skip
    process = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env, cwd=directory)
    assert process.returncode == 0, process.stderr[-3000:]
    assert "Traceback" not in process.stderr
    return Night(directory)


def offsite(night, web, case: str):
    url = web.offsite_links()[case]
    found = [r for r in night.resources(SITE) if r.url == url]
    assert len(found) == 1, (case, [r.url for r in night.resources(SITE)])
    resource = found[0]
    assert resource.offsite and resource.linked_from == web.url(SITE)
    return resource


def test_live_targets_are_fetched_and_extracted(night, web):
    page = offsite(night, web, "vivo")
    assert page.ok and page.error is None and page.failure is None
    assert page.page.title == "Organigrama municipal"
    document = offsite(night, web, "pdf")
    assert document.ok and "Estructura orgánica" in document.document.text


def test_targets_are_never_crawled_beyond_one_hop(night, web):
    assert web.hits[("vivo.externo.test", "/mas.html")] == 0
    assert web.hits[("otro.externo.test", "/")] == 0
    assert not [r for r in night.resources(SITE) if "mas.html" in r.url or "otro." in r.url]


def test_missing_target_is_stored_with_its_status(night, web):
    missing = offsite(night, web, "roto")
    assert missing.status == 404 and not missing.ok


@pytest.mark.parametrize(
    "case, failure, words",
    [
        ("lento", "timeout", "tiempo de espera agotado"),
        ("bucle", "redirect_loop", "bucle de redirecciones"),
        ("privado", "private_address", f"resuelve a {PRIVATE}"),
        ("literal", "private_address", "no pública"),
        ("robots", "robots", "prohibido por robots.txt"),
        ("enorme", "too_large", "demasiado grande"),
    ],
)
def test_failed_targets_are_stored_with_their_reason(night, web, case, failure, words):
    resource = offsite(night, web, case)
    assert resource.failure == failure and words in resource.error, resource.error
    assert not resource.ok and resource.size == 0


def test_redirects_into_a_private_address_and_robots_disallowed_are_never_requested(night, web):
    assert not [key for key in web.hits if key[1] == "/secreto"]
    assert web.hits[("robots.externo.test", "/privado/doc.html")] == 0
    assert web.hits[("robots.externo.test", "/robots.txt")] == 1


def test_shortener_chain_is_followed_and_findable_by_any_of_its_addresses(night, web):
    short = offsite(night, web, "corto")
    assert short.ok and short.final_url == web.url("vivo", "/presupuesto.html")
    assert short.redirect_urls == [web.url("corto", "/x7"), web.url("corto", "/r/x7")]
    site = Site(night.resources(SITE))
    for address in (short.url, short.redirect_urls[1], short.final_url):
        assert site.target(address) == short
    assert site.target(web.offsite_links()["lento"]).failure == "timeout"


def test_skipped_and_portal_domains_are_not_requested(night, web):
    hosts = {r.url.split("/")[2] for r in night.resources(SITE)}
    assert not [h for h in hosts if "facebook" in h or "ipomex" in h]


def test_offsite_responses_are_archived(night, web):
    crawl, _ = night.crawl(SITE)
    uris = archived_uris(crawl.stats["wacz"])
    links = web.offsite_links()
    expected = [links["vivo"], links["pdf"], links["roto"], links["corto"], web.url("corto", "/r/x7"),
                web.url("vivo", "/presupuesto.html"), links["bucle"], links["privado"], links["literal"],
                web.url("robots", "/robots.txt")]  # fmt: skip
    assert set(expected) <= uris, set(expected) - uris
    assert crawl.stats["offsite"] == 10


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract-ocr (scripts/system-deps.sh)")
def test_scanned_documents_are_read_by_ocr_during_the_crawl(night, web):
    [scan] = [r for r in night.resources(SITE) if r.url == web.url(SITE, "/acta-escaneada.pdf")]
    assert scan.document.image_only and scan.document.ocr and scan.document.ocr_pages == 1
    assert "Cabildo" in scan.document.text and "Presupuesto" in scan.document.text


def test_navigation_without_plain_links_is_discovered_and_followed(night, web):
    resources = night.resources(NAV)
    home = next(r for r in resources if r.is_home and not r.rendered)
    via = {link.href: link.via for link in home.page.links}
    for kind in ("onclick", "data-href", "option", "form", "script"):
        assert via[web.url(NAV, SECTIONS[kind])] == kind
        [section] = [r for r in resources if r.url == web.url(NAV, SECTIONS[kind])]
        assert section.ok and section.page.title == f"Sección {kind}"
    assert web.url(NAV, SECTIONS["rendered"]) not in via


@pytest.mark.browser
def test_links_only_a_browser_builds_are_marked_rendered(night, web):
    resources = night.resources(NAV)
    [rendered] = [r for r in resources if r.is_home and r.rendered]
    via = {link.href: link.via for link in rendered.page.links}
    assert via[web.url(NAV, SECTIONS["rendered"])] == "rendered"
    assert via[web.url(NAV, SECTIONS["onclick"])] == "onclick"
    assert [r for r in resources if r.url == web.url(NAV, SECTIONS["rendered"])][0].ok


# ------------------------------------------------------------------ without network


def spider(**settings) -> MunicipalSiteSpider:
    crawler = get_crawler(MunicipalSiteSpider, settings_dict={"APERTURA_OFFSITE_ENABLED": True, **settings})
    targets = [SiteTarget("15001", "http://www.muni.gob.mx/", "https://www.ipomex.org.mx/ipo3/lgt/indice/MUNI.web")]
    return MunicipalSiteSpider.from_crawler(crawler, targets=targets)


class Page:
    url = "http://www.muni.gob.mx/inicio.html"
    meta: dict = {}


def test_offsite_cap_per_site():
    crawl = spider(APERTURA_OFFSITE_MAX_PER_SITE=3)
    links = [f"http://otro{i}.gob.mx/" for i in range(10)]
    requests = list(crawl._follow("15001", links, Page()))
    assert [r.url for r in requests] == links[:3]
    assert all(r.meta["offsite"] and r.meta["linked_from"] == Page.url and r.dont_filter for r in requests)
    assert not list(crawl._follow("15001", ["http://otro20.gob.mx/"], Page()))


def test_offsite_links_of_pages_at_the_depth_limit_wait_for_a_shallower_page():
    crawl = spider(APERTURA_OFFSITE_MAX_PER_SITE=3, DEPTH_LIMIT=4)

    class Deep(Page):
        meta = {"depth": 4}

    assert not list(crawl._follow("15001", ["http://otro.gob.mx/"], Deep()))
    assert [r.url for r in crawl._follow("15001", ["http://otro.gob.mx/"], Page())] == ["http://otro.gob.mx/"]


def test_each_site_gets_its_own_offsite_targets_and_another_sites_page_stays_in_its_crawl():
    settings = {"APERTURA_OFFSITE_ENABLED": True, "APERTURA_OFFSITE_MAX_PER_SITE": 5, "APERTURA_MAX_PAGES_PER_SITE": 5}
    crawler = get_crawler(MunicipalSiteSpider, settings_dict=settings)
    targets = [SiteTarget("15001", "http://www.muni.gob.mx/"), SiteTarget("15002", "http://www.vecino.gob.mx/")]
    crawl = MunicipalSiteSpider.from_crawler(crawler, targets=targets)

    class Neighbour:
        url = "http://www.vecino.gob.mx/inicio.html"
        meta: dict = {}

    shared, neighbour_page = "http://www.edomex.gob.mx/gaceta", "http://www.vecino.gob.mx/tramites/"
    first = [r.url for r in crawl._follow("15001", [shared, neighbour_page], Page())]
    assert first == [shared, neighbour_page]
    assert [r.url for r in crawl._follow("15002", [shared, neighbour_page], Neighbour())] == [shared, neighbour_page]
    assert not list(crawl._follow("15001", [shared], Page()))  # once per site


def test_offsite_links_only_from_the_sites_own_pages_and_never_from_sitemaps():
    crawl = spider(APERTURA_OFFSITE_MAX_PER_SITE=10)

    class Elsewhere:
        url = "http://otro.gob.mx/pagina.html"  # a site page that redirected off-site

    assert not list(crawl._follow("15001", ["http://tercero.gob.mx/"], Elsewhere()))
    assert not list(crawl._follow("15001", ["http://tercero.gob.mx/"], Page(), offsite=False))


@pytest.mark.parametrize(
    "url, reason",
    [
        ("https://www.facebook.com/muni", "skipped_domain"),
        ("https://m.youtube.com/watch?v=1", "skipped_domain"),
        ("https://www.google.com/maps/place/x", "skipped_domain"),
        ("https://drive.google.com/file/d/1/view", None),
        ("https://infoem2.ipomex.org.mx/ipomex/#/obligaciones/9", "portal"),
        ("http://www.ipomex.org.mx.test:8753/ipo3/lgt/indice/OTRO.web", "portal"),
        ("https://bit.ly/3abc", None),
    ],
)
def test_skip_list_and_portal_domains(url, reason):
    settings = Settings()
    settings.setmodule("crawler.settings")
    settings.set("APERTURA_OFFSITE_MAPPED_ONLY", False)  # the default, stated: the suite's CLI runs turn it on
    assert OffsitePolicy.from_settings(settings).skip_reason(url) == reason


def test_replicas_can_keep_offsite_fetches_on_their_mapped_hosts():
    settings = Settings()
    settings.setmodule("crawler.settings")
    settings.set("APERTURA_HOSTS", {"espejo.gob.mx.test": "127.0.0.1"})
    settings.set("APERTURA_OFFSITE_MAPPED_ONLY", False)
    assert OffsitePolicy.from_settings(settings).skip_reason("https://www.saimex.org.mx/") is None
    settings.set("APERTURA_OFFSITE_MAPPED_ONLY", True)
    policy = OffsitePolicy.from_settings(settings)
    assert policy.skip_reason("https://www.saimex.org.mx/") == "unmapped"
    assert policy.skip_reason("http://espejo.gob.mx.test:8080/doc.pdf") is None


def test_registry_portal_domain_is_skipped_for_its_site():
    crawl = spider(APERTURA_OFFSITE_MAX_PER_SITE=10)
    assert crawl.portal_domains["15001"] == {"ipomex.org.mx"}
    crawl = MunicipalSiteSpider.from_crawler(
        get_crawler(
            MunicipalSiteSpider, settings_dict={"APERTURA_OFFSITE_ENABLED": True, "APERTURA_OFFSITE_MAX_PER_SITE": 5}
        ),
        targets=[
            SiteTarget("15001", "http://www.muni.gob.mx/", "http://www.ipomex.org.mx.test:8753/ipo3/lgt/indice/M.web")
        ],
    )
    assert not list(crawl._follow("15001", ["http://infoem2.ipomex.org.mx.test:8753/"], Page()))


@pytest.mark.parametrize(
    "type_name, message, kind",
    [
        ("DNSLookupError", "DNS lookup failed: no results for hostname lookup: nadie.gob.mx.", "dns"),
        ("DownloadTimeoutError", "Getting http://x took longer than 3.0 seconds.", "timeout"),
        ("IgnoreRequest", "max redirections reached", "too_many_redirects"),
        ("ConnectionRefusedError", "Connection was refused by other side", "connection"),
    ],
)
def test_failure_classes(type_name, message, kind):
    assert classify(type_name, message, "http://nadie.gob.mx/") == kind
