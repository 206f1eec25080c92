"""evaluation.sites: a snapshot materialised, built when it is a JavaScript application, and served on loopback."""

from __future__ import annotations

import http.client
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from evaluation.sites import Site, materialise, serve

APP = """<!doctype html><html lang="es"><head><title>Municipio</title></head>
<body><div id="root"></div><script src="/_astro/app.js"></script></body></html>"""


def _snapshot(mirror_root: Path, repository: str, files: dict[str, str]) -> str:
    """A bare-style snapshot as `fetch` leaves it (``<owner>+<name>/repo/.git``); returns its commit."""
    work = mirror_root / repository.replace("/", "+") / "repo"
    work.mkdir(parents=True)
    for name, text in files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(text, encoding="utf-8")
    git = ["git", "-C", str(work), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "site"], check=True)
    return subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()


def _site(commit: str, **changes) -> Site:
    site = Site(
        inegi_code="20999",
        name="Municipio de prueba",
        state="Oaxaca",
        repository="dev/municipio",
        commit=commit,
        subdir="",
        server="build",
        hosts=("municipio.gob.mx.test",),
        audit_date="2026-01-15",
        build=("mkdir -p dist/_astro && cp src/index.html dist/ && echo 'render()' > dist/_astro/app.js",),
        root="dist",
    )
    return replace(site, **changes)


def _get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": f"municipio.gob.mx.test:{port}"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.mark.parametrize("fallback", [True, False])
def test_a_built_application_is_served_from_what_its_build_wrote(tmp_path, fallback):
    commit = _snapshot(tmp_path / "mirror", "dev/municipio", {"src/index.html": APP, "package.json": "{}"})
    copy = materialise(_site(commit, spa_fallback=fallback), tmp_path / "mirror", tmp_path / "work" / "sites" / "x")
    assert copy.root == tmp_path / "work" / "sites" / "x" / "dist"
    with serve([copy], tmp_path / "work") as urls:
        port = int(urls["20999"].rsplit(":", 1)[1].strip("/"))
        assert _get(port, "/") == (200, APP.encode())
        assert _get(port, "/_astro/app.js") == (200, b"render()\n")  # a build's own folder
        assert _get(port, "/_site.json")[1] != (tmp_path / "work" / "sites" / "x" / "dist" / "_site.json").read_bytes()
        assert _get(port, "/package.json")[1] != b"{}"  # the source is not the site
        status, body = _get(port, "/transparencia/obligaciones")  # a client-side route
        assert (status, body) == ((200, APP.encode()) if fallback else (404, body))


def test_a_failed_build_names_the_site_and_its_command(tmp_path):
    commit = _snapshot(tmp_path / "mirror", "dev/municipio", {"src/index.html": APP})
    site = _site(commit, build=("echo 'npm ERR! 404 vite' >&2; exit 1",))
    with pytest.raises(RuntimeError, match=r"Municipio de prueba: «echo .*» terminó con 1:\n.*npm ERR! 404 vite"):
        materialise(site, tmp_path / "mirror", tmp_path / "work" / "sites" / "x")


def test_a_build_that_writes_no_page_is_an_error(tmp_path):
    commit = _snapshot(tmp_path / "mirror", "dev/municipio", {"src/index.html": APP})
    with pytest.raises(RuntimeError, match=r"no dejó .*dist/index\.html"):
        materialise(_site(commit, build=("true",)), tmp_path / "mirror", tmp_path / "work" / "sites" / "x")
