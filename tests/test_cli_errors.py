"""What a user can type or a disk can do never ends in a traceback or in English: each case is driven through
the CLI and gives one Spanish sentence naming the path or URL, a non-zero exit code, and stores nothing."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import click
import pytest
import typer
from typer.testing import CliRunner

from apertura.cli.main import app
from tests.conftest import SAMPLE_HOSTS, free_port, run_apertura

ENGLISH = re.compile(
    r"Usage|Show this message|Invalid value|No such (option|command)|Missing (argument|option)|Traceback|"
    r"Try '|\bOptions\b|\bArguments\b|\bCommands\b|\[default|env var|Got unexpected|requires an argument|"
    r"Input should|Value error|\b(non_compliant|not_verifiable|not_applicable|unreachable|compliant|partial)\b"
)
runner = CliRunner()


def apertura(*args: str):
    result = runner.invoke(app, list(args), env={"COLUMNS": "80", "TERMINAL_WIDTH": "80"}, catch_exceptions=False)
    return result.exit_code, " ".join(result.output.split())


def flat(text: str) -> str:
    """Without spaces and box lines: the console wraps long paths and sentences."""
    return re.sub(r"[\s│]", "", text)


def fails(*args: str, naming: str, code: int = 2) -> str:
    exit_code, output = apertura(*args)
    assert exit_code == code, output
    assert flat(naming) in flat(output), output
    assert not ENGLISH.search(output), output
    return output


def _commands(group: click.Command, path: tuple[str, ...] = ()):
    yield path
    for name, command in getattr(group, "commands", {}).items():
        yield from _commands(command, (*path, name))


def test_every_help_is_in_spanish():
    paths = list(_commands(typer.main.get_command(app)))
    assert len(paths) > 15
    for path in paths:
        code, output = apertura(*path, "--help")
        assert code == 0 and "Uso: apertura" in output and flat("Muestra esta ayuda y termina") in flat(output), (
            path,
            output,
        )
        assert not ENGLISH.search(output), (path, ENGLISH.search(output), output)


@pytest.mark.parametrize(
    "args, naming",
    [
        (("export", "--format", "pdf", "--todos", "--out", "x"), "Valor no válido para '--format'"),
        (("export", "--tod"), "No existe la opción --tod"),
        (("nosuch",), "No existe el comando 'nosuch'"),
        (("recheck",), "Falta el argumento 'municipio'"),
        (("recheck", "x", "--max-pages", "0"), "debe ser mayor o igual que 1"),
        (("recheck", "x", "--max-pages", "abc"), "debe ser un número entero"),
        (("recheck", "x", "y"), "Sobran argumentos: y"),
        (("diff", "--db"), "La opción '--db' necesita un valor"),
    ],
)
def test_framework_validation_messages_are_spanish(args, naming):
    fails(*args, naming=naming)


@pytest.mark.parametrize(
    "command",
    [
        ("diff",),
        ("overview", "--out", "OUT"),
        ("export", "--todos", "--out", "OUT/x.csv", "--format", "csv"),
        ("db", "upgrade"),
        ("audit", "15054", "--out", "OUT"),
    ],
)
@pytest.mark.parametrize(
    "url, naming",
    [
        ("notaurl", "«notaurl» no es una URL de base de datos"),
        ("mysql://u:secreto@127.0.0.1/x", "solo funciona con SQLite o PostgreSQL, no con «mysql»"),
    ],
)
def test_malformed_or_unsupported_database_urls(command, url, naming, tmp_path):
    args = [a.replace("OUT", str(tmp_path / "out")) for a in command]
    output = fails(*args, "--db", url, naming=naming)
    assert "secreto" not in output


def test_read_only_commands_never_create_a_database(tmp_path):
    missing = tmp_path / "no-existe" / "apertura.sqlite"
    for args in (("diff",), ("overview", "--out", str(tmp_path / "out")), ("export", "--todos", "--out", str(tmp_path / "x.csv"), "--format", "csv"),
                 ("review", "15054", "--listar"), ("audit", "15054", "--out", str(tmp_path / "out")), ("db", "prune")):  # fmt: skip
        fails(*args, "--db", f"sqlite:///{missing}", naming=f"no existe la base de datos {missing}")
    assert not missing.parent.exists()


def test_a_corrupt_database_is_named(tmp_path):
    corrupt = tmp_path / "apertura.sqlite"
    corrupt.write_bytes(b"esto no es una base de datos SQLite" * 200)
    fails("diff", "--db", f"sqlite:///{corrupt}", naming=f"el archivo {corrupt} no es una base de datos SQLite válida")
    fails("db", "upgrade", "--db", f"sqlite:///{corrupt}", naming="no es una base de datos SQLite válida")


def test_unreachable_postgresql_and_redis(tmp_path):
    pg = f"postgresql+psycopg://apertura@127.0.0.1:{free_port()}/apertura"
    fails("diff", "--db", pg, naming="no se pudo conectar con la base de datos")
    redis = f"redis://127.0.0.1:{free_port()}/0"
    output = fails(
        "worker", "--redis", redis, "--db", pg, "--burst", naming=f"no se pudo conectar con Redis en {redis}"
    )
    assert "conectado" not in output
    fails("worker", "--redis", "notaurl", "--db", pg, naming="«notaurl» no es una URL de Redis")


def test_distributed_night_refused_for_sqlite_stores_no_run(tmp_path):
    db = tmp_path / "apertura.sqlite"
    assert apertura("db", "upgrade", "--db", f"sqlite:///{db}")[0] == 0
    fails(
        "nightly",
        "--distributed",
        "--db",
        f"sqlite:///{db}",
        "--out",
        str(tmp_path / "out"),
        naming="necesita PostgreSQL",
    )
    fails("nightly", "--distributed", "--db", "postgresql+psycopg://a@127.0.0.1/x", "--redis", f"redis://127.0.0.1:{free_port()}/0",
          "--out", str(tmp_path / "out"), naming="no se pudo conectar con Redis")  # fmt: skip
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM runs").fetchone() == (0,)


def _runs(db_url: str) -> list[tuple]:
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as connection:
        return connection.execute("SELECT id, status FROM runs").fetchall()


def test_unwritable_outputs_and_full_disks(sample_run, sample_db_copy, tmp_path):
    common = ("--registry", str(sample_run["registry"]), "--db", sample_db_copy)
    a_file = tmp_path / "un-archivo"
    a_file.write_text("x")
    not_a_folder = a_file / "informes"
    for format in ("json", "csv", "xlsx", "html"):
        fails(
            "export",
            "15054",
            *common,
            "--format",
            format,
            "--out",
            "/dev/full",
            naming="no queda espacio en el disco para escribir /dev/full",
        )
        fails(
            "export",
            "15054",
            *common,
            "--format",
            format,
            "--out",
            str(not_a_folder / "x"),
            naming=str(not_a_folder / "x"),
        )
    fails("export", "--todos", *common, "--format", "csv", "--out", "/dev/full", naming="no queda espacio en el disco")
    for output in (
        ("--format", "xlsx", "--out", "/dev/full"),
        ("--bundle", "/dev/full"),
    ):  # a whole process: nothing at exit either
        process = run_apertura("export", "15054", *common, *output)
        assert process.returncode == 2 and "no queda espacio" in process.stderr, process.stderr
        assert "Traceback" not in process.stderr and "Exception ignored" not in process.stderr, process.stderr
    fails(
        "export",
        "15054",
        *common,
        "--bundle",
        "/dev/full",
        naming="no queda espacio en el disco para escribir /dev/full",
    )
    fails(
        "export", "15054", *common, "--bundle", str(not_a_folder / "b.zip"), naming="una parte de la ruta es un archivo"
    )
    fails("overview", *common, "--out", str(not_a_folder), naming=str(not_a_folder))
    before = _runs(sample_db_copy)
    fails("audit", "15054", *common, "--out", str(not_a_folder), naming=str(not_a_folder))
    fails("audit", "15054", *common, "--out", "/dev/full", naming="/dev/full")
    assert _runs(sample_db_copy) == before  # nothing stored before failing
    assert all(status != "running" for _, status in before)


def test_terminal_output_of_reports_and_diff_is_spanish(sample_run, sample_db_copy, tmp_path):
    common = ("--registry", str(sample_run["registry"]), "--db", sample_db_copy)
    for args in (("audit", "15054", "--out", str(tmp_path)), ("diff",), ("overview", "--out", str(tmp_path)),
                 ("export", "15054", "--format", "csv", "--out", str(tmp_path / "x.csv"))):  # fmt: skip
        code, output = apertura(*args, *common)
        assert code == 0, output
        assert not ENGLISH.search(output), (args, ENGLISH.search(output))
    assert "Sin cambios" in apertura("diff", *common)[1] or "Retroceso" in apertura("diff", *common)[1]
    # at 80 columns no rule id is cut ("ltaipemym.92…"): every one is printed whole
    report = json.loads((tmp_path / "15054.json").read_text(encoding="utf-8"))
    output = apertura("audit", "15054", "--out", str(tmp_path), *common)[1].split()
    assert all(f["rule_id"] in output for f in report["findings"] if not f["parent"])
    assert "…" not in " ".join(output)
    page = (tmp_path / "15054.html").read_text(encoding="utf-8")
    html = re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S))  # what a reader sees
    assert not ENGLISH.search(html), ENGLISH.search(html)


def test_rules_at_80_columns_show_every_id_whole():
    from rules.catalog import DEFAULT_EDITION, load_catalog

    code, output = apertura("rules")
    assert code == 0 and not ENGLISH.search(output)
    words = output.split()
    assert all(rule.id in words for rule in load_catalog(DEFAULT_EDITION).rules)


def test_recheck_paths_never_leave_a_running_run(tmp_path):
    """A recheck refused for its output folder stores nothing; the database is created only when it can run."""
    a_file = tmp_path / "un-archivo"
    a_file.write_text("x")
    db = f"sqlite:///{tmp_path / 'apertura.sqlite'}"
    fails("recheck", "15054", "--db", db, "--out", str(a_file / "informes"), naming=str(a_file / "informes"))
    assert not Path(tmp_path / "apertura.sqlite").exists()


def test_worker_checks_the_database_before_saying_it_is_connected(redis_server):
    pg = f"postgresql+psycopg://apertura@127.0.0.1:{free_port()}/apertura"
    output = fails(
        "worker",
        "--redis",
        f"{redis_server}/9",
        "--db",
        pg,
        "--burst",
        naming="no se pudo conectar con la base de datos",
    )
    assert "conectado" not in output


def test_a_missing_hosts_file_is_named_before_anything_is_created(tmp_path):
    db = tmp_path / "apertura.sqlite"
    fails("recheck", "15054", "--hosts", str(tmp_path / "no-existe"), "--db", f"sqlite:///{db}", "--out", str(tmp_path / "out"),
          naming=f"no se pudo leer el archivo de hosts {tmp_path / 'no-existe'}")  # fmt: skip
    bad = tmp_path / "hosts"
    bad.write_text("no-es-ip metepec.test\n")
    fails(
        "recheck",
        "15054",
        "--hosts",
        str(bad),
        "--db",
        f"sqlite:///{db}",
        "--out",
        str(tmp_path / "out"),
        naming="no es válido",
    )
    assert not db.exists()


def test_a_crawl_without_pdftotext_is_refused_before_anything_is_created(tmp_path, monkeypatch):
    """Without Poppler every PDF would read as unreadable and every link to one as dead: no crawl at all."""
    monkeypatch.setenv("PATH", str(tmp_path))
    db = tmp_path / "apertura.sqlite"
    fails("recheck", "15054", "--db", f"sqlite:///{db}", "--out", str(tmp_path / "out"),
          naming="falta el programa pdftotext (paquete poppler-utils)")  # fmt: skip
    assert not db.exists()


@pytest.mark.slow
def test_a_recheck_that_fails_midway_closes_its_run_as_failed(sample_web, tmp_path):
    """The web archive cannot be packaged (a folder stands where the WACZ goes): the recheck says so in
    Spanish, exits 2, and its run is closed as `failed`, never left `running` for a night to resume."""
    db = tmp_path / "apertura.sqlite"
    (tmp_path / "apertura.sqlite-archivo" / "run-1" / "run-1.wacz.tmp").mkdir(parents=True)
    result = run_apertura(
        "recheck", "15054", "--registry", str(sample_web["registry"]), "--hosts", str(SAMPLE_HOSTS),
        "--allow-private-network", "--delay", "0", "--max-pages", "5", "--db", f"sqlite:///{db}", "--out", str(tmp_path / "out"),
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "run-1" in flat(result.stderr), result.stderr
    assert _runs(f"sqlite:///{db}") == [(1, "failed")]
