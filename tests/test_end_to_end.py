"""End to end over real HTTP on loopback: crawl the sample web, audit, store, report; recheck and export."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from apertura.reporting.reports import crawl_status_text, score_text
from tests.conftest import ROOT, run_apertura


def report(sample_run, code: str) -> dict:
    return json.loads((sample_run["out"] / f"{code}.json").read_text(encoding="utf-8"))


def finding(sample_run, code: str, rule_id: str) -> dict:
    return next(f for f in report(sample_run, code)["findings"] if f["rule_id"] == rule_id)


def test_every_sample_municipality_gets_json_and_html_reports(sample_run):
    for code in ("15054", "15001", "15125", "15123"):
        data = report(sample_run, code)
        assert data["fecha_corte"] == "2026-11-24" and data["catalog"] == "ltaipemym-2016"
        assert len(data["findings"]) >= 150
        html = (sample_run["out"] / f"{code}.html").read_text(encoding="utf-8")
        # an unreachable site's report is one screen without the list of findings (issue 21)
        assert (
            data["name"] in html and ("Hallazgos" if data["crawl_status"] == "ok" else "Sitio no consultable") in html
        )
    assert "Ejecución 1 terminada: 4 municipios; rastreos: correcto: 3, inaccesible: 1." in sample_run["stdout"]


def test_the_run_ends_with_a_summary_row_per_municipality(sample_run):
    summary = sample_run["stdout"].split("Resumen de la ejecución", 1)[1]
    rows = {line.split("│")[1].strip(): line for line in summary.splitlines() if re.match(r"│ \d{5} ", line)}
    assert set(rows) == {"15054", "15001", "15125", "15123"}
    for code, line in rows.items():
        data = report(sample_run, code)
        cells = [cell.strip() for cell in line.split("│")[1:-1]]
        assert cells[1] and data["name"].startswith(cells[1])  # long names wrap onto the next line
        assert cells[2] == crawl_status_text(data["crawl_status"])
        assert cells[3:] == [score_text(s["value"]) for s in data["scores"]]


def test_metepec_publishes_and_is_found_with_evidence(sample_run):
    marco = finding(sample_run, "15054", "ltaipemym.92.I")
    assert marco["status"] == "compliant"
    evidence = marco["evidence"][0]
    assert evidence["url"].startswith("http://www.metepec.gob.mx.test:")
    assert len(evidence["sha256"]) == 64 and evidence["fetched_at"] and evidence["matched"]
    assert finding(sample_run, "15054", "norm.bando_municipal")["status"] == "compliant"
    # The request systems are linked at their real addresses, which the suite never fetches: not verifiable.
    assert finding(sample_run, "15054", "part.solicitud_informacion")["status"] == "not_verifiable"
    assert finding(sample_run, "15054", "tic.viewport")["status"] == "compliant"
    # plain HTTP on the sample web: the absence of HTTPS is a finding, not an error
    assert finding(sample_run, "15054", "tic.https")["status"] == "non_compliant"


def test_acambay_outdated_and_missing_obligations(sample_run):
    assert finding(sample_run, "15001", "norm.bando_municipal")["status"] == "partial"  # Bando 2023
    assert "desactualizado" in finding(sample_run, "15001", "norm.bando_municipal")["message"]
    assert finding(sample_run, "15001", "norm.plan_desarrollo_municipal")["status"] == "partial"  # PDM 2022-2024
    assert finding(sample_run, "15001", "tic.lang")["status"] == "non_compliant"
    salaries = finding(sample_run, "15001", "ltaipemym.92.VIII")
    assert salaries["status"] == "non_compliant"
    [absence] = salaries["evidence"]
    assert absence["kind"] == "absence" and absence["resources_examined"] > 5 and absence["searched"]
    assert finding(sample_run, "15001", "ltaipemym.79")["status"] == "partial"  # link only in the footer


def test_tonanitla_broken_links_and_soft_404_are_not_publication(sample_run):
    transparency = finding(sample_run, "15125", "ltaipemym.79")
    assert transparency["status"] == "partial"
    directory = finding(sample_run, "15125", "ltaipemym.92.VII")
    assert directory["status"] == "non_compliant" and "404" in directory["evidence"][0]["note"]  # a broken link: 0
    bando = finding(sample_run, "15125", "norm.bando_municipal")
    assert bando["status"] == "non_compliant" and "solo se menciona" in bando["message"]
    for rule_id, note in (
        ("ltaipemym.94.II.a", "marcador de posición"),
        ("ltaipemym.94.I.a", "marcador de posición"),
        ("ltaipemym.94.II.b", "error del servidor"),
    ):
        placeholder = finding(sample_run, "15125", rule_id)
        assert placeholder["status"] == "non_compliant", rule_id
        assert any(note in (e.get("note") or "") for e in placeholder["evidence"]), (rule_id, placeholder["evidence"])
    assert finding(sample_run, "15125", "tic.viewport")["status"] == "non_compliant"


def test_a_site_that_is_down_is_not_verifiable_never_non_compliant(sample_run):
    data = report(sample_run, "15123")
    assert data["crawl_status"] == "unreachable" and "la conexión se rechazó" in data["crawl_reason"]
    assert "ConnectionRefusedError" in data["crawl_reason"]  # the technical reason stays, after the Spanish one
    statuses = {f["status"] for f in data["findings"]}
    assert statuses <= {"not_verifiable", "not_applicable"}
    assert all(score["value"] is None for score in data["scores"])
    assert "Estado del rastreo: inaccesible" in (sample_run["out"] / "15123.html").read_text(encoding="utf-8")


def test_agreement_with_the_labelled_sample_web_does_not_regress(sample_run):
    labels = yaml.safe_load((ROOT / "sample_web" / "labels.yaml").read_text(encoding="utf-8"))
    agree = total = 0
    for code, municipality in labels["municipalities"].items():
        got = {f["rule_id"]: f["status"] for f in report(sample_run, code)["findings"]}
        for rule_id, expected in municipality["expected"].items():
            total += 1
            agree += got[rule_id] == expected
    assert total >= 100
    assert agree / total >= 0.9, f"{agree}/{total}"


def test_resources_are_stored_with_their_facts_and_bodies_once_per_hash(sample_run):
    db = sqlite3.connect(sample_run["db"].removeprefix("sqlite:///"))
    rows = db.execute(
        "SELECT r.url, r.final_url, r.status, r.content_type, r.size, r.sha256, r.fetched_at, c.run_id "
        "FROM resources r JOIN crawls c ON c.id = r.crawl_id WHERE c.inegi_code = '15054'"
    ).fetchall()
    assert len(rows) > 30
    ok = [r for r in rows if r[2] == 200]
    assert all(r[5] and len(r[5]) == 64 and r[6] and r[7] for r in ok)
    assert any(r[3] == "application/pdf" for r in rows)
    assert any(r[2] == 404 for r in rows)  # the dead link is stored as a fact
    bodies = db.execute("SELECT COUNT(*) FROM bodies").fetchone()[0]
    distinct = db.execute(
        "SELECT COUNT(*) FROM (SELECT sha256 FROM resources WHERE sha256 IS NOT NULL"
        " UNION SELECT screenshot_sha256 FROM resources WHERE screenshot_sha256 IS NOT NULL)"
    ).fetchone()[0]
    assert bodies == distinct  # pages, documents and screenshots: each body once
    assert not any("/wp-admin/" in r[0] for r in rows)  # robots.txt


class _Recorder(BaseHTTPRequestHandler):
    seen: list[tuple[str, str]] = []
    pages = {
        "/robots.txt": ("text/plain", "User-agent: *\nDisallow: /privado/\n"),
        "/": (
            "text/html",
            '<html lang="es"><title>H. Ayuntamiento</title><body><nav>'
            '<a href="/privado/nomina.html">Nómina</a> <a href="/marco.html">Marco Jurídico</a></nav></body></html>',
        ),
        "/marco.html": (
            "text/html",
            "<html><title>Marco jurídico</title><body>Leyes y reglamentos. "
            "Fecha de actualización: 15/10/2026</body></html>",
        ),
    }

    def do_GET(self):
        self.seen.append((self.path, self.headers.get("User-Agent", "")))
        content_type, body = self.pages.get(self.path, ("text/html", "<h1>404</h1>"))
        data = body.encode()
        self.send_response(200 if self.path in self.pages else 404)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.mark.slow
def test_recheck_and_export_against_any_site_on_loopback(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    registry = tmp_path / "padron.csv"
    registry.write_text(f"inegi_code,name,website,ipomex_url\n15106,Toluca,http://127.0.0.1:{server.server_port}/,\n")
    db = f"sqlite:///{tmp_path / 'a.sqlite'}"
    common = ("--registry", str(registry), "--db", db)
    try:
        refused = run_apertura("recheck", "toluca", *common, "--delay", "0", "--out", str(tmp_path))
        assert _Recorder.seen == []  # loopback is refused without --allow-private-network
        assert refused.returncode == 3, refused.stderr  # documented: the site could not be consulted
        assert "No se pudo consultar el sitio de Toluca" in " ".join(refused.stderr.split())
        refused_report = json.loads((tmp_path / "15106.json").read_text(encoding="utf-8"))
        assert "no pública" in refused_report["crawl_reason"] and "DNS" not in refused_report["crawl_reason"]
        recheck = run_apertura(
            "recheck", "TOLUCA", *common, "--allow-private-network", "--delay", "0", "--out", str(tmp_path)
        )
    finally:
        server.shutdown()
    assert recheck.returncode == 0, recheck.stderr
    assert "Warning" not in recheck.stderr and "Traceback" not in recheck.stderr, recheck.stderr  # no Python warnings
    paths = [path for path, _ in _Recorder.seen]
    assert "/robots.txt" in paths and "/marco.html" in paths and "/privado/nomina.html" not in paths
    assert all("Apertura/" in agent and "@" in agent and "http" in agent for _, agent in _Recorder.seen)
    out = tmp_path / "toluca.json"
    export = run_apertura("export", "15106", *common, "--format", "json", "--out", str(out))
    assert export.returncode == 0, export.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["inegi_code"] == "15106" and data["crawl_status"] == "ok"
    assert next(f for f in data["findings"] if f["rule_id"] == "ltaipemym.92.I")["status"] == "compliant"
    # the site cannot be reached again: the new report says so and keeps the last audit made with the site up
    again = run_apertura("recheck", "toluca", *common, "--delay", "0", "--out", str(tmp_path / "otra"))
    assert again.returncode == 3, again.stderr
    latest = json.loads((tmp_path / "otra" / "15106.json").read_text(encoding="utf-8"))
    assert latest["crawl_status"] == "unreachable" and latest["last_reachable"]["audit_id"] == data["audit_id"]
    assert "Última auditoría con el sitio accesible" in (tmp_path / "otra" / "15106.html").read_text(encoding="utf-8")
    assert "Última auditoría con el sitio accesible" in " ".join(again.stdout.split())


def test_audit_reruns_rules_without_network_and_unknown_names_fail_in_spanish(sample_run, sample_db_copy, tmp_path):
    common = ("--registry", str(sample_run["registry"]), "--db", sample_db_copy)  # a copy: it adds an audit
    audit = run_apertura("audit", "metepec", *common, "--fecha-corte", "2030-01-01", "--out", str(tmp_path))
    assert audit.returncode == 0, audit.stderr
    data = json.loads((tmp_path / "15054.json").read_text(encoding="utf-8"))
    assert data["fecha_corte"] == "2030-01-01"
    # the same stored Bando 2026 is outdated when judged in 2030
    assert next(f for f in data["findings"] if f["rule_id"] == "norm.bando_municipal")["status"] == "partial"
    unknown = run_apertura("recheck", "metepek", *common)
    assert unknown.returncode != 0 and "Metepec" in unknown.stderr and "No se encontró" in unknown.stderr
