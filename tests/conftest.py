"""Shared fixtures: real servers on loopback (sample web, PostgreSQL, Redis), real databases."""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from redis import Redis
from sqlalchemy import make_url

from storage.bodies import directory_for

ROOT = Path(__file__).resolve().parent.parent
# Off-site link targets are fetched only from the hosts a test maps to loopback (--hosts): the sample web links
# to real government domains, and the suite never sends a request off this machine.
os.environ["APERTURA_OFFSITE_MAPPED_ONLY"] = "1"


def _snapshot(directory: Path) -> dict[str, tuple[int, int]] | None:
    """Every file under `directory` with its size and mtime; None when it does not exist."""
    if not directory.exists():
        return None
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(directory.rglob("*"))}


def pytest_configure(config):
    """The suite never writes to the user's data directory: everything that defaults to it (databases,
    archives, bodies) goes to a throwaway one, also for the CLI subprocesses, which inherit the environment.
    What the real directory held is recorded here and compared when the session ends."""
    from platformdirs import user_data_dir

    real = Path(user_data_dir("apertura", appauthor=False))
    config.apertura_user_data = (real, _snapshot(real))
    config.apertura_xdg = os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="apertura-xdg-")
    # Chromium keeps its crash-report settings in $XDG_CONFIG_HOME/chromium whatever its profile directory.
    os.environ["XDG_CONFIG_HOME"] = os.path.join(config.apertura_xdg, "config")
    # pytest-xdist's workers set COLUMNS=80, which the CLI's consoles would keep over a test's own width.
    os.environ.pop("COLUMNS", None)
    os.environ.pop("APERTURA_DB", None)
    os.environ.pop("APERTURA_ARCHIVE_ROOT", None)
    os.environ.pop("APERTURA_BODIES", None)


# Fixtures that run a whole night (`apertura nightly` or `recheck` in a subprocess) over the sample web or a
# hostile replica: Chromium renders pages and runs axe-core and screenshots there, and each takes from tens of
# seconds to minutes. Their tests are `browser` and `slow`; `make test-fast` leaves them out.
NIGHT_FIXTURES = {"sample_run", "sample_db", "night", "portal_run", "baseline", "uninterrupted", "run"}
# Fixtures measured (`pytest --durations`) at a second or more per test: a wheel build, process pools, a
# redis-server, a PKI for signing, a generated benchmark web.
SLOW_FIXTURES = {"wheel", "worker_pool", "redis_server", "pki", "work"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & NIGHT_FIXTURES:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)
        elif fixtures & SLOW_FIXTURES:
            item.add_marker(pytest.mark.slow)
        callspec = getattr(item, "callspec", None)
        if "postgres_url" in fixtures or (callspec and callspec.params.get("db_url") == "postgresql"):
            item.add_marker(pytest.mark.postgres)


def user_data_untouched(config) -> str | None:
    real, before = config.apertura_user_data
    after = _snapshot(real)
    return None if after == before else f"the test suite wrote to the user's data directory {real}"


def pytest_sessionfinish(session, exitstatus):
    if (problem := user_data_untouched(session.config)) is not None:
        session.config.get_terminal_writer().line(f"ERROR: {problem}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_unconfigure(config):
    shutil.rmtree(config.apertura_xdg, ignore_errors=True)  # the session's throwaway data directory


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def loopback_server(handler: type[BaseHTTPRequestHandler], **state) -> Iterator[ThreadingHTTPServer]:
    """A threaded HTTP server on a free loopback port; `state` becomes attributes of the server (what the handler
    records, e.g. `paths=[]`)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    for name, value in state.items():
        setattr(server, name, value)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def send(handler: BaseHTTPRequestHandler, body: bytes, content_type: str, status: int = 200) -> None:
    """A loopback site's answer, with its length."""
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def loopback_settings(host: str, **overrides: str) -> dict[str, str]:
    """Settings for crawling `host` served on loopback with `scrapy_crawl`: no browser, no off-site fetches, no OCR,
    no delay, unless a test overrides what it measures."""
    return {
        "APERTURA_HOSTS": json.dumps({host: "127.0.0.1"}),
        "APERTURA_ALLOW_PRIVATE_NETWORK": "True",
        "APERTURA_RENDER_ENABLED": "False",
        "APERTURA_OFFSITE_ENABLED": "False",
        "APERTURA_OCR_MAX_PAGES": "0",
        "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "False",
        **overrides,
    }


SCRAPY = str(Path(sys.executable).with_name("scrapy"))


def scrapy_crawl(home: str, feed: Path, settings: dict[str, str], *spider_args: str) -> subprocess.CompletedProcess:
    """`scrapy crawl municipal_site` on `home` (the debugging command of docs/rastreo.md), items to `feed`."""
    command = [SCRAPY, "crawl", "municipal_site", "-a", f"url={home}", *spider_args, "-O", str(feed)]
    command += [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, env=dict(os.environ))


def _pg_bindir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    if shutil.which("pg_config"):
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
        candidates.append(bindir)
    return next((Path(c) for c in candidates if (Path(c) / "pg_ctl").exists()), None)


@pytest.fixture(scope="session")
def postgres_url():
    """A throwaway PostgreSQL server on loopback, started from the Debian binaries.

    PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user.
    """
    bindir = _pg_bindir()
    if bindir is None:
        pytest.fail("PostgreSQL binaries not found: run `make system` (apt-get install postgresql)")
    datadir = Path(tempfile.mkdtemp(prefix="apertura-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(datadir, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    run = lambda *args: subprocess.run([*as_user, *args], check=True, capture_output=True)  # noqa: E731
    run(str(bindir / "initdb"), "-D", str(datadir / "data"), "-U", "apertura", "--auth=trust", "-E", "UTF8")
    options = f"-p {port} -k {datadir} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(str(bindir / "pg_ctl"), "-D", str(datadir / "data"), "-o", options, "-l", str(datadir / "log"), "-w", "start")
    try:
        yield f"postgresql+psycopg://apertura@127.0.0.1:{port}/postgres"
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(datadir / "data"), "-m", "immediate", "stop")
        shutil.rmtree(datadir, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh database on each supported dialect."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'apertura.sqlite'}"
    base = request.getfixturevalue("postgres_url")
    name = f"t_{os.getpid()}_{free_port()}"
    import sqlalchemy

    engine = sqlalchemy.create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    engine.dispose()
    return base.rsplit("/", 1)[0] + f"/{name}"


APERTURA = str(Path(__import__("sys").executable).with_name("apertura"))
SAMPLE_HOSTS = ROOT / "sample_web" / "hosts"


def run_apertura(*args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    """Runs the real CLI in a subprocess (Scrapy's reactor cannot restart within one process)."""
    return subprocess.run([APERTURA, *args], capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def sample_web():
    """The bundled sample web served on a loopback port, with a registry file pointing at it."""
    from sample_web.server import serve, write_registry

    directory = Path(tempfile.mkdtemp(prefix="apertura-sample-"))
    with serve(0) as port:
        registry = directory / "registry.csv"
        write_registry(registry, port)
        yield {"port": port, "registry": registry, "dir": directory}
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def sample_run(sample_web):
    """One `apertura nightly` over the whole sample web (SQLite), shared by the tests that read its results; with
    `--capturas`, so its reports show the screenshots of the pages they cite."""
    directory = sample_web["dir"] / "nightly"
    db = f"sqlite:///{directory / 'apertura.sqlite'}"
    result = run_apertura(
        "nightly", "--registry", str(sample_web["registry"]), "--hosts", str(SAMPLE_HOSTS),
        "--allow-private-network", "--delay", "0", "--db", db, "--fecha-corte", "2026-11-24",
        "--out", str(directory / "informes"), "--capturas",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return {**sample_web, "db": db, "out": directory / "informes", "stdout": result.stdout}


@pytest.fixture(scope="session")
def sample_db(sample_run):
    """The SQLite file of the shared sample run, read-only: copy it with `sample_db_copy` before writing."""
    return Path(sample_run["db"].removeprefix("sqlite:///"))


@pytest.fixture
def sample_db_copy(sample_db, tmp_path):
    """A private copy of the sample run's database (with its body directory), as a SQLAlchemy URL, for tests
    that add audits or verdicts."""
    return copy_sqlite_database(sample_db, tmp_path / "apertura.sqlite")


def copy_sqlite_database(source: Path, copy: Path) -> str:
    """Copies a SQLite database and the large bodies stored beside it; returns the copy's URL."""
    shutil.copyfile(source, copy)
    url = f"sqlite:///{copy}"
    bodies = directory_for(make_url(f"sqlite:///{source}"))
    if bodies.is_dir() and bodies != directory_for(make_url(url)):
        shutil.copytree(bodies, directory_for(make_url(url)))
    return url


@pytest.fixture(scope="session")
def redis_server():
    """A throwaway redis-server on loopback, without persistence; tests use their own database numbers."""
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    client = Redis(port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except Exception:  # noqa: BLE001 - not listening yet
            assert time.monotonic() < deadline and process.poll() is None, "redis-server did not start"
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)
