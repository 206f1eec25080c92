"""Signed WACZ files (WACZ Signing and Verification 0.1.0 via authsign): a real key, a real RFC 3161 authority
on loopback, the real `wacz` packaging; tampering, stale stamps and untrusted roots are caught."""

from __future__ import annotations

import base64
import json
import zipfile
from datetime import timedelta

import pytest
from authsign.verifier import Verifier

from apertura.evidence import signing, webarchive
from tests.signing_keys import DOMAIN, write_signing_pki
from tests.test_webarchive import write_warc
from tests.tsa import SUBJECT, serve_tsa


@pytest.fixture
def pki(tmp_path):
    env = write_signing_pki(tmp_path / "pki")
    return env.pop("root_fingerprint"), env


def packaged(tmp_path, monkeypatch, env: dict[str, str]) -> tuple:
    directory = tmp_path / "run-7"
    directory.mkdir(parents=True)
    write_warc(directory / "run-7-00000.warc.gz", "http://www.metepec.gob.mx.test/")
    for name in (signing.CERT_ENV, signing.KEY_ENV, signing.TSA_ENV, signing.ROOTS_ENV):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return webarchive.package(directory)


def digest_of(wacz) -> dict:
    with zipfile.ZipFile(wacz) as archive:
        return json.loads(archive.read(signing.DIGEST))


def rewrite(wacz, target, digest: dict) -> None:
    with zipfile.ZipFile(wacz) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            out.writestr(info, json.dumps(digest) if info.filename == signing.DIGEST else source.read(info))


def test_a_configured_key_signs_the_wacz_and_verification_passes(tmp_path, monkeypatch, pki):
    root, env = pki
    with serve_tsa() as tsa_url:
        wacz = packaged(tmp_path, monkeypatch, {**env, signing.TSA_ENV: tsa_url})
    signed = digest_of(wacz)["signedData"]
    assert signed["hash"] == digest_of(wacz)["hash"] and signed["domain"] == DOMAIN and signed["version"] == "0.1.0"
    with zipfile.ZipFile(wacz) as archive:
        assert signed["created"] == json.loads(archive.read("datapackage.json"))["created"]
        assert any(n.startswith("archive/") for n in archive.namelist())  # the WARCs survived the rewrite
    # authsign's own verifier, trusting our test roots, accepts it: third-party tools read the same fields
    roots = tmp_path / "roots.yaml"
    stamp_root = signing.crypto.get_fingerprint(
        signing.crypto.validate_cert_chain(signed["timestampCert"].encode())[-1]
    )
    roots.write_text(f"domain_cert_roots: [{root}]\ntimestamp_cert_roots: [{stamp_root}]\n")
    assert Verifier(str(roots), cert_duration=timedelta(days=90))(signed).observer == DOMAIN

    result = signing.check(wacz, {})
    assert result.signed and result.problems == []
    assert f"firma válida de «{DOMAIN}»" in result.notes[0] and SUBJECT in result.notes[0]
    assert any("no está entre las de confianza: juzgue su origen" in n for n in result.notes)
    trusted = signing.check(wacz, {signing.ROOTS_ENV: f"{root},{stamp_root}"})
    assert trusted.problems == [] and not any("confianza" in n for n in trusted.notes)
    assert "juzgue" not in " ".join(trusted.notes)
    untrusted = signing.check(wacz, {signing.ROOTS_ENV: "00" * 32})
    assert any("no está entre las de confianza" in p for p in untrusted.problems)


def test_a_tampered_signature_or_digest_fails(tmp_path, monkeypatch, pki):
    _, env = pki
    with serve_tsa() as tsa_url:
        wacz = packaged(tmp_path, monkeypatch, {**env, signing.TSA_ENV: tsa_url})
    digest = digest_of(wacz)
    forged = {**digest, "signedData": {**digest["signedData"], "signature": base64.b64encode(b"x" * 70).decode()}}
    rewrite(wacz, tmp_path / "forged.wacz", forged)
    result = signing.check(tmp_path / "forged.wacz", {})
    assert result.signed and any("la firma del WACZ no es válida" in p for p in result.problems)
    other = {**digest, "hash": "sha256:" + "0" * 64}
    rewrite(wacz, tmp_path / "other.wacz", other)
    problems = signing.check(tmp_path / "other.wacz", {}).problems
    assert "datapackage.json no coincide con el hash de datapackage-digest.json" in problems
    assert "la firma corresponde a otro datapackage.json (hash distinto)" in problems


def test_without_a_key_the_wacz_is_unsigned_and_says_so(tmp_path, monkeypatch):
    wacz = packaged(tmp_path, monkeypatch, {})
    assert "signedData" not in digest_of(wacz)
    result = signing.check(wacz, {})
    assert not result.signed and result.problems == [] and "sin firma" in result.notes[0]
    assert signing.describe(None)["estado"] == "sin firma"


def test_incomplete_configuration_or_a_silent_authority_stops_packaging(tmp_path, monkeypatch, pki):
    _, env = pki
    with pytest.raises(signing.SigningError, match="APERTURA_FIRMA_CLAVE"):
        signing.configured({signing.CERT_ENV: env[signing.CERT_ENV]})
    with pytest.raises(signing.SigningError, match="APERTURA_TSA_URL"):
        signing.configured({**env})
    with pytest.raises(webarchive.PackagingError, match="no se pudo firmar"):
        packaged(tmp_path, monkeypatch, {**env, signing.TSA_ENV: "http://127.0.0.1:9/tsa"})
    assert sorted(p.name for p in (tmp_path / "run-7").iterdir()) == ["run-7-00000.warc.gz"]  # WARCs kept


def test_verify_command_checks_a_lone_wacz(tmp_path, monkeypatch, pki):
    from typer.testing import CliRunner

    from apertura.cli.main import app

    _, env = pki
    with serve_tsa() as tsa_url:
        wacz = packaged(tmp_path, monkeypatch, {**env, signing.TSA_ENV: tsa_url})
    runner = CliRunner()
    ok = runner.invoke(app, ["verify", str(wacz)])
    assert ok.exit_code == 0 and "firma válida" in ok.output and "su firma es válida" in " ".join(ok.output.split())
    digest = digest_of(wacz)
    forged = {**digest, "signedData": {**digest["signedData"], "domain": "otro.test"}}
    rewrite(wacz, tmp_path / "forged.wacz", forged)
    failed = runner.invoke(app, ["verify", str(tmp_path / "forged.wacz")])
    assert failed.exit_code == 1 and "la firma del WACZ no es válida" in " ".join(failed.output.split())
    for name in (signing.CERT_ENV, signing.KEY_ENV):
        monkeypatch.delenv(name)
    unsigned = packaged(tmp_path / "sin", monkeypatch, {})
    plain = runner.invoke(app, ["verify", str(unsigned)])
    assert plain.exit_code == 0 and "no está firmado" in " ".join(plain.output.split())
