"""(Re)generate the binary documents of the sample web (PDF and XLSX).

Run from the repository root:

    .venv/bin/python -m sample_web.build_documents

Output is deterministic (fixed dates, reportlab ``invariant=1``, fixed
openpyxl properties and ZIP timestamps), so re-running it leaves the tree
unchanged. The documents are invented; names of officials are fictitious.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab import rl_config
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

SITES = Path(__file__).resolve().parent / "sites"
METEPEC = SITES / "www.metepec.gob.mx.test" / "wp-content" / "uploads"
ACAMBAY = SITES / "acambay.gob.mx.test" / "images" / "pdf"
FIXED = dt.datetime(2026, 10, 31, 12, 0, 0)

rl_config.invariant = 1
STYLES = getSampleStyleSheet()


def pdf(path: Path, title: str, author: str, blocks: list) -> None:
    """Write a PDF; blocks are strings (paragraphs), ("h", text) headings or lists (tables)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    story = []
    for block in blocks:
        if isinstance(block, tuple):
            story.append(Paragraph(block[1], STYLES["Heading2"]))
        elif isinstance(block, list):
            story.append(Table(block, hAlign="LEFT"))
            story.append(Spacer(1, 8))
        else:
            story.append(Paragraph(block, STYLES["BodyText"]))
    doc = SimpleDocTemplate(
        str(path), pagesize=letter, title=title, author=author, creator="Microsoft Word", invariant=1
    )
    doc.build([Paragraph(title, STYLES["Title"])] + story)


def _fixed_zip(data: bytes) -> bytes:
    """Re-pack an OOXML file with fixed timestamps and a fixed modified date."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            content = src.read(name)
            if name == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-10-31T12:00:00Z", content)
            info = zipfile.ZipInfo(name, date_time=FIXED.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, content)
    return out.getvalue()


def xlsx(path: Path, title: str, header: list, rows: list, note: str) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Remuneraciones"
    ws.append([title])
    ws["A1"].font = Font(bold=True)
    ws.append([note])
    ws.append([])
    ws.append(header)
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    wb.properties.creator = "Tesorería Municipal"
    wb.properties.title = title
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    buffer = io.BytesIO()
    wb.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_fixed_zip(buffer.getvalue()))


def metepec() -> None:
    ayto = "H. Ayuntamiento de Metepec"
    pdf(
        METEPEC / "2026/02/bando-municipal-metepec-2026.pdf",
        "BANDO MUNICIPAL DE METEPEC 2026",
        ayto,
        [
            "El H. Ayuntamiento Constitucional de Metepec, Estado de México, 2025-2027, en "
            "ejercicio de las facultades que le confieren los artículos 115 de la Constitución "
            "Política de los Estados Unidos Mexicanos, 123 y 124 de la Constitución Política del "
            "Estado Libre y Soberano de México y 31 fracción I de la Ley Orgánica Municipal, "
            "expide el siguiente:",
            ("h", "TÍTULO PRIMERO. DEL MUNICIPIO"),
            "Artículo 1. El presente Bando es de orden público y de observancia general en el "
            "territorio del Municipio de Metepec.",
            "Artículo 2. El Municipio de Metepec es parte integrante de la división territorial "
            "y de la organización política y administrativa del Estado de México.",
            ("h", "TRANSITORIOS"),
            "PRIMERO. Publíquese en la Gaceta Municipal. SEGUNDO. El presente Bando entrará en "
            "vigor el día de su publicación.",
            "Dado en el Salón de Cabildos del Palacio Municipal, Metepec, Estado de México, a 5 de febrero de 2026.",
        ],
    )
    pdf(
        METEPEC / "2026/01/presupuesto-de-egresos-2026.pdf",
        "Presupuesto de Egresos Municipal para el Ejercicio Fiscal 2026",
        "Tesorería Municipal",
        [
            "Con fundamento en el artículo 285 del Código Financiero del Estado de México y "
            "Municipios, el Ayuntamiento aprobó en la Sexagésima Sesión Ordinaria de Cabildo el "
            "Presupuesto de Egresos para el ejercicio fiscal 2026.",
            [
                ["Capítulo", "Concepto", "Importe (pesos)"],
                ["1000", "Servicios personales", "812,450,300.00"],
                ["2000", "Materiales y suministros", "96,310,000.00"],
                ["3000", "Servicios generales", "214,780,500.00"],
                ["4000", "Transferencias, asignaciones, subsidios", "88,120,000.00"],
                ["6000", "Inversión pública", "301,900,000.00"],
                ["", "TOTAL", "1,513,560,800.00"],
            ],
            "Toluca, Estado de México, a 15 de enero de 2026.",
            "Fecha de actualización: 31/03/2026. Área responsable: Tesorería Municipal.",
        ],
    )
    pdf(
        METEPEC / "2025/03/plan-de-desarrollo-municipal-2025-2027.pdf",
        "Plan de Desarrollo Municipal de Metepec 2025-2027",
        ayto,
        [
            "Presentación. El Plan de Desarrollo Municipal 2025-2027 es el instrumento rector de "
            "la planeación del gobierno municipal, elaborado con la participación de la "
            "ciudadanía a través de foros de consulta popular.",
            ("h", "Pilar 1 Social: Municipio socialmente responsable, solidario e incluyente"),
            ("h", "Pilar 2 Económico: Municipio competitivo, productivo e innovador"),
            ("h", "Pilar 3 Territorial: Municipio ordenado, sustentable y resiliente"),
            ("h", "Pilar 4 Seguridad: Municipio con seguridad y justicia"),
            "Aprobado en sesión de Cabildo, Metepec, Estado de México, a 27 de marzo de 2025.",
        ],
    )
    gacetas = [
        (
            "01",
            "15 de enero de 2026",
            "Acuerdo por el que se aprueba el calendario de sesiones ordinarias de Cabildo para el año 2026.",
        ),
        ("05", "5 de febrero de 2026", "Publicación del Bando Municipal de Metepec 2026."),
        (
            "31",
            "30 de septiembre de 2026",
            "Convocatoria a la consulta de Presupuesto "
            "Participativo 2027 y lineamientos de los Comités Ciudadanos de Control y Vigilancia.",
        ),
    ]
    for number, date, summary in gacetas:
        month = {"enero": "01", "febrero": "02", "septiembre": "09"}[date.split(" de ")[1]]
        pdf(
            METEPEC / f"2026/{month}/gaceta-municipal-no-{number}-2026.pdf",
            f"GACETA MUNICIPAL. Año 2, Número {int(number)}",
            ayto,
            [
                f"Órgano oficial de difusión del H. Ayuntamiento de Metepec. Metepec, Estado de México, {date}.",
                ("h", "SUMARIO"),
                summary,
                "Secretaría del Ayuntamiento. Fecha de publicación: " + date + ".",
            ],
        )
    pdf(
        METEPEC / "2026/10/acta-sesion-ordinaria-cabildo-88.pdf",
        "Acta de la Octogésima Octava Sesión Ordinaria de Cabildo",
        "Secretaría del Ayuntamiento",
        [
            "En el Municipio de Metepec, Estado de México, siendo las 10:00 horas del día 8 de "
            "octubre de 2026, en el Salón de Cabildos, se reunieron los integrantes del H. "
            "Ayuntamiento.",
            ("h", "1. Lista de asistencia y declaración de quórum"),
            [
                ["Integrante", "Cargo", "Asistencia"],
                ["Mtra. Alejandra Ruiz Ortega", "Presidenta Municipal", "Presente"],
                ["Lic. Tomás Villegas Cruz", "Síndico Municipal", "Presente"],
                ["C. Rosa María Becerril", "Primera Regidora", "Presente"],
                ["Ing. Hugo Salgado Pérez", "Segundo Regidor", "Ausente (justificada)"],
                ["Lic. Diana Mercado Solís", "Tercera Regidora", "Presente"],
            ],
            ("h", "4. Aprobación de la cuenta pública del tercer trimestre"),
            "Sometido a votación, el punto se aprobó por mayoría con 11 votos a favor, 1 en contra y 0 abstenciones.",
            "Se levanta la sesión a las 12:40 horas del 8 de octubre de 2026.",
        ],
    )
    pdf(
        METEPEC / "2026/01/formato-licencia-de-funcionamiento.pdf",
        "Solicitud de Licencia de Funcionamiento (bajo impacto)",
        "Dirección de Desarrollo Económico",
        [
            "Nombre o razón social: ________________________________",
            "Domicilio del establecimiento: ___________________________",
            "Giro comercial: _________________  Superficie (m2): ________",
            "Requisitos: identificación oficial, comprobante de domicilio, croquis de ubicación, pago de derechos.",
            "Fecha de actualización: 31/03/2026.",
        ],
    )
    xlsx(
        METEPEC / "2026/10/tabulador-remuneraciones-2026.xlsx",
        "Tabulador de sueldos y remuneraciones 2026 - Ayuntamiento de Metepec",
        ["Nivel", "Puesto", "Sueldo base mensual bruto", "Compensación", "Total bruto mensual", "Total neto mensual"],
        [
            [1, "Presidente(a) Municipal", 98500, 0, 98500, 74210],
            [2, "Síndico(a)", 76300, 0, 76300, 58940],
            [3, "Regidor(a)", 64800, 0, 64800, 50620],
            [4, "Director(a) de Área", 52100, 3500, 55600, 44010],
            [5, "Jefe(a) de Departamento", 28400, 1800, 30200, 25390],
            [6, "Auxiliar administrativo", 11900, 0, 11900, 10880],
        ],
        "Fecha de actualización: 30/09/2026. Periodo: tercer trimestre 2026.",
    )


def acambay() -> None:
    ayto = "H. Ayuntamiento de Acambay de Ruíz Castañeda"
    pdf(
        ACAMBAY / "BANDO_MUNICIPAL_2023.pdf",
        "BANDO MUNICIPAL DE ACAMBAY DE RUÍZ CASTAÑEDA 2023",
        ayto,
        [
            "El Ayuntamiento Constitucional de Acambay de Ruíz Castañeda 2022-2024 expide el presente Bando Municipal.",
            "Artículo 1. Las disposiciones de este Bando son de orden público e interés social.",
            "Acambay de Ruíz Castañeda, Estado de México, a 5 de febrero de 2023.",
        ],
    )
    pdf(
        ACAMBAY / "PDM_2022-2024.pdf",
        "PLAN DE DESARROLLO MUNICIPAL 2022-2024",
        ayto,
        [
            "Mensaje del Presidente Municipal. Con este Plan de Desarrollo Municipal 2022-2024 "
            "establecemos los objetivos, estrategias y líneas de acción de la administración.",
            "Acambay de Ruíz Castañeda, Estado de México, a 29 de marzo de 2022.",
        ],
    )
    pdf(
        ACAMBAY / "gaceta" / "GACETA_No_18_2024.pdf",
        "Gaceta Municipal No. 18",
        ayto,
        [
            "Órgano informativo del Ayuntamiento de Acambay de Ruíz Castañeda, Estado de México.",
            "Acuerdos de Cabildo de la sesión ordinaria del 7 de noviembre de 2024.",
            "Fecha de publicación: 15 de noviembre de 2024.",
        ],
    )


if __name__ == "__main__":
    metepec()
    acambay()
    print("Documentos generados en", SITES)
