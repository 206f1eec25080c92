"""The same findings on the sample web before and after a change: the session's night compared with the golden
file (`tests/golden/sample_web_findings.json`). Regenerate it, when a change of behaviour is intended, with
`.venv/bin/python -m tests.golden --update` (see tests/golden.py)."""

from __future__ import annotations

import pytest

from tests import golden
from tests.conftest import run_apertura

pytestmark = pytest.mark.slow


def test_the_sample_web_yields_the_golden_findings(sample_run, tmp_path):
    exported = golden.export_all(run_apertura, sample_run["db"], tmp_path)
    actual = golden.render(golden.normalise(exported, sample_run["port"]))
    expected = golden.GOLDEN.read_text(encoding="utf-8")
    assert actual == expected, (
        "the sample web's findings changed (regenerate with `.venv/bin/python -m tests.golden --update` only if "
        "the change is intended):\n" + golden.diff(expected, actual)
    )
