"""Discovery of official websites: the pure candidate generator, the content verdicts, and the
CLI end to end on the sample web (real HTTP server on loopback, real SQLite/PostgreSQL)."""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import UTC, date, datetime

import pytest
from typer.testing import CliRunner

from apertura.cli.main import app
from apertura.registry.discovery.assess import current_term
from apertura.registry.discovery.candidates import candidate_hosts, slugs
from apertura.registry.discovery.probe import fetch_home
from sample_web.server import SITES_DIR, serve, write_registry
from storage import repository, site_candidates
from storage.database import open_database
from tests.conftest import SAMPLE_HOSTS

runner = CliRunner()
CUTOFF = "2026-11-24"  # current term 2025-2027, as on the sample sites


# ------------------------------------------------------------------ candidate generator


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Tultepec", ["tultepec"]),
        ("San Mateo Atenco", ["sanmateoatenco", "sanmateo", "smatenco"]),  # no bare "san"
        ("Nezahualcóyotl", ["nezahualcoyotl", "neza"]),  # accents folded; abbreviation from data
        ("Cuautitlán Izcalli", ["cuautitlanizcalli", "cuautitlan", "izcalli"]),
        (
            "Acambay de Ruíz Castañeda",
            ["acambayruizcastaneda", "acambayderuizcastaneda", "acambay", "acambayderuiz", "acambayruiz"],
        ),
        (
            "Valle de Chalco Solidaridad",
            ["vallechalcosolidaridad", "valledechalcosolidaridad", "valledechalco", "vallechalco"],
        ),
        ("El Oro", ["oro", "eloro"]),
        ("San Martín de las Pirámides", ["sanmartinpiramides", "sanmartindelaspiramides", "sanmartin", "smpiramides"]),
        ("Almoloya de Alquisiras", ["almoloyaalquisiras", "almoloyadealquisiras", "almoloya"]),
        ("Tenango del Valle", ["tenangovalle", "tenangodelvalle", "tenango"]),
        ("Los Reyes", ["reyes", "losreyes"]),
    ],
)
def test_slugs(name, expected):
    assert slugs(name) == expected


def test_candidate_hosts_use_the_suffix():
    assert candidate_hosts("Nezahualcóyotl") == [
        "nezahualcoyotl.gob.mx",
        "www.nezahualcoyotl.gob.mx",
        "neza.gob.mx",
        "www.neza.gob.mx",
    ]
    assert candidate_hosts("La Paz", ".gob.mx.test")[:2] == ["paz.gob.mx.test", "www.paz.gob.mx.test"]


@pytest.mark.parametrize(
    "day, term",
    [
        (date(2026, 11, 24), (2025, 2027)),
        (date(2025, 1, 1), (2025, 2027)),
        (date(2024, 12, 31), (2022, 2024)),
        (date(2028, 1, 1), (2028, 2030)),
    ],
)
def test_current_term(day, term):
    assert current_term(day) == term


# ------------------------------------------------------------------ probe guard


def test_probe_refuses_private_addresses_unless_allowed():
    hosts = {"www.tultepec.gob.mx.test": "127.0.0.1"}
    with serve(0) as port:
        url = f"http://www.tultepec.gob.mx.test:{port}/"
        refused = fetch_home(url, hosts=hosts, allow_private=False)
        assert refused.status is None and "no pública" in refused.error
        allowed = fetch_home(url, hosts=hosts, allow_private=True)
    assert allowed.status == 200 and allowed.body == (SITES_DIR / "www.tultepec.gob.mx.test/index.html").read_bytes()


# ------------------------------------------------------------------ repository


def test_site_candidates_round_trip(db_url):
    sessions = open_database(db_url)
    checked = datetime(2026, 11, 24, 12, tzinfo=UTC)
    with sessions.begin() as session:
        site_candidates.record_check(
            session,
            "15108",
            "https://tultepec.gob.mx/",
            origin="nombre",
            checked_at=checked,
            final_url="https://tultepec.gob.mx/",
            status=200,
            sha256="a" * 64,
            matched=["nombre: Tultepec"],
            verdict="official",
            reason="ok",
            score=9,
        )
        site_candidates.decide(
            session, "15108", "https://tultepec.gob.mx/", review="pinned", reviewer="Ana", reason=None
        )
        site_candidates.decide(
            session, "15108", "https://otro.gob.mx/", review="rejected", reviewer="Luis", reason="no"
        )
    with sessions.begin() as session:  # a later check keeps the decision and adds its origin
        site_candidates.record_check(
            session,
            "15108",
            "https://tultepec.gob.mx/",
            origin="enlace",
            checked_at=checked,
            verdict="not_verifiable",
            reason="caído",
            score=0,
            status=None,
        )
    with sessions.begin() as session:
        rows = {r.url: r for r in site_candidates.candidates(session, "15108")}
        assert (
            rows["https://tultepec.gob.mx/"].review == "pinned"
            and rows["https://tultepec.gob.mx/"].origin == "nombre; enlace"
        )
        assert (
            rows["https://otro.gob.mx/"].verdict == "unchecked" and rows["https://otro.gob.mx/"].review_reason == "no"
        )
        assert site_candidates.pinned(session)["15108"].url == "https://tultepec.gob.mx/"


# ------------------------------------------------------------------ CLI end to end


def cli(*args: str):
    result = runner.invoke(app, ["municipios", *args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def sample(tmp_path):
    """Sample web served on an ephemeral port, a registry with Tultepec and Zinacantepec (no website)
    and a database holding one stored IPOMEX page that links to Tultepec's site."""
    with serve(0) as port:
        registry = tmp_path / "padron.csv"
        write_registry(registry, port)
        with registry.open("a", encoding="utf-8") as fh:
            fh.write("15108,Tultepec,,\n15118,Zinacantepec,,\n")
        db = f"sqlite:///{tmp_path / 'apertura.sqlite'}"
        link = {
            "href": f"http://www.tultepec.gob.mx.test:{port}/inicio",
            "text": "Sitio del H. Ayuntamiento de Tultepec",
            "context": "body",
        }
        with open_database(db).begin() as session:
            run = repository.create_run(
                session, kind="recheck", fecha_corte=date(2026, 11, 24), catalog="x", version="0", config={}
            )
            crawl = repository.create_crawl(session, run_id=run.id, inegi_code="15108", site_url=None, source="ipomex")
            repository.add_resources(
                session,
                [
                    dict(
                        crawl_id=crawl.id,
                        url="http://www.ipomex.org.mx.test/ipo3/",
                        final_url="http://www.ipomex.org.mx.test/ipo3/",
                        status=200,
                        fetched_at=repository.now(),
                        facts={"page": {"links": [link]}},
                    )
                ],
            )
            repository.finish_crawl(session, crawl, status="ok", reason=None, stats={})
        common = ["--registry", str(registry), "--db", db]
        probe = [
            "--hosts",
            str(SAMPLE_HOSTS),
            "--allow-private-network",
            "--sufijo",
            ".gob.mx.test",
            "--puerto",
            str(port),
            "--fecha-corte",
            CUTOFF,
        ]
        yield port, common, probe


def by_url(entry: dict) -> dict[str, dict]:
    return {c["url"]: c for c in entry["candidates"]}


@pytest.mark.slow
def test_discover_pin_reject_and_export(sample, tmp_path):
    port, common, probe = sample
    found = {e["name"]: e for e in json.loads(cli("descubrir", *probe, "--json", *common).stdout)}
    assert set(found) == {"Tultepec", "Zinacantepec"}  # every municipality without a website

    # (c) the valid current site is proposed, with its evidence; also reached through the stored IPOMEX link
    valid = f"http://www.tultepec.gob.mx.test:{port}/"
    tultepec = by_url(found["Tultepec"])
    assert found["Tultepec"]["proposal"] == valid
    body = (SITES_DIR / "www.tultepec.gob.mx.test/index.html").read_bytes()
    evidence = tultepec[valid]
    assert evidence["verdict"] == "official" and evidence["status"] == 200 and evidence["final_url"] == valid
    assert evidence["sha256"] == hashlib.sha256(body).hexdigest() and evidence["checked_at"]
    assert {"nombre: Tultepec", "administración 2025-2027", "Estado de México (imagen: escudo o logotipo)"} <= set(
        evidence["matched"]
    )
    assert (
        "dominio derivado del nombre" in evidence["origin"]
        and "Sitio del H. Ayuntamiento de Tultepec" in evidence["origin"]
    )
    # (d) an unrelated site on a candidate name that does name the municipality
    unrelated = tultepec[f"http://tultepec.gob.mx.test:{port}/"]
    assert unrelated["verdict"] == "not_official" and "no es un sitio de ayuntamiento" in unrelated["reason"]
    # unreachable (no TLS on the sample server) is not verifiable, never "no es el sitio"
    tls = tultepec[f"https://www.tultepec.gob.mx.test:{port}/"]
    assert tls["verdict"] == "not_verifiable" and tls["status"] is None and "TLS" in tls["reason"]

    # (a) the parked domain is rejected with the reason; a name without DNS is not verifiable
    zina = by_url(found["Zinacantepec"])
    assert found["Zinacantepec"]["proposal"] is None
    parked = zina[f"http://zinacantepec.gob.mx.test:{port}/"]
    assert (
        parked["verdict"] == "not_official" and "estacionado o en venta" in parked["reason"] and parked["status"] == 200
    )
    missing = zina[f"http://www.zinacantepec.gob.mx.test:{port}/"]
    assert missing["verdict"] == "not_verifiable" and "no resuelve" in missing["reason"]

    # (b) the previous administration's site is flagged; the current one is proposed
    acambay = json.loads(cli("descubrir", "acambay", *probe, "--json", *common).stdout)[0]
    previous = f"http://www.acambay.gob.mx.test:{port}/"
    assert acambay["proposal"] == f"http://acambay.gob.mx.test:{port}/"
    assert by_url(acambay)[previous]["verdict"] == "previous_administration"
    assert "2022-2024" in by_url(acambay)[previous]["reason"]

    # a reviewer pins one and rejects another; a new discovery keeps the decisions
    cli("fijar", "Tultepec", valid, "--revisor", "Ana Pérez", *common)
    cli(
        "rechazar",
        "15001",
        previous,
        "--revisor",
        "Luis Gómez",
        "--motivo",
        "sitio de la administración 2022-2024",
        *common,
    )
    cli("descubrir", "tultepec", *probe, *common)
    listed = {c["url"]: c for c in json.loads(cli("candidatos", "--json", *common).stdout)}
    today = date.today().isoformat()
    assert listed[valid]["review"] == "pinned" and listed[valid]["reviewer"] == "Ana Pérez"
    assert listed[valid]["reviewed_at"].startswith(today)
    assert (
        listed[previous]["review"] == "rejected"
        and listed[previous]["review_reason"] == "sitio de la administración 2022-2024"
    )
    table = runner.invoke(app, ["municipios", "candidatos", "acambay", *common], env={"COLUMNS": "400"}).stdout
    assert "rechazado por Luis Gómez" in table and "no resuelve" in table

    # the exported registry carries the pinned website and its source, other rows unchanged
    out = tmp_path / "padron-exportado.csv"
    cli("exportar", "--out", str(out), *common)
    with out.open(encoding="utf-8", newline="") as fh:
        rows = {r["inegi_code"]: r for r in csv.DictReader(fh)}
    assert rows["15108"]["website"] == valid
    assert rows["15108"]["website_source"] == f"descubrimiento; fijado por Ana Pérez el {today}"
    assert rows["15108"]["verified_on"] == today
    assert rows["15054"]["website"] == f"http://www.metepec.gob.mx.test:{port}/" and rows["15118"]["website"] == ""


def test_discovery_refuses_loopback_without_the_flag(sample):
    port, common, probe = sample
    guarded = [a for a in probe if a != "--allow-private-network"]
    entry = json.loads(cli("descubrir", "tultepec", *guarded, "--json", *common).stdout)[0]
    assert entry["proposal"] is None
    assert {c["verdict"] for c in entry["candidates"]} == {"not_verifiable"}
    assert "no pública" in by_url(entry)[f"http://www.tultepec.gob.mx.test:{port}/"]["reason"]


def test_reviewer_errors_are_spanish():
    result = runner.invoke(app, ["municipios", "rechazar", "tultepec", "http://x.gob.mx/", "--revisor", "Ana"])
    assert result.exit_code == 2 and "--motivo" in result.stderr
    result = runner.invoke(app, ["municipios", "fijar", "tultepec", "x.gob.mx", "--revisor", "Ana"])
    assert result.exit_code == 2 and "no es una URL válida" in result.stderr


def test_municipios_still_lists_the_125():
    assert len(json.loads(cli("--json").stdout)) == 125
