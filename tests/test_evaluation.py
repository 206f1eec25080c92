"""Precision/recall against labels: the pure metrics, and `apertura evaluar` on a real crawl of the sample web."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from auditors import evaluation
from sample_web.server import serve, write_registry
from storage.database import open_database

ROOT = Path(__file__).resolve().parents[1]
APERTURA = [sys.executable, "-m", "apertura.cli"]
LABELS = {
    "1": {"name": "Uno", "expected": {"a": "compliant", "b": "compliant", "c": "non_compliant", "t": "partial"}},
    "2": {"name": "Dos", "expected": {"a": "non_compliant", "z": "compliant"}},
}
FINDINGS = {
    "1": {
        "a": ("transparencia", "compliant", ""),
        "b": ("transparencia", "partial", "viejo"),
        "c": ("transparencia", "compliant", "falso"),
        "t": ("tic", "partial", ""),
    },
    "2": {"a": ("transparencia", "non_compliant", "")},
}


def test_precision_and_recall_per_dimension_and_status():
    items = evaluation.compare(LABELS, FINDINGS, {"z": "participacion"})
    transparency = evaluation.by_dimension(items)["transparencia"]
    # predicted compliant: 1.a (right), 1.c (wrong); labelled compliant: 1.a, 1.b
    assert (transparency.true_positives, transparency.predicted, transparency.actual) == (1, 2, 2)
    assert transparency.precision == 0.5 and transparency.recall == 0.5
    tic = evaluation.by_dimension(items)["tic"]
    assert tic.precision is None and tic.recall is None  # no compliant item at all
    participation = evaluation.by_dimension(items)["participacion"]
    assert participation.recall == 0.0 and participation.precision is None
    partial = evaluation.by_status(items)["partial"]
    assert (partial.precision, partial.recall) == (0.5, 1.0)
    assert evaluation.accuracy(items) == 3 / 6
    wrong = {(i.inegi_code, i.rule_id): i for i in evaluation.disagreements(items)}
    assert set(wrong) == {("1", "b"), ("1", "c"), ("2", "z")}
    assert wrong[("2", "z")].got == evaluation.MISSING and wrong[("1", "c")].message == "falso"


def test_published_class_per_municipality_and_rule():
    """«publicado» = compliant or partial on both sides; per site and per rule."""
    items = evaluation.compare(LABELS, FINDINGS, {"z": "participacion"})
    published = evaluation.metrics(items, evaluation.PUBLISHED)
    # predicted published: 1.a, 1.b (partial), 1.c, 1.t; labelled published: 1.a, 1.b, 1.t, 2.z
    assert (published.true_positives, published.predicted, published.actual) == (3, 4, 4)
    sites = evaluation.by_municipality(items)
    assert list(sites) == ["1", "2"]
    assert (sites["1"].precision, sites["1"].recall) == (3 / 4, 1.0)
    assert sites["2"].precision is None and sites["2"].recall == 0.0  # 2.z has no finding: sin_hallazgo
    rules = evaluation.by_rule(items)
    assert list(rules) == ["a", "b", "c", "t", "z"]
    assert rules["c"].precision == 0.0 and rules["c"].recall is None
    assert evaluation.status_es("partial") == "cumple parcialmente"
    assert evaluation.status_es(evaluation.MISSING) == "sin hallazgo"


def _labels_file(path, code, name, expected):
    lines = ["municipalities:", f'  "{code}":', f"    name: {name}", '    audit_date: "2026-02-19"', "    expected:"]
    lines += [f"      {rule}: {status}" for rule, status in expected.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_evaluar_reads_several_labels_files_and_reports_per_site(tmp_path):
    """Two labels files, a real database with one audit each: per-site «publicado» metrics, Spanish
    statuses, and at 80 columns no rule id is cut."""
    db = f"sqlite:///{tmp_path / 'x.db'}"
    open_database(db)  # an empty database: `evaluar` never creates one
    first = _labels_file(
        tmp_path / "a.yaml", "29030", "Terrenate", {"ltaipemym.92.XXXVIII.a": "partial", "tic.lang": "compliant"}
    )
    second = _labels_file(tmp_path / "b.yaml", "01005", "Jesús María", {"tic.lang": "non_compliant"})
    result = subprocess.run(
        [*APERTURA, "evaluar", "--labels", str(first), "--labels", str(second), "--db", db, "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    report = json.loads(result.stdout)
    assert report["casos"] == 3 and sorted(report["sin_auditoria"]) == ["01005", "29030"]
    assert set(report["por_municipio"]) == {"29030", "01005"}
    assert report["por_municipio"]["29030"]["fecha_corte"] == "2026-02-19"
    assert report["por_municipio"]["29030"]["etiquetados"] == 2 and report["por_municipio"]["01005"]["etiquetados"] == 0
    assert report["publicado"]["predichos"] == 0  # no audits: every item is «sin hallazgo»
    assert {d["auditor"] for d in report["desacuerdos"]} == {"sin hallazgo"}
    text = subprocess.run(
        [*APERTURA, "evaluar", "--labels", str(first), "--labels", str(second), "--db", db],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env={**os.environ, "COLUMNS": "80"},
    ).stdout
    assert "ltaipemym.92.XXXVIII.a" in text and "cumple parcialmente" in text and "sin hallazgo" in text
    assert max(len(line) for line in text.splitlines()) <= 80
    duplicate = subprocess.run(
        [*APERTURA, "evaluar", "--labels", str(first), "--labels", str(first), "--db", db],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert duplicate.returncode == 2 and "29030" in duplicate.stderr


@pytest.mark.slow
def test_bad_labels_file_names_the_file(tmp_path):
    bad = tmp_path / "etiquetas.yaml"
    bad.write_text("municipalities: [1, 2]\n", encoding="utf-8")
    result = subprocess.run(
        [*APERTURA, "evaluar", "--labels", str(bad), "--db", f"sqlite:///{tmp_path}/x.db"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2 and "etiquetas.yaml" in "".join(result.stderr.split())  # a long path wraps


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    """A database holding one nightly crawl + audit of the sample web (real HTTP on loopback)."""
    tmp = tmp_path_factory.mktemp("evaluar")
    db = f"sqlite:///{tmp / 'apertura.db'}"
    with serve() as port:
        write_registry(tmp / "registry.csv", port)
        subprocess.run(
            [
                *APERTURA,
                "nightly",
                "--registry",
                str(tmp / "registry.csv"),
                "--hosts",
                str(ROOT / "sample_web" / "hosts"),
                "--allow-private-network",
                "--delay",
                "0",
                "--db",
                db,
                "--fecha-corte",
                "2026-11-24",
                "--out",
                str(tmp / "out"),
            ],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=600,
        )
    return db


def test_evaluar_on_the_sample_web(sample_db):
    result = subprocess.run(
        [*APERTURA, "evaluar", "--db", sample_db, "--json"], capture_output=True, text=True, cwd=ROOT, check=True
    )
    report = json.loads(result.stdout)
    assert report["casos"] == 4 * 28 and report["sin_auditoria"] == []
    assert set(report["por_dimension"]) == {"transparencia", "participacion", "tic"}
    # Luvianos is down: every one of its 28 labels is not_verifiable and the auditor must agree.
    assert not [item for item in report["desacuerdos"] if item["inegi_code"] == "15123"]
    assert report["por_estado"]["not_verifiable"]["aciertos"] >= 28
    assert report["exactitud"] > 0.8
    for item in report["desacuerdos"]:
        assert item["expected"] != item["got"]
    text = subprocess.run(
        [*APERTURA, "evaluar", "--db", sample_db], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout
    assert "Precisión" in text and "Desacuerdos" in text and "clase positiva" in text
    assert "Publicado, por municipio" in text and "Publicado, por regla" in text
    assert set(report["por_municipio"]) == {"15054", "15001", "15125", "15123"}
    assert report["publicado"]["etiquetados"] > 0 and len(report["por_regla"]) == 28
