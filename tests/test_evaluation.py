"""Precision/recall against labels: the pure metrics, and `apertura evaluar` on a real crawl of the sample web."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from auditors import evaluation
from sample_web.server import serve, write_registry

ROOT = Path(__file__).resolve().parents[1]
APERTURA = [sys.executable, "-m", "apertura.cli"]
LABELS = {
    "1": {"name": "Uno", "expected": {"a": "compliant", "b": "compliant", "c": "non_compliant", "t": "partial"}},
    "2": {"name": "Dos", "expected": {"a": "non_compliant", "z": "compliant"}},
}
FINDINGS = {
    "1": {"a": ("transparencia", "compliant", ""), "b": ("transparencia", "partial", "viejo"),
          "c": ("transparencia", "compliant", "falso"), "t": ("tic", "partial", "")},
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


def test_bad_labels_file_names_the_file(tmp_path):
    bad = tmp_path / "etiquetas.yaml"
    bad.write_text("municipalities: [1, 2]\n", encoding="utf-8")
    result = subprocess.run([*APERTURA, "evaluar", "--labels", str(bad), "--db", f"sqlite:///{tmp_path}/x.db"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2 and "etiquetas.yaml" in result.stderr


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    """A database holding one nightly crawl + audit of the sample web (real HTTP on loopback)."""
    tmp = tmp_path_factory.mktemp("evaluar")
    db = f"sqlite:///{tmp / 'apertura.db'}"
    with serve() as port:
        write_registry(tmp / "registry.csv", port)
        subprocess.run(
            [*APERTURA, "nightly", "--registry", str(tmp / "registry.csv"), "--hosts", str(ROOT / "sample_web" / "hosts"),
             "--allow-private-network", "--delay", "0", "--db", db, "--fecha-corte", "2026-11-24", "--out", str(tmp / "out")],
            check=True, capture_output=True, text=True, cwd=ROOT, timeout=600,
        )
    return db


def test_evaluar_on_the_sample_web(sample_db):
    result = subprocess.run([*APERTURA, "evaluar", "--db", sample_db, "--json"], capture_output=True, text=True, cwd=ROOT, check=True)
    report = json.loads(result.stdout)
    assert report["casos"] == 4 * 28 and report["sin_auditoria"] == []
    assert set(report["por_dimension"]) == {"transparencia", "participacion", "tic"}
    # Luvianos is down: every one of its 28 labels is not_verifiable and the auditor must agree.
    assert report["por_estado"]["not_verifiable"]["aciertos"] == 28
    assert report["exactitud"] > 0.8
    for item in report["desacuerdos"]:
        assert item["expected"] != item["got"]
    text = subprocess.run([*APERTURA, "evaluar", "--db", sample_db], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert "Precisión" in text and "Desacuerdos" in text and "clase positiva" in text
