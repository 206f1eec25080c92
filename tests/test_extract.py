"""Extraction of facts from real bytes: HTML pages and documents built at test time."""

from __future__ import annotations

import io
import os
import shutil
import signal
import struct
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path

import openpyxl
import psutil
import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas
from scrapy import signals
from scrapy.utils.test import get_crawler

from crawler import extract
from crawler.dates import find_dates
from crawler.extract import (
    detect_kind,
    extract_document,
    extract_document_with_timeout,
    extract_page,
    shutdown_pool,
    worker_context,
)
from crawler.render import EMPTY_MENU, render_reason
from crawler.spiders.municipal_site import MunicipalSiteSpider

URL = "https://www.metepec.gob.mx/transparencia/index.html"


def page(html: str, encoding: str = "utf-8", content_type: str = "", url: str = URL):
    return extract_page(html.encode(encoding), url, content_type)


def hrefs(artifact) -> dict[str, str]:
    return {link.href: link.context for link in artifact.links}


# --- decoding ---------------------------------------------------------------
ACCENTED = "Información pública: año, niño, Ñandú, güero"


def test_utf8_with_header_charset():
    html = f"<html><head><title>{ACCENTED}</title></head><body><p>{ACCENTED}</p></body></html>"
    result = page(html, "utf-8", "text/html; charset=UTF-8")
    assert result.title == ACCENTED
    assert result.text == ACCENTED


def test_latin1_with_header_charset():
    html = f"<html><head><title>{ACCENTED}</title></head><body><p>{ACCENTED}</p></body></html>"
    result = page(html, "iso-8859-1", "text/html; charset=ISO-8859-1")
    assert result.title == ACCENTED and result.text == ACCENTED


def test_latin1_without_any_declaration_falls_back():
    html = f"<html><head><title>{ACCENTED}</title></head><body><p>{ACCENTED}</p></body></html>"
    result = page(html, "iso-8859-1", "text/html")
    assert result.title == ACCENTED
    assert "\ufffd" not in result.text


def test_latin1_with_meta_charset_only():
    html = (
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        f"<title>{ACCENTED}</title></head><body>{ACCENTED}</body></html>"
    )
    assert page(html, "iso-8859-1").title == ACCENTED


def test_latin1_mislabelled_as_utf8_is_recovered():
    html = f'<html><head><meta charset="utf-8"><title>{ACCENTED}</title></head><body></body></html>'
    assert page(html, "iso-8859-1").title == ACCENTED


def test_header_charset_wins_over_meta():
    html = f'<html><head><meta charset="iso-8859-1"><title>{ACCENTED}</title></head></html>'
    assert page(html, "utf-8", "text/html; charset=utf-8").title == ACCENTED


def test_utf8_bom():
    html = f"<html><head><title>{ACCENTED}</title></head></html>"
    assert extract_page(b"\xef\xbb\xbf" + html.encode("utf-8"), URL).title == ACCENTED


def test_windows_1252_smart_quotes():
    text = "El “Presidente Municipal” dijo: ‘sí’ – 2026…"
    html = f"<html><head><title>{text}</title></head><body><p>{text}</p></body></html>"
    result = page(html, "cp1252")
    assert result.title == text
    assert result.text == text


# --- parsing ----------------------------------------------------------------
def test_malformed_html_is_tolerated():
    html = (
        "<title>Cabildo</title><div><p>Sesión <b>ordinaria<p>Acta <a href=acta.pdf>Acta 1"
        "</div></div></span><h2>Actas<h2>Más</table><a href='/b'>B"
    )
    result = page(html)
    assert result.title == "Cabildo"
    assert "Sesión ordinaria" in result.text
    assert "https://www.metepec.gob.mx/transparencia/acta.pdf" in hrefs(result)
    assert "https://www.metepec.gob.mx/b" in hrefs(result)
    assert "Cabildo" not in result.text


def test_empty_and_binary_bodies_do_not_crash():
    assert extract_page(b"", URL).title == ""
    assert extract_page(bytes(range(256)) * 10, URL).links == []


def test_visible_text_excludes_code_and_collapses_whitespace():
    html = """<html><head><style>p{color:red}</style><script>var secret = 1;</script></head>
    <body><noscript>Activa JavaScript</noscript><template><p>plantilla</p></template>
    <p>Hola
         mundo</p>   <p>de   Toluca</p><script>alert('x')</script></body></html>"""
    assert page(html).text == "Hola mundo de Toluca"


def test_text_is_capped():
    html = "<body><p>" + "palabra " * 40_000 + "</p></body>"
    assert len(page(html).text) == 200_000


def test_headings_title_lang():
    html = """<html lang="es"><head><title> Transparencia
      | Toluca </title></head><body><h1>Uno</h1><h2>Dos <small>bis</small></h2>
      <h3>Tres</h3><h4>Cuatro</h4><h5>Cinco</h5><h1> </h1></body></html>"""
    result = page(html)
    assert result.title == "Transparencia | Toluca"
    assert result.lang == "es"
    assert result.headings == ["Uno", "Dos bis", "Tres", "Cuatro"]


def test_svg_title_is_not_the_page_title():
    html = """<html><head><title>Portal</title></head><body><a href="/fb"><svg><title>Facebook
      </title></svg></a></body></html>"""
    assert page(html).title == "Portal"
    assert page("<body><svg><title>Icono</title></svg><p>Hola</p></body>").title == ""


def test_lang_missing():
    assert page("<html><body>x</body></html>").lang is None
    assert page('<html lang=""><body>x</body></html>').lang is None


# --- links ------------------------------------------------------------------
def test_link_contexts():
    html = """<html><body>
      <header><a href="/inicio">Inicio</a></header>
      <nav><a href="/tramites">Trámites</a></nav>
      <div role="navigation"><a href="/rol">Rol</a></div>
      <ul class="sf-menu"><li><a href="/menu">Menú</a></li></ul>
      <div id="main-nav"><a href="/principal">Principal</a></div>
      <main><article><header><a href="/autor">Autor</a></header>
        <p><a href="/cuerpo">Cuerpo</a></p></article></main>
      <footer><nav><a href="/aviso-de-privacidad">Aviso de privacidad</a></nav></footer>
      <div class="site-footer"><a href="/mapa">Mapa</a></div>
      <div role="contentinfo"><a href="/creditos">Créditos</a></div>
      <div class="canvas"><a href="/lienzo">Lienzo</a></div>
    </body></html>"""
    base = "https://www.metepec.gob.mx"
    contexts = hrefs(page(html))
    assert contexts == {
        f"{base}/inicio": "nav",
        f"{base}/tramites": "nav",
        f"{base}/rol": "nav",
        f"{base}/menu": "nav",
        f"{base}/principal": "nav",
        f"{base}/autor": "body",
        f"{base}/cuerpo": "body",
        f"{base}/aviso-de-privacidad": "footer",
        f"{base}/mapa": "footer",
        f"{base}/creditos": "footer",
        f"{base}/lienzo": "body",
    }


def test_content_left_inside_an_unclosed_header_is_body():
    """An unclosed <div> in the header makes the parser nest <main> in it (a real Oaxaca site): the page's own list
    of documents is content, not the menu; the header's own link stays in the menu."""
    html = """<html><body>
      <header><div class="header-content"><h1>Municipio</h1><a href="/inicio">Inicio</a>
      </header>
      <main><h2>Normatividad</h2><div class="pdf-grid">
        <div class="pdf-item"><a href="/ley-organica.pdf"><h3>Ley Orgánica Municipal</h3></a></div>
      </div></main>
    </body></html>"""
    base = "https://www.metepec.gob.mx"
    assert hrefs(page(html)) == {f"{base}/inicio": "nav", f"{base}/ley-organica.pdf": "body"}


def test_anchor_text_fallbacks():
    html = """<body>
      <a href="/a"><img src="logo.png" alt="Escudo de Metepec"></a>
      <a href="/b" aria-label="Facebook"><i class="fa fa-facebook"></i></a>
      <a href="/c" title="Twitter"><svg></svg></a>
      <a href="/d">  Texto
         visible <img alt="ignorado"></a>
    </body>"""
    texts = {link.href.rsplit("/", 1)[1]: link.text for link in page(html).links}
    assert texts == {"a": "Escudo de Metepec", "b": "Facebook", "c": "Twitter", "d": "Texto visible"}


def test_base_href():
    html = """<html><head><base href="https://cdn.metepec.gob.mx/portal/"></head>
      <body><a href="docs/ley.pdf">Ley</a><a href="/raiz">Raíz</a></body></html>"""
    assert set(hrefs(page(html))) == {
        "https://cdn.metepec.gob.mx/portal/docs/ley.pdf",
        "https://cdn.metepec.gob.mx/raiz",
    }


def test_relative_base_href():
    html = '<head><base href="/sub/"></head><body><a href="x.html">x</a></body>'
    assert set(hrefs(page(html))) == {"https://www.metepec.gob.mx/sub/x.html"}


def test_contact_links_kept_script_and_fragments_dropped():
    html = """<body>
      <a href="mailto:transparencia@metepec.gob.mx">Correo</a>
      <a href="tel:+52 722 123 4567">Teléfono</a>
      <a href="https://wa.me/527221234567">WhatsApp</a>
      <a href="javascript:void(0)">Nada</a>
      <a href="JavaScript:abrir()">Nada</a>
      <a href="#contenido">Saltar</a>
      <a href="#">Arriba</a>
      <a href="">Vacío</a>
      <a>Sin href</a>
      <a href="otra.html#seccion">Otra</a>
      <iframe src="https://www.google.com/maps/embed?pb=1" title="Mapa"></iframe>
      <map><area href="/region" alt="Región"></map>
      <a href="/dup">Dup</a><a href="/dup">Dup</a><a href="/dup">Otro texto</a>
    </body>"""
    result = page(html)
    got = [(link.href, link.text) for link in result.links]
    assert got == [
        ("mailto:transparencia@metepec.gob.mx", "Correo"),
        ("tel:+52 722 123 4567", "Teléfono"),
        ("https://wa.me/527221234567", "WhatsApp"),
        ("https://www.metepec.gob.mx/transparencia/otra.html#seccion", "Otra"),
        ("https://www.google.com/maps/embed?pb=1", "Mapa"),
        ("https://www.metepec.gob.mx/region", "Región"),
        ("https://www.metepec.gob.mx/dup", "Dup"),
        ("https://www.metepec.gob.mx/dup", "Otro texto"),
    ]
    assert all(link.context == "body" for link in result.links)


NAVIGATION = """<html><head><title>x</title></head><body>
<nav><ul class="menu">
<li onclick="location.href='/transparencia/'">Transparencia</li>
<li onclick="window.open('https://otro.gob.mx/doc.pdf','_blank')">Documento</li>
<li data-href="/tramites/">Trámites</li>
<li data-url="/servicios/">Servicios</li>
<a href="javascript:irA('/cabildo/actas.html')">Actas</a>
<a href="#" onclick="abrir('/obras/'); ga('send', 'event')">Obras</a>
</ul></nav>
<a href="#" class="ver-doc" data-doc="/docs/estructura.pdf">Ver estructura</a>
<a href="#" data-lightbox="/img/organigrama.png">Ver organigrama</a>
<a href="/img/feria.jpg" data-lightbox="galeria">Feria</a>
<select onchange="location=this.value"><option value="">Elija</option><option value="/dif/">DIF</option>
<option value="agua.html">Agua</option></select>
<select id="salto"><option value="https://www.metepec.gob.mx/prensa/">Prensa</option></select>
<select name="anio"><option value="2024">2024</option></select>
<form action="/filtro"><select name="tipo" onchange="this.form.submit()"><option value="obras">Obras</option></select></form>
<select onchange="location='?lang=' + this.value"><option value="en">English</option></select>
<form action="/directorio/"><button>Directorio</button></form>
<form action="/buscar"><input name="q"><button>Buscar</button></form>
<form action="/contacto" method="post"><button>Enviar</button></form>
<form action="/aviso/" method="get"><input type="hidden" name="id" value="3"><input type="submit" value="Aviso"></form>
<button formaction="/agenda/">Agenda</button>
<button type="button" class="ir" data-pagina="/obras-publicas/avance.html">Avance de obras</button>
<button type="button" data-bs-toggle="modal" data-bs-target="#aviso" data-imagen="/img/cartel.jpg">Cartel</button>
<span role="button" data-ir-a="https://www.metepec.gob.mx/citas/">Citas</span>
<map><area href="/norte" alt="Norte"></map>
<iframe src="/mapa.html" title="Mapa"></iframe>
<embed src="pdf/03.- Organigrama 2024 - 2027.pdf" type="application/pdf" width="100%" height="700px"/>
<object data="/informe.pdf" type="application/pdf" title="Informe"><p>Su navegador no muestra PDF.</p></object>
<object type="application/x-shockwave-flash"><param name="movie" value="x.swf"></object>
<div id="m"></div>
<script>var menu=[{titulo:'Noticias', url:'/noticias/'},{titulo:'Api', url:'/api/x'}];
document.getElementById('m').innerHTML='<a href="/comunicados/">Comunicados</a>';
$.ajax({url:'/wp-admin/admin-ajax.php'}); var logo = {url: 'https://cdn.example.com/x'};
var css = {url: '/estilos/tema.css'}; var r = new XMLHttpRequest(); r.open('GET', 'datos');
function pagar() { window.location = '/pagos/'; }</script>
<script type="application/ld+json">{"url": "/ld/"}</script>
<script src="/menu.js"></script>
</body></html>"""


def test_navigation_beyond_plain_links_is_discovered_with_how():
    result = page(NAVIGATION, url="https://www.metepec.gob.mx/")
    found = {link.href.removeprefix("https://www.metepec.gob.mx"): (link.via, link.text) for link in result.links}
    assert found == {
        "/transparencia/": ("onclick", "Transparencia"),
        "https://otro.gob.mx/doc.pdf": ("onclick", "Documento"),
        "/tramites/": ("data-href", "Trámites"),
        "/servicios/": ("data-url", "Servicios"),
        "/cabildo/actas.html": ("javascript", "Actas"),
        "/obras/": ("onclick", "Obras"),
        "/docs/estructura.pdf": ("data-doc", "Ver estructura"),
        "/img/organigrama.png": ("data-lightbox", "Ver organigrama"),
        "/img/feria.jpg": ("a", "Feria"),
        "/dif/": ("option", "DIF"),
        "/agua.html": ("option", "Agua"),
        "/prensa/": ("option", "Prensa"),
        "/directorio/": ("form", "Directorio"),
        "/aviso/?id=3": ("form", "Aviso"),
        "/agenda/": ("form", "Agenda"),
        # a button sent where its own data attribute says; a toggle's target and an image are no address
        "/obras-publicas/avance.html": ("data-href", "Avance de obras"),
        "/citas/": ("data-href", "Citas"),
        "/norte": ("area", "Norte"),
        "/mapa.html": ("iframe", "Mapa"),
        "/pdf/03.- Organigrama 2024 - 2027.pdf": ("embed", ""),
        "/informe.pdf": ("object", "Informe"),
        "/comunicados/": ("script", "Comunicados"),
        "/noticias/": ("script", "Noticias"),
        "/pagos/": ("script", ""),
    }
    assert next(link for link in result.links if link.via == "onclick").context == "nav"


def test_a_selectors_choices_and_its_label_are_links_or_nothing_never_page_text():
    html = (
        "<html><body><h2>Categoría: Art66</h2><label for='anio'>Año:</label><select id='anio'>"
        "<option selected>2024</option><option>2025</option></select><label>Trimestre: <select>"
        "<option>Trimestre 1</option><option>Trimestre 2</option></select></label>"
        "<label for='ir'>Dependencia:</label><select id='ir' onchange='location=this.value'>"
        "<option value='/dif/'>DIF Municipal</option></select>"
        "<form><label for='nombre'>Nombre completo:</label><input id='nombre'></form></body></html>"
    )
    result = page(html, url="https://muni.test/")
    assert result.text == "Categoría: Art66 Nombre completo:"  # a field's label stays: a form is content of its own
    assert [(link.href, link.text, link.via) for link in result.links] == [
        ("https://muni.test/dif/", "DIF Municipal", "option")
    ]


def test_a_breadcrumb_trail_is_navigation_not_the_pages_heading_even_inside_an_unclosed_heading():
    html = (
        "<html><body><div class='bg-breadcrumb2'><h3 class='display-3'>Agenda Regulatoria</h1>"
        "<ol class='breadcrumb'><li class='breadcrumb-item'><a href='/index.php'>Inicio</a></li>"
        "<li class='breadcrumb-item'><a href='/tramites/'>Trámites en Línea</a></li>"
        "<li class='breadcrumb-item active'>Agenda Regulatoria</li></ol></div>"
        "<nav aria-label='Ruta de navegación'><a href='/'>Portada</a> › <a href='/gobierno/'>Gobierno</a></nav>"
        "<nav aria-label='breadcrumb'><a href='/pagos/'>Pagos en línea</a></nav>"
        "<p>Regulaciones que se pretenden expedir: Código de Ética.</p></body></html>"
    )
    result = page(html, url="https://muni.test/agenda.php")
    assert result.headings == ["Agenda Regulatoria"]
    assert (
        result.text == "Agenda Regulatoria Portada › Gobierno Regulaciones que se pretenden expedir: Código de Ética."
    )
    assert {"https://muni.test/tramites/", "https://muni.test/pagos/"} <= {link.href for link in result.links}


@pytest.mark.parametrize(
    ("html", "is_post"),
    [
        (  # WordPress with plain permalinks: the post type is in the body's classes
            "<html><body class='post-template-default single single-post postid-412 single-format-standard'>"
            "<h1>Toma de protesta de consejeros</h1><p>Ayer rindieron protesta los consejos electos.</p></body></html>",
            True,
        ),
        (  # a WordPress page about the same subject
            "<html><body class='page-template-default page page-id-88'><h1>Consejos de participación</h1>"
            "<p>Integrantes por localidad.</p></body></html>",
            False,
        ),
        (  # Yoast's graph for a news site
            '<html><head><script type=\'application/ld+json\'>{"@context":"https://schema.org","@graph":'
            '[{"@type":"NewsArticle","headline":"Entregan obra"},{"@type":"WebPage"}]}</script>'
            "</head><body><h1>Entregan obra</h1></body></html>",
            True,
        ),
        (
            '<html><head><script type=\'application/ld+json\'>{"@type":"WebPage","name":"Trámites"}</script>'
            "</head><body><h1>Trámites</h1></body></html>",
            False,
        ),
        (
            "<html><body><article itemscope itemtype='https://schema.org/BlogPosting'><h2>Feria del elote</h2>"
            "</article></body></html>",
            True,
        ),
        (  # a script that merely names the type is not the page's markup
            "<html><body><script>var tipos = ['NewsArticle'];</script><h1>Directorio</h1></body></html>",
            False,
        ),
        (
            "<html><body><ul class='breadcrumbs'><li><a href='/'>Inicio</a></li><li><a href='/boletines/'>"
            "Boletines</a></li><li>Jornada de vacunación</li></ul><h1>Jornada de vacunación</h1></body></html>",
            True,
        ),
        (  # the trail through another section; the page's own crumb naming the press office is not a section
            "<html><body><ul class='breadcrumbs'><li><a href='/'>Inicio</a></li><li><a href='/gobierno/'>"
            "Gobierno</a></li><li>Coordinación de Prensa</li></ul><h1>Coordinación de Prensa</h1></body></html>",
            False,
        ),
    ],
)
def test_a_post_is_known_by_its_markup_whatever_its_address(html, is_post):
    assert page(html, url="https://muni.test/?p=412").is_post is is_post


@pytest.mark.parametrize(
    ("html", "lists_posts"),
    [
        (  # a category archive of a WordPress site
            "<html><body class='archive category category-avisos category-12'><h1>Categoría: Avisos</h1>"
            "<article class='post-77 post type-post status-publish'><h2>Entrega de obras</h2></article></body></html>",
            True,
        ),
        (  # the front page set to show the latest posts
            "<html><body class='home blog wp-custom-logo'><h2>Jornada de limpieza</h2></body></html>",
            True,
        ),
        (  # a theme that drops the classes from <body>: its posts still say what they are
            "<html><body><main><div class='post-3 post type-post'><h2>Feria</h2></div>"
            "<div class='post-4 post type-post'><h2>Desfile</h2></div></main></body></html>",
            True,
        ),
        (  # a page, and an archive of another post type (a transparency plugin's documents)
            "<html><body class='page-template-default page page-id-88'><h1>Transparencia</h1></body></html>",
            False,
        ),
        (
            "<html><body class='archive post-type-archive post-type-archive-documento'><h1>Documentos</h1>"
            "<article class='documento type-documento'><h2>Bando Municipal 2026</h2></article></body></html>",
            False,
        ),
        (  # one post shown on a page (a «latest news» box): the page is not a list of them
            "<html><body class='page page-id-3'><h1>Gobierno</h1><article class='post-9 type-post'><h2>Informe</h2>"
            "</article></body></html>",
            False,
        ),
        (  # a page builder's grid of the latest news under the page's own content (Elementor marks them type-post)
            "<html><body><main><h1>Transparencia</h1><p>"
            + "Obligaciones del artículo 92 por fracción, con los formatos de cada trimestre del ejercicio. " * 6
            + "</p><article class='elementor-post post-3 type-post'><h3>Feria</h3></article>"
            "<article class='elementor-post post-4 type-post'><h3>Desfile</h3></article></main></body></html>",
            False,
        ),
    ],
)
def test_a_page_of_posts_is_known_by_its_markup(html, lists_posts):
    assert page(html, url="https://muni.test/?cat=12").lists_posts is lists_posts


def test_the_headers_of_a_table_with_no_record_are_kept_apart():
    empty = page(
        "<html><body><h1>Nómina</h1><table><thead><tr><th>Nombre</th><th>Cargo</th><th>Sueldo bruto</th></tr>"
        "</thead><tbody><tr><td> </td><td></td><td></td></tr></tbody></table></body></html>"
    )
    assert empty.empty_table_text == "Nombre Cargo Sueldo bruto"
    full = page(
        "<html><body><table><tr><th>Nombre</th><th>Cargo</th></tr><tr><td>Ana Ruiz</td><td>Tesorera</td></tr>"
        "</table></body></html>"
    )
    assert full.empty_table_text == ""


def test_links_that_lead_nowhere_are_kept_apart_from_toggles_and_styled_text():
    result = page(
        "<html><body><nav><a href='#'>Gobierno</a></nav><main><a href='#'>Acta 1</a> <a href='javascript:void(0)'>"
        "Acta 2</a> <a href='#' data-bs-toggle='collapse'>2025</a> <a href='#' aria-expanded='false'>2024</a> "
        "<a>Presidente municipal</a> <a href='#tabla'>Ir a la tabla</a> <a href='/acta3.pdf'>Acta 3</a></main>"
        "</body></html>"
    )
    assert result.dead_links == ["Acta 1", "Acta 2"]


def test_a_menu_of_onclick_items_needs_no_browser():
    html = (
        "<html><body><p>" + "Texto del ayuntamiento. " * 20 + "</p><ul class='menu'>"
        "<li onclick=\"location.href='/a/'\">A</li><li onclick=\"location.href='/b/'\">B</li>"
        "<li data-href='/c/'>C</li></ul><script>x()</script></body></html>"
    )
    assert render_reason(html, page(html)) is None
    empty = html.replace(
        "<li onclick=\"location.href='/a/'\">A</li><li onclick=\"location.href='/b/'\">B</li>"
        "<li data-href='/c/'>C</li>",
        "",
    )
    assert render_reason(empty, page(empty)) == EMPTY_MENU


# --- viewport, forms ----------------------------------------------------------
def test_viewport():
    assert page('<head><meta name="viewport" content="width=device-width"></head>').has_viewport
    assert page('<head><meta name="Viewport" content="x"></head>').has_viewport
    assert not page('<head><meta name="description" content="viewport"></head>').has_viewport


@pytest.mark.parametrize(
    "form",
    [
        '<form role="search"><input name="x"></form>',
        '<form><input type="search" name="termino"></form>',
        '<form action="/"><input type="text" name="s"></form>',
        '<form><input name="buscar"></form>',
        '<form><input name="Keywords"></form>',
        '<form action="/index.php/component/search/"><input name="searchword"></form>',
        '<form action="/buscar.php"><input name="t"></form>',
        '<div role="search"><input name="termino"></div>',
    ],
)
def test_search_form_detected(form):
    result = page(f"<body>{form}</body>")
    assert result.has_search_form


@pytest.mark.parametrize(
    "field",
    [
        '<input type="search" class="form-control" placeholder="keywords">',  # a theme's box outside any form
        '<div class="buscador"><input name="q"><i class="fa fa-search"></i></div>',
    ],
)
def test_a_search_field_that_cannot_submit_is_not_a_search_engine(field):
    assert not page(f"<body><h4>Search by keyword</h4>{field}</body>").has_search_form


@pytest.mark.parametrize(
    ("form", "searches"),
    [
        ('<form role="search" onsubmit="return false"><input type="text" placeholder="Escribe aquí"></form>', False),
        ('<form class="caja" onsubmit="event.preventDefault(); return false;"><input type="search"></form>', False),
        # named, but the page's only scripts are common libraries
        (
            '<script src="/js/jquery-3.7.1.min.js"></script><script src="/js/swiper-bundle.min.js"></script>'
            '<div role="search"><form id="f-busca" onsubmit="return false;"><input type="search" id="palabras"'
            ' name="palabras"></form></div>',
            False,
        ),
        # a script of the site's own may read the field, one names it, or the field or the submission calls one
        (
            '<script src="/js/sitio.js"></script><form onsubmit="return false;"><input type="search" id="q"></form>',
            True,
        ),
        (
            '<form onsubmit="return false;"><input type="search" class="busqueda-rapida"></form>'
            "<script>document.querySelector('.busqueda-rapida').addEventListener('input', filtrar);</script>",
            True,
        ),
        ('<form role="search" onsubmit="return false"><input type="text" onkeyup="filtra(this)"></form>', True),
        ('<form role="search" onsubmit="return busca(this)"><input type="text"></form>', True),
    ],
)
def test_a_box_whose_sending_is_cancelled_and_unread_searches_nothing(form, searches):
    assert page(f"<body>{form}</body>").has_search_form is searches


def test_contact_form_is_not_search():
    html = """<body><form action="/contacto" method="post"><input name="nombre">
      <input type="email" name="correo"><textarea name="mensaje"></textarea>
      <button>Enviar</button></form></body>"""
    result = page(html)
    assert result.has_form and not result.has_search_form


def test_no_form():
    result = page("<body><p>Hola</p></body>")
    assert not result.has_form and not result.has_search_form


# --- soft 404 ---------------------------------------------------------------
NAV = "".join(f'<li><a href="/s{i}">Sección {i}</a></li>' for i in range(20))


@pytest.mark.parametrize(
    "title,heading",
    [
        ("Página no encontrada – Ayuntamiento de Toluca", "Ups"),
        ("Ayuntamiento de Toluca", "Página no encontrada"),
        ("Ayuntamiento", "No se encontró la página"),
        ("Ayuntamiento", "La página que busca no existe"),
        ("Ayuntamiento", "Lo sentimos, la página que estás buscando no existe."),
        ("Ayuntamiento", "Lo sentimos, la página solicitada no está disponible"),
        ("Error 404", "Inicio"),
        ("404 Not Found", ""),
        ("Page not found – Municipio", ""),
        ("Oops! That page can’t be found. – Municipio", ""),
        ("Ayuntamiento de Metepec | Error 404", ""),
        ("Not Found", "Not Found"),
        ("404 - Artículo no encontrado", ""),
        ("Ayuntamiento", "ERROR 404"),
        ("Ayuntamiento", "PAGINA NO ENCONTRADA"),
        ("Ayuntamiento", "¡Vaya! No se puede encontrar esa página."),
        ("Ayuntamiento", "La página no se encontró"),
        ("Ayuntamiento", "Esta página ya no existe"),
        ("Ayuntamiento", "Parece que no hay nada aquí"),
        ("Ayuntamiento", "Parece que no se encontró nada en esta ubicación."),
        ("Ayuntamiento", "¡Oops! No pudimos encontrar lo que estás buscando"),
        ("Ayuntamiento", "No hemos encontrado el contenido"),
        ("Ayuntamiento", "El archivo solicitado no existe"),
        ("Ayuntamiento", "La categoría no está disponible"),
        ("Ayuntamiento", "La dirección que siguió no existe"),
        ("Ayuntamiento", "El recurso solicitado no se encuentra en el servidor"),
    ],
)
def test_soft_404_positive(title, heading):
    html = f"""<html><head><title>{title}</title></head><body>
      <header><ul class="menu">{NAV}</ul></header>
      <h1>{heading}</h1><p>Puede regresar a la página de inicio.</p>
      <footer>© 2026 H. Ayuntamiento</footer></body></html>"""
    assert page(html).soft_404


@pytest.mark.parametrize(
    "title,heading,body",
    [
        ("Transparencia", "Obligaciones comunes", "Consulte la fracción I."),
        (
            "Noticias",
            "Modernizamos el portal",
            "Antes los usuarios veían un error 404 o el mensaje página no encontrada; ya no.",
        ),
        ("Cómo corregir el error 404 en su navegador", "Guía", "Texto de ayuda."),
        ("Inicio", "Bienvenidos", "Tenemos 404 trámites en línea."),
    ],
)
def test_soft_404_negative(title, heading, body):
    html = f"""<html><head><title>{title}</title></head><body><nav>{NAV}</nav>
      <h1>{heading}</h1><p>{body}</p></body></html>"""
    assert not page(html).soft_404


def test_soft_404_not_on_long_pages():
    html = f"""<title>Página no encontrada</title><body><h1>Página no encontrada</h1>
      <p>{"Contenido real de la página. " * 1000}</p></body>"""
    assert not page(html).soft_404


# --- walls ------------------------------------------------------------------
RECAPTCHA_WALL = """<html><head><title>Verificación</title>
  <script src="https://www.google.com/recaptcha/api.js" async defer></script></head>
  <body><h1>Verifica que no eres un robot</h1>
  <form method="post"><div class="g-recaptcha" data-sitekey="abc"></div>
  <input type="submit" value="Continuar"></form></body></html>"""
HCAPTCHA_WALL = """<html><body><p>Please complete the security check</p>
  <div class="h-captcha" data-sitekey="x"></div>
  <script src="https://js.hcaptcha.com/1/api.js"></script></body></html>"""
CLOUDFLARE_CHALLENGE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
  </head><body><div><h1>www.toluca.gob.mx</h1><p>Checking your browser before accessing.</p>
  <script>window._cf_chl_opt={cvId: '3'};</script>
  <script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1"></script>
  </div></body></html>"""
TURNSTILE_WALL = """<html><body><h2>Comprueba que eres humano</h2>
  <div class="cf-turnstile" data-sitekey="0x4"></div>
  <script src="https://challenges.cloudflare.com/turnstile/v0/api.js"></script></body></html>"""


@pytest.mark.parametrize("html", [RECAPTCHA_WALL, HCAPTCHA_WALL, CLOUDFLARE_CHALLENGE, TURNSTILE_WALL])
def test_captcha_walls(html):
    assert page(html).blocked == "captcha"


def test_contact_form_with_recaptcha_is_not_a_wall():
    html = f"""<html><head><title>Contacto</title>
      <script src="https://www.google.com/recaptcha/api.js"></script></head><body>
      <header><ul class="menu">{NAV}</ul></header><h1>Contacto</h1>
      <p>Escríbenos y te responderemos a la brevedad.</p>
      <form action="/enviar" method="post"><input name="nombre"><input type="email" name="correo">
      <textarea name="mensaje"></textarea><div class="g-recaptcha" data-sitekey="abc"></div>
      <button>Enviar</button></form><footer>Av. Juárez 1, Toluca</footer></body></html>"""
    result = page(html)
    assert result.blocked is None
    assert result.has_form


def test_minimal_contact_page_with_recaptcha_is_not_a_wall():
    html = """<title>Contacto</title><script src="https://www.google.com/recaptcha/api.js"></script>
      <form><input name="nombre"><textarea name="mensaje"></textarea>
      <div class="g-recaptcha"></div></form>"""
    assert page(html).blocked is None


@pytest.mark.parametrize(
    "html",
    [
        """<html><head><title>Sucuri WebSite Firewall - Access Denied</title></head><body>
       <h2>Access Denied - Sucuri Website Firewall</h2><p>Block reason: attack.</p></body></html>""",
        """<html><head><META NAME="robots" CONTENT="noindex,nofollow"></head><body>
       <iframe id="main-iframe" src="/_Incapsula_Resource?CWUDNSAI=9&incident_id=1"
       frameborder=0>Request unsuccessful. Incapsula incident ID: 1-2</iframe></body></html>""",
        """<html><head><title>Attention Required! | Cloudflare</title></head><body>
       <h1>Sorry, you have been blocked</h1><p>Cloudflare Ray ID: 8a1b</p></body></html>""",
        """<html><head><title>Not Acceptable!</title></head><body><h1>Not Acceptable!</h1>
       <p>An appropriate representation of the requested resource could not be found on this
       server. This error was generated by Mod_Security.</p></body></html>""",
        """<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD><BODY><H1>Access Denied</H1>
       You don't have permission to access "http://www.toluca.gob.mx/" on this server.
       Reference #18.5</BODY></HTML>""",
        """<html><head><title>403 Forbidden</title></head><body><center><h1>403 Forbidden</h1>
       </center><hr><center>nginx</center></body></html>""",
        """<html><head><title>Request Rejected</title></head><body>The requested URL was rejected.
       Please consult with your administrator.<br>Your support ID is: 123</body></html>""",
    ],
)
def test_waf_pages(html):
    assert page(html).blocked == "waf"


def test_article_about_access_denied_is_not_blocked():
    html = f"""<title>Noticias</title><body><nav>{NAV}</nav><h1>Seguridad</h1>
      <p>{"El portal mostraba Access Denied a algunos usuarios con captcha. " * 40}</p></body>"""
    assert page(html).blocked is None


def test_normal_page_not_blocked():
    assert page(f"<title>Inicio</title><body><nav>{NAV}</nav><p>Hola</p></body>").blocked is None


# --- dates ------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,expected",
    [
        ("Publicado el 15 de enero de 2026.", ["2026-01-15"]),
        ("1o. de marzo del 2025", ["2025-03-01"]),
        ("1º de marzo de 2025", ["2025-03-01"]),
        ("15 de Enero de 2026", ["2026-01-15"]),
        ("LUNES 3 DE NOVIEMBRE DE 2025", ["2025-11-03"]),
        ("5 de septiembre, 2024 y 6 de setiembre de 2024", ["2024-09-05", "2024-09-06"]),
        ("Fecha: 15/01/2026", ["2026-01-15"]),
        ("Fecha: 05-02-2026", ["2026-02-05"]),
        ("Fecha: 5/2/2026", ["2026-02-05"]),
        ("2026-01-15T10:00:00-06:00", ["2026-01-15"]),
        ("2026/01/15", ["2026-01-15"]),
        ("Informe de enero 2026", ["2026-01-01"]),
        ("Informe de febrero de 2026 y marzo del 2026", ["2026-02-01", "2026-03-01"]),
        ("15-ene-2026", ["2026-01-15"]),
        ("Periodo del 1 al 31 de diciembre de 2025", ["2025-12-31"]),
        ("31/02/2026 30 de febrero de 2026 2026-02-30", []),
        ("13/13/2026 y 32/01/2026", []),
        ("15 de enero de 1985, 01/01/1989 y 2101-01-01", []),
        ("Tel. 722 123 4567, folio 2026-0001, versión 10.5", []),
        ("En 2026 no hay fecha", []),
    ],
)
def test_find_dates(text, expected):
    assert [d.isoformat() for d in find_dates(text)] == expected


def test_find_dates_unique_sorted_capped():
    text = " ".join(f"{d:02d}/01/2026 {d:02d}/01/2026" for d in range(31, 0, -1))
    found = find_dates(text)
    assert found == [date(2026, 1, d) for d in range(1, 32)]
    many = " ".join(f"{d:02d}/{m:02d}/{y}" for y in range(2000, 2010) for m in range(1, 13) for d in range(1, 28))
    assert len(find_dates(many)) == 200


def test_page_dates_from_text_and_markup():
    html = """<html><head><title>Boletín 15 de enero de 2026</title>
      <meta property="article:modified_time" content="2026-02-03T10:00:00+00:00">
      <meta property="article:published_time" content="2026-01-14T09:00:00+00:00">
      <meta name="date" content="2025-12-01">
      <meta name="description" content="2020-01-01"></head>
      <body><h2>Actualizado: 20/01/2026</h2><time datetime="2026-01-16">ayer</time>
      <p>Sesión de cabildo de marzo de 2025.</p><script>var d = "2019-05-05";</script>
      </body></html>"""
    assert page(html).dates == [
        "2025-03-01",
        "2025-12-01",
        "2026-01-14",
        "2026-01-15",
        "2026-01-16",
        "2026-01-20",
        "2026-02-03",
    ]


# --- documents: helpers -------------------------------------------------------
def make_pdf(pages: list[str], title: str | None = None, draw=None) -> bytes:
    """Each page's lines as text; `draw(canvas)`, if given, draws on each page under them."""
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=letter, invariant=1)
    if title:
        pdf.setTitle(title)
    for text in pages:
        y = 720
        for line in text.splitlines():
            pdf.drawString(72, y, line)
            y -= 16
        if draw:
            draw(pdf)
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


def make_image_pdf() -> bytes:
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=letter, invariant=1)
    pdf.setFillColorRGB(0.2, 0.2, 0.2)
    pdf.rect(72, 72, 400, 600, fill=1)
    pdf.showPage()
    pdf.rect(100, 100, 50, 50, fill=1)
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def make_xlsx(title: str | None = "Nómina 2025") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Plantilla"
    sheet.append(["Nombre", "Puesto", "Sueldo", "Alta"])
    sheet.append(["José Pérez", "Tesorero", 25000, datetime(2025, 3, 1)])
    sheet.append(["Ana Núñez", "Contralora", 24000.5, date(2024, 7, 16)])
    sheet.append(["Actualizado el 10 de enero de 2026", None, None, None])
    second = workbook.create_sheet("Altas y bajas")
    second.append(["Sin movimientos"])
    if title:
        workbook.properties.title = title
    workbook.properties.created = datetime(2025, 1, 2, 8, 0)
    workbook.properties.modified = datetime(2026, 1, 9, 8, 0)
    buf = io.BytesIO()
    workbook.save(buf)
    return buf.getvalue()


CORE_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>{title}</dc:title>
<dcterms:created xsi:type="dcterms:W3CDTF">2025-11-20T10:00:00Z</dcterms:created>
<dcterms:modified xsi:type="dcterms:W3CDTF">2026-01-05T12:30:00Z</dcterms:modified>
</cp:coreProperties>"""


def make_docx(
    paragraphs: list[str], title: str = "Aviso de privacidad", extra: dict[str, bytes] | None = None
) -> bytes:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(
        f'<w:p><w:r><w:t>{p[:5]}</w:t></w:r><w:r><w:t xml:space="preserve">{p[5:]}</w:t></w:r></w:p>'
        for p in paragraphs
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body>{body}'
        f"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Celda</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        f"</w:body></w:document>"
    )
    content_types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.'
        'wordprocessingml.document.main+xml"/></Types>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", content_types)
        zf.writestr("word/document.xml", document)
        zf.writestr("docProps/core.xml", CORE_XML.format(title=title))
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def make_odf(kind: str = "text") -> bytes:
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    table_ns = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    if kind == "text":
        inner = (
            "<office:text><text:h>Acta de cabildo</text:h><text:p>Sesión del<text:s/>"
            '<text:span>3 de febrero de 2026</text:span>, en <text:s text:c="2"/>Toluca.'
            "</text:p><text:p>Línea<text:line-break/>nueva</text:p></office:text>"
        )
    else:
        inner = (
            '<office:spreadsheet><table:table table:name="Hoja1"><table:table-row>'
            '<table:table-cell office:value-type="string"><text:p>Partida</text:p>'
            '</table:table-cell><table:table-cell office:value-type="date" '
            'office:date-value="2025-06-30"><text:p>30/06/25</text:p></table:table-cell>'
            "</table:table-row></table:table></office:spreadsheet>"
        )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        f'xmlns:office="{office}" xmlns:text="{text_ns}" xmlns:table="{table_ns}">'
        f"<office:body>{inner}</office:body></office:document-content>"
    )
    meta = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-meta '
        f'xmlns:office="{office}" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"><office:meta>'
        "<dc:title>Acta 3/2026</dc:title><meta:creation-date>2026-02-03T09:00:00"
        "</meta:creation-date><dc:date>2026-02-04T18:00:00</dc:date></office:meta>"
        "</office:document-meta>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), f"application/vnd.oasis.opendocument.{kind}")
        zf.writestr("content.xml", content)
        zf.writestr("meta.xml", meta)
    return buf.getvalue()


# --- documents: PDF -----------------------------------------------------------
def test_pdf_text_title_dates_pages():
    body = make_pdf(
        ["Informe trimestral\nFecha de corte: 31/03/2026", "Aprobado el 15 de abril de 2026"],
        title="Informe de Gestión — Año fiscal",
    )
    result = extract_document(body, "https://toluca.gob.mx/informe.pdf", "application/pdf")
    assert result.error is None
    assert result.kind == "pdf"
    assert result.title == "Informe de Gestión — Año fiscal"  # PDFDocEncoding (ó, —, ñ), decoded
    assert result.pages == 2
    assert "Fecha de corte: 31/03/2026" in result.text
    assert "Aprobado el 15 de abril de 2026" in result.text
    assert not result.image_only
    # reportlab's invariant mode stamps CreationDate/ModDate as 2000-01-01
    assert result.dates == ["2000-01-01", "2026-03-31", "2026-04-15"]


def test_pdf_title_falls_back_to_first_line_and_page_cap():
    body = make_pdf([f"Página número {i}" for i in range(1, 6)])
    result = extract_document(body, "https://x.gob.mx/descarga?id=7", "", max_pages=2)
    assert result.kind == "pdf"
    assert result.title.startswith("Página número 1")
    assert result.pages == 5
    assert "Página número 2" in result.text and "Página número 3" not in result.text


def test_a_table_with_rotated_column_headers_reads_each_header_whole():
    """Formats printed landscape often turn their column headers 90°: each header is one word run, not letters
    of several headers merged by height (what a line-by-height reader makes of them: «dadinU», «ahceF»)."""
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=letter, invariant=1)
    pdf.drawString(72, 720, "Gasto por capítulo del Ayuntamiento de Tlalmanalco, primer trimestre de 2025")
    for column, header in enumerate(("Unidad Responsable", "Programa Presupuestario", "Fecha de actualización")):
        pdf.saveState()
        pdf.translate(80 + 14 * column, 560)
        pdf.rotate(90)
        pdf.drawString(0, 0, header)
        pdf.restoreState()
    for row in range(8):
        pdf.drawString(72, 540 - 16 * row, f"Tesorería Municipal   E00{row}   Programa de obra pública   31/03/2025")
    pdf.showPage()
    pdf.save()
    result = extract_document(buf.getvalue(), "https://x.gob.mx/gasto.pdf")
    assert result.error is None
    lines = result.text.splitlines()
    assert {"Unidad Responsable", "Programa Presupuestario", "Fecha de actualización"} <= set(lines), lines
    assert result.title.startswith("Gasto por capítulo"), result.title
    assert result.dates == ["2000-01-01", "2025-03-31"]


def test_a_pdf_that_forbids_copying_its_text_is_still_read():
    """Government PDFs often carry an owner password that forbids copying: reading them is not copying them."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    buf = io.BytesIO()
    locked = StandardEncryption("", ownerPassword="tesoreria", canPrint=1, canModify=0, canCopy=0, canAnnotate=0)
    pdf = canvas.Canvas(buf, pagesize=letter, encrypt=locked)
    pdf.drawString(72, 720, "Presupuesto de Egresos 2025, aprobado el 15/01/2025")
    pdf.showPage()
    pdf.save()
    result = extract_document(buf.getvalue(), "https://x.gob.mx/presupuesto.pdf")
    assert result.error is None and result.pages == 1
    assert result.text == "Presupuesto de Egresos 2025, aprobado el 15/01/2025"
    assert "2025-01-15" in result.dates


def test_pdf_text_has_a_time_limit_of_its_own(monkeypatch):
    from crawler import extract_documents

    monkeypatch.setattr(extract_documents, "PDFTOTEXT_SECONDS", 0)
    result = extract_document(make_pdf(["Informe trimestral"] * 3), "https://x.gob.mx/i.pdf")
    assert result.kind == "pdf" and result.text == ""
    assert result.error.startswith("PDF ilegible: su texto no se leyó en 0 s"), result.error


def test_pdf_text_needs_poppler_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without poppler-utils
    result = extract_document(make_pdf(["Informe trimestral"]), "https://x.gob.mx/i.pdf")
    assert result.kind == "pdf" and result.text == ""
    assert result.error == "PDF no leído: falta el programa pdftotext (paquete poppler-utils)"


def test_pdf_detected_by_magic_despite_wrong_content_type():
    body = make_pdf(["Hola"])
    assert extract_document(body, "https://x.gob.mx/ver.php", "text/html").kind == "pdf"


def test_image_only_pdf():
    result = extract_document(make_image_pdf(), "https://x.gob.mx/escaneo.pdf")
    assert result.error is None
    assert result.pages == 2
    assert result.image_only
    assert result.text == ""


def _grid(pdf) -> None:  # a table's lines, its cells left empty of text: a table drawn, or text drawn as outlines
    for row in range(6):
        pdf.line(72, 680 - 20 * row, 540, 680 - 20 * row)
    for column in range(5):
        pdf.line(72 + 117 * column, 680, 72 + 117 * column, 580)


def _picture(pdf) -> None:  # the table pasted as a picture under its typed title
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    pdf.drawImage(ImageReader(Image.new("L", (400, 300), 128)), 72, 300, width=400, height=300)


@pytest.mark.parametrize(
    ("draw", "drawn", "image_only"),
    [(lambda pdf: pdf.line(72, 712, 540, 712), False, False), (_grid, True, False), (_picture, True, True)],
    ids=["a rule under the title", "a table's lines", "a picture"],
)
def test_a_short_text_layer_records_whether_its_pages_draw_anything(draw, drawn, image_only):
    """A title with nothing under it is told from a title over a table drawn in lines or pasted as a picture: the
    text layer is the same, what the pages draw is not."""
    result = extract_document(make_pdf(["Tabla de aplicabilidad 2026"], draw=draw), "https://x.gob.mx/tabla.pdf")
    assert result.error is None and result.text == "Tabla de aplicabilidad 2026"
    assert (result.drawn, result.image_only) == (drawn, image_only)


def test_what_a_pdf_draws_is_not_looked_at_under_a_longer_text():
    result = extract_document(
        make_pdf(["Informe trimestral de avance de obra pública, enero a marzo de 2026"]), "https://x.gob.mx/i.pdf"
    )
    assert result.drawn is None and not result.image_only


def make_scanned_pdf(lines: list[str], pages: int = 1, turned: int = 0) -> bytes:
    """A scan: Spanish text drawn into page images, saved as an image-only PDF (no text layer); `turned`: degrees
    the sheet was turned on the scanner (a landscape table scanned sideways)."""
    from PIL import Image, ImageDraw, ImageFont

    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    font = ImageFont.truetype(str(dejavu), 44) if dejavu.is_file() else ImageFont.load_default(size=48)
    images = []
    for _ in range(pages):
        image = Image.new("L", (1700, 2200), 255)
        draw = ImageDraw.Draw(image)
        for row, line in enumerate(lines):
            draw.text((150, 200 + 90 * row), line, fill=0, font=font)
        images.append(image.rotate(turned, expand=True, fillcolor=255))
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=200, save_all=True, append_images=images[1:])
    return buffer.getvalue()


SCAN = [
    "Ayuntamiento de Metepec",
    "Acta de la Sesión de Cabildo",
    "Presupuesto de Egresos 2026",
    "Aprobado el 15 de marzo de 2026",
]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract-ocr (scripts/system-deps.sh)")
def test_scanned_pdf_is_read_by_ocr_in_spanish():
    body = make_scanned_pdf(SCAN, pages=3)
    plain = extract_document(body, "https://x.gob.mx/acta.pdf")
    assert plain.image_only and plain.text == "" and not plain.ocr  # OCR is off unless asked for
    result = extract_document(body, "https://x.gob.mx/acta.pdf", ocr_pages=2, ocr_seconds=60)
    assert result.error is None and result.image_only and result.ocr
    assert result.ocr_pages == 2 and result.pages == 3 and result.ocr_error is None
    for word in ("Ayuntamiento", "Metepec", "Cabildo", "Presupuesto", "Egresos", "marzo"):
        assert word in result.text, result.text
    assert "2026-03-15" in result.dates and result.title == "Ayuntamiento de Metepec"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract-ocr (scripts/system-deps.sh)")
@pytest.mark.parametrize("turned", [90, 180, 270])
def test_a_page_scanned_sideways_or_upside_down_is_read_upright(turned):
    lines = [*SCAN, "Indicadores de resultados al 31 de marzo de 2026", "Unidad de medida Meta programada Meta real"]
    result = extract_document(make_scanned_pdf(lines, turned=turned), "https://x.gob.mx/d42.pdf", ocr_pages=1)
    for word in ("Ayuntamiento", "Metepec", "Presupuesto", "Indicadores", "resultados", "programada"):
        assert word in result.text, result.text


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract-ocr (scripts/system-deps.sh)")
def test_ocr_stops_at_its_time_budget():
    result = extract_document(
        make_scanned_pdf(SCAN, pages=2), "https://x.gob.mx/acta.pdf", ocr_pages=5, ocr_seconds=0.5
    )
    assert result.image_only and not result.ocr and result.ocr_pages == 0
    assert "tiempo de OCR agotado" in result.ocr_error


def test_text_pdf_is_never_ocred():
    result = extract_document(make_pdf(["Informe trimestral"]), "https://x.gob.mx/i.pdf", ocr_pages=5)
    assert not result.image_only and not result.ocr and result.ocr_pages == 0


def test_garbage_pdf_is_an_error():
    body = b"%PDF-1.4\n" + bytes(range(256)) * 20 + b"\n%%EOF"
    result = extract_document(body, "https://x.gob.mx/roto.pdf", "application/pdf")
    assert result.error and "PDF" in result.error


def test_truncated_pdf_does_not_crash():
    body = make_pdf(["Texto largo " * 20] * 3)
    result = extract_document(body[: len(body) // 2], "https://x.gob.mx/cortado.pdf")
    assert result.error or result.pages is not None


def test_not_a_pdf_with_pdf_content_type():
    result = extract_document(b"<html>error</html>", "https://x.gob.mx/a.pdf", "application/pdf")
    assert result.error


# --- documents: spreadsheets and word processors --------------------------------
def test_xlsx():
    result = extract_document(make_xlsx(), "https://x.gob.mx/nomina.xlsx")
    assert result.error is None
    assert result.kind == "xlsx"
    assert result.title == "Nómina 2025"
    assert "Plantilla" in result.text and "Altas y bajas" in result.text
    assert "José Pérez | Tesorero | 25000 | 2025-03-01" in result.text
    assert "Ana Núñez" in result.text
    # created, two date cells, a date in a text cell (openpyxl stamps "modified" on save)
    assert {"2024-07-16", "2025-01-02", "2025-03-01", "2026-01-10"} <= set(result.dates)


def test_xlsx_title_falls_back_to_sheet_and_rows_are_capped():
    result = extract_document(make_xlsx(title=None), "https://x.gob.mx/a", "", max_rows=2)
    assert result.title == "Plantilla"
    assert "José Pérez" in result.text and "Ana Núñez" not in result.text


def test_docx():
    body = make_docx(["Aviso de privacidad integral", "Última actualización: 12 de enero de 2026"])
    result = extract_document(body, "https://x.gob.mx/aviso.docx")
    assert result.error is None
    assert result.kind == "docx"
    assert result.title == "Aviso de privacidad"
    assert result.text.splitlines() == [
        "Aviso de privacidad integral",
        "Última actualización: 12 de enero de 2026",
        "Celda",
    ]
    assert result.dates == ["2025-11-20", "2026-01-05", "2026-01-12"]


def test_docx_with_dtd_is_refused():
    body = make_docx(["x"])
    doctype = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
        'main"><w:body><w:p><w:r><w:t>&lol;</w:t></w:r></w:p></w:body></w:document>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(body)) as src, zipfile.ZipFile(buf, "w") as dst:
        for name in src.namelist():
            data = doctype.encode() if name == "word/document.xml" else src.read(name)
            dst.writestr(name, data)
    result = extract_document(buf.getvalue(), "https://x.gob.mx/a.docx")
    assert result.error and "DTD" in result.error


def test_odt():
    result = extract_document(make_odf("text"), "https://x.gob.mx/acta.odt")
    assert result.error is None
    assert result.kind == "odt"
    assert result.title == "Acta 3/2026"
    assert result.text.splitlines() == [
        "Acta de cabildo",
        "Sesión del 3 de febrero de 2026, en Toluca.",
        "Línea",
        "nueva",
    ]
    assert result.dates == ["2026-02-03", "2026-02-04"]


def test_ods_cell_dates():
    result = extract_document(make_odf("spreadsheet"), "https://x.gob.mx/a.ods")
    assert result.kind == "ods"
    assert "Partida" in result.text
    assert "2025-06-30" in result.dates


# --- documents: hostile and unsupported input -----------------------------------
def test_legacy_office_formats_are_unsupported():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    doc = extract_document(ole, "https://x.gob.mx/oficio.doc", "application/msword")
    assert doc.error == "formato no soportado" and doc.kind == "doc"
    xls = extract_document(ole, "https://x.gob.mx/presupuesto.xls")
    assert xls.error == "formato no soportado" and xls.kind == "xls"


def test_unknown_format():
    result = extract_document(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 50, "https://x.gob.mx/a.mp4", "video/mp4")
    assert result.error == "formato no soportado"


def test_an_image_is_a_one_page_document_by_its_bytes_not_its_name():
    image = extract_document(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "https://x.gob.mx/organigrama", "")
    assert (image.kind, image.pages, image.image_only, image.error, image.text) == ("image", 1, True, None, "")
    named = extract_document(b"<html>No encontrado</html>", "https://x.gob.mx/organigrama.png", "image/png")
    assert named.kind != "image" and named.error == "formato no soportado"


def test_empty_and_oversized_input():
    assert extract_document(b"", "https://x.gob.mx/a.pdf").error == "archivo vacío"
    body = make_pdf(["Hola"])
    assert extract_document(body, "https://x.gob.mx/a.pdf", max_bytes=100).error == ("archivo demasiado grande")


def _declare_huge_sizes(body: bytes) -> bytes:
    """Rewrite every central-directory entry to claim ~2 GB uncompressed."""
    data = bytearray(body)
    start = 0
    while (pos := data.find(b"PK\x01\x02", start)) != -1:
        data[pos + 24 : pos + 28] = struct.pack("<I", 0x7FFFFFF0)
        start = pos + 4
    return bytes(data)


def test_zip_bomb_like_xlsx_is_rejected():
    result = extract_document(_declare_huge_sizes(make_xlsx()), "https://x.gob.mx/bomba.xlsx")
    assert result.error and "comprimido sospechoso" in result.error


def test_highly_compressible_member_is_rejected():
    body = make_docx(["Hola"], extra={"word/media/relleno.bin": b"\0" * 3_000_000})
    result = extract_document(body, "https://x.gob.mx/a.docx", max_unzipped=2_000_000)
    assert result.error and "comprimido sospechoso" in result.error


def test_corrupt_zip_is_an_error():
    body = make_xlsx()
    result = extract_document(body[:200], "https://x.gob.mx/roto.xlsx")
    assert result.error


def test_detect_kind():
    assert detect_kind(make_xlsx(), "https://x/descarga") == "xlsx"
    assert detect_kind(make_docx(["x"]), "https://x/descarga.bin") == "docx"
    assert detect_kind(make_odf(), "https://x/a") == "odt"
    assert detect_kind(b"x", "https://x/a.CSV") == "csv"
    assert detect_kind(b"x", "https://x/a", "application/pdf; qs=1") == "pdf"
    assert detect_kind(b"x", "https://x/a") is None


def test_plain_text_documents():
    body = "Folio,Fecha\n1,15/01/2026\nÑandú,x\n".encode("cp1252")
    result = extract_document(body, "https://x.gob.mx/datos.csv", "text/csv")
    assert result.kind == "csv"
    assert "Ñandú" in result.text and result.dates == ["2026-01-15"]


# --- timeout wrapper ----------------------------------------------------------
def slow_extract(body, url, content_type="", **kwargs):
    time.sleep(30)
    return extract_document(body, url, content_type)


@pytest.fixture
def worker_pool():
    yield
    shutdown_pool()


def test_timeout_wrapper(worker_pool):
    body = make_pdf(["Texto " * 50] * 40)
    result = extract_document_with_timeout(body, "https://x.gob.mx/a.pdf", "application/pdf", timeout=0.001)
    assert result.error == "tiempo agotado"
    # a fresh worker replaces the killed one
    result = extract_document_with_timeout(body, "https://x.gob.mx/a.pdf", "application/pdf", timeout=60)
    assert result.error is None and result.pages == 40
    # a stuck extraction is cut short
    started = time.monotonic()
    result = extract_document_with_timeout(body, "https://x.gob.mx/a.pdf", timeout=1.5, func=slow_extract)
    assert result.error == "tiempo agotado"
    assert time.monotonic() - started < 10
    result = extract_document_with_timeout(make_docx(["Hola mundo"]), "https://x/a.docx", timeout=60)
    assert "Hola mundo" in result.text


def meet_another(body, url, content_type="", **kwargs):
    """Returns only once another extraction is running at the same time (each writes its pid in the folder `url`)."""
    folder = Path(url)
    (folder / str(os.getpid())).touch()
    while len(list(folder.iterdir())) < 2:
        time.sleep(0.05)
    return extract_document(body, "https://x/a.docx", content_type)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one lane per core")
def test_documents_are_extracted_in_parallel_one_lane_per_core(worker_pool, tmp_path):
    """Two documents at once each get a worker: with one worker for all, the first would wait for the second and
    time out."""
    body = make_docx(["Hola"])
    with ThreadPoolExecutor(2) as threads:
        calls = [threads.submit(extract_document_with_timeout, body, str(tmp_path), timeout=30, func=meet_another)]
        calls.append(threads.submit(extract_document_with_timeout, body, str(tmp_path), timeout=30, func=meet_another))
        results = [call.result() for call in calls]
    assert [r.error for r in results] == [None, None] and all("Hola" in r.text for r in results)
    assert len(list(tmp_path.iterdir())) == 2  # two worker processes


@pytest.mark.parametrize(
    "heading,body",
    [
        ("Error", "El documento solicitado no existe o fue movido."),
        ("¡Ups!", "La dirección que busca no se encuentra en este servidor."),
        ("Enlace roto", "El enlace que siguió puede estar roto, o la página pudo haber sido eliminada."),
    ],
)
def test_soft_404_under_a_heading_that_only_says_error(heading, body):
    """A hand-made error page headed only «Error» or «¡Ups!» is read by its short text, as one with no heading."""
    html = f"""<html><head><title>Ayuntamiento</title></head><body><nav>{NAV}</nav>
      <h1>{heading}</h1><p>{body}</p></body></html>"""
    assert page(html).soft_404
    news = f"""<html><head><title>Ayuntamiento</title></head><body><nav>{NAV}</nav>
      <h1>Reforma al Reglamento de Mercados</h1><p>{body}</p></body></html>"""
    assert not page(news).soft_404  # under a heading of its own, the same words are running text


def test_soft_404_without_heading_on_a_short_page():
    body = (
        b"<html><head><title>Tonalco</title></head><body><center><font size=4><b>P&aacute;gina no "
        b"encontrada</b></font><br><font>La p&aacute;gina que busca no existe o fue movida. "
        b"<a href='index.php'>Regresar al inicio</a></font></center></body></html>"
    )
    assert extract_page(body, "http://m.test/x.php").soft_404
    long_article = b"<html><head><title>Noticias</title></head><body><p>" + b"La obra sigue. " * 60
    long_article += (
        b"Un vecino dijo que la calle no existe en el mapa; pagina no encontrada en el sistema.</p></body></html>"
    )
    assert not extract_page(long_article, "http://m.test/n.php").soft_404


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Tel. (722) 275 1234 ext. 101", "(722) 275 1234"),
        ("Teléfono: 01 800 696 9696", "01 800 696 9696"),
        ("Conmutador 55-5555-1234", "55-5555-1234"),
        ("WhatsApp: +52 722 123 4567", "+52 722 123 4567"),
        ("Presidencia Municipal, Centro, Tlaxcala. 241 412 3456", "241 412 3456"),  # no label: the shape
        ("Palacio Municipal s/n · (449) 965-00-88", "(449) 965-00-88"),
    ],
)
def test_phone_numbers_written_as_text(text, phone):
    assert phone in extract_page(f"<html><body><p>{text}</p></body></html>".encode(), "http://m.test/").phones


def test_no_phone_in_plain_numbers_and_emails_in_text():
    facts = extract_page(
        b"<html><body><p>Se atendieron 2,345 solicitudes en 2026 (folio 2026 0412 3456, monto 1,234 5678, "
        b"periodo 2024 2025 2026). Escriba a atencion@muni.gob.mx</p></body></html>",
        "http://m.test/",
    )
    assert facts.phones == [] and facts.emails == ["atencion@muni.gob.mx"]


# --- accessibility, trackers and integrity facts -------------------------------
def test_third_party_script_hosts_and_tracking_pixels():
    facts = page(
        '<html><head><script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>'
        "<script>t.src='https://connect.facebook.net/en_US/fbevents.js';</script>"
        '<script src="/js/menu.js"></script><script src="https://cdn.metepec.gob.mx/x.js"></script></head><body>'
        '<noscript><img height="1" width="1" src="https://www.facebook.com/tr?id=1"></noscript>'
        '<img src="https://static.example.org/foto.jpg" alt="Foto"></body></html>',
        url="https://www.metepec.gob.mx/",
    )
    assert facts.script_hosts == ["connect.facebook.net", "facebook.com", "googletagmanager.com"]
    assert facts.images == 1 and facts.images_without_alt == 0  # the pixel is not an image


def test_images_labels_and_heading_levels():
    facts = page(
        '<html><body><h1>A</h1><h3>B</h3><img src="a.png"><img src="b.png" alt="">'
        '<form><label for="q">Buscar</label><input id="q"><label>Correo <input name="c"></label>'
        '<input name="n" aria-label="Nombre"><textarea name="m"></textarea><input type="hidden" name="t">'
        '<input type="submit"></form></body></html>'
    )
    assert (facts.images, facts.images_without_alt) == (2, 1)
    assert (facts.inputs, facts.inputs_without_label) == (4, 1)
    assert facts.heading_levels == [1, 3]


def test_hidden_links():
    facts = page(
        '<html><body><a href="/visible">Visible</a>'
        '<div style="position: absolute; left: -9999px"><a href="https://slot.example/">slot gacor</a></div>'
        '<p style="DISPLAY:NONE"><a href="https://pills.example/">cialis</a></p>'
        '<span hidden><a href="/oculto">Oculto</a></span></body></html>'
    )
    assert [link.text for link in facts.hidden_links] == ["slot gacor", "cialis", "Oculto"]
    assert "Visible" in [link.text for link in facts.links]


NOTICE = (
    "<p>Los datos personales que se soliciten serán utilizados para proveer los servicios; puede ponerse en "
    'contacto con la Unidad de Transparencia.</p><p>Correo electr\\u00f3nico. <a href=\\"mailto:ut@muni.gob.mx\\">'
    "ut@muni.gob.mx</a></p>"
)


@pytest.mark.parametrize(
    "script",
    [
        f"$(document).ready(function() {{ $.gritter.add({{title: 'AVISO', text: '{NOTICE}', sticky: true}}); }});",
        f'Swal.fire({{title: "Aviso de privacidad", html: "{NOTICE}"}});',  # double quotes, escaped inside
        f"document.getElementById('aviso').innerHTML = `{NOTICE}`;",  # a template literal
    ],
)
def test_the_text_of_a_pop_up_written_in_an_inline_script_is_kept_apart(script):
    """A notice a script pops up (jQuery gritter, SweetAlert, innerHTML) is read from the script's string; it is
    not the page's text (mentions and templates read that), it is kept as `script_text`."""
    facts = page(f"<html><body><p>Bienvenidos</p><script>{script}</script></body></html>")
    assert "Unidad de Transparencia" in facts.script_text and "Correo electrónico. ut@muni.gob.mx" in facts.script_text
    assert "<p>" not in facts.script_text and "Unidad" not in facts.text


@pytest.mark.parametrize(
    "script",
    [
        '$(\'#body_content\').html(\'<div id="spinner" class="show bg-white"><div class="spinner-border">'
        '<span class="sr-only">Cargando...</span></div></div>\');',  # markup, hardly any text: a spinner
        "var menu = '<li><a href=\"/inicio\">' + nombre + '</a></li>';",  # markup glued to code
        "var aviso = 'Los datos personales que se soliciten serán utilizados para proveer los servicios "
        "que habrá de solicitar, conforme a la ley aplicable';",  # a sentence without markup (a string of code)
        "window.dataLayer = window.dataLayer || []; gtag('config', 'G-XXXXXXX');",
    ],
)
def test_code_selectors_and_spinners_in_scripts_are_no_script_text(script):
    facts = page(f"<html><body><p>Bienvenidos</p><script>{script}</script></body></html>")
    assert facts.script_text == ""


def test_a_script_loaded_from_a_file_or_holding_data_gives_no_script_text():
    facts = page(
        f"<html><body><script src=\"/js/app.js\">var a = '{NOTICE}';</script>"
        f'<script type="application/ld+json">{{"description": "{NOTICE}"}}</script></body></html>'
    )
    assert facts.script_text == ""


EXCEL = '<img src="https://muni.gob.mx/wp-content/uploads/EXCEL-150x150.png" width="45" height="45">'


@pytest.mark.parametrize(
    ("html", "text"),
    [
        (  # an Elementor accordion: the table sits in a region labelled by the toggle's title (Terrenate)
            '<div><a id="t1" class="elementor-toggle-title">63 - IIb Organigrama</a></div>'
            '<div role="region" aria-labelledby="t1"><table><tr><th>AÑO</th><th>PERIODO</th><th>DESCARGAR</th></tr>'
            f'<tr><td>2024</td><td>TERCER TRIMESTRE</td><td><a href="/f/LTAIPT_A63F02B.xlsx">{EXCEL}</a></td></tr>'
            "</table></div>",
            "63 - IIb Organigrama · 2024 TERCER TRIMESTRE",
        ),
        (  # a table with its caption
            "<table><caption>Cuenta Pública</caption>"
            f'<tr><td>2025</td><td><a href="/f/cp-2025.pdf">{EXCEL}</a></td></tr></table>',
            "Cuenta Pública · 2025",
        ),
        (  # the heading before the table, a few paragraphs up
            "<h3>Organigrama</h3><p>Vigente al cierre del trimestre.</p>"
            f'<table><tr><td>4o. trimestre 2025</td><td><a href="/f/org.pdf">{EXCEL}</a></td></tr></table>',
            "Organigrama · 4o. trimestre 2025",
        ),
        (  # «Descargar» says what to do, not what it is
            '<h3>Organigrama</h3><table><tr><td>2025</td><td><a href="/f/org.pdf">Descargar</a></td></tr></table>',
            "Organigrama · 2025",
        ),
        (  # a CONAC table of a real Oaxaca site: «Ver PDF» in each quarter's column
            "<h2>Información Financiera 2024</h2><table><tr><td>Inventario de Bienes</td><td></td>"
            '<td><a href="/f/127.pdf">Ver PDF</a></td></tr></table>',
            "Información Financiera 2024 · Inventario de Bienes",
        ),
    ],
)
def test_a_link_without_a_name_of_its_own_in_a_table_is_named_by_its_table_and_row(html, text):
    [link] = [link for link in page(f"<html><body>{html}</body></html>").links if "/f/" in link.href]
    assert (link.text, link.text_from) == (text, "row")


def test_a_layout_table_s_content_cell_does_not_name_its_links():
    # an old site laid out in a table: the menu in one cell, the page's content in the other
    menu = "".join(
        f'<a href="/f{i}">Fracción {i} de las obligaciones comunes del artículo 92</a><br>' for i in range(9)
    )
    html = (
        f"<table><tr><td>{menu}</td><td><h2>Fracción II</h2><p>Formato A, estructura orgánica: "
        '<a href="https://portal.example.org/art_92_ii_a">ver en IPOMEX</a>. Formato B: el organigrama vigente.</p>'
        "<p>Las áreas publican y actualizan su información cada trimestre, conforme a los lineamientos.</p></td></tr>"
        "</table>"
    )
    [link] = [link for link in page(f"<html><body>{html}</body></html>").links if "example.org" in link.href]
    assert link.text_from != "row" and link.text.endswith("ver en IPOMEX"), link.text


def test_an_icon_in_a_grid_of_icons_is_named_by_its_own_caption_not_by_its_neighbours():
    # a table used as a grid: each cell an icon over its caption; the other cells of the row are other documents
    def cell(href: str, caption: str) -> str:
        return f'<td align="center"><a href="{href}"><img src="/img/doc.gif" alt=""></a><br><span>{caption}</span></td>'

    html = (
        "<h4>Información financiera</h4><table><tr>"
        + cell("/f/cp.pdf", "Cuenta pública 2025")
        + cell("/f/inv.pdf", "Inventario de bienes")
        + cell("/f/deuda.pdf", "Deuda pública")
        + "<td></td></tr></table>"
    )
    texts = {link.href.rsplit("/", 1)[-1]: link.text for link in page(f"<html><body>{html}</body></html>").links}
    assert texts == {
        "cp.pdf": "Información financiera · Cuenta pública 2025",
        "inv.pdf": "Información financiera · Inventario de bienes",
        "deuda.pdf": "Información financiera · Deuda pública",
    }


@pytest.mark.parametrize(
    ("html", "text"),
    [
        (  # a card: its heading, a line, and one button that says what to do
            '<div class="card"><div class="card-body"><h5>Cabildo Abierto 2026</h5><p>Participa con tu propuesta.</p>'
            '<a class="btn" href="https://social.example.org/posts/123">Ver convocatoria</a></div></div>',
            "Cabildo Abierto 2026 · Ver convocatoria",
        ),
        (  # «Consultar» names nothing: the heading alone
            "<article><h3>Presupuesto de Egresos 2026</h3><p>En qué se gasta el recurso público.</p>"
            '<p><a href="https://visor.example.org/?f=pe2026">Consultar</a></p></article>',
            "Presupuesto de Egresos 2026",
        ),
        (  # a button that a script sends to the address in its data attribute
            '<div class="tarjeta"><h4>Quejas y denuncias</h4><button data-href="https://quejas.example.org/">'
            "Presentar queja</button></div>",
            "Quejas y denuncias · Presentar queja",
        ),
        (  # two entries in one box, the first empty: the heading over the link names it, not the box's first
            '<div class="bloque"><h4>Padrón de proveedores</h4><p>No se generó información.</p><h4>Licitaciones 2026</h4>'
            '<p>Segundo semestre <a href="https://docs.example.org/lic-2s.pdf"><img src="/i/pdf.png" alt=""></a></p></div>',
            "Licitaciones 2026",
        ),
        (  # a table whose link says only where the document is kept
            "<h3>Artículo 92</h3><table><tr><td>VIII</td><td>Remuneración bruta y neta</td>"
            '<td><a href="https://portal.example.org/art_92_viii">IPOMEX</a></td></tr></table>',
            "Artículo 92 · VIII Remuneración bruta y neta · IPOMEX",
        ),
    ],
)
def test_a_terse_link_is_named_by_its_card_or_by_its_row_when_it_only_says_where(html, text):
    [link] = [link for link in page(f"<html><body>{html}</body></html>").links if "example.org" in link.href]
    assert link.text == text and link.text_from in ("item", "row")


@pytest.mark.parametrize(
    "html",
    [
        # a card with two links: the heading names neither
        '<div class="card"><h5>Gaceta Municipal</h5><a href="https://a.example.org/g1.pdf">Ver más</a>'
        '<a href="https://a.example.org/g2.pdf">Ver convocatoria</a></div>',
        # a link whose own words say what it is
        '<div class="card"><h5>Documentos</h5><a href="https://a.example.org/b.pdf">Bando Municipal de Policía y'
        " Gobierno 2026</a></div>",
        # a menu item: its list, not a card
        '<ul class="menu"><li><a href="https://a.example.org/c">Contacto</a></li>'
        '<li><a href="https://a.example.org/t">Trámites</a></li></ul>',
    ],
)
def test_a_link_with_its_words_or_among_other_links_is_not_named_by_a_card(html):
    links = [link for link in page(f"<html><body>{html}</body></html>").links if "example.org" in link.href]
    assert links and all(link.text_from == "" and "·" not in link.text for link in links)


def test_each_table_is_named_by_the_first_element_with_its_labelling_id():
    def accordion(ident: str, title: str, href: str) -> str:
        return (
            f'<div><a id="{ident}">{title}</a></div><div role="region" aria-labelledby="{ident}"><table>'
            f'<tr><td>2025</td><td><a href="{href}">{EXCEL}</a></td></tr></table></div>'
        )

    html = (
        accordion("t1", "63 - I Marco normativo", "/f/marco.pdf")
        + accordion("t2", "63 - II Estructura orgánica", "/f/estructura.pdf")
        + '<span id="t1">Cerrar</span>'  # a theme that repeats an id further down
    )
    texts = {link.href.rsplit("/", 1)[-1]: link.text for link in page(f"<html><body>{html}</body></html>").links}
    assert texts["marco.pdf"] == "63 - I Marco normativo · 2025"
    assert texts["estructura.pdf"] == "63 - II Estructura orgánica · 2025"


@pytest.mark.parametrize(
    "html",
    [
        f'<h3>Síguenos</h3><footer><a href="https://facebook.com/muni">{EXCEL}</a></footer>',  # an icon, no table
        '<h3>Organigrama</h3><table><tr><td>2025</td><td><a href="/f/org.pdf">Organigrama vigente</a></td></tr></table>',
        '<h3>Organigrama</h3><p><a href="/f/org.pdf">Descargar</a></p>',  # «Descargar», but no table to name it
        '<h3>Organigrama</h3><table><tr><td>2025</td><td><a href="/f/org.pdf"><img src="x.png" alt="Organigrama '
        '2025"></a></td></tr></table>',  # the icon's alt text is the link's own text
    ],
)
def test_a_link_with_its_own_text_or_outside_a_table_keeps_its_own_text(html):
    [link] = [
        link for link in page(f"<html><body>{html}</body></html>").links if "org" in link.href or "face" in link.href
    ]
    assert link.text_from == "" and "·" not in link.text


def test_the_crawl_takes_its_extraction_workers_with_it(worker_pool):
    extract_document_with_timeout(make_docx(["Hola"]), "https://x/a.docx", timeout=60)
    document_worker = next(iter(next(iter(extract._pools.values()))._processes.values()))
    crawler = get_crawler(MunicipalSiteSpider)
    spider = MunicipalSiteSpider.from_crawler(crawler, targets=[])
    spider.page_pool = ProcessPoolExecutor(1, mp_context=worker_context())
    spider.page_pool.submit(len, "").result()
    page_worker = next(iter(spider.page_pool._processes.values()))
    crawler.signals.send_catch_log(signals.spider_closed, spider=spider, reason="finished")
    document_worker.join(10)
    assert not extract._pools and not document_worker.is_alive() and not page_worker.is_alive()


OWNER = """
import os, sys, time
from crawler.extract import worker_pool
pool = worker_pool(1)
print(pool.submit(os.getpid).result(), flush=True)
time.sleep(600)
"""


def test_extraction_workers_end_when_a_killed_crawl_cannot_shut_them_down():
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER], stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parent.parent
    )
    try:
        worker = int(owner.stdout.readline())
        os.kill(owner.pid, signal.SIGKILL)
        owner.wait(10)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and _running(worker):
            time.sleep(0.2)
        assert not _running(worker), "the extraction worker outlived the crawl that started it"
    finally:
        owner.kill()


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE  # a zombie has ended, unreaped
    except psutil.NoSuchProcess:
        return False


def test_a_closed_pop_up_is_told_apart_and_an_iframe_s_fallback_is_not_text():
    html = """<html><body><h1>Buzón de quejas</h1>
    <iframe src="https://docs.google.com/forms/d/e/x/viewform?embedded=true">Cargando…</iframe>
    <div class="modal fade" role="dialog" aria-hidden="true"><div class="modal-dialog"><h5>Feria del Mole 2023</h5>
    <p>Gracias a su herencia gastronómica el municipio fue reconocido por el gobierno del estado.</p>
    <script>abrir()</script></div></div>
    <div role="alertdialog" style="display:none"><p>Aviso: oficinas cerradas el lunes.</p></div>
    <dialog><p>Suscríbase al boletín.</p></dialog><dialog open><p>Horario de atención: 9 a 15 h.</p></dialog>
    <p>Escríbanos sus quejas.</p></body></html>"""
    page = extract_page(html.encode(), "http://m.test/quejas")
    assert "Cargando" not in page.text and "Escríbanos sus quejas." in page.text
    assert page.popup_text == (
        "Feria del Mole 2023 Gracias a su herencia gastronómica el municipio fue reconocido por el gobierno del estado."
        " Aviso: oficinas cerradas el lunes. Suscríbase al boletín."
    )
    assert "reconocido por el gobierno" in page.text  # a pop-up opened by a button is still the page's to read
    assert [link.via for link in page.links] == ["iframe"]


def test_a_tab_shown_over_its_own_panel_is_a_heading_of_it():
    html = (
        "<html><body><h1>Transparencia proactiva</h1><div class='pestanas'>"
        "<div role='tablist'><div role='tab'>Obras</div><div role='tab'>Sesiones</div></div>"
        "<div class='titulo-pestana' role='tab'>Obras</div><div role='tabpanel'><p>Obra 14: pavimentación.</p></div>"
        "<div class='titulo-pestana' role='tab'>Sesiones</div><div role='tabpanel' hidden><h4>Actas 2026</h4>"
        "<p>No hay actas que mostrar.</p></div>"
        "<div class='titulo-pestana' role='tab'>Contacto de la unidad</div><div role='tabpanel' hidden>"
        "<p>Tel. 722 000 1100</p></div></div></body></html>"
    )
    facts = page(html, url="https://muni.test/")
    # the tab list's own tabs (no panel after each) are not: the titles over their panels are
    assert facts.headings == ["Transparencia proactiva", "Obras", "Sesiones", "Actas 2026", "Contacto de la unidad"]
    assert facts.heading_levels == [1, 2, 2, 4, 2]  # «Contacto de la unidad» ends the section of «Actas 2026»


def test_an_accordions_titles_are_headings_of_what_they_open():
    html = (
        "<html><body><nav><button aria-expanded='false'>Menú</button><ul hidden><li><a href='/a'>A</a></li></ul></nav>"
        "<h1>Participación ciudadana</h1><div class='acordeon'>"
        "<button class='acordeon-titulo' aria-expanded='false'>Presupuesto participativo 2026</button>"
        "<div class='acordeon-panel' hidden><h3>Resultados</h3><p>Proyecto aprobado: 1,250,000.00</p></div>"
        "<button class='acordeon-titulo' aria-expanded='false'>Fracción XXIV. Trámites</button>"
        "<div class='acordeon-panel' hidden><p><a href='/tramites/'>Consultar</a></p></div></div>"
        "<a class='dropdown-toggle' aria-expanded='false' href='#'>Más</a><ul class='dropdown-menu'><li>x</li></ul>"
        "</body></html>"
    )
    facts = page(html, url="https://muni.test/")
    # the menu's toggle (nav) and a dropdown (no panel) are not; the panel's own heading is one level below its title
    assert facts.headings == [
        "Participación ciudadana",
        "Presupuesto participativo 2026",
        "Resultados",
        "Fracción XXIV. Trámites",
    ]
    assert facts.heading_levels == [1, 2, 3, 2]
    consult = next(link for link in facts.links if link.href.endswith("/tramites/"))
    assert (consult.text, consult.text_from) == ("Fracción XXIV. Trámites", "item")  # «Consultar» names nothing
