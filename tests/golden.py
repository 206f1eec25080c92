"""The sample web's findings as a golden file: what `tests/test_golden.py` compares every change with.

The file holds, per municipality and rule, what a stored finding says (status, message, periods, the evidence
and each source's result) and the scores, read through the CLI's own export (`apertura export --todos --format
json`) so that the comparison does not depend on where the code lives. Volatile values are left out: run and
audit ids, timestamps, WARC file names and record ids, screenshot hashes, and the order of evidence items
(among equally good pages it follows the crawl's, which concurrency varies); the sample web's loopback port is
written as `{port}`.

When a change of behaviour is intended, regenerate it (a whole night over the sample web, a few minutes) and
commit the new file with the change that explains it:

    .venv/bin/python -m tests.golden --update
"""

from __future__ import annotations

import argparse
import difflib
import json
import shutil
import sys
import tempfile
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden" / "sample_web_findings.json"
FECHA_CORTE = "2026-11-24"
# what changes from one run to the next without the audit's conclusions changing
VOLATILE_EVIDENCE = ("fetched_at", "warc_file", "warc_record_id", "screenshot_sha256")


def _evidence(items: list[dict]) -> list[dict]:
    """Sorted: among equally good pages the order follows the crawl's, which concurrency varies from run to run."""
    kept = [{k: v for k, v in e.items() if k not in VOLATILE_EVIDENCE and v is not None} for e in items]
    return sorted(kept, key=lambda e: json.dumps(e, ensure_ascii=False, sort_keys=True))


def _finding(f: dict) -> dict:
    kept = {
        "status": f["status"],
        "message": f["message"],
        "period_found": f.get("period_found"),
        "period_expected": f.get("period_expected"),
        "evidence": _evidence(f.get("evidence", [])),
    }
    if f.get("sources"):
        kept["sources"] = [
            {
                "source": s["source"],
                "status": s["status"],
                "message": s["message"],
                "evidence": _evidence(s["evidence"]),
            }
            for s in f["sources"]
        ]
    return {k: v for k, v in kept.items() if v is not None}


def normalise(exported: list[dict], port: int) -> dict:
    """The export of every municipality (JSON list of MunicipalityReport) → the golden file's content."""
    golden = {
        r["inegi_code"]: {
            "name": r["name"],
            "crawl_status": r["crawl_status"],
            "crawl_reason": r.get("crawl_reason"),
            "scores": {s["dimension"]: s for s in r["scores"]},
            "findings": {f["rule_id"]: _finding(f) for f in r["findings"]},
        }
        for r in sorted(exported, key=lambda r: r["inegi_code"])
    }
    text = json.dumps(golden, ensure_ascii=False, indent=1, sort_keys=True)
    return json.loads(text.replace(f":{port}", ":{port}"))


def render(golden: dict) -> str:
    return json.dumps(golden, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def diff(expected: str, actual: str) -> str:
    lines = difflib.unified_diff(
        expected.splitlines(keepends=True), actual.splitlines(keepends=True), str(GOLDEN), "this run", n=4
    )
    return "".join(lines)


def export_all(run_apertura, db: str, directory: Path) -> list[dict]:
    out = directory / "golden-export.json"
    result = run_apertura("export", "--todos", "--format", "json", "--db", db, "--out", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    """Runs a night over the sample web as the `sample_run` fixture does and writes (or checks) the golden file."""
    parser = argparse.ArgumentParser(prog="python -m tests.golden", description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help=f"write {GOLDEN.name} instead of comparing with it")
    args = parser.parse_args(argv)

    import os

    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="apertura-xdg-")  # never the user's data directory
    from sample_web.server import serve, write_registry
    from tests.conftest import SAMPLE_HOSTS, run_apertura

    directory = Path(tempfile.mkdtemp(prefix="apertura-golden-"))
    try:
        with serve(0) as port:
            registry = directory / "registry.csv"
            write_registry(registry, port)
            db = f"sqlite:///{directory / 'apertura.sqlite'}"
            result = run_apertura(
                "nightly", "--registry", str(registry), "--hosts", str(SAMPLE_HOSTS), "--allow-private-network",
                "--delay", "0", "--db", db, "--fecha-corte", FECHA_CORTE, "--out", str(directory / "informes"),
            )  # fmt: skip
            if result.returncode != 0:
                sys.stderr.write(result.stderr[-3000:])
                return 1
            actual = render(normalise(export_all(run_apertura, db, directory), port))
    finally:
        shutil.rmtree(directory, ignore_errors=True)
        shutil.rmtree(os.environ["XDG_DATA_HOME"], ignore_errors=True)
    if args.update:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(actual, encoding="utf-8")
        print(f"written: {GOLDEN}")
        return 0
    expected = GOLDEN.read_text(encoding="utf-8") if GOLDEN.exists() else ""
    if expected != actual:
        sys.stdout.write(diff(expected, actual))
        return 1
    print("same findings as the golden file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
