"""A wheel built from the repository installs into a fresh virtualenv and works there; every library the
packaged code imports is declared in pyproject.toml."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from tests.conftest import ROOT

PIP = [sys.executable, "-m", "pip"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Built from the files git tracks, copied out: the build leaves nothing in the worktree."""
    tmp = tmp_path_factory.mktemp("wheel")
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    with tarfile.open(tmp / "src.tar", "w") as archive:
        for name in filter(None, files):
            if (ROOT / name.decode()).is_file():
                archive.add(ROOT / name.decode(), arcname=name.decode())
    with tarfile.open(tmp / "src.tar") as archive:
        archive.extractall(tmp / "src", filter="data")
    subprocess.run(
        [*PIP, "wheel", "--no-deps", "-q", "-w", str(tmp / "dist"), str(tmp / "src")],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return next((tmp / "dist").glob("apertura-*.whl"))


@pytest.mark.slow
def test_the_wheel_installs_into_a_fresh_virtualenv_and_lists_the_125_municipalities(wheel, tmp_path):
    venv = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    subprocess.run(
        [*PIP, "--python", str(venv / "bin" / "python"), "install", "--no-deps", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    # the dependencies come from this environment; the repository itself is nowhere on the path
    site = Path(subprocess.run([venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True).stdout.strip())  # fmt: skip
    (site / "dependencias.pth").write_text(sysconfig.get_path("purelib") + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(
        [venv / "bin" / "apertura", "municipios", "--json"], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 125
    where = subprocess.run(
        [venv / "bin" / "python", "-c", "import apertura; print(apertura.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert where.stdout.startswith(str(venv))


def test_every_imported_library_is_declared(wheel):
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))).decode()
        sources = {n: archive.read(n) for n in archive.namelist() if n.endswith(".py")}
    declared = {re.split(r"[\s\[<>=!;~]", line.removeprefix("Requires-Dist: "))[0].lower().replace("_", "-")
                for line in metadata.splitlines() if line.startswith("Requires-Dist: ")}  # fmt: skip
    own = {name.split("/")[0] for name in sources}
    distributions = packages_distributions()
    missing = {}
    for name, source in sources.items():
        for node in ast.walk(ast.parse(source)):
            modules = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module]
                if isinstance(node, ast.ImportFrom) and node.module and not node.level
                else []
            )
            for module in modules:
                top = module.split(".")[0]
                if top in own or top in sys.stdlib_module_names or top == "__future__":
                    continue
                dists = {d.lower().replace("_", "-") for d in distributions.get(top, [top])}
                if not dists & declared:
                    missing.setdefault(top, name)
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"
