"""axe-core runs in real Chromium on the archived home pages of the sample web."""

from __future__ import annotations

import json
import sqlite3

import pytest

pytestmark = pytest.mark.browser


def home_axe(sample_run, code: str) -> dict:
    db = sqlite3.connect(sample_run["db"].removeprefix("sqlite:///"))
    rows = db.execute(
        "SELECT e.content FROM resources r JOIN crawls c ON c.id = r.crawl_id "
        "JOIN extracts e ON e.sha256 = r.extract_sha256 "
        "WHERE c.inegi_code = ? AND c.source = 'sitio' AND json_extract(r.facts, '$.is_home')",
        (code,),
    ).fetchall()
    axes = [json.loads(e)["page"].get("axe") for (e,) in rows if json.loads(e).get("page")]
    return next(a for a in axes if a)


def finding(sample_run, code: str, rule_id: str) -> dict:
    report = json.loads((sample_run["out"] / f"{code}.json").read_text(encoding="utf-8"))
    return next(f for f in report["findings"] if f["rule_id"] == rule_id)


def test_axe_results_are_gathered_and_judged(sample_run):
    tonanitla = home_axe(sample_run, "15125")
    assert tonanitla["error"] is None and tonanitla["version"]
    ids = {v["id"] for v in tonanitla["violations"]}
    assert "html-has-lang" in ids  # the hand-made site declares no language
    wcag = finding(sample_run, "15125", "tic.wcag")
    assert wcag["status"] == "non_compliant" and "html-has-lang" in wcag["message"]
    assert "axe-core" in wcag["evidence"][0]["matched"]
    metepec = home_axe(sample_run, "15054")
    assert "html-has-lang" not in {v["id"] for v in metepec["violations"]}
    assert finding(sample_run, "15054", "tic.wcag")["status"] != "not_verifiable"
