"""Reviewer verdicts: stored for the latest audit, carried over while the evidence is unchanged."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from types import SimpleNamespace

from openpyxl import load_workbook
from typer.testing import CliRunner

from apertura.cli.main import app
from apertura.reporting import review
from models import Evidence, Finding, MunicipalityReport
from sample_web.server import serve, write_registry
from tests.conftest import SAMPLE_HOSTS, run_apertura

runner = CliRunner()
RULE = "ltaipemym.92.I"


def cli(sample_run, db: str, *args: str, code: int = 0):
    result = runner.invoke(app, [*args, "--registry", str(sample_run["registry"]), "--db", db])
    assert result.exit_code == code, result.output
    return result


def exported(sample_run, db: str, tmp_path, name: str = "m.json") -> MunicipalityReport:
    cli(sample_run, db, "export", "15054", "--format", "json", "--out", str(tmp_path / name))
    return MunicipalityReport.model_validate_json((tmp_path / name).read_text(encoding="utf-8"))


def finding(*pairs: tuple[str, str]) -> Finding:
    evidence = [Evidence(kind="page", url=url, sha256=sha) for url, sha in pairs]
    return Finding(rule_id=RULE, title="t", dimension="transparencia", status="compliant", weight=1, legal_basis="b",
                   message="m", review_note="r", evidence=evidence)  # fmt: skip


def record(digest: str, verdict: str, reviewer: str, day: int):
    created = datetime(2026, 11, day, tzinfo=UTC)
    return SimpleNamespace(rule_id=RULE, evidence_digest=digest, verdict=verdict, reviewer=reviewer,
                           justification=f"j{day}", created_at=created)  # fmt: skip


def test_digest_depends_on_the_evidence_set_not_its_order():
    a = finding(("http://a.test/1", "1" * 64), ("http://a.test/2", "2" * 64))
    b = finding(("http://a.test/2", "2" * 64), ("http://a.test/1", "1" * 64), ("http://a.test/1", "1" * 64))
    changed = finding(("http://a.test/1", "1" * 64), ("http://a.test/2", "3" * 64))
    assert review.evidence_digest(a) == review.evidence_digest(b) != review.evidence_digest(changed)


def test_current_verdict_beats_a_later_one_on_other_evidence():
    f = finding(("http://a.test/1", "1" * 64))
    digest = review.evidence_digest(f)
    chosen = review.verdict_for(f, [record(digest, "confirmed", "Ana", 1), record("0" * 64, "rejected", "Luis", 2)])
    assert (chosen.reviewer, chosen.current) == ("Ana", True)
    assert review.describe(chosen) == "Confirmado por Ana el 2026-11-01: j1"
    stale = review.verdict_for(f, [record("0" * 64, "rejected", "Luis", 2)])
    assert review.describe(stale) == "Rechazado por Luis el 2026-11-02: j2 (veredicto anterior, evidencia distinta)"
    assert review.verdict_for(f, []) is None


def test_review_rejects_incomplete_or_unknown_requests(sample_run, sample_db_copy):
    db = sample_db_copy
    missing = cli(sample_run, db, "review", "15054", RULE, "--confirmar", "--revisor", "Ana", code=2)
    assert "--justificacion" in missing.output
    both = cli(
        sample_run,
        db,
        "review",
        "15054",
        RULE,
        "--confirmar",
        "--rechazar",
        "--revisor",
        "A",
        "--justificacion",
        "x",
        code=2,
    )
    assert "exactamente una" in both.output
    unknown = cli(
        sample_run, db, "review", "15054", "ltaipemym.999", "--anotar", "--revisor", "A", "--justificacion", "x", code=2
    )
    assert "ltaipemym.999" in unknown.output
    listed = cli(sample_run, db, "review", "15054", "--listar", "--json")
    assert json.loads(listed.stdout) == []


def test_verdict_shows_in_exports_and_carries_over_while_evidence_is_unchanged(sample_run, sample_db_copy, tmp_path):
    db = sample_db_copy
    done = cli(sample_run, db, "review", "metepec", RULE, "--confirmar", "--revisor", "Ana López",
               "--justificacion", "Marco normativo completo <b>y vigente</b>.")  # fmt: skip
    assert "Confirmado" in done.stdout
    before = exported(sample_run, db, tmp_path)
    # A new audit of the same stored crawl (same evidence) keeps the verdict current.
    cli(sample_run, db, "audit", "15054", "--out", str(tmp_path / "informes"))
    after = exported(sample_run, db, tmp_path, "after.json")
    assert after.audit_id > before.audit_id
    verdict = next(f for f in after.findings if f.rule_id == RULE).verdict
    assert (verdict.verdict, verdict.reviewer, verdict.current) == ("confirmed", "Ana López", True)
    assert all(f.verdict is None for f in after.findings if f.rule_id != RULE)
    html = (tmp_path / "informes" / "15054.html").read_text(encoding="utf-8")
    assert "Confirmado por Ana López el " in html and "&lt;b&gt;y vigente&lt;/b&gt;" in html

    cli(sample_run, db, "export", "15054", "--format", "csv", "--out", str(tmp_path / "m.csv"))
    with open(tmp_path / "m.csv", encoding="utf-8-sig", newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if r["rule_id"] == RULE)
    assert row["verdict"] == "confirmed" and row["verdict_text"].startswith("Confirmado por Ana López el ")
    cli(sample_run, db, "export", "15054", "--format", "xlsx", "--out", str(tmp_path / "m.xlsx"))
    sheet = load_workbook(tmp_path / "m.xlsx")["Transparencia"]
    headers = [c.value for c in sheet[1]]
    line = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[headers.index("Regla")] == RULE)
    assert line[headers.index("Veredicto del revisor")].startswith("Confirmado por Ana López")


def test_changed_evidence_marks_the_verdict_as_earlier(sample_run, sample_db_copy, tmp_path):
    """A recrawl served on another port changes every evidence URL: the verdict no longer applies as is."""
    db = sample_db_copy
    cli(
        sample_run, db, "review", "15054", RULE, "--rechazar", "--revisor", "Luis", "--justificacion", "Falta el bando."
    )
    with serve(0) as port:
        registry = tmp_path / "registry.csv"
        write_registry(registry, port)
        result = run_apertura(
            "recheck", "15054", "--registry", str(registry), "--hosts", str(SAMPLE_HOSTS), "--allow-private-network",
            "--delay", "0", "--db", db, "--fecha-corte", "2026-11-24", "--out", str(tmp_path / "informes"),
        )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    verdict = next(f for f in exported(sample_run, db, tmp_path).findings if f.rule_id == RULE).verdict
    assert (verdict.verdict, verdict.current) == ("rejected", False)
    html = (tmp_path / "informes" / "15054.html").read_text(encoding="utf-8")
    assert "Rechazado por Luis el " in html and "veredicto anterior, evidencia distinta" in html
    listed = json.loads(cli(sample_run, db, "review", "15054", "--listar", "--json").stdout)
    assert [(v["rule_id"], v["applies"]) for v in listed] == [(RULE, "veredicto anterior, evidencia distinta")]
