"""Applicability as data: the municipality's Art. 93 table read by its labels, and the decision it drives."""

from __future__ import annotations

from datetime import UTC, datetime

from auditors.applicability import Table, decide
from auditors.checks.portal import Portal
from crawler.portal import html_records, summarise
from models import ResourceArtifact
from models.artifact import PortalFormatArtifact
from rules.catalog import load_catalog

CATALOG = load_catalog()
URL = "https://www.ipomex.org.mx/ipo3/lgt/indice/MUNI/art_93_i.web"
TABLE = """<html><body><h3>Tablas de aplicabilidad</h3><table>
<tr><th>Artículo</th><th>FRACCIÓN</th><th>Inciso</th><th>¿Aplica?</th><th>Justificación</th></tr>
<tr><td>92</td><td>LI. Solicitudes a concesionarias</td><td></td><td>NO APLICA</td><td>Sin facultades (LFTR 189)</td></tr>
<tr><td>94</td><td>Fracción I, inciso e)</td><td></td><td>No aplica</td><td>Competencia estatal</td></tr>
<tr><td>94</td><td>I</td><td>h)</td><td>Sí aplica</td><td></td></tr>
<tr><td>94</td><td>I</td><td>j)</td><td>ver nota</td><td></td></tr>
<tr><td>92</td><td>???</td><td></td><td>No aplica</td><td></td></tr>
</table></body></html>"""


def portal_with(facts: PortalFormatArtifact, status: int = 200, error: str | None = None) -> Portal:
    resource = ResourceArtifact(
        url=URL,
        final_url=URL,
        status=status,
        error=error,
        portal_formats=[facts],
        fetched_at=datetime(2026, 11, 20, tzinfo=UTC),
    )
    return Portal([resource])


def test_the_table_is_read_by_its_labels_and_unclear_rows_stay_unclear():
    rows = summarise(html_records(TABLE), generation="ipo3", format="art_93_i").applicability
    assert [(r.article, r.fraction, r.letter, r.applies) for r in rows] == [
        ("92", "LI", None, False),
        ("94", "I", "e", False),
        ("94", "I", "h", True),
        ("94", "I", "j", None),
    ]
    assert "LFTR 189" in rows[0].text


def test_other_formats_have_no_applicability_rows():
    page = (
        "<table><tr><th>Nombre</th><th>Fecha de actualización</th></tr><tr><td>A</td><td>15/10/2026</td></tr></table>"
    )
    assert summarise(html_records(page), generation="ipo3", format="art_92_vii").applicability == []


def test_the_municipalitys_table_decides_and_cites_itself():
    table = Table(portal_with(summarise(html_records(TABLE), generation="ipo3", format="art_93_i")))
    li = decide(CATALOG.by_id["ltaipemym.92.LI.b"], table)  # a fraction row covers its formats
    assert li.applies is False and "Sin facultades" in li.message and li.evidence[0].url == URL
    assert decide(CATALOG.by_id["ltaipemym.94.I.h"], table).applies is True
    unclear = decide(CATALOG.by_id["ltaipemym.94.I.j"], table)  # «ver nota»: the default table decides
    assert unclear.applies is None and "no dice si aplica" in unclear.message
    assert decide(CATALOG.by_id["ltaipemym.92.I"], table).applies is True  # not in the table: applies


def test_an_unreadable_table_falls_back_to_the_default_and_says_why():
    broken = Table(portal_with(PortalFormatArtifact(generation="ipo3", format="art_93_i"), status=500))
    decision = decide(CATALOG.by_id["ltaipemym.94.I.e"], broken)
    assert decision.applies is None and "HTTP 500" in decision.message and "aplicabilidad.csv" in decision.message
    assert decide(CATALOG.by_id["ltaipemym.92.I"], Table(None)).applies is True
