"""auditors/periods.py: periods reported, what is due by the cut-off date, and the judgement in Spanish."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from auditors.checks.portal import Portal, check_portal
from auditors.periods import Period, expected, filename_text, found, judge, read_periods, required_ejercicios
from models import ResourceArtifact, Rule, Status
from models.artifact import PortalFormatArtifact
from models.rule import Currency, Retention

CORTE = date(2026, 11, 24)
QUARTERLY = Currency(period="trimestral", due_days=30)
SEMIANNUAL = Currency(period="semestral", due_days=30)
BANDO = Currency(period="anual", due_days=35, judged_on="in_force", amendments=["reforma", "reformas"])
PDM = Currency(period="trienal", due_days=120, judged_on="in_force")
NEWS = Currency(period="trimestral", due_days=0, judged_on="recency")


def labels(text: str, cutoff: date = CORTE) -> list[str]:
    return [p.label() for p in read_periods(text, cutoff).periods]


@pytest.mark.parametrize(
    ("text", "expected_labels"),
    [
        ("Directorio 4º trimestre 2025", ["4º trimestre 2025"]),
        ("Directorio 4° trimestre del ejercicio 2025", ["4º trimestre 2025"]),
        ("REMUNERACIONES SEGUNDO TRIMESTRE 2026", ["2º trimestre 2026"]),
        ("Remuneraciones T2 2026", ["2º trimestre 2026"]),
        ("remuneraciones_2t_2026", ["2º trimestre 2026"]),
        ("2026-T3 nómina", ["3er trimestre 2026"]),
        ("Trimestre 3 2026", ["3er trimestre 2026"]),
        ("Adjudicaciones Directas 3er. Trimestre 2026", ["3er trimestre 2026"]),
        ("Donativos 2do. Semestre 2025", ["2º semestre 2025"]),
        ("Informe enero-marzo 2026", ["1er trimestre 2026"]),
        ("Informe de enero a junio de 2026", ["1er semestre 2026"]),
        ("1er semestre de 2026", ["1er semestre 2026"]),
        ("2026 S2", ["2º semestre 2026"]),
        ("Periodo que se informa: 01/07/2026 al 30/09/2026", ["3er trimestre 2026"]),
        ("01/07/2026 - 30/09/2026", ["3er trimestre 2026"]),
        ("2026-04-01 - 2026-06-30", ["2º trimestre 2026"]),
        ("15/03/2026 al 20/05/2026", ["15/03/2026 al 20/05/2026"]),
        ("BALANZA DE COMPROBACIÓN DEL 01 DE ENERO AL 31 DE DICIEMBRE DEL 2024", ["ejercicio 2024"]),
        ("Informe del 1o. de julio al 30 de septiembre de 2025", ["3er trimestre 2025"]),
        ("del 15 de marzo de 2025 al 20 de mayo de 2026", ["15/03/2025 al 20/05/2026"]),
        ("REPORTE ANALÍTICO DE EGRESOS AL 30 DE SEPTIEMBRE DE 2024", ["01/01/2024 al 30/09/2024"]),
        ("Estado de situación financiera al 31 de marzo de 2026", ["1er trimestre 2026"]),
        ("Entréguese a más tardar al 31 de diciembre de 2026", []),  # a deadline, not what is reported
        ("Gaceta octubre 2026", ["octubre 2026"]),
        ("Cuenta Pública 2025", ["ejercicio 2025"]),
        ("Ejercicio fiscal 2025", ["ejercicio 2025"]),
        ("Plan de Desarrollo Municipal 2025-2027", ["2025-2027"]),
        ("bando-municipal-2026", ["ejercicio 2026"]),
        # a date dates a publication; it names no period (its year is not an ejercicio)
        ("Publicado el 15 de octubre de 2026", []),
        ("Fecha de actualización: 15/10/2026", []),
    ],
)
def test_periods_named_in_titles_file_names_and_text(text, expected_labels):
    assert labels(text) == expected_labels


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("quinto trimestre 2026", "no es un trimestre válido"),
        ("Trimestre 7 2026", "no es un trimestre válido"),
        ("3er semestre 2026", "no es un semestre válido"),
        ("31/02/2026 al 30/03/2026", "no es una fecha o periodo válido"),
        ("30/09/2026 al 01/07/2026", "termina antes de empezar"),
        ("diciembre-enero 2026", "orden inverso"),
        ("segundo trimestre", "sin año"),
        ("T3", "sin año"),
        ("tercer trimestre, comparado con 2024 y 2025", "varios"),
        ("Agenda 2030", "posterior a la fecha de corte"),
        ("4º trimestre 2027", "posterior a la fecha de corte"),
        ("Periodo 2019-2031", "no es un periodo de años válido"),
    ],
)
def test_malformed_or_unusable_periods_give_a_clear_note(text, note):
    reading = read_periods(text, CORTE)
    assert not [p for p in reading.periods if p.kind != "ejercicio"]
    assert any(note in n for n in reading.notes), reading.notes


@pytest.mark.parametrize(
    "junk",
    [None, "", "   ", "////", "T", "20", "99/99/9999 - 00/00/0000", "trimestre" * 3000, "\x00\ufffd 2026-13-45", 12345],
)
def test_junk_never_raises(junk):
    read_periods(junk, CORTE)  # no exception
    assert judge(QUARTERLY, [found(QUARTERLY, [("título", junk)], ["no-es-fecha", "2026-02-30"], CORTE)], CORTE)


def test_a_quarter_without_year_takes_the_only_year_of_its_text():
    assert labels("Tercer trimestre · Ejercicio 2026") == ["3er trimestre 2026"]


@pytest.mark.parametrize(
    ("currency", "cutoff", "wanted", "due"),
    [
        (QUARTERLY, CORTE, "3er trimestre 2026", date(2026, 10, 30)),
        (QUARTERLY, date(2026, 10, 29), "2º trimestre 2026", date(2026, 7, 30)),
        (QUARTERLY, date(2026, 3, 15), "4º trimestre 2025", date(2026, 1, 30)),
        (SEMIANNUAL, CORTE, "1er semestre 2026", date(2026, 7, 30)),
        (SEMIANNUAL, date(2027, 1, 30), "2º semestre 2026", date(2027, 1, 30)),
        (Currency(period="anual", due_days=120), CORTE, "ejercicio 2025", date(2026, 4, 30)),
        (BANDO, date(2027, 2, 4), "ejercicio 2026", date(2026, 2, 5)),
        (BANDO, date(2027, 2, 5), "ejercicio 2027", date(2027, 2, 5)),
        (PDM, CORTE, "2025-2027", date(2025, 5, 1)),
        (PDM, date(2028, 6, 1), "2028-2030", date(2028, 4, 30)),
        (Currency(period="mensual", due_days=30), CORTE, "septiembre 2026", date(2026, 10, 30)),
    ],
)
def test_the_last_period_due_by_the_cutoff(currency, cutoff, wanted, due):
    period, due_on = expected(currency, cutoff)
    assert (period.label(), due_on) == (wanted, due)


def test_a_quarter_past_its_due_date_is_outdated_and_says_which_period_it_found_and_expected():
    verdict = judge(QUARTERLY, [found(QUARTERLY, [("título", "Directorio 2º trimestre 2026")], [], CORTE)], CORTE)
    assert verdict.current is False
    assert verdict.message.startswith(
        "último periodo publicado: 2º trimestre 2026; se esperaba 3er trimestre 2026, exigible desde 2026-10-30"
    )


def test_the_last_quarter_of_last_year_is_current_until_the_first_quarter_is_due():
    """«Directorio 4º trimestre 2025» used to expire on 2026-01-30: the 1st quarter is due on 2026-04-30."""
    directory = [("título", "Directorio 4º trimestre 2025")]
    assert judge(QUARTERLY, [found(QUARTERLY, directory, [], date(2026, 3, 15))], date(2026, 3, 15)).current is True
    assert judge(QUARTERLY, [found(QUARTERLY, directory, [], date(2026, 5, 2))], date(2026, 5, 2)).current is False


def test_the_running_ejercicio_does_not_say_which_period_is_reported():
    """«Remuneraciones 2026» used to be current into 2027 though no semester was identified."""
    verdict = judge(SEMIANNUAL, [found(SEMIANNUAL, [("título", "Remuneraciones 2026")], [], CORTE)], CORTE)
    assert verdict.current is None
    assert "vigencia no verificable" in verdict.message and "periodo en curso" in verdict.message


def test_text_of_the_document_gives_the_period_when_the_title_does_not():
    finding = found(
        SEMIANNUAL,
        [
            ("título", "Remuneraciones 2026"),
            ("texto del documento", "Periodo que se informa: 01/01/2026 al 30/06/2026"),
        ],
        [],
        CORTE,
    )
    assert judge(SEMIANNUAL, [finding], CORTE).current is True


def test_years_and_dates_after_the_cutoff_never_count():
    agenda = found(QUARTERLY, [("título", "Agenda 2030")], ["2027-01-01"], CORTE)
    assert agenda.period is None and judge(QUARTERLY, [agenda], CORTE).current is None


def test_no_period_and_no_date_is_not_verifiable():
    verdict = judge(QUARTERLY, [found(QUARTERLY, [("título", "Marco normativo")], [], CORTE)], CORTE)
    assert verdict.current is None
    assert "vigencia no verificable" in verdict.message and "3er trimestre 2026" in verdict.message


def test_a_date_stands_for_the_last_period_ended_by_then():
    dated = found(QUARTERLY, [("título", "Marco normativo")], ["2026-10-01"], CORTE)
    assert dated.period.label() == "3er trimestre 2026"
    verdict = judge(QUARTERLY, [dated], CORTE)
    assert verdict.current is True and "inferido de la fecha 01/10/2026" in verdict.message
    early = found(QUARTERLY, [("título", "Marco normativo")], ["2026-09-15"], CORTE)
    assert early.period.label() == "2º trimestre 2026"


def test_an_amendment_published_this_year_keeps_an_older_in_force_document_current():
    """LOMEM art. 160: the Bando *or its amendments* are published each 5 February."""
    old = [("título", "Bando Municipal 2024")]
    assert judge(BANDO, [found(BANDO, old, ["2026-02-05"], CORTE)], CORTE).current is False
    amended = found(BANDO, old, ["2026-02-05"], CORTE, amended=True)
    verdict = judge(BANDO, [amended], CORTE)
    assert verdict.current is True and "fecha de reforma 05/02/2026" in verdict.message


def test_the_plan_of_the_administration_in_office_is_current():
    assert judge(PDM, [found(PDM, [("título", "PDM 2025-2027")], [], CORTE)], CORTE).current is True
    assert judge(PDM, [found(PDM, [("título", "PDM 2022-2024")], [], CORTE)], CORTE).current is False


def test_news_are_judged_on_their_newest_date():
    assert judge(NEWS, [found(NEWS, [], ["2026-09-10"], CORTE)], CORTE).current is True
    assert judge(NEWS, [found(NEWS, [], ["2026-07-01"], CORTE)], CORTE).current is False
    assert judge(NEWS, [found(NEWS, [], [], CORTE)], CORTE).current is None


def test_a_span_of_years_still_running_is_not_a_news_items_date():
    titled = [("título", "Foros de consulta y su alineación al Plan Estatal de Desarrollo 2022-2028")]
    verdict = judge(NEWS, [found(NEWS, titled, ["2026-05-02"], CORTE)], CORTE)
    assert verdict.current is False and verdict.found == Period(date(2026, 5, 2), date(2026, 5, 2), "fecha")


def test_an_administrations_term_is_not_the_period_a_report_covers():
    """«H. Ayuntamiento 2022-2024» by the signatures of a 2023 statement made it current for the whole term."""
    sealed = [("texto", "ESTADO DE SITUACIÓN FINANCIERA Tesorería Municipal, administración 2022-2024")]
    finding = found(QUARTERLY, sealed, [], CORTE)
    assert finding.period is None and "«2022-2024» abarca varios años" in " ".join(finding.notes)
    plan = found(PDM, [("título", "Plan de Desarrollo Municipal 2025-2027")], [], CORTE)
    assert plan.period == Period(date(2025, 1, 1), date(2027, 12, 31), "años")  # a plan's span is its period


def test_the_best_of_several_publications_counts():
    publications = [
        found(QUARTERLY, [("título", t)], [], CORTE)
        for t in ("Directorio 1er trimestre 2026", "Directorio 3er trimestre 2026", "Directorio 2025")
    ]
    verdict = judge(QUARTERLY, publications, CORTE)
    assert verdict.current is True and verdict.found == Period(date(2026, 7, 1), date(2026, 9, 30), "trimestre")


def test_file_names_are_read_without_their_extension():
    assert filename_text("http://m.test/docs/Remuneraciones%202T%202026.pdf?x=1") == "Remuneraciones 2T 2026"
    assert labels(filename_text("http://m.test/docs/directorio_t3_2026.xlsx")) == ["3er trimestre 2026"]


# --- IPOMEX: the «periodo que se informa» column -----------------------------------------------------


def _portal(**facts) -> Portal:
    url = "https://www.ipomex.org.mx/ipo3/lgt/indice/MUNI/art_92_vii.web"
    resource = ResourceArtifact(
        url=url,
        final_url=url,
        status=200,
        fetched_at=datetime(2026, 11, 24, tzinfo=UTC),
        portal_formats=[PortalFormatArtifact(generation="ipo3", format="art_92_vii", records=12, **facts)],
    )
    return Portal([resource])


DIRECTORY = Rule.model_validate(
    {
        "id": "ltaipemym.92.VII",
        "title": "Directorio",
        "dimension": "transparencia",
        "basis": {"law": "LTAIPEMyM", "article": "92", "fraction": "VII"},
        "review_note": "Revisar",
        "ipomex_format": "art_92_vii",
        "currency": {"period": "trimestral", "due_days": 30},
        "check": {"kind": "publication", "terms": ["directorio"]},
    }
)


def test_portal_period_reported_beats_a_recent_update_date():
    """Updated in October, but the records report the 2nd quarter: the 3rd was due on 2026-10-30."""
    outcome = check_portal(DIRECTORY, _portal(periods=["01/04/2026 - 30/06/2026"], updated=["2026-10-15"]), CORTE)
    assert outcome.status is Status.PARTIAL
    assert "último periodo publicado: 2º trimestre 2026; se esperaba 3er trimestre 2026" in outcome.message


def test_portal_current_period_is_compliant_and_unreadable_period_is_not_verifiable_currency():
    current = check_portal(DIRECTORY, _portal(periods=["01/07/2026 - 30/09/2026"]), CORTE)
    assert current.status is Status.COMPLIANT and "3er trimestre 2026" in current.message
    unreadable = check_portal(DIRECTORY, _portal(periods=["periodo: ???"]), CORTE)
    assert unreadable.status is Status.PARTIAL and "vigencia no verificable" in unreadable.message


def test_a_bare_year_in_running_text_is_not_the_period_reported():
    """A document citing «Ley … de 2017» in its first paragraph and dated October 2026 reports the 3rd quarter."""
    body = (
        "texto del documento",
        "Con fundamento en la Ley Orgánica Municipal, reformada en 2017, se publica el marco.",
    )
    assert judge(QUARTERLY, [found(QUARTERLY, [body], ["2026-10-05"], CORTE)], CORTE).current is True
    named = ("texto del documento", "Informe del ejercicio fiscal 2025")
    assert found(QUARTERLY, [named], ["2026-10-05"], CORTE).period.label() == "ejercicio 2025"


KEPT = Currency(
    period="trimestral", due_days=30, retention=Retention(previous=2, source="LTG", source_tag="unconfirmed")
)


@pytest.mark.parametrize(
    ("cutoff", "years"),
    [
        (CORTE, [2026, 2025, 2024]),  # the 3rd quarter of 2026 is due: the ejercicio en curso and the two before
        (date(2026, 2, 20), [2025, 2024]),  # nothing of 2026 is due yet
        (date(2026, 5, 5), [2026, 2025, 2024]),  # the 1st quarter of 2026 became due on 30 April
    ],
)
def test_the_ejercicios_to_keep_published(cutoff, years):
    assert required_ejercicios(KEPT, cutoff) == years
    assert required_ejercicios(QUARTERLY, cutoff) == []  # no conservation declared: nothing required


def _published(*titles: str, cutoff: date = CORTE):
    return [found(KEPT, [("título", title)], [], cutoff) for title in titles]


def test_missing_earlier_ejercicios_make_a_current_publication_incomplete():
    judgement = judge(KEPT, _published("Adjudicaciones 3er trimestre 2026"), CORTE)
    assert judgement.current is False and judgement.shortfall == "incompleto"
    assert judgement.missing == [2025, 2024]
    assert "conservación: ejercicio 2026 publicado; faltan 2025 y 2024" in judgement.message


def test_every_required_ejercicio_published_is_current_and_says_so():
    titles = ("Adjudicaciones 3er trimestre 2026", "Adjudicaciones ejercicio 2025", "Adjudicaciones 4T 2024")
    judgement = judge(KEPT, _published(*titles), CORTE)
    assert judgement.current is True and judgement.missing == []
    assert "conservación: ejercicios 2026, 2025 y 2024 publicados" in judgement.message


def test_an_outdated_publication_is_outdated_before_it_is_incomplete():
    judgement = judge(KEPT, _published("Adjudicaciones 2º trimestre 2026"), CORTE)
    assert judgement.current is False and judgement.shortfall == "desactualizado"
    assert "faltan 2025 y 2024" in judgement.message


def test_one_publication_covering_several_ejercicios_counts_for_each():
    """An IPOMEX format lists the periods of all its records: each period keeps its ejercicio."""
    records = ["01/07/2026 - 30/09/2026", "01/10/2025 - 31/12/2025", "01/01/2024 - 31/03/2024"]
    reported = found(KEPT, [("periodo que se informa", p) for p in records], [], CORTE)
    assert judge(KEPT, [reported], CORTE).missing == []


def test_a_malformed_period_in_a_published_document_gives_a_finding_with_its_note():
    """«Quinto trimestre» and «31/02/2026» are no periods: the audit goes on, the finding is partial
    («vigencia no verificable») and names what it could not read."""
    from auditors.runner import audit_site
    from auditors.site import Site
    from models import DocumentArtifact, Link, PageArtifact

    base, when = "http://m.test/", datetime(2026, 11, 20, tzinfo=UTC)
    doc = base + "docs/directorio.pdf"
    home = PageArtifact(title="Inicio", links=[Link(href=doc, text="Directorio quinto trimestre 2026", context="nav")])
    body = DocumentArtifact(kind="pdf", title="Directorio", text="Periodo: 31/02/2026 al 31/03/2026. Nombre, cargo.")
    site = Site(
        [
            ResourceArtifact(url=base, final_url=base, status=200, fetched_at=when, is_home=True, page=home),
            ResourceArtifact(url=doc, final_url=doc, status=200, fetched_at=when, document=body),
        ],
        base,
    )
    [finding] = audit_site([DIRECTORY], site, CORTE)
    assert finding.status is Status.PARTIAL and "vigencia no verificable" in finding.message
    assert "«quinto trimestre 2026» no es un trimestre válido" in finding.message


def test_the_verdict_does_not_depend_on_the_order_the_crawl_stored_the_publications():
    """Documents are extracted in parallel, so their storage order varies from night to night; the message may not."""
    publications = [
        found(QUARTERLY, [("título", "Directorio 3er trimestre 2026"), ("archivo", "directorio t1.pdf")], [], CORTE),
        found(QUARTERLY, [("título", "Directorio 2º trimestre 2026"), ("archivo", "directorio t2.pdf")], [], CORTE),
    ]
    forward, backward = judge(QUARTERLY, publications, CORTE), judge(QUARTERLY, publications[::-1], CORTE)
    assert "Notas:" in forward.message and forward.message == backward.message


def test_a_range_of_dates_in_running_text_names_the_period_and_beats_the_document_date():
    """A trial balance «del 01 de enero al 31 de diciembre del 2024» printed on 28 January 2025 is of 2024, not a
    document in force in 2025 (a real Oaxaca municipality's balanza was taken for the current budget)."""
    in_force = Currency(period="anual", due_days=60, judged_on="in_force")
    body = (
        "texto del documento",
        "MUNICIPIO DE SAN AGUSTIN\nBALANZA DE COMPROBACIÓN DEL 01 DE ENERO AL 31 DE DICIEMBRE DEL 2024",
    )
    finding = found(in_force, [body], ["2025-01-28"], date(2025, 11, 10))
    assert finding.period.label() == "ejercicio 2024"
    assert judge(in_force, [finding], date(2025, 11, 10)).current is False


def test_a_statement_as_of_a_day_reports_its_year_up_to_that_day():
    """«al 30 de septiembre de 2025» in a statement's text: the 3rd quarter for a quarterly report, that year for a
    document in force (a 2024 report uploaded in January 2025 is not the 2025 budget)."""
    statement = ("texto del documento", "ESTADO ANALÍTICO DE EGRESOS AL 30 DE SEPTIEMBRE DE 2025")
    assert judge(QUARTERLY, [found(QUARTERLY, [statement], [], date(2025, 11, 10))], date(2025, 11, 10)).current
    in_force = Currency(period="anual", due_days=60, judged_on="in_force")
    old = ("texto del documento", "REPORTE ANALÍTICO DE EGRESOS AL 30 DE SEPTIEMBRE DE 2024")
    finding = found(in_force, [old], ["2025-01-28"], date(2025, 11, 10))
    assert finding.period.label() == "ejercicio 2024"
    assert found(in_force, [statement], [], date(2025, 11, 10)).period.label() == "ejercicio 2025"
