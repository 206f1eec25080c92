"""Signed, timestamped WACZ files, per Webrecorder's "WACZ Signing and Verification" 0.1.0, with `authsign`.

The run's WACZ carries `datapackage-digest.json` = {"path": "datapackage.json", "hash": "sha256:…"}. Signing
adds `signedData`: the hash signed (ECDSA P-256) with the operator's key, the certificate chain of that key
(`domainCert`, the signing certificate first, its root last), an RFC 3161 timestamp over the signature
(`timeSignature`) and the authority's certificate (`timestampCert`). Third-party tools check it as they check
any signed WACZ (`wacz validate --verify-auth`, ReplayWeb.page), and so does `apertura verify`.

Configuration (environment, as every other setting of a night):

    APERTURA_FIRMA_CERT    PEM file: signing certificate (CN = the signing domain) and its chain up to the root
    APERTURA_FIRMA_CLAVE   PEM file: its EC private key (P-256); APERTURA_FIRMA_CLAVE_FRASE if encrypted
    APERTURA_TSA_URL       RFC 3161 time-stamping authority (also used for bundle manifests)
    APERTURA_FIRMA_RAICES  optional: SHA-256 fingerprints (comma-separated) of the roots `verify` trusts,
                           besides authsign's own list (Let's Encrypt, public TSAs)

Without a certificate and key the WACZ stays unsigned, and the evidence bundle says so.

Whether a root deserves trust is for the reviewer when no trust list is configured: `check` proves that the
signature and the timestamp are valid for these bytes and names the domain and the roots' fingerprints; with
APERTURA_FIRMA_RAICES set, a root outside that list (and authsign's) is a problem.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import logging
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Protocol

import yaml
from authsign import crypto
from authsign.signer import Timestamper
from authsign.utils import STAMP_DURATION, load_yaml, no_older_then
from authsign.verifier import DEFAULT_TRUSTED_ROOTS, Verifier
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from apertura import __version__

DIGEST = "datapackage-digest.json"
DATAPACKAGE = "datapackage.json"
SPEC_VERSION = "0.1.0"
CERT_ENV, KEY_ENV, PASSPHRASE_ENV = "APERTURA_FIRMA_CERT", "APERTURA_FIRMA_CLAVE", "APERTURA_FIRMA_CLAVE_FRASE"
TSA_ENV, ROOTS_ENV = "APERTURA_TSA_URL", "APERTURA_FIRMA_RAICES"


class SigningError(Exception):
    """The WACZ could not be signed or the configuration is incomplete; the message (Spanish) says which."""


@dataclass(frozen=True)
class SigningConfig:
    cert_pem: bytes
    key: ec.EllipticCurvePrivateKey
    tsa_url: str

    @property
    def domain(self) -> str:
        return crypto.get_cert_subject_name(crypto.load_cert(self.cert_pem))


@dataclass
class SignatureCheck:
    signed: bool = False
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def configured(environ: dict[str, str] | None = None) -> SigningConfig | None:
    """The signing configuration from the environment; None when no certificate nor key is set."""
    env = os.environ if environ is None else environ
    cert, key = env.get(CERT_ENV), env.get(KEY_ENV)
    if not cert and not key:
        return None
    if not cert or not key:
        raise SigningError(
            f"para firmar el WACZ configure {CERT_ENV} y {KEY_ENV} (falta {KEY_ENV if cert else CERT_ENV})"
        )
    if not env.get(TSA_ENV):
        raise SigningError(f"para firmar el WACZ configure {TSA_ENV}: la firma lleva un sello de tiempo RFC 3161")
    passphrase = env.get(PASSPHRASE_ENV)
    try:
        cert_pem = Path(cert).read_bytes()
        private_key = load_pem_private_key(Path(key).read_bytes(), password=passphrase.encode() if passphrase else None)
    except (OSError, ValueError, TypeError) as error:
        raise SigningError(f"no se pudo leer la llave o el certificado de firma ({cert}, {key}): {error}") from None
    if not isinstance(private_key, ec.EllipticCurvePrivateKey):
        raise SigningError(f"la llave de firma {key} debe ser ECDSA P-256 (la especificación WACZ no admite otras)")
    chain = crypto.validate_cert_chain(cert_pem)
    if not chain or chain[0].public_key().public_numbers() != private_key.public_key().public_numbers():
        raise SigningError(f"el certificado {cert} no corresponde a la llave {key} o su cadena no es válida")
    return SigningConfig(cert_pem, private_key, env[TSA_ENV])


def sign_wacz(path: Path, config: SigningConfig) -> dict:
    """Adds `signedData` to the WACZ's datapackage-digest.json (the archive is rewritten in place)."""
    with zipfile.ZipFile(path) as archive:
        digest = json.loads(archive.read(DIGEST))
        created = json.loads(archive.read(DATAPACKAGE))["created"]
    signature = crypto.sign(digest["hash"], config.key)
    try:
        time_signature, stamped_at, tsa_pem = Timestamper(config.tsa_url)(signature)
    except Exception as error:  # rfc3161ng raises ValueError, requests errors, ASN.1 errors alike
        raise SigningError(
            f"la autoridad de sellado de tiempo {config.tsa_url} no selló la firma del WACZ: {error}"
        ) from None
    if not no_older_then(_parse(created), stamped_at, STAMP_DURATION):
        raise SigningError(
            f"el sello de tiempo ({stamped_at:%Y-%m-%d %H:%M:%S}) no es posterior y cercano a la creación del WACZ ({created})"
        )
    digest["signedData"] = {
        "hash": digest["hash"],
        "created": created,
        "software": f"Apertura/{__version__} (authsign)",
        "version": SPEC_VERSION,
        "signature": signature,
        "domain": config.domain,
        "domainCert": config.cert_pem.decode("ascii"),
        "timeSignature": time_signature.decode("ascii"),
        "timestampCert": tsa_pem,
    }
    _replace_member(path, DIGEST, json.dumps(digest, indent=2).encode("utf-8"))
    return digest["signedData"]


def check(wacz: Path | IO[bytes], environ: dict[str, str] | None = None) -> SignatureCheck:
    """Checks a WACZ's datapackage digest and, when present, its signature and timestamp."""
    result = SignatureCheck()
    try:
        with zipfile.ZipFile(wacz) as archive:
            digest = json.loads(archive.read(DIGEST))
            datapackage_bytes = archive.read(DATAPACKAGE)
    except (KeyError, ValueError, zipfile.BadZipFile, OSError) as error:
        result.problems.append(f"no se pudo leer {DIGEST} o {DATAPACKAGE}: {error}")
        return result
    if digest.get("hash") != "sha256:" + hashlib.sha256(datapackage_bytes).hexdigest():
        result.problems.append(f"{DATAPACKAGE} no coincide con el hash de {DIGEST}")
    signed = digest.get("signedData")
    if not signed:
        result.notes.append("sin firma (el WACZ no lleva signedData)")
        return result
    result.signed = True
    if signed.get("hash") != digest.get("hash"):
        result.problems.append("la firma corresponde a otro datapackage.json (hash distinto)")
    if signed.get("created") != json.loads(datapackage_bytes).get("created"):
        result.problems.append("la fecha firmada no es la fecha de creación del WACZ")
    try:
        chain = crypto.validate_cert_chain(signed["domainCert"].encode("ascii"))
        stamp_chain = crypto.validate_cert_chain(signed["timestampCert"].encode("ascii"))
        if not chain or not stamp_chain:
            raise ValueError("cadena de certificados inválida")
        lifetime = chain[0].not_valid_after_utc - chain[0].not_valid_before_utc
        verified, failed = _verify(
            signed, [crypto.get_fingerprint(chain[-1])], [crypto.get_fingerprint(stamp_chain[-1])], lifetime
        )
    except (KeyError, ValueError, TypeError) as error:
        result.problems.append(f"la firma del WACZ está incompleta o mal formada: {error}")
        return result
    if verified is None:
        result.problems.append(f"la firma del WACZ no es válida (falló: {failed})")
        return result
    domain_root, stamp_root = crypto.get_fingerprint(chain[-1]), crypto.get_fingerprint(stamp_chain[-1])
    result.notes.append(
        f"firma válida de «{verified.observer}», sellada el {verified.timestamp} por "
        f"«{stamp_chain[0].subject.rfc4514_string()}»; huellas SHA-256 de las raíces: firma {domain_root}, sello {stamp_root}"
    )
    trusted = _trusted_roots(environ)
    configured_list = (os.environ if environ is None else environ).get(ROOTS_ENV)
    for label, root in (("de la firma", domain_root), ("del sello de tiempo", stamp_root)):
        if root not in trusted:
            message = f"la raíz {label} ({root}) no está entre las de confianza"
            if configured_list:
                result.problems.append(f"{message} ({ROOTS_ENV})")
            else:
                result.notes.append(f"{message}: juzgue su origen (configure {ROOTS_ENV} para exigirlo)")
    return result


class _Verified(Protocol):
    """What authsign's Verifier returns for a valid signature (its VerifiedResponse)."""

    observer: str
    timestamp: str


def _verify(signed: dict, domain_roots: list[str], stamp_roots: list[str], lifetime) -> tuple[_Verified | None, str]:
    """authsign's Verifier with these roots; returns (its response or None, the step that failed)."""
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as roots:
        yaml.safe_dump({"domain_cert_roots": domain_roots, "timestamp_cert_roots": stamp_roots}, roots)
    failures = _FailureLog()
    logger = logging.getLogger("authsign")
    logger.addHandler(failures)
    propagate, logger.propagate = logger.propagate, False
    try:
        return Verifier(roots.name, cert_duration=lifetime)(signed), ""
    except Exception:  # authsign asserts each step; the log names the one that failed
        return None, failures.last or "verificación de authsign"
    finally:
        logger.removeHandler(failures)
        logger.propagate = propagate
        os.unlink(roots.name)


class _FailureLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.last = ""

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if "\u2717" in text:
            self.last = text.split("\u2717", 1)[1].split("\033")[0].strip()[:300]


def _trusted_roots(environ: dict[str, str] | None) -> set[str]:
    env = os.environ if environ is None else environ
    defaults = load_yaml(DEFAULT_TRUSTED_ROOTS)
    listed = {r.strip().lower() for r in env.get(ROOTS_ENV, "").split(",") if r.strip()}
    return listed | set(defaults["domain_cert_roots"]) | set(defaults["timestamp_cert_roots"])


def _parse(created: str) -> datetime:
    return datetime.fromisoformat(created.replace("Z", "+00:00")).astimezone(UTC)


def _replace_member(path: Path, name: str, content: bytes) -> None:
    """Rewrites the ZIP with `name` replaced, keeping every other member's bytes and compression."""
    rewritten = path.with_name(path.name + ".firmando")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rewritten, "w") as target:
        for info in source.infolist():
            if info.filename == name:
                target.writestr(info, content)
            else:
                clone = copy.copy(info)
                with (
                    source.open(info) as member,
                    target.open(clone, "w", force_zip64=info.file_size > 0x7FFFFFFF) as out,
                ):
                    shutil.copyfileobj(member, out, 1 << 20)
    rewritten.replace(path)


def describe(signed: dict | None) -> dict:
    """What the bundle's manifest states about its WACZ's signature."""
    if not signed:
        return {
            "estado": "sin firma",
            "motivo": f"no se configuraron {CERT_ENV} y {KEY_ENV} al empaquetar la ejecución",
        }
    stamp = base64.b64decode(signed["timeSignature"])
    return {"estado": "firmado", "dominio": signed["domain"], "creado": signed["created"], "sello_bytes": len(stamp),
            "especificacion": f"WACZ Signing and Verification {SPEC_VERSION}"}  # fmt: skip


def signed_data(wacz: Path | IO[bytes]) -> dict | None:
    with zipfile.ZipFile(wacz) as archive:
        return json.loads(archive.read(DIGEST)).get("signedData")
