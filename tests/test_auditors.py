"""Check kinds as pure functions of small artifacts (Lighthouse-style), plus runner and scoring."""

from __future__ import annotations

import gc
import io
import re
import tracemalloc
from datetime import UTC, date, datetime, timedelta

import openpyxl
import pytest

from auditors.authorship import issued_elsewhere
from auditors.checks import Outcome
from auditors.checks.portal import Portal
from auditors.checks.publication import Hit, _as_announcement, period_found
from auditors.listing import GAZETTE, GAZETTE_WORDS
from auditors.matching import WordIndex, address_name, find, folded, named_by_address
from auditors.ownership import OTHER_GOVERNMENT, OWN, Owners
from auditors.recognizers import RECOGNIZERS, is_letter, sections
from auditors.runner import audit_site, summarise
from auditors.scoring import score
from auditors.site import Site, is_broken
from auditors.substance import (
    EMBED_ONLY_REASON,
    EMPTY_FORMAT_REASON,
    EMPTY_SIPOT_REASON,
    UNSENT_REASON,
    Template,
    judge_document,
    judge_page,
)
from crawler.extract import extract_document, extract_page
from models import DocumentArtifact, Link, PageArtifact, ResourceArtifact, Rule, Status
from models.artifact import EMPTY_SHELL, PortalFormatArtifact, TlsFacts
from models.text import normalize
from rules.catalog import list_editions, load_catalog

CORTE = date(2026, 11, 24)
WHEN = datetime(2026, 11, 20, tzinfo=UTC)
HOME = "http://muni.test/"


def resource(url, *, status=200, page=None, document=None, is_home=False, error=None, probe=False):
    return ResourceArtifact(
        url=url,
        final_url=url,
        status=status,
        fetched_at=WHEN,
        sha256=f"{abs(hash(url)):064d}"[:64],
        page=page,
        document=document,
        is_home=is_home,
        error=error,
        probe=probe,
        content_type="application/pdf" if document else "text/html",
    )


def page(title="", links=(), text="", headings=(), **facts):
    return PageArtifact(
        title=title, links=[Link(href=h, text=t) for h, t in links], text=text, headings=list(headings), **facts
    )


def rule(rule_id="ltaipemym.92.I", check=None, currency=None, **extra):
    data = {
        "id": rule_id,
        "title": "Marco normativo",
        "dimension": extra.pop("dimension", "transparencia"),
        "basis": {"law": "LTAIPEMyM", "article": "92", "fraction": "I"},
        "review_note": "Revisar",
        "check": check,
        "currency": currency,
        **extra,
    }
    return Rule.model_validate(data)


MARCO = {"kind": "publication", "terms": ["marco normativo", "marco juridico", "normatividad aplicable"]}
BANDO = {"kind": "publication", "terms": ["bando municipal"], "url_terms": ["bando"]}
ANNUAL = {"period_days": 365, "tolerance_days": 30}
CONTENT = "Documento que la unidad administrativa responsable publica con sus anexos y cuadros de información."


def site(*resources, website=HOME, municipality=None):
    return Site(list(resources), website, municipality)


def one(rule_, site_):
    [finding] = audit_site([rule_], site_, CORTE)
    return finding


def test_a_link_to_a_body_read_as_neither_page_nor_document_is_not_verifiable():
    """An archive («Marco normativo.zip») answered 200 but was not read: its link cannot be judged, and the audit does
    not fail on it."""
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "marco.zip", "Marco normativo")]))
    archive = resource(HOME + "marco.zip").model_copy(update={"page": None, "content_type": "application/zip"})
    finding = one(rule(check=MARCO), site(home, archive))
    assert finding.status is Status.NOT_VERIFIABLE
    assert "application/zip" in finding.evidence[0].note


def test_link_to_a_live_page_is_compliant_with_its_evidence():
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "marco", "MARCO JURÍDICO")]))
    target = resource(HOME + "marco", page=page("Leyes", text=CONTENT))
    finding = one(rule(check=MARCO), site(home, target))
    assert finding.status is Status.COMPLIANT
    assert finding.evidence[0].url == HOME + "marco"
    assert finding.evidence[0].sha256 == target.sha256
    assert "MARCO JURÍDICO" in finding.evidence[0].matched


def test_the_findings_do_not_depend_on_the_order_the_crawl_stored_the_resources():
    # The same link on the home page and on the site map. The crawl stores a resource when its extraction ends,
    # and extractions run in parallel: which page is cited must follow the order the responses arrived in.
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "marco", "Marco normativo")]))
    site_map = resource(HOME + "mapa", page=page("Mapa del sitio", [(HOME + "marco", "Marco normativo")]))
    target = resource(HOME + "marco", page=page("Leyes", text=CONTENT))
    arrived = [
        r.model_copy(update={"fetched_at": WHEN + timedelta(seconds=n)}) for n, r in enumerate([home, site_map, target])
    ]
    findings = [one(rule(check=MARCO), site(*order)) for order in (arrived, arrived[::-1], arrived[1:] + arrived[:1])]
    assert findings[0].status is Status.COMPLIANT
    assert findings[0].evidence[0].matched.endswith(f" en {HOME}")  # found on the home page, the first to arrive
    assert findings[1] == findings[0] and findings[2] == findings[0]


def test_absence_is_non_compliant_and_says_what_was_searched():
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "noticias", "Noticias")], text="Bienvenidos"))
    finding = one(rule(check=MARCO), site(home))
    assert finding.status is Status.NON_COMPLIANT
    [absence] = finding.evidence
    assert absence.kind == "absence" and absence.resources_examined == 1
    assert "marco normativo" in absence.searched


def test_a_mention_in_running_text_scores_zero_and_is_cited():
    text = "El Bando Municipal puede consultarse en la Secretaría del Ayuntamiento."
    home = resource(HOME, is_home=True, page=page("Inicio", text=text))
    finding = one(rule("norm.bando_municipal", BANDO, dimension="participacion"), site(home))
    assert finding.status is Status.NON_COMPLIANT and "solo se menciona" in finding.message
    assert finding.evidence[0].url == HOME and "bando municipal" in finding.evidence[0].matched


def test_a_link_to_a_soft_404_or_dead_page_scores_zero_citing_the_failure():
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "a", "Marco normativo")]))
    soft = resource(HOME + "a", page=page("Página no encontrada", soft_404=True))
    finding = one(rule(check=MARCO), site(home, soft))
    assert finding.status is Status.NON_COMPLIANT and "roto" in finding.message
    assert "soft 404" in finding.evidence[0].note
    dead = resource(HOME + "a", status=404, page=page("Error"))
    finding = one(rule(check=MARCO), site(home, dead))
    assert finding.status is Status.NON_COMPLIANT and finding.evidence[0].note == "HTTP 404"


@pytest.mark.parametrize("failure", [{"status": None, "error": "tiempo de espera agotado"}, {"status": 503}])
def test_a_target_that_could_not_be_fetched_leaves_the_source_not_verifiable(failure):
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "a", "Marco normativo")]))
    target = resource(HOME + "a", page=page("Marco"), **failure)
    assert one(rule(check=MARCO), site(home, target)).status is Status.NOT_VERIFIABLE
    assert one(rule(check=MARCO), site(home)).status is Status.NOT_VERIFIABLE  # never fetched


SHELL = page("Municipio")  # a single-page app's shell: the same empty page for every path


def shell(url, **facts):
    return resource(url, page=SHELL, **facts).model_copy(update={"render_reason": EMPTY_SHELL, "sha256": "f" * 64})


def rendered(url, view, **facts):
    return resource(url, page=view, **facts).model_copy(update={"rendered": True, "render_reason": EMPTY_SHELL})


def test_a_single_page_app_is_judged_by_its_rendered_views_and_an_unrendered_shell_is_not_verifiable():
    probe_url = HOME + "apertura-no-existe-1a2b"
    views = [
        shell(HOME, is_home=True),
        shell(probe_url).model_copy(update={"role": "not_found_probe"}),
        shell(HOME + "marco"),
        shell(HOME + "perdida"),
        rendered(
            HOME,
            page("Inicio", [(HOME + "marco", "Marco normativo"), (HOME + "perdida", "Normatividad")]),
            is_home=True,
        ),
        rendered(probe_url, page("Municipio", text="Página no encontrada")).model_copy(
            update={"role": "not_found_probe"}
        ),
        rendered(HOME + "perdida", page("Municipio", text="Página no encontrada")),
    ]
    unrendered = site(*views)  # the render budget ran out before /marco
    assert one(rule(check=MARCO), unrendered).status is Status.NOT_VERIFIABLE
    assert is_broken(unrendered.target(HOME + "perdida")) and not is_broken(unrendered.target(HOME + "marco"))
    views.append(rendered(HOME + "marco", page("Marco normativo", text=CONTENT)))
    finding = one(rule(check=MARCO), site(*views))
    assert finding.status is Status.COMPLIANT and finding.evidence[0].sha256 == views[-1].sha256


def test_what_a_page_s_scripts_could_not_load_from_the_municipality_s_servers_is_not_verifiable():
    api = HOME + "api/"
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "transparencia/", "Transparencia")]))
    section = rendered(HOME + "transparencia/", page("Transparencia", [(HOME + "sevac/", "SEVAC")], text=CONTENT))
    sevac = rendered(HOME + "sevac/", page("SEVAC", text="Año de ejercicio: trimestrales"))
    sevac_rule = rule(check={"kind": "publication", "terms": ["sevac"]})
    loaded = site(home, section, sevac)
    assert one(sevac_rule, loaded).status is Status.COMPLIANT
    assert one(rule(check=MARCO), loaded).status is Status.NON_COMPLIANT
    third_party = {"script_failures": ["https://www.google-analytics.com/g/collect"]}
    assert one(sevac_rule, site(home, section, sevac.model_copy(update=third_party))).status is Status.COMPLIANT
    unloaded = site(
        home,
        section.model_copy(update={"script_failures": [api + "listCategoryTransparency"]}),
        sevac.model_copy(update={"script_failures": [api + "sevac_listYears"]}),
    )
    finding = one(sevac_rule, unloaded)
    assert finding.status is Status.NOT_VERIFIABLE and api + "sevac_listYears" in finding.evidence[0].note
    assert one(rule(check=MARCO), unloaded).status is Status.NOT_VERIFIABLE  # the section's own data never came


def test_a_home_page_left_an_empty_shell_is_not_verifiable():
    findings = audit_site([rule(check=MARCO)], site(shell(HOME, is_home=True)), CORTE)
    assert [f.status for f in findings] == [Status.NOT_VERIFIABLE]
    assert "JavaScript" in findings[0].evidence[0].note


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Próximamente", "marcador de posición"),
        ("Página en mantenimiento. Disculpe las molestias.", "marcador de posición"),
        ("Sitio en construcción", "marcador de posición"),
        ("No hay registros que mostrar.", "marcador de posición"),
        ("Sección de transparencia. Aún no se han cargado archivos en este apartado.", "marcador de posición"),
        ("Documentos del ejercicio: no se han subido documentos.", "marcador de posición"),
        ("Esta sección se encuentra en actualización. Agradecemos su comprensión.", "marcador de posición"),
        ("Estamos actualizando la información de este apartado.", "marcador de posición"),
        ("Contenido no disponible por el momento.", "marcador de posición"),
        ("Aquí no se ha publicado nada todavía.", "marcador de posición"),
        ("Sin documentos que mostrar.", "marcador de posición"),
        ("En breve podrás consultar los documentos del ayuntamiento.", "marcador de posición"),
        ("Esta sección se está actualizando, vuelve pronto.", "marcador de posición"),
        ("Aquí va el texto de la sección.", "marcador de posición"),
        ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. " * 12, "relleno"),
        (
            "Warning: mysql_connect(): Access denied for user 'web'@'localhost' in /var/www/marco.php on line 12",
            "error del servidor",
        ),
        ("", "no tiene contenido propio"),
    ],
)
def test_a_placeholder_target_is_not_a_publication(text, reason):
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "a", "Marco normativo")]))
    target = resource(HOME + "a", page=page("Marco normativo", text=text, headings=["Marco normativo"]))
    finding = one(rule(check=MARCO), site(home, target))
    assert finding.status is Status.NON_COMPLIANT and reason in finding.evidence[0].note


def test_the_site_template_is_not_content():
    menu = " ".join(
        f"Menú {word}"
        for word in (
            "Inicio Gobierno Transparencia Trámites Servicios Noticias Contacto Aviso de privacidad Directorio Cabildo"
        ).split()
    )
    footer = "H. Ayuntamiento Constitucional Plaza Hidalgo número uno Centro Teléfono 555 123 4567"
    pages = [
        resource(
            HOME + f"p{i}",
            page=page(
                f"Página {i}",
                text=f"{menu} Texto propio de la página número {i} con varias palabras de contenido real {i}. {footer}",
            ),
        )
        for i in range(6)
    ]
    empty = resource(
        HOME + "marco",
        page=page("Marco normativo", text=f"{menu} Marco normativo {footer}", headings=["Marco normativo"]),
    )
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "marco", "Marco normativo")], text=menu))
    finding = one(rule(check=MARCO), site(home, empty, *pages))
    assert finding.status is Status.NON_COMPLIANT and "plantilla" in finding.evidence[0].note
    full = resource(HOME + "marco", page=page("Marco normativo", text=f"{menu} Marco normativo {CONTENT} {footer}"))
    assert one(rule(check=MARCO), site(home, full, *pages)).status is Status.COMPLIANT


def test_another_governments_page_is_context_and_the_portal_is_judged_by_its_crawl():
    state = "https://legislacion.edomex.gob.mx/marco"
    home = resource(HOME, is_home=True, page=page("Inicio", [(state, "Marco jurídico")]))
    target = resource(state, page=page("Leyes del Estado", text=CONTENT)).model_copy(update={"offsite": True})
    finding = one(rule(check=MARCO), site(home, target))
    assert finding.status is Status.NON_COMPLIANT and "otro gobierno" in finding.message
    portal = "https://www.ipomex.org.mx/ipo3/lgt/indice/MUNI/art_92_i.web"
    home = resource(HOME, is_home=True, page=page("Inicio", [(portal, "Marco normativo")]))
    finding = one(rule(check=MARCO), site(home))
    assert finding.status is Status.NOT_VERIFIABLE and "portal" in finding.evidence[0].note


def test_an_offsite_target_counts_only_once_fetched_and_live():
    drive = "https://drive.google.com/file/d/abc"
    home = resource(HOME, is_home=True, page=page("Inicio", [(drive, "Marco normativo")]))
    pdf = resource(drive, document=DocumentArtifact(title="Marco", text=CONTENT, pages=3)).model_copy(
        update={"offsite": True}
    )
    assert one(rule(check=MARCO), site(home, pdf)).status is Status.COMPLIANT
    assert site(home, pdf).documents == []  # a one-hop target is not the site's own content
    assert one(rule(check=MARCO), site(home)).status is Status.NOT_VERIFIABLE


def test_a_news_item_about_the_subject_is_not_the_publication():
    news = HOME + "noticias/toma-protesta-copaci"
    home = resource(HOME, is_home=True, page=page("Inicio", [(news, "Toman protesta los COPACI")]))
    item = resource(news, page=page("Toman protesta los COPACI", text=CONTENT))
    copaci = rule("part.copaci", {"kind": "publication", "terms": ["COPACI"]}, dimension="participacion")
    assert one(copaci, site(home, item)).status is Status.NON_COMPLIANT


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Presupuesto participativo 2026", Status.NON_COMPLIANT),
        ("Presupuesto de egresos 2026 y presupuesto participativo", Status.COMPLIANT),
    ],
)
def test_exclude_terms_mask_what_names_something_else(label, expected):
    check = {
        "kind": "publication",
        "terms": ["presupuesto de egresos", "presupuesto"],
        "url_terms": ["presupuesto"],
        "exclude_terms": ["presupuesto participativo"],
    }
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "presupuesto-participativo", label)]))
    target = resource(HOME + "presupuesto-participativo", page=page(label, text=CONTENT))
    assert one(rule("ltaipemym.92.XXV.a", check), site(home, target)).status is expected


def test_context_terms_count_only_in_the_menu_or_the_transparency_section():
    check = {"kind": "publication", "terms": ["tabulador de sueldos"], "context_terms": ["sueldos"]}
    target = resource(HOME + "s", page=page("Sueldos", text=CONTENT))
    body = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "s", "Sueldos")]))
    assert one(rule("ltaipemym.92.VIII", check), site(body, target)).status is Status.NON_COMPLIANT
    nav = resource(
        HOME,
        is_home=True,
        page=PageArtifact(title="Inicio", links=[Link(href=HOME + "s", text="Sueldos", context="nav")]),
    )
    assert one(rule("ltaipemym.92.VIII", check), site(nav, target)).status is Status.COMPLIANT


def test_a_directory_is_recognised_by_its_content_whatever_its_label():
    people = " ".join(
        f"Lic. Persona {i} Director de Área {i} Tel. 722 555 12{i:02d} persona{i}@muni.gob.mx" for i in range(25)
    )
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "gabinete", "Gabinete")]))
    gabinete = resource(HOME + "gabinete", page=page("Gabinete", text=people))
    check = {"kind": "publication", "terms": ["directorio de servidores públicos"], "recognizer": "directory"}
    finding = one(rule("ltaipemym.92.VII", check), site(home, gabinete))
    assert finding.status is Status.COMPLIANT and "personas con cargo" in finding.evidence[0].note
    few = resource(
        HOME + "gabinete", page=page("Gabinete", text="Presidenta municipal: Lic. Ana Ruiz. Tel. 722 555 1200")
    )
    assert one(rule("ltaipemym.92.VII", check), site(home, few)).status is Status.NON_COMPLIANT


def test_years_are_not_a_directory_s_phones():
    # a structure format's rows: a period's end date, then the next row's «Ejercicio»; posts and their administration
    rows = " ".join(
        f"2025 01/10/2025 31/12/2025 Dirección de Área {i} Director de Área {i} Presidencia 15/01/2026"
        for i in range(9)
    )
    posts = " ".join(f"C. Persona {i}, Regidora {i} 2025-2027." for i in range(9))
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "a", "Áreas")]))
    check = {"kind": "publication", "terms": ["directorio de servidores públicos"], "recognizer": "directory"}
    for text in (rows, posts):
        areas = resource(HOME + "a", page=page("Áreas", text=text))
        assert one(rule("ltaipemym.92.VII", check), site(home, areas)).status is Status.NON_COMPLIANT, text


@pytest.mark.parametrize(
    ("label", "expected"),
    [("Bando Municipal 2026", Status.COMPLIANT), ("Bando Municipal 2023", Status.PARTIAL)],
)
def test_currency_from_the_year_in_the_label(label, expected):
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "b.pdf", label)]))
    pdf = resource(HOME + "b.pdf", document=DocumentArtifact(title="Bando", text="..."))
    bando = rule("norm.bando_municipal", BANDO, ANNUAL, dimension="participacion")
    assert one(bando, site(home, pdf)).status is expected


def test_currency_from_dates_in_the_document():
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "g.pdf", "Gaceta")]))
    old = resource(HOME + "g.pdf", document=DocumentArtifact(title="Gaceta", dates=["2024-01-15"]))
    gaceta = rule(
        "ltaipemym.94.II.a", {"kind": "publication", "terms": ["gaceta"]}, {"period_days": 90, "tolerance_days": 30}
    )
    assert one(gaceta, site(home, old)).status is Status.PARTIAL
    new = old.model_copy(update={"document": DocumentArtifact(title="Gaceta", dates=["2026-10-01"])})
    assert one(gaceta, site(home, new)).status is Status.COMPLIANT


def test_required_terms_must_appear_in_the_publication():
    check = {"kind": "publication", "terms": ["actas de cabildo"], "require_terms": ["votacion", "asistencia"]}
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "actas", "Actas de Cabildo")]))
    bare = resource(HOME + "actas", page=page("Actas", text="Acta de la sesión ordinaria."))
    actas = rule("ltaipemym.94.II.b", check)
    assert one(actas, site(home, bare)).status is Status.PARTIAL
    full = resource(HOME + "actas", page=page("Actas", text="Lista de asistencia y sentido de la votación."))
    assert one(actas, site(home, full)).status is Status.COMPLIANT


def test_link_domains_counts_distinct_services():
    check = {"kind": "link_domains", "domains": ["facebook.com", "x.com", "youtube.com"], "min_distinct": 2}
    social = rule("tic.social_media", check, dimension="tic")
    home = resource(HOME, is_home=True, page=page("Inicio", [("https://www.facebook.com/muni", "Facebook")]))
    assert one(social, site(home)).status is Status.PARTIAL
    home.page.links.append(Link(href="https://x.com/muni", text="X"))
    assert one(social, site(home)).status is Status.COMPLIANT


@pytest.mark.parametrize(
    ("feature", "facts", "expected"),
    [
        ("viewport", {"has_viewport": True}, Status.COMPLIANT),
        ("viewport", {}, Status.NON_COMPLIANT),
        ("lang", {"lang": "es-MX"}, Status.COMPLIANT),
        ("lang", {"lang": "en"}, Status.PARTIAL),
        ("lang", {}, Status.NON_COMPLIANT),
        ("site_search", {"has_search_form": True}, Status.PARTIAL),  # art. 79: in the transparency section
        ("site_search", {}, Status.NON_COMPLIANT),
    ],
)
def test_home_page_features(feature, facts, expected):
    home = resource(HOME, is_home=True, page=page("Inicio", **facts))
    assert (
        one(rule(f"tic.{feature}", {"kind": "page_feature", "feature": feature}, dimension="tic"), site(home)).status
        is expected
    )


def test_https_feature():
    https = rule("tic.https", {"kind": "page_feature", "feature": "https"}, dimension="tic")
    plain = resource(HOME, is_home=True, page=page("Inicio"))
    assert one(https, site(plain)).status is Status.NON_COMPLIANT
    probe = resource("https://muni.test/", page=page("Inicio"), probe=True)
    assert one(https, site(plain, probe)).status is Status.PARTIAL
    secure = resource("https://muni.test/", is_home=True, page=page("Inicio"))
    assert one(https, Site([secure], "https://muni.test/")).status is Status.COMPLIANT


@pytest.mark.parametrize(
    "tls, expected",
    [
        (TlsFacts(checked=True, valid=True, issuer="R11", not_after="2027-01-01T00:00:00+00:00"), Status.COMPLIANT),
        (TlsFacts(checked=True, valid=False, expired=True, error="certificado vencido"), Status.PARTIAL),
        (
            TlsFacts(
                checked=True,
                valid=False,
                hostname_match=False,
                error="el certificado no corresponde al nombre del sitio",
            ),
            Status.PARTIAL,
        ),
    ],
)
def test_https_feature_uses_certificate_facts(tls, expected):
    https = rule("tic.https", {"kind": "page_feature", "feature": "https"}, dimension="tic")
    secure = resource("https://muni.test/", is_home=True, page=page("Inicio")).model_copy(update={"tls": tls})
    outcome = one(https, Site([secure], "https://muni.test/"))
    assert outcome.status is expected
    assert tls.valid or tls.error in outcome.message


def test_not_modified_resources_are_live_and_soft_404_probe_marks_lookalikes():
    reused = resource(HOME + "tramites/", status=304, page=page("Trámites", text="Trámites y servicios"))
    assert not reused.ok
    reused = reused.model_copy(update={"not_modified": True})
    home = resource(HOME, is_home=True, page=page("Inicio", text="Bienvenidos"))
    catch_all = page("Municipio", text="Portal municipal")
    probe = resource(HOME + "apertura-no-existe-abc", page=catch_all).model_copy(update={"role": "not_found_probe"})
    lookalike = resource(HOME + "transparencia/", page=catch_all)
    pages = site(home, reused, probe, lookalike).pages
    assert [p.url for p in pages] == [HOME, HOME + "tramites/"]


def test_contact_channels_need_two_kinds():
    contact = rule(
        "tic.contact_channels", {"kind": "page_feature", "feature": "contact_channels", "min_count": 2}, dimension="tic"
    )
    links = [("mailto:contacto@muni.test", "Escríbenos")]
    assert one(contact, site(resource(HOME, is_home=True, page=page("Inicio", links)))).status is Status.PARTIAL
    links.append(("tel:+527222222222", "722 222 2222"))
    assert one(contact, site(resource(HOME, is_home=True, page=page("Inicio", links)))).status is Status.COMPLIANT


@pytest.mark.parametrize(
    "placeholder", ["tel:1234567890", "tel:911", "tel:089", "tel:(9XX)%20555-0199", "tel:000-000-0000", "tel:987-6543"]
)
def test_an_emergency_line_or_a_template_number_is_not_a_contact_channel(placeholder):
    contact = rule(
        "tic.contact_channels", {"kind": "page_feature", "feature": "contact_channels", "min_count": 2}, dimension="tic"
    )
    links = [("mailto:atencion@muni.test", "Atención ciudadana"), (placeholder, "Llámanos")]
    footer = "Seguridad 911. Protección Civil Tel. (9XX) 123-4567. Oficinas: Tel: 123-4567"
    home = resource(HOME, is_home=True, page=page("Inicio", links, text=footer, phones=["123-4567"]))
    assert one(contact, site(home)).status is Status.PARTIAL
    home = resource(HOME, is_home=True, page=page("Inicio", links, text=footer, phones=["123-4567", "(951) 516 2001"]))
    assert one(contact, site(home)).status is Status.COMPLIANT


def test_unreachable_site_is_never_non_compliant():
    down = resource(HOME, is_home=True, status=None, error="ConnectionRefusedError: refused")
    findings = audit_site(
        [rule(check=MARCO), rule("tic.viewport", {"kind": "page_feature", "feature": "viewport"}, dimension="tic")],
        site(down),
        CORTE,
    )
    assert {f.status for f in findings} == {Status.NOT_VERIFIABLE}
    assert findings[0].evidence[0].kind == "unreachable"
    assert "refused" in findings[0].evidence[0].note


def test_captcha_wall_on_home_is_not_verifiable():
    wall = resource(HOME, is_home=True, page=page("Just a moment...", blocked="captcha"))
    assert one(rule(check=MARCO), site(wall)).status is Status.NOT_VERIFIABLE


def test_a_site_closed_for_maintenance_is_not_verifiable_but_a_home_with_a_banner_is_a_site():
    notice = "Portal en mantenimiento. Trabajamos para ofrecerle un mejor servicio, ¡volveremos pronto!"
    closed = resource(HOME, is_home=True, page=page("H. Ayuntamiento de Ocuilan", text=notice))
    finding = one(rule(check=MARCO), site(closed))
    assert finding.status is Status.NOT_VERIFIABLE and "aviso de mantenimiento" in finding.evidence[0].note
    menu = [(HOME + path, path) for path in ("gobierno", "tramites", "transparencia", "noticias", "contacto")]
    home = resource(
        HOME, is_home=True, page=page("Inicio", menu, text=f"Sección de trámites en construcción. {CONTENT}")
    )
    assert site(home).availability.status == "ok"


def test_not_applicable_rule_and_group_summary_and_scores():
    group = rule("ltaipemym.92.II", None)
    a = rule("ltaipemym.92.II.a", {"kind": "publication", "terms": ["estructura organica"]}, parent="ltaipemym.92.II")
    b = rule("ltaipemym.92.II.b", {"kind": "publication", "terms": ["organigrama"]}, parent="ltaipemym.92.II")
    na = rule(
        "ltaipemym.94.I.e",
        {"kind": "publication", "terms": ["notarios"]},
        applicability={
            "applies": "no",
            "source": "Ley X",
            "source_tag": "verified-text",
            "reason": "Competencia estatal",
        },
    )
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "org", "Organigrama")]))
    target = resource(HOME + "org", page=page("Organigrama", text=CONTENT))
    findings = audit_site([group, a, b, na], site(home, target), CORTE)
    by_id = {f.rule_id: f for f in findings}
    assert by_id["ltaipemym.92.II"].status is Status.PARTIAL and by_id["ltaipemym.92.II"].is_group
    assert by_id["ltaipemym.94.I.e"].status is Status.NOT_APPLICABLE
    transparency, *_, overall, practices = score(findings)
    assert transparency.value == 50.0 and transparency.scored == 2 and transparency.not_applicable == 1
    assert overall.value == 50.0
    assert (practices.dimension, practices.value, practices.scored) == ("buenas_practicas", None, 0)


@pytest.mark.parametrize(
    ("formats", "expected"),
    [
        ((Status.COMPLIANT, Status.NOT_VERIFIABLE), Status.NOT_VERIFIABLE),  # «cumple» would vouch for both
        ((Status.COMPLIANT, Status.NOT_APPLICABLE), Status.COMPLIANT),
        ((Status.NON_COMPLIANT, Status.NOT_VERIFIABLE), Status.NON_COMPLIANT),
        ((Status.COMPLIANT, Status.NON_COMPLIANT, Status.NOT_VERIFIABLE), Status.PARTIAL),
    ],
)
def test_a_group_complies_only_when_every_format_was_seen_to(formats, expected):
    assert summarise([Outcome(status, "") for status in formats]).status is expected


def test_good_practices_have_their_own_index_and_never_move_the_global_one():
    """A missing good practice (participatory budgeting, open data…) is no legal breach (issue 17)."""
    obligation = rule(check=MARCO)
    practice = rule(
        "part.presupuesto_participativo",
        {"kind": "publication", "terms": ["presupuesto participativo"]},
        dimension="participacion",
        nature="buena_practica",
        recommended_by="CIMTRA-Municipal",
    )
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "marco", "Marco normativo 3er trimestre 2026")]))
    findings = audit_site(
        [obligation, practice], site(home, resource(HOME + "marco", page=page("Leyes", text=CONTENT))), CORTE
    )
    assert [f.nature for f in findings] == ["obligacion", "buena_practica"]
    assert findings[1].status is Status.NON_COMPLIANT
    by_dimension = {s.dimension: s for s in score(findings)}
    assert by_dimension["participacion"].value is None and by_dimension["participacion"].scored == 0
    assert by_dimension["global"].value == 100.0
    assert (by_dimension["buenas_practicas"].value, by_dimension["buenas_practicas"].scored) == (0.0, 1)


def test_a_crashing_check_is_contained(monkeypatch):
    from auditors import runner

    def boom(*_):
        raise RuntimeError("roto")

    monkeypatch.setitem(runner.CHECKS, "publication", boom)
    home = resource(HOME, is_home=True, page=page("Inicio"))
    finding = one(rule(check=MARCO), site(home))
    assert finding.status is Status.NOT_VERIFIABLE and "roto" in finding.message


def test_home_link_only_in_the_footer_is_partial():
    home_link = rule("ltaipemym.79", {"kind": "page_feature", "feature": "home_link", "terms": ["transparencia"]})
    footer = PageArtifact(title="Inicio", links=[Link(href=HOME + "t", text="Transparencia", context="footer")])
    target = resource(HOME + "t", page=page("Transparencia", text=CONTENT))
    assert one(home_link, site(resource(HOME, is_home=True, page=footer), target)).status is Status.PARTIAL
    nav = PageArtifact(title="Inicio", links=[Link(href=HOME + "t", text="TRANSPARENCIA", context="nav")])
    assert one(home_link, site(resource(HOME, is_home=True, page=nav), target)).status is Status.COMPLIANT


def test_phone_and_email_written_as_text_are_contact_channels():
    contact = rule(
        "tic.contact_channels", {"kind": "page_feature", "feature": "contact_channels", "min_count": 2}, dimension="tic"
    )
    home = resource(HOME, is_home=True, page=page("Inicio", phones=["(722) 275 1234"]))
    assert one(contact, site(home)).status is Status.PARTIAL
    home = resource(HOME, is_home=True, page=page("Inicio", phones=["(722) 275 1234"], emails=["a@muni.test"]))
    assert one(contact, site(home)).status is Status.COMPLIANT


def test_word_index_keeps_every_text_where_a_catalog_term_is_found():
    """The index may keep texts `find` rejects, never drop one it accepts: for every term set of every
    edition, on texts written from the terms themselves (wildcards filled, accents, case, punctuation)."""
    term_sets = {
        tuple(terms)
        for edition in list_editions()
        for r in load_catalog(edition).rules
        if r.check is not None and r.check.kind == "publication"
        for terms in (r.check.terms, r.check.url_terms)
        if terms
    }
    raw = sorted({t for terms in term_sets for t in terms})
    texts = [
        *(f"Consulte: «{t.replace('*', 'es').upper()}» 2026." for t in raw),
        *(f"{t.replace('*', '')}-{i}" for i, t in enumerate(raw)),
        *(t.split()[0] for t in raw),  # the first word alone: most multi-word terms must not match it
        "Currículum vitae del titular",
        "Información reservada",
        "C.V.",
        "",
    ]
    index = WordIndex((text,) for text in texts)
    narrowed = 0
    for terms in term_sets:
        found = {i for i, text in enumerate(texts) if find(terms, text)}
        candidates = set(index.candidates(terms))
        assert found <= candidates, terms
        narrowed += len(candidates) < len(texts) and bool(found)
    assert narrowed > len(term_sets) / 2


def test_word_index_prefix_and_leading_wildcard_terms():
    index = WordIndex([("Currículum vitae",), ("Curso de verano",), ("Acta de sesión", "Sesiones de cabildo")])
    assert list(index.candidates(("curricul*",))) == [0]
    assert list(index.candidates(("acta de sesion",))) == [2]
    assert list(index.candidates(("actas de sesion",))) == []
    assert list(index.candidates(("*ulum",))) == [0, 1, 2]  # no word to look up: every item stays


@pytest.mark.slow  # 13 s: audits the catalog on many sites
def test_an_audit_keeps_nothing_of_the_sites_it_audited_before():
    """A night audits 125 sites in one process: what an audit caches of one site's texts must go with it."""
    catalog = load_catalog("ltaipemym-2016")

    def distinct_site(n: int) -> Site:
        pages = [
            resource(
                f"{HOME}p{n}-{i}/",
                is_home=i == 0,
                page=page(
                    title=f"Página {n}-{i}",
                    text=" ".join(f"palabra{n}x{i}x{w}" for w in range(400)),
                    links=[(f"{HOME}p{n}-{j}/", f"Sección {n} {j}") for j in range(20)],
                ),
            )
            for i in range(40)
        ]
        # documents the rules' hits lead to: what they name themselves is read from their first lines
        titles = ["Bando Municipal", "Plan de Desarrollo Municipal", "Presupuesto de Egresos", "Reglamento Interior"]
        documents = [
            resource(
                f"{HOME}d{n}-{k}.pdf",
                document=DocumentArtifact(
                    title=f"{title} {n}", text="\n".join(f"renglon{n}x{k}x{w} texto" for w in range(2000))
                ),
            )
            for k, title in enumerate(titles)
        ]
        pages[0].page.links.extend(Link(href=d.url, text=t) for d, t in zip(documents, titles, strict=True))
        return site(*pages, *documents)

    audit_site(catalog.rules, distinct_site(0), CORTE)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(1, 4):
            audit_site(catalog.rules, distinct_site(n), CORTE)
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert kept < 256 * 1024, f"{kept / 1024:.0f} KiB kept after three audits"


def test_a_rule_restating_an_obligation_shows_its_finding_and_is_counted_once():
    """part.gaceta_municipal restates 94.II.a: same finding in the participation view, one count in the index."""
    gaceta = rule("ltaipemym.94.II.a", {"kind": "publication", "terms": ["gaceta municipal"]})
    restated = rule(
        "part.gaceta_municipal",
        {"kind": "publication", "terms": ["gaceta municipal"]},
        dimension="participacion",
        refers_to="ltaipemym.94.II.a",
    )
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "gaceta", "Gaceta Municipal")]))
    findings = audit_site(
        [restated, gaceta], site(home, resource(HOME + "gaceta", page=page("Gaceta", text=CONTENT))), CORTE
    )
    by_id = {f.rule_id: f for f in findings}
    assert by_id["part.gaceta_municipal"].status == by_id["ltaipemym.94.II.a"].status == Status.COMPLIANT
    assert by_id["part.gaceta_municipal"].refers_to == "ltaipemym.94.II.a"
    assert by_id["part.gaceta_municipal"].message.startswith("Misma obligación que ltaipemym.94.II.a")
    scores = {s.dimension: s for s in score(findings)}
    assert scores["participacion"].scored == 0 and scores["transparencia"].scored == 1
    alone = one(
        restated, site(home, resource(HOME + "gaceta", page=page("Gaceta", text=CONTENT)))
    )  # 2025: no 94.II.a to refer to
    assert alone.refers_to is None and alone.status is Status.COMPLIANT


def test_a_page_that_only_embeds_a_viewer_publishes_what_the_viewer_shows():
    viewer = "https://docs.google.com/viewer?url=https://huehuetan.gob.mx/organigrama.pdf&embedded=true"
    frame = PageArtifact(
        title="Organigrama",
        headings=["Organigrama"],
        text="Organigrama",
        links=[Link(href=viewer, text="", context="body", via="iframe")],
    )
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "organigrama", "Organigrama")]))
    holder = resource(HOME + "organigrama", page=frame)
    organigrama = rule("ltaipemym.92.II.b", {"kind": "publication", "terms": ["organigrama"]})
    assert one(organigrama, site(home, holder)).status is Status.NOT_VERIFIABLE  # the viewer was not fetched
    shown = resource(viewer, document=DocumentArtifact(title="Organigrama", text=CONTENT, pages=1))
    finding = one(organigrama, site(home, holder, shown.model_copy(update={"offsite": True})))
    assert finding.status is Status.COMPLIANT and finding.evidence[0].url == viewer


def test_a_page_of_images_around_an_embedded_form_is_judged_by_the_form():
    form = "https://docs.google.com/forms/d/e/1FAIpQLSd/viewform?embedded=true"
    announcement = "Feria del Mole 2026: el municipio recibió el galardón Pueblos con Sabor del gobierno del estado."
    quejas = PageArtifact(
        title="Buzón",
        headings=["Quejas y denuncias"],
        text=f"Quejas y denuncias {announcement} Escríbanos",
        popup_text=announcement,  # a modal that opens on a button: not what the page shows
        links=[Link(href=form, text="", context="body", via="iframe")],
        images=3,
    )
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "quejas", "Quejas y denuncias")]))
    denuncia = rule("part.denuncia_ciudadana", {"kind": "publication", "terms": ["quejas y denuncias"]})
    finding = one(denuncia, site(home, resource(HOME + "quejas", page=quejas)))
    assert finding.status is Status.NOT_VERIFIABLE  # the form was not fetched: the page's images publish nothing
    answered = resource(form, page=page("Formulario de quejas", text=CONTENT)).model_copy(update={"offsite": True})
    assert one(denuncia, site(home, resource(HOME + "quejas", page=quejas), answered)).status is Status.COMPLIANT


def test_a_page_of_one_document_s_title_is_judged_by_the_document():
    pdf = "https://almacen.muni.test/presupuesto-ciudadano-2026.pdf"
    holder = page(
        "Presupuesto",
        [(pdf, "Presupuesto ciudadano 2026")],
        text="Presupuesto en lenguaje ciudadano. Información para la ciudadanía: anual, trimestral. Presupuesto ciudadano 2026",
    )
    holder.links[0] = holder.links[0].model_copy(update={"context": "body"})
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "presupuesto", "Presupuesto ciudadano")]))
    budget = rule(check={"kind": "publication", "terms": ["presupuesto ciudadano"]})
    unreached = site(home, resource(HOME + "presupuesto", page=holder))
    assert one(budget, unreached).status is Status.NOT_VERIFIABLE
    document = resource(pdf, document=DocumentArtifact(title="Presupuesto ciudadano 2026", text=CONTENT, pages=4))
    reached = site(home, resource(HOME + "presupuesto", page=holder), document.model_copy(update={"offsite": True}))
    assert one(budget, reached).status is Status.COMPLIANT


def test_a_page_of_files_to_download_holds_its_files_or_nothing():
    legal = (
        "La remuneración bruta y neta de todos los servidores públicos de base o de confianza, de todas las percepciones,"
        " incluyendo sueldos, prestaciones, gratificaciones, primas, comisiones, dietas, bonos y estímulos;"
    )
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "f8", "8. Remuneraciones")]))
    nomina = rule("ltaipemym.92.VIII", {"kind": "publication", "terms": ["remuneraciones"]})
    empty = page("Fracción VIII: remuneraciones", text=f"Fracción VIII {legal} Archivos para descarga Primer trimestre",
                 headings=["Fracción VIII", "Archivos para descarga"])  # fmt: skip
    finding = one(nomina, site(home, resource(HOME + "f8", page=empty)))
    assert finding.status is Status.NON_COMPLIANT and "no enlaza ninguno" in finding.evidence[0].note
    s3 = "https://archivos.s3.amazonaws.com/f8/"
    listed = page("Fracción VIII: remuneraciones", [(s3 + "2025-t1.xlsx", "Primer trimestre"), (s3 + "2025-t2.xlsx", "Segundo")],
                  text=f"Fracción VIII {legal} Archivos para descarga Primer trimestre Segundo",
                  headings=["Fracción VIII", "Archivos de descarga"])  # fmt: skip
    listed.links[:] = [link.model_copy(update={"context": "body"}) for link in listed.links]
    assert one(nomina, site(home, resource(HOME + "f8", page=listed))).status is Status.NOT_VERIFIABLE


def test_a_directory_s_headings_are_its_offices_not_publications():
    offices = [
        "Secretaría del Ayuntamiento", "Dirección de Finanzas", "Contraloría Municipal", "Dirección de Obras Públicas",
        "Coordinación de Fiscalización y Normatividad", "Unidad de Transparencia", "Ramo 33",
    ]  # fmt: skip
    directory = page(
        "Directorio", text=" ".join(f"{o} Lic. Ana Pérez Tel. 951 516 2001" for o in offices), headings=offices
    )
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "directorio", "Directorio")]))
    marco = one(
        rule(check={"kind": "publication", "terms": ["normatividad"]}),
        site(home, resource(HOME + "directorio", page=directory)),
    )
    assert marco.status is Status.NON_COMPLIANT
    one_office = page("Normatividad", text=CONTENT, headings=["Coordinación de Fiscalización y Normatividad"])
    marco = one(
        rule(check={"kind": "publication", "terms": ["normatividad"]}),
        site(home, resource(HOME + "n", page=one_office)),
    )
    assert marco.status is Status.COMPLIANT  # a page's own title names its subject


def test_a_link_to_the_home_page_is_not_a_publication():
    home = resource(
        HOME, is_home=True, page=page("Inicio", [(HOME + "index.html#tramites", "Trámites")], text=CONTENT * 5)
    )
    other = resource(
        HOME + "municipio.html", page=page("Municipio", [(HOME + "index.html#tramites", "TRÁMITES")], text=CONTENT)
    )
    same_body = resource(HOME + "index.html", page=home.page).model_copy(update={"sha256": home.sha256})
    tramites = rule("ltaipemym.92.XXIV", {"kind": "publication", "terms": ["trámites"]})
    assert one(tramites, site(home, other, same_body)).status is Status.NON_COMPLIANT


def test_the_art_107_legend_is_the_section_s_own_words_not_its_footer():
    legend = rule(
        "ltaipemym.107",
        {"kind": "page_feature", "feature": "transparency_legend", "terms": ["denuncia ciudadana"]},
    )
    footer = " Teléfonos de emergencia: Emergencias 911, Denuncia Ciudadana 089, Bomberos 933 315 5670."
    pages = [
        resource(
            HOME,
            is_home=True,
            page=page("Inicio", [(HOME + "transparencia", "Transparencia")], text="Bienvenidos" + footer),
        ),
        resource(HOME + "transparencia", page=page("Transparencia", text=CONTENT + footer)),
        *(
            resource(HOME + f"p{i}", page=page(f"Página {i}", text=f"Texto propio número {i} de la página." + footer))
            for i in range(4)
        ),
    ]
    assert one(legend, site(*pages)).status is Status.NON_COMPLIANT
    pages[1] = resource(
        HOME + "transparencia",
        page=page("Transparencia", text="Presente su denuncia ciudadana ante el Instituto." + footer),
    )
    assert one(legend, site(*pages)).status is Status.COMPLIANT


@pytest.mark.parametrize("via", ["embed", "object"])
def test_a_page_that_embeds_a_pdf_publishes_it_when_the_pdf_is_there(via):
    pdf = HOME + "pdf/organigrama.pdf"
    holder = resource(
        HOME + "organigrama.html",
        page=PageArtifact(
            title="Organigrama", headings=["ORGANIGRAMA"], text="ORGANIGRAMA", links=[Link(href=pdf, via=via)]
        ),
    )
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "organigrama.html", "Organigrama")]))
    organigrama = rule("ltaipemym.92.II.b", {"kind": "publication", "terms": ["organigrama"]})
    shown = resource(pdf, document=DocumentArtifact(title="Organigrama", text=CONTENT, pages=1))
    finding = one(organigrama, site(home, holder, shown))
    assert finding.status is Status.COMPLIANT and finding.evidence[0].url == pdf
    missing = resource(pdf, status=404)
    assert one(organigrama, site(home, holder, missing)).status is Status.NON_COMPLIANT  # the embedded PDF is 404


@pytest.mark.parametrize(
    ("missing", "status", "shortfall"),
    [
        (4, Status.PARTIAL, "4 de los 6 documentos que enlaza no están"),  # most of what it lists is 404
        (2, Status.COMPLIANT, None),  # two dead links among six documents: a published page
        (6, Status.PARTIAL, "los 6 documentos que enlaza no están"),
    ],
)
def test_a_page_whose_documents_are_mostly_missing_is_incomplete(missing, status, shortfall):
    """Terrenate's SEVAC page: 170 links by quarter, most of them 404 in the snapshot. What a page lists and does not
    hold is not published: the page counts, incomplete."""
    pdfs = [f"{HOME}sevac/2025/T{i}-estado-de-actividades.pdf" for i in range(6)]
    holder = resource(
        HOME + "sevac.html",
        page=page("Armonización contable", [(href, "Descargar PDF") for href in pdfs], text=CONTENT),
    )
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "sevac.html", "Marco normativo")]))
    stored = [
        resource(href, status=404) if i < missing else resource(href, document=DocumentArtifact(text=CONTENT))
        for i, href in enumerate(pdfs)
    ]
    unlinked = resource(HOME + "sevac/2024/T4.pdf", status=404)  # not linked from the page: not counted
    finding = one(rule(check=MARCO), site(home, holder, *stored, unlinked))
    assert finding.status is status
    assert (shortfall in finding.message) if shortfall else finding.message == "Publicado (enlace)."


def test_a_link_to_a_page_that_only_embeds_a_pdf_is_judged_by_the_pdf():
    """The menu's «Organigrama» leads to a page whose own words name nothing (a letterhead title): the link counts
    through the PDF the page embeds, and a missing PDF makes it a broken link, not a published page."""
    pdf = HOME + "pdf/03-organigrama.pdf"
    holder = resource(
        HOME + "gobierno-2.html",
        page=PageArtifact(title="H. Ayuntamiento 2024-2027", text="", links=[Link(href=pdf, via="embed")]),
    )
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "gobierno-2.html", "Organigrama")]))
    organigrama = rule("ltaipemym.92.II.b", {"kind": "publication", "terms": ["organigrama"]})
    shown = resource(pdf, document=DocumentArtifact(title="Organigrama", text=CONTENT, pages=1))
    finding = one(organigrama, site(home, holder, shown))
    assert finding.status is Status.COMPLIANT and finding.evidence[0].url == pdf
    assert "solo incrusta un visor (embed)" in (finding.evidence[0].note or "")
    broken = one(organigrama, site(home, holder, resource(pdf, status=404)))
    assert broken.status is Status.NON_COMPLIANT and broken.message == "No se publica: el enlace está roto."


@pytest.mark.parametrize(
    ("recognizer", "text", "found"),
    [
        (
            "directory",
            "Regidor primero 1,234,567.00 Regidor segundo 2,345,678.00 Síndico 3,456,789.00 "
            "Tesorero 4,567,890.00 Director de Obras 5,678,901.00",
            None,
        ),  # amounts are no phones
        (
            "directory",
            " ".join(
                f"Coordinadora de área {i}: Ing. Nombre Apellido, (722) 555 {1000 + i} ext. {100 + i}" for i in range(6)
            ),
            "6 personas con cargo y teléfono o correo",
        ),
        (
            "cabildo_minutes",
            "Acta de la sesión ordinaria de Cabildo número 12. Pase de lista: presentes. Se aprueba por "
            "unanimidad el orden del día.",
            "acta de sesión con pase de lista y votación",
        ),
        (
            "cabildo_minutes",
            "Estado analítico del ejercicio del presupuesto. " + "x " * 500 + "pase de lista, unanimidad, "
            "acta de cabildo",
            None,
        ),  # an acta's heading comes first
        (
            "budget",
            "Servicios personales $ 12,345,678.00 Materiales y suministros $ 2,345,678.00 Servicios generales "
            "$ 3,456,789.00 Inversión pública $ 1,000,000.00 Total $ 19,148,145.00",
            "4 capítulos del gasto con 5 importes",
        ),
        (
            "structure",
            "Dependencia Área Funciones Presidencia Municipal Secretaría Particular lleva la agenda Tesorería "
            "Municipal Departamento de Ingresos cobra contribuciones Tesorería Municipal Departamento de Egresos "
            "paga a proveedores Dirección de Obras Públicas Departamento de Licencias expide licencias Contraloría "
            "Municipal Unidad de Auditoría audita las áreas Dirección de Desarrollo Social Instancia de la Mujer "
            "atiende a mujeres",
            "10 unidades administrativas o cargos listados",
        ),  # each area with what it does (art. 92, fr. II: the structure linked to its atribuciones)
        (
            "structure",
            "El Reglamento Interior establece que la Dirección de Obras Públicas tendrá las atribuciones de "
            + "planear, programar y ejecutar la obra pública municipal conforme a la normativa aplicable; " * 12
            + "la Tesorería, la Contraloría, la Secretaría del Ayuntamiento, la Dirección de Desarrollo Social, "
            "la Coordinación de Protección Civil, el Departamento de Catastro y la Unidad de Transparencia "
            "coadyuvarán con ella.",
            None,
        ),  # units named in prose are a regulation, not the structure
        (
            "transparency_unit",
            "Usted podrá ejercer sus derechos ARCO ante la Unidad de Transparencia, ubicada en Palacio Municipal "
            "S/N, Col. Centro, C.P. 90540, Tel. 241 415 6250, correo transparencia@municipio.gob.mx, horario de "
            "atención 9:00 a 17:00 hrs, a cargo del Lic. Mario Tapia Ortega",
            "datos de la Unidad de Transparencia: domicilio, teléfono, correo, horario, titular",
        ),
        (
            "transparency_unit",
            "Fracción XIII. El domicilio de la Unidad de Transparencia, además de la dirección electrónica donde "
            "podrán recibirse las solicitudes para obtener la información.",
            None,
        ),  # the law's wording names the data without giving it
        (
            "transparency_unit",
            "Unidad de Transparencia. Responsable: Nombre del Titular. Tel. 01 (000) 000 0000. Correo: "
            "transparencia@tudominio.com",
            None,
        ),  # a theme's stand-in phone and e-mail are no one's contact data
        (
            "directory",
            "Nombre Apellido, Director de Área, tel. (000) 000 0000, correo@ejemplo.com. " * 6,
            None,
        ),  # template cards: posts, but no phone or e-mail anyone answers
    ],
)
def test_recognisers_ask_for_a_list_not_a_sentence(recognizer, text, found):
    result = RECOGNIZERS[recognizer](normalize(text))
    assert (result.note if result else None) == found
    assert result is None or result.shortfall is None


TRAMITES_CARDS = " ".join(
    f"{name} REQUISITOS {items}"
    for name, items in [
        ("Constancia de Identidad", "INE ORIGINAL, UNA FOTOGRAFÍA TAMAÑO INFANTIL"),
        ("Constancia de Residencia", "COPIA DE INE"),
        ("Registro de Nacimiento", "CERTIFICADO DE NACIMIENTO, CURP DE LOS PADRES, DOS TESTIGOS"),
        ("Registro de Matrimonio", "ANÁLISIS PRENUPCIALES, ACTAS DE NACIMIENTO"),
        ("Pago del Impuesto Predial", "ÚLTIMO COMPROBANTE DE PAGO"),
        ("Contrato de Agua Potable", "INE, COMPROBANTE DE DOMICILIO"),
    ]
)
CALL_FOR_APPLICANTS = (
    "Convocatoria para policía municipal. Requisitos: acta de nacimiento, certificado de bachillerato, carta de "
    "no antecedentes. Convocatoria para auxiliar administrativo. Requisitos: acta de nacimiento, constancia de "
    "estudios. Becas municipales 2026. Requisitos: constancia de estudios, comprobante de domicilio, registro de "
    "población (CURP)."
)
SOCIAL_PROGRAMMES = " ".join(
    f"Programa {name}. Requisitos: constancia de estudios, registro de población (CURP), constancia de domicilio, "
    "acta de nacimiento y comprobante de ingresos del hogar."
    for name in (
        "Becas Municipales",
        "Despensa DIF",
        "Útiles Escolares",
        "Adulto Mayor",
        "Mujeres Emprendedoras",
        "Apoyo al Campo",
    )
)
LEY_DE_INGRESOS = (
    "GOBIERNO CONSTITUCIONAL DEL ESTADO DE PUEBLA PERIÓDICO OFICIAL LAS LEYES, DECRETOS Y DEMÁS DISPOSICIONES DE "
    "CARÁCTER OFICIAL SON OBLIGATORIAS POR EL SOLO HECHO DE SER PUBLICADAS EN ESTE PERIÓDICO. Sumario: DECRETO del "
    "Honorable Congreso del Estado, por el que expide la "
    "LEY DE INGRESOS DEL MUNICIPIO DE TOTOLA, PUEBLA, PARA EL EJERCICIO FISCAL 2025 ARTÍCULO 1. En el ejercicio "
    "fiscal 2025 el Municipio percibirá los ingresos siguientes... ARTÍCULO 2. Para efectos de esta Ley... "
    "ARTÍCULO 18. Por la expedición de constancias se pagará una cuota de $85.00; requisitos: identificación. "
    "ARTÍCULO 19. Por el registro de nacimiento, costo $0.00 (gratuito); requisitos: certificado de nacimiento. "
    "ARTÍCULO 20. Por la licencia de funcionamiento, los derechos serán de $1,200.00; requisitos: solicitud."
)
CODE_OF_CONDUCT = (
    "H. Ayuntamiento Constitucional de Santa Lucía 2025-2027. Código de Conducta de las personas servidoras públicas. "
    "Principio 4. Respeto a los derechos humanos: trato a todas las personas respetando sus derechos. Conductas "
    "contrarias: otorgar apoyos a quien no cumpla con los requisitos de las reglas de operación; dar información "
    "falsa sobre el proceso y requisitos para acceder a trámites y servicios; exigir, por cualquier medio, requisitos "
    "adicionales a los que señalan las disposiciones; negar el ejercicio de los derechos de las personas."
)
REGLAMENTO = (
    "REGLAMENTO INTERIOR DE CABILDO Y COMISIONES MUNICIPIO DE TOTOLA, PUEBLA TÍTULO PRIMERO Disposiciones "
    "generales Artículo 1. El presente reglamento es de orden público y tiene por objeto regular el funcionamiento "
    "del Cabildo. Artículo 2. Para los efectos de este reglamento se entiende por Ayuntamiento..."
)


@pytest.mark.parametrize(
    ("recognizer", "text", "found"),
    [
        ("tramites", TRAMITES_CARDS, ("6 trámites con sus requisitos", "sin costos de los trámites")),
        (
            "tramites",
            "Trámite Requisitos Área responsable "
            + " ".join(
                f"{name} Requisitos: solicitud por escrito, identificación oficial. Desarrollo Urbano"
                for name in (
                    "Licencia de construcción",
                    "Permiso de demolición",
                    "Certificado de número oficial",
                    "Dictamen de uso de suelo",
                    "Alta de giro comercial",
                    "Refrendo de licencia",
                )
            ),
            ("6 trámites con sus requisitos", "sin costos de los trámites"),
        ),  # a table of a desarrollo urbano office: other trámites, other words, the same catalogue
        ("tramites", CALL_FOR_APPLICANTS, None),  # three calls list requisitos: not a catalogue of trámites
        ("tramites", SOCIAL_PROGRAMMES, None),  # requisitos of programmes name documents, not trámites
        ("tramites", LEY_DE_INGRESOS, None),  # a law setting fees and requisitos by article is not a catalogue
        (
            "structure",
            "Dependencia Área Teléfono Presidencia Municipal Secretaría Particular 449 965 0088 Tesorería "
            "Municipal Departamento de Ingresos 1021 Tesorería Municipal Departamento de Egresos 1022 Dirección "
            "de Obras Públicas Departamento de Licencias 1030 Contraloría Municipal Unidad de Auditoría 1040 "
            "Dirección de Desarrollo Social Instancia de la Mujer 1050",
            ("10 unidades administrativas o cargos listados", "sin las atribuciones"),
        ),  # areas and phones: the structure, without what each area does
        ("tramites", CODE_OF_CONDUCT, None),  # «requisitos» and «derechos» in sentences: no list, no cost
        (
            "tramites",
            "Tesorería Trámite Requisitos Costo "
            + " ".join(
                f"{name} solicitud, identificación oficial y comprobante de domicilio {price}"
                for name, price in (
                    ("Licencia de funcionamiento", "$350.00"),
                    ("Permiso de anuncio", "$120"),
                    ("Certificado de no adeudo", "$80"),
                    ("Alta de comercio", "$200 por giro"),
                )
            ),  # fmt: skip
            ("4 trámites con requisitos y costo (licencia de funcionamiento", None),
        ),  # a table: «requisitos» and «costo» are its header, each row a trámite with its price
        (
            "tramites",
            SOCIAL_PROGRAMMES.replace("del hogar.", "del hogar. Monto del apoyo: $1,500."),
            None,
        ),  # programmes with an amount each: their requisitos name documents, not trámites
        (
            "tramites",
            " ".join(
                f"{name}. Requisitos para realizarlo: solicitud e identificación. Costo: {cost}."
                for name, cost in (
                    ("Constancia de origen", "$95.00"),
                    ("Permiso de evento", "gratuito"),
                    ("Licencia de funcionamiento", "$1,150.00"),
                )
            ),  # fmt: skip
            ("3 trámites o servicios con requisitos y costo", None),
        ),
        (
            "budget",
            "NOTAS AL ESTADO DE SITUACIÓN FINANCIERA AL 31 DE MARZO DE 2026. Servicios personales $ 2,345,678.00 "
            "Materiales y suministros $ 345,678.00 Servicios generales $ 456,789.00 Inversión pública $ 1,000,000.00 "
            "Total $ 4,148,145.00",
            None,
        ),  # a financial statement's notes give amounts by chapter too
        ("tramites", TRAMITES_CARDS + " Costo: $120.00. Costo: gratuito.", ("6 trámites o servicios", None)),
        (
            "normative_instrument",
            REGLAMENTO,
            ("instrumento normativo del municipio: «reglamento interior de cabildo y comisiones", "instrumentos"),
        ),
        (
            "normative_instrument",
            "Ley de Ingresos del Municipio de Totola, para el Ejercicio Fiscal 2026. ARTÍCULO 1. En el Ejercicio "
            "Fiscal 2026 el Municipio percibirá los ingresos provenientes de... ARTÍCULO 2. Los ingresos se causarán...",
            ("instrumento normativo del municipio: «ley de ingresos", "instrumentos"),
        ),
        (
            "normative_instrument",
            "H. Ayuntamiento Constitucional de San Pedro 2025-2027 BANDO MUNICIPAL DE POLICÍA Y GOBIERNO TÍTULO I "
            "Art. 1o.- El presente Bando es de interés público. Art. 2o.- El Municipio de San Pedro es parte de...",
            ("instrumento normativo del municipio: «bando municipal de policia y gobierno", "instrumentos"),
        ),  # a letterhead first, articles abbreviated
        (
            "normative_instrument",
            "H. Ayuntamiento Constitucional de Santa Lucía del Valle, Oaxaca, 2023-2025. «2025, Año de la Mujer "
            "Indígena y del Bicentenario de la Constitución del Estado». Código de Ética para las personas servidoras "
            "públicas del Municipio. La presidenta municipal, a sus habitantes hace saber que el Ayuntamiento aprobó "
            "el presente Código. Principio 1. Legalidad…",
            ("instrumento normativo del municipio: «codigo de etica para las personas", "instrumentos"),
        ),  # a letterhead with the year's motto, numbered principles instead of articles, issued by promulgation
        (
            "normative_instrument",
            "H. Ayuntamiento de Santa Lucía del Valle. Código de Ética: infografía. Principio 1. Legalidad. "
            "Principio 2. Honradez. Cuelga este cartel en tu oficina.",
            None,
        ),  # a poster about it: neither articles nor a promulgation
        (
            "normative_instrument",
            "Boletín 45. El Cabildo aprobó por unanimidad el nuevo reglamento de tránsito del municipio, que entrará "
            "en vigor el 1 de marzo; su artículo 1 define su objeto.",
            None,
        ),  # news about a reglamento: it does not open with the instrument's name
        (
            "normative_instrument",
            "REGLAMENTO INTERIOR DE LA SECRETARÍA DE SALUD DEL ESTADO. Artículo 1. La Secretaría de Salud es una "
            "dependencia del Poder Ejecutivo del Estado...",
            None,
        ),  # the state's, not the municipality's
        (
            "normative_instrument",
            "Reglamento de Tránsito Municipal (resumen para ciudadanos): respeta los límites de velocidad y usa el "
            "cinturón de seguridad.",
            None,
        ),  # a leaflet about it, not the instrument written in articles
    ],
)
def test_recognisers_that_find_an_incomplete_publication(recognizer, text, found):
    """What a recogniser finds, and what it says the publication lacks (then the finding is partial)."""
    result = RECOGNIZERS[recognizer](normalize(text))
    if found is None:
        assert result is None
    else:
        note, shortfall = found
        assert result is not None and result.note.startswith(note)
        assert (result.shortfall is None) if shortfall is None else (shortfall in (result.shortfall or ""))


HISTORY = (
    "Terrenate es un municipio con una rica herencia histórica y cultural. Su nombre proviene del náhuatl y refleja "
    "la conexión con la tierra y sus recursos naturales, con bosques, arroyos, presas y haciendas antiguas. " * 6
)
# Terrenate's «Gobierno» (h2): the Ayuntamiento's composition (h3), then its regidores' table (h3).
CABILDO_TABLE = (
    "Ayuntamiento De acuerdo con el artículo 87 de la Constitución Política del Estado, los Ayuntamientos se "
    "compondrán de: Presidente Municipal Síndico 6 Regidores Regidores y Comisiones Regidoría Nombre del Responsable "
    "Comisiones a su Cargo Primer Regidor Mario López Martínez Hacienda • Patrimonio Municipal Segundo Regidor "
    "Sandro López Díaz Obras Públicas y Medio Ambiente Tercera Regidora María Elena Rodríguez Salud Pública Cuarto "
    "Regidor Tomás Romero Carmona Gobernación y Seguridad Pública Quinta Regidora Ximena Fernández Olivares "
    "Educación Pública Sexta Regidora Araceli Fernández Olivares Desarrollo Agropecuario"
)
UNITS_LIST = (
    "Ayuntamiento Dependencias del Ayuntamiento: Secretaría del Ayuntamiento, Tesorería Municipal, Contraloría "
    "Municipal, Dirección de Obras Públicas, Dirección de Desarrollo Social, Coordinación de Protección Civil, "
    "Departamento de Catastro, Unidad de Transparencia, Oficialía del Registro Civil"
)
CABILDO_PROSE = (
    "Ayuntamiento El Ayuntamiento es el órgano de gobierno del municipio; se integra por el Presidente Municipal, "
    "un Síndico y seis regidores electos cada tres años, que sesionan en Cabildo al menos dos veces al mes para "
    "deliberar sobre los asuntos del municipio, aprobar el presupuesto, vigilar la hacienda pública y expedir los "
    "bandos y reglamentos que rigen la vida de la comunidad. Regidores y Comisiones Cada regidor preside una "
    "comisión del Ayuntamiento y rinde un informe de sus trabajos en la sesión de Cabildo que corresponde."
)
REGLAMENTO_PROSE = (
    "Ayuntamiento El Reglamento Interior establece que la Dirección de Obras Públicas tendrá las atribuciones de "
    + "planear, programar y ejecutar la obra pública municipal conforme a la normativa aplicable; " * 12
    + "la Tesorería, la Contraloría, la Secretaría del Ayuntamiento, la Dirección de Desarrollo Social, la "
    "Coordinación de Protección Civil, el Departamento de Catastro y la Unidad de Transparencia coadyuvarán con ella."
)
TOWN_HEADINGS = ["Nuestro municipio", "Historia", "Gobierno", "Ayuntamiento", "Regidores y Comisiones"]


def _about_the_town(gobierno: str, levels=(1, 2, 2, 3, 3), home=False, tiles=False):
    text = f"Nuestro municipio Historia {HISTORY} Gobierno {gobierno}"
    offices = gobierno.split(": ", 1)[-1].split(", ")
    links = [(f"{HOME}#{n}", office) for n, office in enumerate(offices)] if tiles else []  # each office a tile
    about = resource(
        HOME if home else HOME + "nuestro-municipio",
        is_home=home,
        page=page("Nuestro municipio", links, text=text, headings=TOWN_HEADINGS, heading_levels=list(levels)),
    )
    estructura = rule(
        "ltaipemym.92.II.a", {"kind": "publication", "terms": ["estructura orgánica"], "recognizer": "structure"}
    )
    pages = [about] if home else [resource(HOME, is_home=True, page=page("Inicio", text="Bienvenidos")), about]
    return one(estructura, site(*pages))


@pytest.mark.parametrize(
    ("gobierno", "levels", "section"),
    [
        # neither h3 alone lists 8 posts; their h2 does, once its legal preamble is left out
        (CABILDO_TABLE, (1, 2, 2, 3, 3), "Gobierno"),
        (UNITS_LIST, (1, 2, 2, 3, 3), "Ayuntamiento"),  # a list of offices under one heading
        (UNITS_LIST, (), "Ayuntamiento"),  # heading levels unknown: each heading ends the section before it
        (CABILDO_TABLE, (), None),  # ... so the cabildo's two h3 are read apart: 2 and 6 posts, no structure
    ],
)
def test_a_dense_list_under_its_own_heading_is_a_structure_on_a_longer_page(gobierno, levels, section):
    """The whole page is history and geography (too sparse a list); the section holding the list is dense."""
    assert RECOGNIZERS["structure"](normalize(f"{HISTORY} {gobierno}")) is None
    finding = _about_the_town(gobierno, levels)
    if section is None:
        assert finding.status is Status.NON_COMPLIANT
    else:
        assert finding.status is Status.PARTIAL  # a list of units without their atribuciones
        assert finding.message == "Publicado, pero sin las atribuciones, responsabilidades o funciones de cada área."
        assert finding.evidence[0].note.endswith(f"en la sección «{section}»")


def test_a_list_under_its_own_heading_is_not_dated_by_the_rest_of_the_page():
    """The page's news cards ("Informe 2026", dated this month) say nothing of when the list under «Ayuntamiento»
    was published; a heading of the list's own that names the administration does."""
    units = UNITS_LIST.replace("Tesorería Municipal,", "Tesorería Municipal (funciones: cobros y pagos),")
    text = f"Nuestro municipio Historia {HISTORY} Gobierno {units} Noticias Tercer informe 2026 Feria 2026"
    headings = [*TOWN_HEADINGS, "Noticias", "Tercer informe 2026", "Feria 2026"]
    estructura = rule(
        "ltaipemym.92.II.a",
        {"kind": "publication", "terms": ["estructura orgánica"], "recognizer": "structure"},
        ANNUAL,
    )

    def finding(text, headings):
        about = resource(
            HOME + "nuestro-municipio",
            page=page("Nuestro municipio", text=text, headings=headings, heading_levels=[1, 2, 2, 3, 3, 2, 3, 3],
                      dates=["2026-11-02"]),
        )  # fmt: skip
        return one(estructura, site(resource(HOME, is_home=True, page=page("Inicio", text="Bienvenidos")), about))

    undated = finding(text, headings)
    assert undated.status is Status.PARTIAL and "vigencia no verificable" in undated.message
    assert undated.evidence[0].note.endswith("en la sección «Ayuntamiento»")
    own = "Ayuntamiento 2024-2027"
    dated = finding(
        text.replace("Ayuntamiento Dependencias", f"{own} Dependencias"), [*headings[:3], own, *headings[4:]]
    )
    assert dated.status is Status.COMPLIANT and dated.evidence[0].note.endswith(f"en la sección «{own}»")


ROLL_CALL_MINUTES = (
    "Acta de la trigésima primera sesión ordinaria de cabildo. Pase de lista: Presidenta Municipal, Lic. Irma Solís; "
    "Síndico Municipal, C. Pablo Ruiz; Primera Regidora, C. Lidia Gómez; Segundo Regidor, C. Omar Vera; Tercera "
    "Regidora, C. Ruth Lara; Cuarto Regidor, C. Elías Mena; Quinta Regidora, C. Sara Cid; Sexto Regidor, C. Abel Ríos; "
    "Séptima Regidora, C. Nora Paz; Secretario del Ayuntamiento, Lic. Raúl Tapia. Se declara quórum legal. "
    "Punto único: se aprueba por unanimidad el programa de bacheo 2026."
)


def test_minutes_that_call_the_roll_of_the_cabildo_are_no_structure():
    structure = RECOGNIZERS["structure"]
    assert structure(folded(ROLL_CALL_MINUTES)) is None
    # the same posts listed as offices, with no session, are one
    listed = ROLL_CALL_MINUTES.split("Pase de lista: ", 1)[1].split(" Se declara", 1)[0]
    assert structure(folded(listed)) is not None


@pytest.mark.parametrize(
    ("gobierno", "home"),
    [
        (CABILDO_PROSE, False),  # the cabildo described in prose: a few posts named, no list
        (REGLAMENTO_PROSE, False),  # a reglamento's article naming the offices in prose
        (UNITS_LIST, True),  # the home page's tiles of departments are navigation
    ],
)
def test_a_section_naming_offices_in_prose_or_as_home_tiles_is_no_structure(gobierno, home):
    assert _about_the_town(gobierno, home=home, tiles=home).status is Status.NON_COMPLIANT


@pytest.mark.parametrize(
    ("own", "status", "said"),
    [
        ("", Status.PARTIAL, "vigencia no verificable"),  # only the header's «hoy es…» and the sidebar's post
        ("Catálogo actualizado el 15 de octubre de 2026.", Status.COMPLIANT, "15/10/2026"),
    ],
)
def test_a_date_the_whole_site_repeats_dates_none_of_its_pages(own, status, said):
    """A header that prints today's date and a sidebar of recent posts are on every page: they do not date the
    catalogue of services, which says nothing of its own period."""
    header = "Hoy es viernes 20 de noviembre de 2026 Inicio Gobierno Servicios Transparencia Contacto"
    sidebar = "Entradas recientes Inauguran alumbrado en el barrio de San Mateo 18 noviembre, 2026"
    dates = ["2026-11-18", "2026-11-20"]

    def with_template(url, title, body, more=()):
        return resource(url, page=page(title, text=f"{header} {body} {sidebar}", dates=[*dates, *more]))

    pages = [
        with_template(HOME + "historia", "Historia", "Fundado en 1826, el municipio celebra su bicentenario."),
        with_template(HOME + "turismo", "Turismo", "Sus balnearios y la feria del elote atraen visitantes."),
        with_template(HOME + "cabildo", "Cabildo", "Presidenta, síndico y nueve regidurías integran el cabildo."),
        with_template(
            HOME + "servicios",
            "Servicios",
            f"Servicios: recolección de basura, alumbrado público y panteones, con sus requisitos. {own}",
            ["2026-10-15"] if own else [],
        ),
    ]
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "servicios", "Servicios municipales")]))
    services = rule(
        "ltaipemym.92.XXIII",
        {"kind": "publication", "terms": ["servicios municipales"]},
        {"period": "trimestral", "due_days": 30},
    )
    finding = one(services, site(home, *pages))
    assert finding.status is status and said in finding.message


def test_the_same_site_crawled_in_another_order_has_the_same_template():
    """The template is measured on a sample of the pages; the crawl's order changes from night to night, and the
    same pages must give the same findings. Here a side column shared by a third of the pages (a section's layout)
    is template or not depending on which pages are sampled."""
    column = "Teléfonos útiles Presidencia 483 363 0006 Protección Civil 771 174 2996 Seguridad Pública 483 363 0232"
    pages = [
        resource(
            f"{HOME}{'tramites' if i < 25 else 'noticias'}/{i:02d}",
            page=page(f"Página {i}", text=f"Texto propio número {i} de la página. " + (column if i < 25 else "")),
        )
        for i in range(75)
    ]
    probe = pages[0]
    forward = site(*pages).substance(probe)
    backward = site(*reversed(pages)).substance(probe)
    assert forward == backward


def test_a_footer_only_the_pages_carry_is_template_where_news_posts_outnumber_them():
    """A real Hidalgo site: fifty bulletins in a layout of their own, a dozen pages with a contact footer the
    bulletins lack. The complaints page is a heading and a Google form in a frame: measured on the whole site, the
    footer's phones and links were its content, and the form counted as published without being seen."""
    footer = (
        "Contacto Palacio Municipal s/n Zona Centro Presidencia 483 363 0006 Protección Civil 771 174 2996 "
        "Seguridad Pública 483 363 0232 DIF municipal 483 363 0346 Síguenos en nuestras redes sociales"
    )
    footer_links = [
        Link(href=f"tel:+52{number}", text=number, context="body") for number in ("4833630006", "7711742996")
    ]
    form = Link(href="https://docs.google.com/forms/d/e/1FAIpQ/viewform?embedded=true", text="", via="iframe")

    def with_footer(url, title, body, links=()):
        return resource(
            url,
            page=page(title, text=f"{title} {body} {footer}", headings=[title]).model_copy(
                update={"links": [*links, *footer_links]}
            ),
        )

    pages = [
        with_footer(f"{HOME}{name}.html", name.capitalize(), f"Texto de la sección {name}, con su historia y fotos.")
        for name in (
            "gobierno",
            "municipio",
            "cultura",
            "turismo",
            "hoteles",
            "gastronomia",
            "tradiciones",
            "parroquia",
            "encinal",
            "carnaval",
            "boletines",
        )
    ]
    bulletins = [
        resource(
            f"{HOME}noticias/boletin-{i:02d}.html",
            page=page(f"Boletín {i}", text=f"Boletín {i}. El ayuntamiento entregó apoyos en la comunidad número {i}."),
        )
        for i in range(50)
    ]
    quejas = with_footer(HOME + "quejas.html", "Formulario de Quejas", "Cargando…", [form])
    whole = site(resource(HOME, is_home=True, page=page("Inicio")), *pages, *bulletins, quejas)
    assert whole.substance(quejas).reason == EMBED_ONLY_REASON
    assert whole.substance(pages[0]).ok  # a page's own text is still its own


@pytest.mark.parametrize("body_class", ["archive category category-avisos", "home blog", ""])
def test_a_page_listing_news_posts_is_not_the_publication_of_what_they_report(body_class):
    """A WordPress category archive (or the blog's front page) shows the posts' titles as headings and their
    excerpts: «Entregan obras del Presupuesto Participativo» is news about the mechanism, on a list of news."""
    posts = {
        "2026/03/obras-presupuesto-participativo": "Entregan obras del Presupuesto Participativo 2026 en San Pedro",
        "2026/02/sesion-cabildo-abierto": "Vecinos exponen sus propuestas en la Sesión de Cabildo Abierto",
    }
    cards = "".join(
        f"<article class='post type-post hentry'><h2><a href='/{path}/'>{title}</a></h2><time>1 marzo, 2026</time>"
        f"<p>La presidenta municipal encabezó el acto con vecinos y regidores de la comunidad. […]</p></article>"
        for path, title in posts.items()
    )
    archive_html = f"<html><body class='{body_class}'><h1>Avisos</h1>{cards}</body></html>"
    archive = resource(HOME + "category/avisos/", page=extract_page(archive_html.encode(), HOME + "category/avisos/"))
    fetched = [
        resource(
            f"{HOME}{path}/",
            page=extract_page(
                f"<html><body class='single single-post'><h1>{title}</h1><p>{CONTENT}</p></body></html>".encode(),
                f"{HOME}{path}/",
            ),
        )
        for path, title in posts.items()
    ]
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "category/avisos/", "Avisos")]))
    rules = [
        rule("part.presupuesto_participativo", {"kind": "publication", "terms": ["presupuesto participativo"]}),
        rule("part.cabildo_abierto", {"kind": "publication", "terms": ["cabildo abierto"]}),
    ]
    for finding in audit_site(rules, site(home, archive, *fetched), CORTE):
        assert finding.status is Status.NON_COMPLIANT, finding.message


@pytest.mark.parametrize(
    ("wall", "public"),
    [
        (  # WordPress's password-protected page, as es_MX prints it
            "Protegido: Actas de Cabildo. Este contenido está protegido por contraseña. Para verlo, por favor, "
            "introduce tu contraseña a continuación: Contraseña: Acceder",
            False,
        ),
        ("Actas de Cabildo. Debe iniciar sesión para consultar esta información. Usuario Contraseña Entrar", False),
        ("Actas de Cabildo. Para ver este documento es necesario iniciar sesión. Correo Contraseña", False),
        ("Actas de Cabildo. Lo sentimos, no cuentas con permisos suficientes para ver esta sección.", False),
        ("Actas de Cabildo. Sección exclusiva: solo usuarios registrados pueden descargar las actas.", False),
        (  # a service that asks for an account to pay is a service, and these minutes say what they are
            "Actas de Cabildo. Acta de la sesión ordinaria número 12, del 5 de marzo de 2026: pase de lista, "
            "votación de los acuerdos por unanimidad. Para pagar el predial en línea, inicie sesión en el portal.",
            True,
        ),
    ],
)
def test_a_page_that_asks_for_a_password_or_an_account_publishes_nothing(wall, public):
    """What a municipality keeps behind a password or a login is not published: the law asks for it in public."""
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "actas/", "Actas de Cabildo")]))
    actas = resource(HOME + "actas/", page=page("Actas de Cabildo", text=wall, headings=["Actas de Cabildo"]))
    minutes = rule("ltaipemym.94.II.b", {"kind": "publication", "terms": ["actas de cabildo"]})
    finding = one(minutes, site(home, actas))
    if public:
        assert finding.status in (Status.COMPLIANT, Status.PARTIAL), finding.message
    else:
        assert finding.status is Status.NON_COMPLIANT, finding.message
        assert "contraseña o iniciar sesión" in finding.evidence[0].note


@pytest.mark.parametrize(
    ("section", "publishes"),
    [
        (  # a data table whose records a script never loaded: its headers are not the minutes
            "<table class='wpDataTable'><thead><tr><th>Número de acta</th><th>Fecha de la sesión</th>"
            "<th>Tipo de sesión</th><th>Descargar</th></tr></thead><tbody></tbody></table>",
            False,
        ),
        (  # a file plugin that did not run prints its shortcode
            "<p>[wpdm_category id='actas-de-cabildo-2026' toolbar='1' order_field='date']</p>",
            False,
        ),
        (  # a sentence that points to a Drive folder nobody fetched: what it publishes is behind the link
            "<p>Consulta las actas de las sesiones en el siguiente enlace: "
            "<a href='https://drive.google.com/drive/folders/1AbCdEf'>Actas 2026</a></p>",
            False,
        ),
        (  # the titles of minutes whose links lead nowhere: a list of what was never linked
            "<ul><li><a href='#'>Acta de la Primera Sesión Ordinaria, 5 de enero de 2026</a></li>"
            "<li><a href='#'>Acta de la Segunda Sesión Ordinaria, 19 de enero de 2026</a></li>"
            "<li><a href='javascript:void(0);'>Acta de la Tercera Sesión Ordinaria, 2 de febrero de 2026</a></li></ul>",
            False,
        ),
        (
            "<table><tr><th>Acta</th><th>Fecha</th></tr><tr><td>Sesión ordinaria 12: pase de lista y votación de los "
            "acuerdos por unanimidad</td><td>05/03/2026</td></tr></table>",
            True,
        ),
        (  # a theme that styles its text as <a> with no address: the text is the content
            "<div class='card'><h4><a>Sesión ordinaria 12</a></h4><h3><a>Pase de lista y votación por unanimidad</a>"
            "</h3><a class='tag'>5 de marzo de 2026</a></div>",
            True,
        ),
    ],
)
def test_what_a_section_shows_instead_of_its_records_is_not_their_publication(section, publishes):
    html = f"<html><body><h1>Actas de Cabildo</h1>{section}</body></html>"
    actas = resource(HOME + "actas/", page=extract_page(html.encode(), HOME + "actas/"))
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "actas/", "Actas de Cabildo")]))
    minutes = rule("ltaipemym.94.II.b", {"kind": "publication", "terms": ["actas de cabildo"]})
    finding = one(minutes, site(home, actas))
    assert (finding.status in (Status.COMPLIANT, Status.PARTIAL)) is publishes, finding.message


@pytest.mark.parametrize(
    ("head", "dates", "status", "said"),
    [
        # the link was renamed for the year; the file is the old one
        ("BANDO MUNICIPAL DE VILLA\nDado en el Palacio Municipal el 5 de febrero de 2019.", ["2019-02-05"],
         Status.PARTIAL, "el enlace dice «ejercicio 2026», pero el documento dice «ejercicio 2019»"),
        ("BANDO MUNICIPAL DE VILLA\nDado en el Palacio Municipal el 5 de febrero de 2026.", ["2026-02-05"],
         Status.COMPLIANT, "ejercicio 2026"),
        # approved in the December before its year: a date alone one period earlier is not an older edition
        ("BANDO MUNICIPAL\nAprobado en sesión de cabildo el 20 de diciembre de 2025.", ["2025-12-20"],
         Status.COMPLIANT, "ejercicio 2026"),
        # a document that does not say when it is from: the link's name is all there is
        ("BANDO MUNICIPAL\nEl H. Ayuntamiento de Villa, a sus habitantes hace saber.", [], Status.COMPLIANT,
         "ejercicio 2026"),
    ],
)  # fmt: skip
def test_what_a_linked_document_says_of_its_period_beats_what_its_link_says(head, dates, status, said):
    home, bando, bando_rule = _linked_bando("Bando Municipal 2026", head, dates)
    finding = one(bando_rule, site(home, bando))
    assert finding.status is status and said in finding.message, finding.message


def test_a_later_date_in_a_linked_document_does_not_make_an_older_link_newer():
    """Only the other way: a print date after the period the link names is not a newer edition."""
    home, bando, bando_rule = _linked_bando(
        "Bando Municipal 2025", "BANDO\nImpreso el 5 de febrero de 2026.", ["2026-02-05"]
    )
    hit = Hit("link", "Bando Municipal 2025", home, bando, bando.url)
    assert period_found(hit, bando_rule, CORTE, site(home, bando)).period.label() == "ejercicio 2025"


def _linked_bando(label, head, dates):
    """A home page linking `label` to a PDF whose text opens with `head` and holds `dates` (as the extractor finds)."""
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "docs/bando.pdf", label)]))
    document = DocumentArtifact(kind="pdf", title="", text=head, pages=40, dates=dates)
    bando = resource(HOME + "docs/bando.pdf", document=document)
    bando_rule = rule(
        "norm.bando_municipal",
        {"kind": "publication", "terms": ["bando municipal"]},
        {"period": "anual", "due_days": 36, "judged_on": "in_force"},
    )
    return home, bando, bando_rule


def test_cards_of_the_cabildo_on_the_home_page_are_a_structure_not_tiles():
    """A real Oaxaca home page: a «CABILDO» section of cards, each a member's name and post, none a link."""
    cards = (
        "Ayuntamiento Juan Manuel Luis Mota Presidente Municipal José Luis Sumano Santos Síndico Municipal Rachel Santos "
        "Diego Regidora de Hacienda Pedro Cruz López Regidor de Obras Ana Ruiz Díaz Regidora de Educación Luis Pérez "
        "García Regidor de Salud María López Cruz Regidora de Ecología Jorge Díaz Ruiz Secretario Municipal"
    )
    finding = _about_the_town(cards, home=True)
    assert finding.status is Status.PARTIAL and "cargos listados en la sección" in finding.evidence[0].note


@pytest.mark.parametrize(
    ("text", "shortfall"),
    [
        (
            "Ing. Rosa Elvira Campos, Titular de la Unidad de Transparencia. Av. Juárez 12, C.P. 61100. "
            "Tel. 443 312 0045. utransparencia@villa.gob.mx. Atención de 8:30 a 16:00 hrs.",
            None,
        ),  # the titular's name before the unit's
        (
            "La Unidad de Transparencia, con domicilio en Palacio Municipal s/n, Tel. 744 480 1010, "
            "transparencia@costa.gob.mx, es la responsable del tratamiento de los datos que el titular proporcione.",
            "sin horario, titular",
        ),  # a privacy notice: «el titular» is the person whose data they are, not the unit's head
        (
            "Unidad de Acceso a la Información Pública: correo uaip@sierra.gob.mx, horario lunes a viernes.",
            "sin domicilio, teléfono, titular",
        ),
    ],
)
def test_the_unit_is_published_in_full_with_its_five_data(text, shortfall):
    found = RECOGNIZERS["transparency_unit"](normalize(text))
    assert found is not None and found.shortfall == shortfall


UT = {
    "kind": "publication",
    "terms": ["unidad de transparencia"],
    "require_terms": ["domicilio", "teléfono", "correo electrónico"],
    "recognizer": "transparency_unit",
}


@pytest.mark.parametrize(
    ("script_text", "status"),
    [
        (
            "Aviso de privacidad simplificado. Puede ponerse en contacto con la Unidad de Transparencia de este "
            "Municipio. Correo electrónico. transparencia@muni.gob.mx Domicilio de la Unidad de Transparencia: "
            "Boulevard Alejandro de la Cruz 106, C.P. 20924, Tel. 449 963 59 98, de lunes a viernes de 9 a 15 horas; "
            "titular: Mtra. Laura Ibarra Soto.",
            Status.COMPLIANT,
        ),  # a privacy notice a script pops up on the home page, with the unit's data
        (
            "Usted podrá ejercer sus derechos ARCO ante la Unidad de Transparencia en los términos de la ley y su "
            "reglamento, mediante los medios que para tal efecto se han implementado.",
            Status.NON_COMPLIANT,
        ),  # the notice names the unit without its data
        ("", Status.NON_COMPLIANT),
    ],
)
def test_the_unit_s_data_in_a_pop_up_a_script_inserts_are_read_and_said_so(script_text, status):
    home = resource(HOME, is_home=True, page=page("Inicio", text=CONTENT, script_text=script_text))
    finding = one(rule("ltaipemym.92.XVI", UT), site(home))
    assert finding.status is status
    if status is Status.COMPLIANT:
        assert "en el texto que un script de la página inserta" in finding.evidence[0].note


@pytest.mark.parametrize(
    ("text_from", "status"),
    [
        ("row", Status.NOT_VERIFIABLE),  # the icon named by its row: its target, on another server, was not fetched
        ("", Status.NON_COMPLIANT),  # the same words as the link's own text would match too; without them, nothing
    ],
)
def test_an_icon_link_named_by_its_table_row_is_judged_by_its_target(text_from, status):
    xlsx = "https://transparencia.muni.test/uploads/2024/12/LTAIPT_A63F02B.xlsx"  # its own server, not fetched
    text = "63 - IIb Organigrama · 2024 TERCER TRIMESTRE" if text_from else ""
    listing = PageArtifact(
        title="Transparencia",
        text="Transparencia 63 - IIb Organigrama AÑO PERIODO DESCARGAR 2024 TERCER TRIMESTRE " + CONTENT,
        links=[Link(href=xlsx, text=text, context="body", text_from=text_from)],
    )
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "transparencia", "Transparencia")]))
    organigrama = rule("ltaipemym.92.II.b", {"kind": "publication", "terms": ["organigrama"]})
    finding = one(organigrama, site(home, resource(HOME + "transparencia", page=listing)))
    assert finding.status is status
    if text_from:
        assert finding.evidence[0].url == xlsx and "un icono" in finding.evidence[0].matched


@pytest.mark.parametrize(
    ("site_url", "link", "owner"),
    [
        ("https://terrenate-terrenate.gob.mx/", "https://terrenatetlaxcala.gob.mx/wp-content/a.xlsx", OWN),
        ("https://tultepec.gob.mx/", "https://transparencia-tultepec.gob.mx/", OWN),
        ("https://gobierno-tultepec.gob.mx/", "https://gobierno.edomex.gob.mx/", OTHER_GOVERNMENT),  # a generic word
        ("https://h-ayuntamiento-metepec.gob.mx/", "https://ayuntamiento-toluca.gob.mx/", OTHER_GOVERNMENT),
        ("https://san-juan-teotihuacan.gob.mx/", "https://sanjuandelrio.gob.mx/", OTHER_GOVERNMENT),  # "juan": short
    ],
)
def test_each_piece_of_a_hyphenated_domain_names_the_municipality(site_url, link, owner):
    assert Owners([site_url]).of(link) == owner


def test_sections_run_to_the_next_heading_of_the_same_or_a_higher_level():
    text = normalize("Inicio Gobierno Ayuntamiento presidente Regidores primer regidor Historia fundación")
    found = sections(text, ["Gobierno", "Ayuntamiento", "Regidores", "Menú", "Historia"], [2, 3, 3, 2, 2])
    assert [(heading, stretch.split()[-1]) for heading, stretch in found] == [
        ("Gobierno", "regidor"),
        ("Ayuntamiento", "presidente"),
        ("Regidores", "regidor"),
        ("Historia", "fundacion"),
    ]  # «Menú» is the template's, not in the page's own text


@pytest.mark.parametrize(
    ("status", "records", "expected"), [(404, 0, Status.NON_COMPLIANT), (200, 12, Status.COMPLIANT)]
)
def test_a_site_link_to_a_portal_format_is_judged_by_what_the_portal_crawl_found(status, records, expected):
    url = "https://www.ipomex.org.mx/ipo3/lgt/indice/MUNI/art_92_i.web"
    home = resource(HOME, is_home=True, page=page("Inicio", [(url, "Marco normativo")]))
    facts = PortalFormatArtifact(
        generation="ipo3",
        key="MUNI",
        format="art_92_i",
        records=records,
        periods=["01/07/2026 al 30/09/2026"],
        updated=["2026-10-15"],
    )
    observed = resource(url, status=status, page=page("Fracción I")).model_copy(update={"portal_formats": [facts]})
    marco = rule(check=MARCO, where=["sitio", "ipomex"], ipomex_format="art_92_i")
    [finding] = audit_site([marco], site(home), CORTE, portal=Portal([observed]))
    assert finding.status is expected


def test_an_index_page_counts_through_the_documents_it_lists():
    docs = [(f"http://www.muni.gob.mx/docs/cuenta-{year}.pdf", f"Cuenta pública {year}") for year in (2024, 2025)]
    index = PageArtifact(
        title="Armonización contable",
        text="Armonización contable. Cuenta pública 2024 Cuenta pública 2025",
        links=[Link(href=href, text=text, context="body") for href, text in docs],
    )
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "contable", "Armonización contable")]))
    check = {"kind": "publication", "terms": ["armonización contable"]}
    listing = resource(HOME + "contable", page=index)
    finding = one(rule("ltaipemym.92.XXV.c", check), site(home, listing))
    assert finding.status is Status.NOT_VERIFIABLE and "ninguno de los 2" in finding.evidence[0].note
    pdf = resource(docs[1][0], document=DocumentArtifact(title="Cuenta pública 2025", text=CONTENT, pages=40))
    assert one(rule("ltaipemym.92.XXV.c", check), site(home, listing, pdf)).status is Status.COMPLIANT


def test_every_gazette_reference_holds_a_word_the_listing_search_is_gated_by():
    """A page that says GAZETTE_WORDS fewer than three times is not searched for a listing: sound only while every
    alternative of GAZETTE names one of them outside its optional groups (a new «boletín» must add its word)."""
    alternatives = re.sub(r"\(\?:[^)]*\)", "", GAZETTE.pattern).split("|")
    for alternative in alternatives:
        assert any(word in alternative for word in GAZETTE_WORDS), alternative


def test_an_index_listing_files_about_something_else_is_not_the_publication():
    """«Actas de Cabildo» listing a router manual and a tutorial: its files name neither the minutes nor what
    they must hold (attendance, votes), so the listing is no publication; one real acta makes it one."""
    files = [(HOME + "pdf/Comandos_router.pdf", "Comandos_router"), (HOME + "pdf/hotspot.pdf", "Portal cautivo")]
    index = PageArtifact(
        title="Actas de Cabildo",
        text="Actas de Cabildo Comandos_router Portal cautivo",
        links=[Link(href=href, text=text, context="body") for href, text in files],
    )
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "actas", "Actas de Cabildo")]))
    unrelated = [
        resource(files[0][0], document=DocumentArtifact(title="Comandos", text="Iniciar sesión telnet " * 30, pages=3)),
        resource(files[1][0], document=DocumentArtifact(title="Hotspot", text=CONTENT * 5, pages=2)),
    ]
    actas = rule(
        "ltaipemym.94.II.b",
        {
            "kind": "publication",
            "terms": ["actas de cabildo", "sesión ordinaria de cabildo"],
            "require_terms": ["votación"],
        },
    )
    finding = one(actas, site(home, resource(HOME + "actas", page=index), *unrelated))
    assert finding.status is Status.NON_COMPLIANT
    assert "ninguno de los 2 documentos o páginas que lista trata del tema" in finding.evidence[0].note
    acta = resource(
        files[1][0],
        document=DocumentArtifact(
            title="Acta 12", text="Acta de la sesión ordinaria de cabildo. Votación: unanimidad. " * 5, pages=4
        ),
    )
    assert one(actas, site(home, resource(HOME + "actas", page=index), unrelated[0], acta)).status in (
        Status.COMPLIANT,
        Status.PARTIAL,
    )


def test_a_heading_on_the_home_page_labels_a_section_not_a_publication():
    home = resource(HOME, is_home=True, page=page("Inicio", headings=["Organigrama"], text=f"Organigrama {CONTENT}"))
    organigrama = rule("ltaipemym.92.II.b", {"kind": "publication", "terms": ["organigrama"]})
    assert one(organigrama, site(home)).status is Status.NON_COMPLIANT


MUNICIPIO = "https://www.municipio.gob.mx/"


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        (None, Status.NOT_VERIFIABLE),  # the section's server never answered: unknown, not absent
        (resource("https://transparencia.municipio.gob.mx/", status=503, error="HTTP 503"), Status.NOT_VERIFIABLE),
        (resource("https://transparencia.municipio.gob.mx/", status=404), Status.NON_COMPLIANT),  # a broken section
        (
            resource("https://transparencia.municipio.gob.mx/", page=page("Transparencia", text=CONTENT)),
            Status.NON_COMPLIANT,
        ),
    ],
)
def test_an_obligation_absent_from_a_site_whose_transparency_section_could_not_be_consulted(section, expected):
    home = resource(
        HOME, is_home=True, page=page("Inicio", [("https://transparencia.municipio.gob.mx/", "Transparencia")])
    )
    organigrama = rule("ltaipemym.92.II.b", {"kind": "publication", "terms": ["organigrama"]})
    finding = one(organigrama, site(home, *([section] if section else []), website=MUNICIPIO))
    assert finding.status is expected
    if expected is Status.NOT_VERIFIABLE:
        assert (
            "sección de transparencia" in finding.message
            and finding.evidence[0].url == "https://transparencia.municipio.gob.mx/"
        )
    participation = rule("part.copaci", {"kind": "publication", "terms": ["COPACI"]}, dimension="participacion")
    assert (
        one(participation, site(home, website=MUNICIPIO)).status is Status.NON_COMPLIANT
    )  # only transparency obligations live there
    national = "https://www.plataformadetransparencia.org.mx/"
    other = resource(HOME, is_home=True, page=page("Inicio", [(national, "Plataforma Nacional de Transparencia")]))
    assert (
        one(organigrama, site(other, website=MUNICIPIO)).status is Status.NON_COMPLIANT
    )  # another government's platform


@pytest.mark.parametrize("fetched", [False, True])
def test_a_link_to_the_municipality_s_own_records_on_the_national_platform_is_its_unread_section(fetched):
    """«Portal de transparencia» → the PNT's consultation of this municipality as obligated subject: its obligations
    may be published there, and Apertura does not read the platform (even when its shell page answered 200)."""
    records = (
        "https://consultapublicamx.inai.org.mx/vut-web/?idSujetoObigadoParametro=19539&idEntidadParametro=20"
        "&idSectorParametro=26"
    )
    home = resource(HOME, is_home=True, page=page("Inicio", [(records, "Portal de transparencia")]))
    shell = resource(records, page=page("Plataforma Nacional de Transparencia", text=CONTENT))
    organigrama = rule("ltaipemym.92.II.b", {"kind": "publication", "terms": ["organigrama"]})
    finding = one(organigrama, site(home, *([shell] if fetched else []), website=MUNICIPIO))
    assert finding.status is Status.NOT_VERIFIABLE
    assert finding.evidence[0].url == records and "plataforma nacional" in (finding.evidence[0].note or "")
    participation = rule("part.copaci", {"kind": "publication", "terms": ["COPACI"]}, dimension="participacion")
    assert one(participation, site(home, website=MUNICIPIO)).status is Status.NON_COMPLIANT
    platform_home = resource(
        HOME, is_home=True, page=page("Inicio", [("https://consultapublicamx.inai.org.mx/vut-web/", "Transparencia")])
    )
    assert one(organigrama, site(platform_home, website=MUNICIPIO)).status is Status.NON_COMPLIANT  # no subject named


def test_every_recognizer_a_rule_may_name_exists_and_is_described():
    from typing import get_args

    from models.rule import Recognizer
    from rules.docs import RECOGNIZER_ES

    assert set(get_args(Recognizer)) == set(RECOGNIZERS) == set(RECOGNIZER_ES)


def test_a_link_written_with_spaces_and_accents_is_judged_by_the_resource_fetched_for_it():
    """Pages write "1° INFORME.pdf"; the crawler requested (and stored) "1%C2%B0%20INFORME.pdf"."""
    written = HOME + "informes/1° INFORME 2024-2027.pdf"
    home = resource(HOME, is_home=True, page=page("Inicio", [(written, "Plan Municipal de Desarrollo")]))
    fetched = resource(HOME + "informes/1%C2%B0%20INFORME%202024-2027.pdf", status=404)
    plan = rule("ltaipemym.94.I.a", {"kind": "publication", "terms": ["plan municipal de desarrollo"]})
    finding = one(plan, site(home, fetched))
    assert finding.status is Status.NON_COMPLIANT and "roto" in finding.message


def test_what_chromium_adds_to_every_rendered_page_is_template_not_content():
    # A site whose script writes the menu and the trámites pop-ups into every page: only the rendered copies show
    # them, so the plain pages' template cannot tell them apart; measured across the rendered pages, they can.
    written = (
        "Gobierno Presidencia Regidores Trámites y servicios Transparencia Contacto. Licencia de funcionamiento: "
        "requisitos identificación oficial comprobante de domicilio pago de derechos en la tesorería municipal."
    )
    plain = [resource(HOME + f"p{i}.html", page=page(f"Página {i}", text=f"Página {i}")) for i in range(20)]
    rendered = [
        resource(HOME + f"p{i}.html", page=page(f"Página {i}", text=f"{written} Página {i}")).model_copy(
            update={"rendered": True}
        )
        for i in range(5)
    ]
    informe = resource(
        HOME + "informe.html",
        page=page(
            "Informe",
            headings=["PRIMER INFORME DE GOBIERNO"],
            text=f"{written} PRIMER INFORME DE GOBIERNO",
        ),
    ).model_copy(update={"rendered": True})
    real = resource(
        HOME + "informe2.html", page=page("SEGUNDO INFORME DE GOBIERNO", text=f"{written} {CONTENT} " * 2)
    ).model_copy(update={"rendered": True})
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "informe.html", "Primer informe")]))
    whole = site(home, *plain, *rendered, informe, real)
    assert not whole.substance(informe).ok  # the title alone is its own
    assert whole.substance(real).ok and "palabras propias" in whole.substance(real).detail
    few = site(home, *plain, rendered[0], informe)  # too few rendered pages to measure: the site's template alone
    assert few.template_for(informe) is few.template


def test_on_a_site_of_three_pages_what_all_of_them_repeat_is_the_template():
    menu = "Inicio Cabildo Obras Servicios Transparencia Noticias"
    footer = "Palacio Municipal Plaza Hidalgo 3 Centro Teléfono 771 222 3344 Emergencias 911 Bomberos 771 222 3300"
    home = resource(HOME, is_home=True, page=page("Inicio", text=f"{menu} Carrera atlética del domingo {footer}"))
    empty = resource(HOME + "transparencia.php", page=page("Transparencia", text=f"{menu} Fracciones 2026 {footer}"))
    jobs = resource(HOME + "bolsa.php", page=page("Bolsa", text=f"{menu} Vacantes de velador y jardinero {footer}"))
    small = site(home, empty, jobs)
    assert small.template.own_words(empty.page.text) == ["fracciones", "2026"]
    assert small.substance(jobs).ok and not small.substance(empty).ok
    two = site(home, empty)  # two pages: what they share could be either's own content
    assert not two.template.measured and two.substance(empty).ok


def _sipot_format(records: list[list[str]]) -> bytes:
    """A spreadsheet laid out as the national platform's formats are: ids, title rows, «Tabla Campos», the fields'
    names, the records, then the catalogues' sheets."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Reporte de Formatos"
    fields = ["Ejercicio", "Fecha de inicio del periodo que se informa", "Fecha de término del periodo que se informa",
              "Denominación del cargo", "Nombre(s)", "Primer apellido", "Área(s) responsable(s) que genera(n), "
              "posee(n), publica(n) y actualizan la información", "Fecha de validación", "Fecha de actualización",
              "Nota"]  # fmt: skip
    for row in (
        ["43119"],
        ["TÍTULO", "NOMBRE CORTO", "DESCRIPCIÓN"],
        ["Directorio", "LTAIPEM92FVII", "Directorio de servidores públicos del sujeto obligado"],
        ["1", "4", "4", "1", "1", "1", "1", "4", "4", "2"],
        ["373551", "373552", "373553", "373554", "373555", "373556", "373557", "373558", "373559", "373560"],
        ["Tabla Campos"],
        fields,
        *records,
    ):
        sheet.append(row)
    for name, values in (("Hidden_1", ["Calle", "Avenida", "Boulevard"]), ("Hidden_2", ["México", "Toluca"])):
        hidden = workbook.create_sheet(name)
        for value in values:
            hidden.append([value])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("records", "empty"),
    [
        ([], True),  # the blank format uploaded as the publication
        (
            [["2026", "01/01/2026", "31/03/2026", "Tesorera", "Ana", "Ruiz", "Tesorería", "15/04/2026", "15/04/2026"]],
            False,
        ),
        (  # a period with nothing to report, said in a record: that is the publication
            [
                [
                    "2026",
                    "01/01/2026",
                    "31/03/2026",
                    "",
                    "",
                    "",
                    "Tesorería",
                    "15/04/2026",
                    "15/04/2026",
                    "En el periodo no se generó información",
                ]
            ],
            False,
        ),  # fmt: skip
    ],
)
def test_a_national_platform_format_without_records_is_empty(records, empty):
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    document = extract_document(_sipot_format(records), HOME + "LTAIPEM92FVII.xlsx", xlsx)
    assert (judge_document(document).reason == EMPTY_SIPOT_REASON) is empty


def test_a_format_printed_without_records_is_empty_but_one_reporting_zero_is_not():
    legend = "Bajo protesta de decir verdad declaramos que los Estados Financieros y sus notas son correctos."
    head = "MUNICIPIO DE SANTA ANA\nINFORME SOBRE PASIVOS CONTINGENTES\nAl 31 de marzo de 2026"
    signed = "C. JUAN PÉREZ LÓPEZ PRESIDENTE MUNICIPAL <31 MAR 2026 14:53:16> Página 1 de 1"
    empty = DocumentArtifact(text=f"{head}\n{legend}\n{signed}", pages=1)
    assert judge_document(empty).reason == EMPTY_FORMAT_REASON
    zero = DocumentArtifact(text=f"{head}\nDemandas laborales en trámite 0.00\n{legend}\n{signed}", pages=1)
    assert judge_document(zero).ok
    unsigned = DocumentArtifact(text=f"{head}\n{signed}", pages=1)  # no legend: not a format of the accounts
    assert judge_document(unsigned).ok


def test_a_cover_page_alone_is_not_the_document_but_a_short_list_or_a_scan_behind_a_typed_cover_is():
    cover = DocumentArtifact(
        text="H. AYUNTAMIENTO DE ZINACANTEPEC\nADMINISTRACIÓN 2025-2027\nPLAN DE DESARROLLO MUNICIPAL", pages=1
    )
    assert judge_document(cover, "Zinacantepec").reason.startswith("el documento es solo una portada")
    units = "Presidencia Municipal\nSindicatura\nRegidurías\nTesorería Municipal\nContraloría\nObras Públicas\nDIF"
    organigrama = DocumentArtifact(text=f"H. Ayuntamiento de Zinacantepec 2025-2027\nOrganigrama\n{units}", pages=1)
    assert judge_document(organigrama, "Zinacantepec").ok
    assert judge_document(cover.model_copy(update={"pages": 38}), "Zinacantepec").ok  # the rest is scanned
    assert judge_document(cover.model_copy(update={"ocr": True}), "Zinacantepec").ok  # OCR may have missed the rest
    figures = cover.model_copy(update={"text": cover.text + "\nInversión total 12,500,000.00"})
    assert judge_document(figures, "Zinacantepec").ok


def test_the_home_page_at_another_address_is_still_the_home_page():
    """ "/index.html" serves the home's bytes (a real Oaxaca site): its headings label the portal's sections, like the
    home's, and are not publications; the same headings on a page of their own are."""
    text = f"Normatividad Marco normativo del municipio. Bando Municipal 2026. {CONTENT}"
    home_page = page("Inicio", [(HOME + "index.html", "Inicio")], text=text, headings=["Marco normativo"])
    home = resource(HOME, is_home=True, page=home_page)
    again = resource(HOME + "index.html", page=home_page).model_copy(update={"sha256": home.sha256})
    assert site(home, again).is_home(again)
    assert one(rule(check=MARCO), site(home, again)).status is Status.NON_COMPLIANT
    own = resource(HOME + "marco.html", page=home_page)  # the same words on a page of their own
    assert not site(home, own).is_home(own)
    assert one(rule(check=MARCO), site(home, own)).status in (Status.COMPLIANT, Status.PARTIAL)


def test_a_page_offering_only_a_field_that_nothing_sends_is_not_content():
    buzon = (
        "<html><head><title>Buzón</title></head><body><h2>Buzón de Quejas y Sugerencias</h2>"
        '<textarea id="mensaje" placeholder="Escribe tu queja"></textarea><button id="enviar">Enviar</button>'
        '<p id="ok" class="oculto">¡Tu queja ha sido enviada correctamente!</p>'
        "<script>document.getElementById('enviar').addEventListener('click', function () {"
        "document.getElementById('ok').classList.remove('oculto'); });</script></body></html>"
    )
    sent = buzon.replace("classList.remove('oculto');", "fetch('/api/quejas', {method: 'POST'});")
    in_a_form = buzon.replace("<textarea", '<form action="/quejas" method="post"><textarea').replace(
        "</button>", "</button></form>"
    )
    named = in_a_form.replace('<textarea id="mensaje"', '<textarea id="mensaje" name="mensaje"')
    template = site(resource(HOME, is_home=True, page=page("Inicio"))).template
    assert judge_page(extract_page(buzon.encode(), HOME + "buzon.html"), template).reason == UNSENT_REASON
    assert judge_page(extract_page(sent.encode(), HOME + "buzon.html"), template).ok
    assert judge_page(extract_page(named.encode(), HOME + "buzon.html"), template).ok
    # a form sends only named fields: the unnamed one posts nothing
    assert judge_page(extract_page(in_a_form.encode(), HOME + "buzon.html"), template).reason == UNSENT_REASON


def test_a_commission_named_after_a_subject_is_not_the_subject():
    terms = ("cuenta pública", "gaceta municipal")
    assert (
        find(terms, "Dictamen de la Comisión Edilicia de Gobernación y Gaceta Municipal, relativo al mercado") is None
    )
    assert find(terms, "Comisión de Hacienda: Cuenta Pública 2025") == "cuenta publica"  # the name ends at the colon
    assert (
        find(("comisiones oficiales", "comisión de hacienda"), "Comisión de Hacienda y Patrimonio")
        == "comision de hacienda"
    )


@pytest.mark.parametrize(
    ("text", "href", "named"),
    [
        ("Descargar", "http://m.test/finanzas/padron-de-proveedores-2026.xlsx", True),  # the file's name is the term
        ("", "http://m.test/adquisiciones/proveedores/index.html", True),  # an icon; the folder names it
        ("Fracción XXXII b", "http://m.test/transparencia/proveedores", True),
        ("Proveedores", "http://m.test/proveedores.php", True),
        ("Registro de proveedores 2º semestre", "http://m.test/docs/proveedores-2s.pdf", True),
        ("Bolsa de trabajo para proveedores locales", "http://m.test/proveedores/bolsa.html", False),
        ("Descargar", "http://m.test/proveedores/convocatoria-de-inscripcion-2026.pdf", False),
        ("Proveedores", "http://m.test/desarrollo-economico/proveedores-de-la-feria.html", False),
    ],
)
def test_a_link_is_named_by_its_address_only_when_nothing_else_names_it(text, href, named):
    terms, url_terms = ("padrón de proveedores", "registro de proveedores"), ("proveedores",)
    assert named_by_address(text, href, terms, url_terms) is named


def test_an_address_is_named_by_its_last_segment_that_names_something():
    assert address_name("http://m.test/obras/Licitaciones%202025/index.php?id=4") == "Licitaciones 2025"
    assert address_name("http://m.test/transparencia/a39/f13/") == "transparencia"  # numbered folders name nothing


@pytest.mark.parametrize(
    ("text", "issuer"),
    [
        (
            "BANDO MUNICIPAL DE TENANCINGO 2026\nEl H. Ayuntamiento Constitucional de Tenancingo hace saber",
            "Tenancingo",
        ),
        ("REGLAMENTO DE TRÁNSITO\nH. AYUNTAMIENTO DE SAN JUAN DEL RÍO, QRO.\nCapítulo I", "San Juan del Río"),
        ("Bando Municipal de Villa Guerrero 2026. Artículo 1. El Municipio de Villa Guerrero", None),
        ("Convenio entre el Municipio de Tenancingo y el Ayuntamiento de Villa Guerrero", None),
        ("Bando municipal 2026 del municipio de Guerrero, artículo 1", None),  # a part of its own name
        ("Plan de trabajo de la Secretaría del Ayuntamiento, 2026", None),  # names no issuer
        (f"Informe del DIF. {CONTENT * 20} El Municipio de Tenancingo donó una ambulancia.", None),  # not in its head
        ("PLAN DE DESARROLLO MUNICIPAL DE TEOTIHUACÁN 2025-2027\nMensaje de la Presidenta", "Teotihuacán"),
        ("Presupuesto 2026\nLa Presidenta Municipal de Tenancingo, en uso de sus facultades", "Tenancingo"),
        ("Plan de Desarrollo Municipal de Villa Guerrero 2025-2027. Colinda con el municipio de Tenancingo.", None),
    ],
)
def test_the_issuer_a_document_names_in_its_head(text, issuer):
    assert issued_elsewhere("", normalize(text), "Villa Guerrero") == issuer


def test_a_document_another_municipality_issued_is_not_its_publication():
    bando = "BANDO MUNICIPAL DE TENANCINGO 2026\nEl H. Ayuntamiento Constitucional de Tenancingo, a sus habitantes"
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "bando.pdf", "Bando Municipal 2026")]))
    pdf = resource(HOME + "bando.pdf", document=DocumentArtifact(title="Bando", text=f"{bando}\n{CONTENT}", pages=40))
    copied = one(rule(check=BANDO), site(home, pdf, municipality="Villa Guerrero"))
    assert copied.status is Status.NON_COMPLIANT and "otro municipio" in copied.evidence[0].note
    assert "Tenancingo" in copied.evidence[0].note
    assert one(rule(check=BANDO), site(home, pdf, municipality="Tenancingo")).status is Status.COMPLIANT
    assert one(rule(check=BANDO), site(home, pdf)).status is Status.COMPLIANT  # no name given: not judged


def test_a_page_another_municipality_issued_is_not_its_publication_though_the_template_names_this_one():
    """A provider's page left with its first client's name: the site's header and title name this municipality on every
    page, so only the page's own text is read for its issuer."""
    header = "H. Ayuntamiento de Villa Guerrero 2025-2027"
    notice = (
        "El H. Ayuntamiento Constitucional de Ixtapan de la Sal, con domicilio en Plaza Juárez 1, es el responsable del"
        f" tratamiento de los datos personales que nos proporcione. {CONTENT}"
    )
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "privacidad", "Aviso")], text=header))
    sections = [
        resource(f"{HOME}s{n}", page=page(f"Sección {n}", text=f"{header} Sección {n}. {CONTENT}")) for n in range(6)
    ]
    copied = resource(HOME + "privacidad", page=page("Aviso de privacidad", text=f"{header} {notice}"))
    judged = site(home, *sections, copied, municipality="Villa Guerrero").substance(copied)
    assert judged.reason.startswith("la página es de otro municipio: la emite «Ixtapan de la Sal»")
    own = f"{header} Convenio entre el Municipio de Tenancingo y el de Villa Guerrero. {CONTENT}"
    convenio = resource(HOME + "convenio", page=page("Convenio", text=own))
    assert site(home, *sections, convenio, municipality="Villa Guerrero").substance(convenio).ok


def _body_links(page_: PageArtifact) -> PageArtifact:
    return page_.model_copy(update={"links": [link.model_copy(update={"context": "body"}) for link in page_.links]})


@pytest.mark.parametrize(
    ("rows", "status"),
    [
        ([["Comunidad", "Cargo", "Nombre", "Periodo"]], Status.NON_COMPLIANT),
        ([["Comunidad", "Cargo", "Nombre", "Periodo"], ["San Pedro", "Presidente", "Juan López", "2025-2027"]], None),
    ],
)
def test_a_spreadsheet_of_its_headers_only_holds_nothing_and_the_page_listing_it_neither(rows, status):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    xlsx = extract_document(buffer.getvalue(), HOME + "copaci.xlsx", "application/vnd.ms-excel")
    assert xlsx.rows == len(rows)
    copaci = rule("part.copaci", {"kind": "publication", "terms": ["COPACI"]}, dimension="participacion")
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "copaci", "COPACI")]))
    text = "Consejos de Participación Ciudadana 2025-2027: integrantes por comunidad. Integrantes (Excel)"
    section = resource(HOME + "copaci", page=_body_links(page("COPACI", [(HOME + "copaci.xlsx", "Excel")], text=text)))
    finding = one(copaci, site(home, section, resource(HOME + "copaci.xlsx", document=xlsx)))
    if status is None:
        assert finding.status is not Status.NON_COMPLIANT and finding.status is not Status.NOT_VERIFIABLE
    else:  # the file was fetched and judged: «no cumple», not «no verificable»
        assert finding.status is status and "encabezados" in finding.evidence[0].note


def test_a_list_whose_every_entry_was_fetched_and_found_empty_is_no_publication():
    links = [(HOME + "a.pdf", "Reglamento interior"), (HOME + "b.pdf", "Bando municipal")]
    index = _body_links(
        page("Marco normativo", links, text="Normas del municipio: Reglamento interior Bando municipal")
    )
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "marco", "Marco normativo")]))
    soon = DocumentArtifact(title="Reglamento", text="Documento en proceso de actualización. Próximamente.", pages=1)
    empty = site(home, resource(HOME + "marco", page=index), resource(HOME + "a.pdf", document=soon),
                 resource(HOME + "b.pdf", status=404))  # fmt: skip
    finding = one(rule(check=MARCO), empty)
    assert finding.status is Status.NON_COMPLIANT and "no tiene contenido" in finding.evidence[0].note
    unfetched = site(home, resource(HOME + "marco", page=index), resource(HOME + "a.pdf", document=soon))
    assert one(rule(check=MARCO), unfetched).status is Status.NOT_VERIFIABLE  # b.pdf was never judged


PAGOS = {"kind": "publication", "terms": ["paga tu predial", "pago en línea"], "service": "online"}
FOOTER_FORM = "<footer><form action='/suscribir' method='post'><input type='email' name='correo'><button>Suscribirme</button></form></footer>"  # fmt: skip


def _html_page(url: str, body: str, title: str = "Página") -> ResourceArtifact:
    html = f"<html><head><title>{title}</title></head><body><main>{body}</main>{FOOTER_FORM}</body></html>"
    return resource(url, page=extract_page(html.encode(), url, "text/html"))


@pytest.mark.parametrize(
    ("body", "status", "note"),
    [
        (  # a campaign that sends people to the cashier's window
            "<h1>Paga tu predial</h1><p>Realiza el pago de tu impuesto predial 2026 en las cajas de la Tesorería, de "
            "lunes a viernes de 9 a 15 horas, con tu último recibo. Descuento del 8 % en enero.</p>",
            Status.NON_COMPLIANT,
            "describe el servicio",
        ),
        (
            "<h1>Paga tu predial</h1><form action='/predial/adeudo' method='post'><label>Clave catastral "
            "<input name='clave'></label><button>Consultar adeudo</button></form>",
            Status.COMPLIANT,
            None,
        ),
        (
            "<h1>Paga tu predial</h1><p>Genera tu línea de captura en el <a href='https://pagos.tesoreria-digital.com.mx/"
            "villa'>sistema de pagos</a>.</p>",
            Status.NOT_VERIFIABLE,
            "pagos.tesoreria-digital.com.mx",
        ),
        (
            "<h1>Paga tu predial</h1><p>Consulta tu adeudo y paga con tarjeta en <a href='/predial/pagar'>nuestro "
            "sistema en línea</a>.</p>",
            Status.COMPLIANT,
            "predial/pagar",
        ),
        (
            "<h1>Paga tu predial</h1><p>Síguenos en <a href='https://www.facebook.com/villa'>Facebook</a> para conocer "
            "los descuentos del predial de este año y las fechas de las caravanas de cobro en tu comunidad.</p>",
            Status.NON_COMPLIANT,
            "describe el servicio",
        ),
        (  # a form to write to the Tesorería, or to subscribe to its notices, is not the payment
            "<h1>Paga tu predial</h1><p>Acude a las cajas con tu último recibo.</p><h4>¿Tienes dudas?</h4><form "
            "action='/wp-json/contact-form-7/v1/feedback' method='post'><input name='your-name'><input type='email' "
            "name='your-email'><input name='tel-celular'><textarea name='your-message'></textarea></form><form "
            "action='/boletin'><input name='suscriptor_correo' placeholder='Tu correo'></form>",
            Status.NON_COMPLIANT,
            "describe el servicio",
        ),
        (  # one that asks for the property's key and an e-mail for the receipt is the payment
            "<h1>Paga tu predial</h1><form action='/predial/cobro' method='post'><label>Clave catastral <input "
            "name='clave_catastral'></label><label>Correo para el recibo <input type='email' name='correo'></label>"
            "<button>Pagar con tarjeta</button></form>",
            Status.COMPLIANT,
            None,
        ),
    ],
)
def test_an_online_service_is_a_form_or_a_system_not_a_page_describing_it(body, status, note):
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "predial", "Paga tu predial")]))
    pages = [_html_page(HOME + f"p{i}", f"<h1>Sección {i}</h1><p>Texto de la sección {i}.</p>") for i in range(4)]
    payment = _html_page(HOME + "predial/pagar", "<h1>Pago</h1><form action='/cobro'><input name='clave'></form>")
    finding = one(rule(check=PAGOS, dimension="tic"), site(home, _html_page(HOME + "predial", body), payment, *pages))
    assert finding.status is status
    assert note is None or note in finding.evidence[0].note + finding.evidence[0].url


def test_a_document_about_a_service_is_not_the_service():
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "guia.pdf", "Pago en línea: guía")]))
    guide = DocumentArtifact(title="Guía", text="Cómo pagar tu predial en línea paso a paso. " * 5, pages=2)
    finding = one(rule(check=PAGOS, dimension="tic"), site(home, resource(HOME + "guia.pdf", document=guide)))
    assert finding.status is Status.NON_COMPLIANT and "documento" in finding.evidence[0].note


def test_forms_to_fill_in_are_counted_apart_from_search_boxes_and_cookie_banners():
    html = """<html><body>
      <form role="search" action="/"><input name="s"></form>
      <form action="/buscar"><input name="texto"></form>
      <form id="cookies"><input type="checkbox" name="analitica"><button>Aceptar</button></form>
      <form action="/citas" method="post"><select name="oficina"><option>Registro civil</option></select></form>
      <form action="/pago" method="post"><input name="clave"><input type="hidden" name="t" value="1"></form>
    </body></html>"""
    assert extract_page(html.encode(), HOME, "text/html").service_forms == 2


def test_a_menu_and_a_footer_shorter_than_a_run_are_still_the_template():
    """Three menu words and a two-word footer: no six-word run holds them apart from each page's own words."""
    sections = [
        resource(
            f"{HOME}s{n}", page=page(f"Sección {n}", text=f"Inicio Gobierno Contacto Sección {n}. {CONTENT} Villa 2026")
        )
        for n in range(6)
    ]
    empty = resource(
        HOME + "organigrama",
        page=page("Organigrama", text="Inicio Gobierno Contacto Organigrama Villa 2026", headings=["Organigrama"]),
    )
    judged = site(*sections, empty).substance(empty)
    assert not judged.ok and "plantilla" in judged.reason


def test_a_themes_stand_in_for_a_missing_image_is_not_an_image_of_the_page():
    html = """<html><body><h1>Organigrama</h1>
      <img src="/wp-content/themes/municipio/assets/no-image-available.jpg" alt="">
      <img src="/img/banner.png" alt="Imagen no disponible">
      <img src="/wp-content/uploads/2026/01/organigrama-2025-2027.png" alt="Organigrama 2025-2027">
      <img src="/wp-content/plugins/lazy/placeholder.gif" data-src="/wp-content/uploads/cabildo.jpg" alt="Cabildo">
    </body></html>"""
    assert extract_page(html.encode(), HOME, "text/html").images == 2  # the lazily loaded one is an image


def test_forms_that_only_send_a_message_or_subscribe_an_address_are_counted_apart():
    html = """<html><body>
      <form action="/contacto" method="post"><input name="nombre"><input type="email" name="x1">
        <input placeholder="Teléfono" name="f3"><input name="asunto"><textarea name="mensaje"></textarea></form>
      <form action="/boletin"><input aria-label="Correo electrónico" name="n"></form>
      <form action="/queja" method="post"><input name="nombre"><select name="dependencia"></select></form>
      <form action="/tramite" method="post"><input name="curp"><input name="correo"></form>
    </body></html>"""
    extracted = extract_page(html.encode(), HOME, "text/html")
    assert (extracted.service_forms, extracted.message_forms) == (4, 2)


@pytest.mark.parametrize(
    ("judged_on", "newest", "status"),
    [
        ("reported", "2023", Status.PARTIAL),
        ("reported", "2025", Status.COMPLIANT),
        ("reported", "2026", Status.COMPLIANT),  # this year's rows, still running: the date says what is reported
        ("in_force", "2023", Status.PARTIAL),
        ("in_force", "2026", Status.COMPLIANT),
    ],
)
def test_a_pages_date_does_not_make_the_years_its_table_reports_newer(judged_on, newest, status):
    rows = "".join(
        f"<tr><td>{year}</td><td>Pavimentación de la calle {n}</td><td>$450,000</td></tr>"
        for n, year in enumerate((newest, "2022", "2021"))
    )
    html = (
        "<html><body><main><h1>Presupuesto participativo</h1><p>Actualizado: 10/03/2026</p><table><tr><th>Año</th>"
        f"<th>Obra</th><th>Monto</th></tr>{rows}</table></main></body></html>"
    )
    table = resource(HOME + "pp", page=extract_page(html.encode(), HOME + "pp", "text/html"))
    assert table.page.table_years == sorted({int(newest), 2022, 2021})
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "pp", "Presupuesto participativo")]))
    check = {"kind": "publication", "terms": ["presupuesto participativo"]}
    yearly = {"period": "anual", "due_days": 90, "judged_on": judged_on}
    finding = one(rule("part.presupuesto_participativo", check, currency=yearly), site(home, table))
    assert finding.status is status
    if status is Status.PARTIAL:
        assert "su tabla informa hasta «ejercicio 2023»" in finding.message and "10/03/2026" in finding.message


def test_only_a_tables_ejercicio_column_gives_years():
    html = """<table><tr><th>Concepto</th><th>Monto</th></tr><tr><td>2019</td><td>2,019</td></tr></table>
      <table><tr><td>Ejercicio fiscal</td><td>Documento</td></tr><tr><td>2024</td><td>Cuenta pública</td></tr>
      <tr><td>Cuarto trimestre 2025</td><td>Informe</td></tr></table>"""
    assert extract_page(html.encode(), HOME, "text/html").table_years == [2024]


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("Es el mecanismo mediante el cual la ciudadanía decide el destino de una parte del presupuesto.", False),
        ("El presupuesto participativo consiste en un proceso en que los vecinos proponen y votan obras.", False),
        (  # the same opening, then what was decided: a publication that explains itself
            "Es el mecanismo mediante el cual la ciudadanía decide obras. En 2026 se votaron 14 obras por $3,200,000 en"
            " San Pedro, Santa Ana y San José.",
            True,
        ),
        ("Convocatoria a las asambleas vecinales del 3 al 14 de marzo de 2026 en cada delegación.", True),
    ],
)
def test_a_section_that_only_says_what_a_mechanism_is_does_not_publish_it(text, published):
    body = (
        "<h1>Participación ciudadana</h1><p>Mecanismos de participación del municipio.</p>"
        f"<h2>Presupuesto participativo</h2><p>{text}</p><h2>Contraloría social</h2><p>Vigila las obras.</p>"
    )
    html = f"<html><head><title>Participación ciudadana</title></head><body><main>{body}</main></body></html>"
    target = resource(HOME + "participa", page=extract_page(html.encode(), HOME + "participa", "text/html"))
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "participa", "Participación ciudadana")]))
    check = {"kind": "publication", "terms": ["presupuesto participativo"]}
    finding = one(rule("part.presupuesto_participativo", check, dimension="participacion"), site(home, target))
    if published:
        assert finding.status is Status.COMPLIANT
    else:
        assert finding.status is Status.NON_COMPLIANT and "solo explica qué es" in finding.evidence[0].note
    alone = page("Presupuesto participativo", text=f"Presupuesto participativo {text}")  # a page of its own
    assert judge_page(alone, Template([])).ok is published


@pytest.mark.parametrize(
    ("text", "letter"),
    [
        ("UNIDAD DE TRANSPARENCIA\nOficio No. UT/045/2026\nC. SOLICITANTE\nPRESENTE\nLe comunico…\nATENTAMENTE", True),
        ("Oficio: TM-CT/12/2026\nLIC. ANA RUIZ. PRESENTE.\nPor este conducto…\nA T E N T A M E N T E", True),
        ("Oficio No. 0231\nC. JUAN PÉREZ\nP R E S E N T E\nLe informo…\nAtentamente,", True),
        # «por medio del presente» is no greeting, and «Oficio de la Tesorería» no number
        ("Oficio No. UT/045/2026\nPor medio del presente\nle informo…\nATENTAMENTE", False),
        ("OFICIO DE LA TESORERÍA\nC. JUAN PÉREZ\nPRESENTE\nATENTAMENTE", False),
        ("Oficio No. UT/045/2026\nC. SOLICITANTE\nPRESENTE\nLe comunico lo solicitado.", False),
    ],
)
def test_a_letter_is_numbered_addressed_and_signed(text, letter):
    assert is_letter(text) is letter


@pytest.mark.parametrize(("links", "lists_sessions"), [((), True), (((HOME + "docs/s12.pdf", "Descargar"),), False)])
def test_a_rule_without_other_records_counts_every_link_of_a_sessions_list_as_its_own(links, lists_sessions):
    """`session_list_apart` without `records_apart`: a list of sessions that links a file of its own may hold the
    minutes; only one that links nothing is a bare list."""
    check = {"kind": "publication", "terms": ["sesiones de cabildo"], "session_list_apart": True}
    text = "Duodécima Sesión Ordinaria, 8 de octubre de 2026. Décima Sesión Extraordinaria, 22 de octubre de 2026."
    home = resource(HOME, is_home=True, page=page("Inicio", [(HOME + "cabildo", "Sesiones de cabildo")]))
    listing = resource(HOME + "cabildo", page=page("Sesiones de cabildo", text=text))
    listing.page.links[:] = [Link(href=href, text=name, context="body") for href, name in links]
    minutes = resource(HOME + "docs/s12.pdf").model_copy(
        update={"page": None, "document": DocumentArtifact(kind="pdf", text="Sesión del 8 de octubre de 2026.")}
    )
    finding = one(rule("ltaipemym.94.II.b", check=check), site(home, listing, minutes))
    assert ("solo se enlistan las sesiones" in finding.message) is lists_sessions


def test_an_entry_whose_page_shows_its_document_in_a_viewer_is_read_as_the_document():
    """A heading's entry judged by the document its page embeds (the hit's target) is that document's text: its page's
    images and links are not asked of the document (which raised «… is not a page»)."""
    shown = resource(
        HOME + "informes",
        page=page("Transparencia", text="Informes de gobierno.", headings=["Inicio", "Informes de gobierno"]),
    )
    report = resource(HOME + "docs/informe.pdf").model_copy(
        update={
            "page": None,
            "document": DocumentArtifact(kind="pdf", pages=1, text="Primer Informe de Gobierno 2025. Obras: 48."),
        }
    )
    hit = Hit("page", "Informes de gobierno", shown, report, None, "", section="Informes de gobierno")
    assert _as_announcement(hit, site(shown, report), "report") is hit
