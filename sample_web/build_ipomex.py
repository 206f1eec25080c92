"""Builds the IPOMEX replica of the sample web: 3.0 `.web` pages, Excel exports and the 4.0 app data.

We have not seen IPOMEX's real markup, so the replica varies it on purpose — tables, definition lists,
label/value blocks, paragraphs; header wordings with and without accents and in upper case; Excel
header rows at different offsets — and the crawler must read all of it by its visible labels.
Formats in every state: current, outdated, empty, "no aplica" with its Nota, missing (404), CAPTCHA
and WAF walls, server error (``error_paths`` in ``_site.json``). Run:
``.venv/bin/python -m sample_web.build_ipomex`` (deterministic output).
"""

from __future__ import annotations

import io
import json
from datetime import datetime
from html import escape
from pathlib import Path

from openpyxl import Workbook

from sample_web.build_documents import _fixed_zip

SITES = Path(__file__).resolve().parent / "sites"
PORTAL = SITES / "www.ipomex.org.mx.test"
APP = SITES / "infoem2.ipomex.org.mx.test"
FIXED = datetime(2026, 10, 31, 12, 0, 0)
EXCEL_NOTE = "Aclaración relativa a la información publicada y/o explicación por la falta de información: Nota"

CAPTCHA = """<!DOCTYPE html>
<html lang="es"><head><meta charset="utf-8"><title>IPOMEX - Verificación de seguridad</title>
<script src="https://www.google.com/recaptcha/api.js" async defer></script></head>
<body><h1>Verificación de seguridad</h1><p>Confirme que no es un robot para consultar la información.</p>
<form method="post" action="/ipo3/lgt/verifica.web"><div class="g-recaptcha" data-sitekey="6LcPortal"></div>
<button type="submit">Continuar</button></form></body></html>
"""
WAF = """<!DOCTYPE html>
<html><head><title>Request Rejected</title></head><body>The requested URL was rejected.
Please consult with your administrator.<br><br>Your support ID is: 9112883001736261453</body></html>
"""


def page(sujeto: str, heading: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="es"><head><meta charset="utf-8"><title>IPOMEX - {escape(sujeto)}</title></head>
<body><div id="cabecera"><h1>Información Pública de Oficio Mexiquense</h1><h2>{escape(sujeto)}</h2></div>
<div id="cuerpo"><h3>{escape(heading)}</h3>
<p>Periodo de actualización: Trimestral</p>
{body}
</div><div id="pie">Instituto de Transparencia, Acceso a la Información Pública y Protección de Datos
Personales del Estado de México y Municipios</div></body></html>
"""


def table(headers: list[str], rows: list[list[str]], export: str | None = None) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    link = f'<p><a href="{export}">Exportar a Excel</a></p>' if export else ""
    return f'<table border="1"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{link}'


def definition_lists(records: list[list[tuple[str, str]]]) -> str:
    return "".join(
        "<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rec) + "</dl><hr>" for rec in records
    )


def label_divs(records: list[list[tuple[str, str]]]) -> str:
    return "".join(
        '<div class="ficha">'
        + "".join(
            f'<div class="renglon"><span class="et">{escape(k)}:</span> <span>{escape(v)}</span></div>' for k, v in rec
        )
        + "</div>"
        for rec in records
    )


def paragraphs(records: list[list[tuple[str, str]]]) -> str:
    return "".join(
        "<div>" + "".join(f"<p><strong>{escape(k)}:</strong> {escape(v)}</p>" for k, v in rec) + "</div>"
        for rec in records
    )


def xlsx(path: Path, title_rows: list[str], header: list[str], rows: list[list]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Reporte de Formatos"
    for text in title_rows:
        ws.append([text])
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.properties.creator = "IPOMEX"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    buffer = io.BytesIO()
    wb.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_fixed_zip(buffer.getvalue()))


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


MARCO_HEADER = [
    "Tipo de normatividad (catálogo)",
    "Denominación de la norma",
    "Fecha de primera publicación (dd/mm/aaaa)",
    "Fecha última modificación",
    "Documento",
    "Fecha de actualización",
    "Fecha de validación",
    "Área o unidad administrativa responsable",
    EXCEL_NOTE,
]


def metepec() -> None:
    base = PORTAL / "ipo3/lgt/indice/METEPEC"
    sujeto = "Ayuntamiento de Metepec"
    marco = [
        [
            "Ley General",
            "Ley General de Transparencia y Acceso a la Información Pública",
            "04/05/2015",
            "20/03/2025",
            "https://www.diputados.gob.mx/LeyesBiblio/pdf/LGTAIP.pdf",
            "15/10/2026",
            "15/10/2026",
            "Dirección Jurídica",
            "",
        ],
        [
            "Bando",
            "Bando Municipal de Metepec 2026",
            "05/02/2026",
            "05/02/2026",
            "bando-2026.pdf",
            "15/10/2026",
            "15/10/2026",
            "Secretaría del Ayuntamiento",
            "",
        ],
    ]
    export = "/ipo/lgt/infoExcel/metepec/marcoJuridico/0/16.web"
    write(
        base / "art_92_i.web",
        page(sujeto, "Artículo 92 Fracción I - Normatividad Aplicable", table(MARCO_HEADER, marco, export)),
    )
    xlsx(
        PORTAL / "_exports/metepec_marco.xlsx",
        [],
        MARCO_HEADER,
        [r[:5] + [datetime(2026, 10, 15), datetime(2026, 10, 15)] + r[7:] for r in marco],
    )
    write(
        base / "organigramas.web",
        page(
            sujeto,
            "Artículo 92 Fracción II A - Estructura Orgánica",
            definition_lists(
                [
                    [
                        ("Denominación del área", "Presidencia Municipal"),
                        ("Denominación del puesto", "Presidenta Municipal"),
                        ("Periodo que se informa", "01/07/2026 al 30/09/2026"),
                        ("FECHA DE ACTUALIZACIÓN", "10/10/2026"),
                        ("FECHA DE VALIDACIÓN", "10/10/2026"),
                        ("ÁREA RESPONSABLE", "Dirección de Administración"),
                    ],
                    [
                        ("Denominación del área", "Tesorería Municipal"),
                        ("Denominación del puesto", "Tesorero Municipal"),
                        ("Periodo que se informa", "01/07/2026 al 30/09/2026"),
                        ("FECHA DE ACTUALIZACIÓN", "10/10/2026"),
                        ("FECHA DE VALIDACIÓN", "10/10/2026"),
                        ("ÁREA RESPONSABLE", "Dirección de Administración"),
                    ],
                ]
            ),
        ),
    )
    directory = [
        [
            "Presidencia",
            "Presidenta Municipal",
            "María Elena Robles",
            "722 275 1300",
            "01/07/2026",
            "30/09/2026",
            "12/10/2026",
            "12/10/2026",
            "Dirección de Administración",
            "",
        ],
        [
            "Tesorería",
            "Tesorero Municipal",
            "Jorge Arriaga Salas",
            "722 275 1310",
            "01/07/2026",
            "30/09/2026",
            "12/10/2026",
            "12/10/2026",
            "Dirección de Administración",
            "",
        ],
    ]
    write(
        base / "art_92_vii.web",
        page(
            sujeto,
            "Artículo 92 Fracción VII - Directorio",
            label_divs(
                [
                    [
                        ("Unidad administrativa", r[0]),
                        ("Cargo", r[1]),
                        ("Nombre", r[2]),
                        ("Teléfono", r[3]),
                        ("Fecha de Actualizacion", r[6]),
                        ("Fecha de Validacion", r[7]),
                        ("Area responsable", r[8]),
                    ]
                    for r in directory
                ]
            )
            + '<p><a href="/ipo/lgt/infoExcel/metepec/directorio/0/16.web">Descargar en Excel</a></p>',
        ),
    )
    xlsx(
        PORTAL / "_exports/metepec_directorio.xlsx",
        [
            "INFORMACIÓN PÚBLICA DE OFICIO MEXIQUENSE",
            "Ayuntamiento de Metepec",
            "Artículo 92 Fracción VII",
            "Directorio",
            "",
        ],
        [
            "Área de adscripción",
            "Cargo",
            "Nombre",
            "Teléfono",
            "Fecha de inicio del periodo que se informa",
            "Fecha de término del periodo que se informa",
            "Fecha de actualización",
            "Fecha de validación",
            "Área o unidad administrativa responsable",
            EXCEL_NOTE,
        ],
        directory,
    )
    write(
        base / "art_92_viii.web",
        page(
            sujeto,
            "Artículo 92 Fracción VIII - Remuneraciones",
            table(
                [
                    "Tipo de integrante",
                    "Denominación del puesto",
                    "Remuneración mensual bruta",
                    "Periodo que se informa",
                    "Fecha de Actualización de la Información",
                    "Fecha de validación",
                    "Área(s) responsable(s)",
                    "Nota",
                ],
                [
                    [
                        "Funcionario",
                        "Presidenta Municipal",
                        "98,500.00",
                        "01/10/2025 - 31/12/2025",
                        "15/01/2026",
                        "15/01/2026",
                        "Dirección de Recursos Humanos",
                        "",
                    ],
                    [
                        "Funcionario",
                        "Tesorero Municipal",
                        "76,200.00",
                        "01/10/2025 - 31/12/2025",
                        "15/01/2026",
                        "15/01/2026",
                        "Dirección de Recursos Humanos",
                        "",
                    ],
                ],
            ),
        ),
    )
    write(
        base / "art_92_ix.web",
        page(
            sujeto,
            "Artículo 92 Fracción IX - Gastos de representación y viáticos",
            table(
                [
                    "Tipo de integrante",
                    "Nombre",
                    "Importe ejercido",
                    "Fecha de actualización",
                    "Fecha de validación",
                    "Área responsable",
                    "Nota",
                ],
                [],
            )
            + "<p>No hay registros para mostrar.</p>",
        ),
    )
    write(
        base / "art_92_xiv_a.web",
        page(
            sujeto,
            "Artículo 92 Fracción XIV A - Programas de subsidios",
            paragraphs(
                [
                    [
                        ("Periodo", "01/07/2026 al 30/09/2026"),
                        ("Fecha de actualización", "05/10/2026"),
                        ("Fecha de validación", "05/10/2026"),
                        ("Área responsable", "Dirección de Desarrollo Social"),
                        (
                            "Nota",
                            "No aplica: en el periodo que se informa el Ayuntamiento no otorgó subsidios, estímulos ni "
                            "apoyos; no se generó información.",
                        ),
                    ]
                ]
            ),
        ),
    )
    write(base / "art_92_xiv_b.web", CAPTCHA)
    write(
        PORTAL / "ipo/lgt/indice/metepec/art_92_ii_b.web",
        page(
            sujeto,
            "Fracción II B - Organigrama",
            paragraphs(
                [
                    [
                        ("Hipervínculo al organigrama", "organigrama-2025-2027.pdf"),
                        ("Fecha de actualización", "10/10/2026"),
                        ("Fecha de validación", "10/10/2026"),
                        ("Área responsable", "Dirección de Administración"),
                    ]
                ]
            ),
        ),
    )
    # Art. 93: the municipality's own table of applicable fractions (rules/<edition>/aplicabilidad.csv is the fallback)
    write(
        base / "art_93_i.web",
        page(
            sujeto,
            "Artículo 93 Fracción I - Tablas de aplicabilidad y de actualización",
            table(
                ["Artículo", "Fracción", "Inciso", "Aplica / No aplica", "Justificación", "Fecha de actualización"],
                [
                    ["92", "XIV", "", "Aplica", "", "15/01/2026"],
                    [
                        "92",
                        "LI",
                        "",
                        "No aplica",
                        "El Ayuntamiento no tiene facultades para solicitar a concesionarias la "
                        "intervención de comunicaciones (LFTR arts. 189 y 190).",
                        "15/01/2026",
                    ],
                    [
                        "94",
                        "I",
                        "e)",
                        "No aplica",
                        "Las patentes de notario las otorga el Ejecutivo del Estado.",
                        "15/01/2026",
                    ],
                    [
                        "94",
                        "I",
                        "h)",
                        "No aplica",
                        "El Registro Civil depende del Gobierno del Estado de México.",
                        "15/01/2026",
                    ],
                    ["94", "I", "i)", "No aplica", "Competencia de la autoridad educativa estatal.", "15/01/2026"],
                    [
                        "94",
                        "I",
                        "j)",
                        "No aplica",
                        "El atlas estatal de riesgos lo elabora la Coordinación General de "
                        "Protección Civil del Estado.",
                        "15/01/2026",
                    ],
                    ["94", "I", "k)", "No aplica", "Información del Poder Ejecutivo del Estado.", "15/01/2026"],
                ],
            ),
        ),
    )
    links = [
        ("art_92_i", "I Normatividad Aplicable"),
        ("organigramas", "II A Estructura Orgánica"),
        ("art_92_vii", "VII Directorio"),
        ("art_92_viii", "VIII Remuneraciones"),
        ("art_92_ix", "IX Gastos de representación y viáticos"),
        ("art_92_xiv_a", "XIV A Programas de subsidios"),
        ("art_92_xiv_b", "XIV B Padrón de beneficiarios"),
        ("art_92_xxi", "XXI Información curricular"),
    ]
    items = "".join(f'<li><a href="METEPEC/{slug}.web">Fracción {escape(text)}</a></li>' for slug, text in links)
    items += '<li><a href="/ipo/lgt/indice/metepec/art_92_ii_b.web">Fracción II B Organigrama</a></li>'
    write(
        PORTAL / "ipo3/lgt/indice/METEPEC.web", page(sujeto, "Artículo 92 - Obligaciones comunes", f"<ul>{items}</ul>")
    )


def acambay() -> None:
    base = PORTAL / "ipo3/lgt/indice/ACAMBAY"
    sujeto = "Ayuntamiento de Acambay de Ruíz Castañeda"
    write(PORTAL / "ipo3/lgt/indice/ACAMBAY.web", CAPTCHA)
    write(
        base / "art_92_i.web",
        page(
            sujeto,
            "Fracción I. Normatividad aplicable",
            paragraphs(
                [
                    [
                        ("Denominación de la norma", "Bando Municipal de Acambay 2026"),
                        ("Fecha de publicación", "05/02/2026"),
                        ("Fecha de actualización", "30 de septiembre de 2026"),
                        ("Fecha de validación", "30 de septiembre de 2026"),
                        ("Área o unidad administrativa responsable", "Secretaría del Ayuntamiento"),
                    ]
                ]
            )
            + '<p><a href="/ipo/lgt/infoExcel/acambay/marcoJuridico/0/16.web">Excel</a></p>',
        ),
    )
    xlsx(
        PORTAL / "_exports/acambay_marco.xlsx",
        ["Ayuntamiento de Acambay", "Normatividad aplicable"],
        MARCO_HEADER,
        [
            [
                "Bando",
                "Bando Municipal de Acambay 2026",
                "05/02/2026",
                "05/02/2026",
                "bando.pdf",
                "30/09/2026",
                "30/09/2026",
                "Secretaría del Ayuntamiento",
                "",
            ]
        ],
    )
    write(
        base / "art_92_vii.web",
        page(
            sujeto,
            "Fracción VII. Directorio",
            table(
                [
                    "CARGO",
                    "NOMBRE",
                    "EXTENSIÓN",
                    "PERIODO",
                    "FECHA DE ACTUALIZACION",
                    "FECHA DE VALIDACION",
                    "AREA RESPONSABLE",
                    "NOTA",
                ],
                [
                    [
                        "Presidente Municipal",
                        "Pedro Garduño Cruz",
                        "101",
                        "2025 primer trimestre",
                        "30/04/2025",
                        "30/04/2025",
                        "Secretaría del Ayuntamiento",
                        "",
                    ]
                ],
            ),
        ),
    )
    write(
        base / "art_92_ix.web",
        page(
            sujeto,
            "Fracción IX. Viáticos",
            definition_lists(
                [
                    [
                        ("Periodo que se informa", "01/07/2026 - 30/09/2026"),
                        ("Fecha de actualización", "08/10/2026"),
                        ("Fecha de validación", "08/10/2026"),
                        ("Área responsable", "Tesorería Municipal"),
                        ("Nota", "No se generó información en el periodo: no se realizaron comisiones oficiales."),
                    ]
                ]
            ),
        ),
    )
    write(base / "art_92_xvi.web", WAF)


APP_JS = """// IPOMEX 4.0 replica: a hash-routed single-page app that builds its table from JSON.
(function () {
  function fecha(iso) { if (!iso) { return ""; } var p = iso.split("-"); return p[2] + "/" + p[1] + "/" + p[0]; }
  function cell(row, text) { var td = document.createElement("td"); td.textContent = text; row.appendChild(td); }
  function render() {
    var app = document.getElementById("app");
    var m = location.hash.match(/^#\\/obligaciones\\/(\\d+)/);
    if (!m) { app.textContent = "Seleccione un sujeto obligado."; return; }
    fetch("api/obligaciones/" + m[1] + ".json").then(function (r) { return r.json(); }).then(function (data) {
      app.innerHTML = "";
      var h = document.createElement("h2"); h.textContent = data.sujeto + " - Obligaciones de transparencia";
      app.appendChild(h);
      var t = document.createElement("table"), head = document.createElement("tr");
      ["Artículo / fracción", "Formato", "Descripción", "Número de registros", "Periodo que se informa",
       "Fecha de actualización", "Fecha de validación", "Área responsable", "Nota"].forEach(function (x) {
        var th = document.createElement("th"); th.textContent = x; head.appendChild(th); });
      t.appendChild(head);
      data.o.forEach(function (o) {
        var tr = document.createElement("tr");
        cell(tr, "Artículo " + o.art + ", fracción " + o.fr); cell(tr, o.fmt || "—"); cell(tr, o.desc);
        cell(tr, String(o.n)); cell(tr, o.per); cell(tr, fecha(o.fa)); cell(tr, fecha(o.fv)); cell(tr, o.ar);
        cell(tr, o.nota || ""); t.appendChild(tr);
      });
      app.appendChild(t);
    });
  }
  window.addEventListener("hashchange", render);
  render();
})();
"""
APP_HTML = """<!DOCTYPE html>
<html lang="es"><head><meta charset="utf-8"><title>IPOMEX 4.0</title></head>
<body><div id="app"><noscript>Para consultar IPOMEX habilite JavaScript.</noscript>Cargando…</div>
<script src="app.js"></script></body></html>
"""
METEPEC_4 = {
    "sujeto": "Ayuntamiento de Metepec",
    "o": [
        {
            "art": 92,
            "fr": "XI",
            "fmt": None,
            "desc": "Contrataciones por honorarios",
            "n": 14,
            "per": "01/07/2026 - 30/09/2026",
            "fa": "2026-10-14",
            "fv": "2026-10-15",
            "ar": "Dirección de Administración",
        },
        {
            "art": 92,
            "fr": "XXII",
            "fmt": None,
            "desc": "Servidores públicos sancionados",
            "n": 0,
            "per": "01/07/2026 - 30/09/2026",
            "fa": "2026-10-14",
            "fv": "2026-10-15",
            "ar": "Contraloría Municipal",
            "nota": "No se generó información: en el periodo no hubo servidores públicos con sanciones firmes.",
        },
        {
            "art": 92,
            "fr": "XXIV",
            "fmt": None,
            "desc": "Trámites, requisitos y formatos",
            "n": 37,
            "per": "01/07/2026 - 30/09/2026",
            "fa": "2026-10-20",
            "fv": "2026-10-21",
            "ar": "Dirección de Gobierno Digital",
        },
        {
            "art": 92,
            "fr": "VIII",
            "fmt": None,
            "desc": "Remuneraciones",
            "n": 120,
            "per": "01/10/2025 - 31/12/2025",
            "fa": "2026-01-15",
            "fv": "2026-01-15",
            "ar": "Recursos Humanos",
        },
    ],
}


def app() -> None:
    write(APP / "ipomex/index.html", APP_HTML)
    write(APP / "ipomex/app.js", APP_JS)
    write(APP / "ipomex/api/obligaciones/146.json", json.dumps(METEPEC_4, ensure_ascii=False, indent=1))


def site_config() -> None:
    routes = {
        "/ipo/lgt/infoExcel/metepec/marcoJuridico/0/16.web": "_exports/metepec_marco.xlsx",
        "/ipo/lgt/infoExcel/metepec/directorio/0/16.web": "_exports/metepec_directorio.xlsx",
        "/ipo/lgt/infoExcel/acambay/marcoJuridico/0/16.web": "_exports/acambay_marco.xlsx",
    }
    config = {"routes": routes, "error_paths": {"/ipo3/lgt/indice/METEPEC/art_92_xxi.web": 500}}
    write(PORTAL / "_site.json", json.dumps(config, indent=2) + "\n")


if __name__ == "__main__":
    metepec()
    acambay()
    app()
    site_config()
