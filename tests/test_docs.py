"""Documentation that is generated must match what generates it."""

import ast
import json
import re
from pathlib import Path

from models import MunicipalityReport

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def test_export_schema_is_up_to_date():
    documented = json.loads((DOCS / "esquema-exportacion.json").read_text(encoding="utf-8"))
    assert documented == MunicipalityReport.model_json_schema(), (
        "regenerate with: apertura schema > docs/esquema-exportacion.json"
    )


def test_methodology_tables_match_the_catalog():
    """docs/metodologia.md: periods, applicability, indexes and the worked example are generated from the catalog."""
    from rules import methodology
    from rules.catalog import load_catalog

    current = (DOCS / "metodologia.md").read_text(encoding="utf-8")
    assert current.count("<!-- BEGIN generado:") == len(methodology.BLOCKS) + len(methodology.SAMPLE_BLOCKS)
    assert methodology.render(current, load_catalog()) == current, "regenerate with: python -m rules.methodology"


def test_methodology_measurements_match_an_audit_of_the_sample_web(sample_run, tmp_path):
    """docs/metodologia.md § 7: precision, recall and every disagreement come from a real crawl and audit of the
    sample web (the session's `apertura nightly` at 2026-11-24), never typed by hand."""
    from rules import methodology
    from tests.conftest import run_apertura

    result = run_apertura("evaluar", "--db", sample_run["db"], "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    exported = run_apertura(
        "export", "--todos", "--format", "json", "--db", sample_run["db"], "--out", str(tmp_path / "a.json")
    )
    assert exported.returncode == 0, exported.stderr[-2000:]
    audits = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    current = (DOCS / "metodologia.md").read_text(encoding="utf-8")
    assert methodology.render_sample(current, report, audits) == current, (
        "regenerate with: python -m rules.methodology --muestra evaluacion.json auditorias.json (docs/metodologia.md § 7)"
    )
    total = report["publicado"]
    assert f"| **Total** | {total['aciertos']} | {total['predichos']} | {total['etiquetados']} |" in current


SETTING_ROW = re.compile(r"^\| `(APERTURA_\w+)` \| (.*?) \| (.*) \|$", re.MULTILINE)


def test_configuration_page_lists_every_crawl_setting_with_its_default():
    import crawler.settings

    declared = {name: getattr(crawler.settings, name) for name in dir(crawler.settings) if name.startswith("APERTURA_")}
    page = (DOCS / "configuracion.md").read_text(encoding="utf-8")
    section = page.split("## Crawl settings", 1)[1].split("\n## ", 1)[0]
    documented = {m[1]: (m[2], m[3]) for m in SETTING_ROW.finditer(section)}
    assert sorted(documented) == sorted(declared), "docs/configuracion.md and crawler/settings.py list other settings"
    for name, (default, meaning) in documented.items():
        assert meaning.strip(), f"{name}: no meaning in docs/configuracion.md"
        if default.startswith("`"):
            assert ast.literal_eval(default.strip("`")) == declared[name], f"{name}: default {default} in the docs"


def test_every_setting_a_crawler_component_reads_is_declared():
    """What `from_crawler` reads (settings.get*("NAME")) exists in the catalogue or is one of Scrapy's own."""
    from scrapy.settings import default_settings

    import crawler.settings

    sources = [
        *(ROOT / "crawler").rglob("*.py"),
        ROOT / "apertura" / "pipeline" / "jobs.py",
        ROOT / "apertura" / "pipeline" / "portal.py",
    ]
    read = {
        (path.name, name)
        for path in sources
        for name in re.findall(r"settings\.(?:get\w*|set)\(\s*\"(\w+)\"", path.read_text(encoding="utf-8"))
    }
    assert len(read) > 20  # the pattern finds them
    unknown = [f"{path}: {name}" for path, name in sorted(read) if not hasattr(crawler.settings, name)]
    unknown = [u for u in unknown if not hasattr(default_settings, u.split(": ")[1])]
    assert not unknown, "settings read but not declared in crawler/settings.py:\n" + "\n".join(unknown)
