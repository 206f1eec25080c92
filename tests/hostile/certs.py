"""Certificates generated at test time: a test CA, and leaf certificates good, expired, self-signed or for another name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject: str, issuer: str, key, signer, *, ca: bool, days: tuple[int, int], san: str | None):
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + timedelta(days=days[0]))
        .not_valid_after(now + timedelta(days=days[1]))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if san:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(san)]), critical=False)
    return builder.sign(signer, hashes.SHA256())


def _write(directory: Path, name: str, cert, key) -> tuple[Path, Path]:
    cert_path, key_path = directory / f"{name}.pem", directory / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def make_certificates(directory: Path, hosts: dict[str, str]) -> tuple[Path, dict[str, tuple[Path, Path]]]:
    """`hosts`: host -> "valid" | "expired" | "self_signed" | "wrong_host". Returns the CA file and each (cert, key)."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("Apertura Test CA", "Apertura Test CA", ca_key, ca_key, ca=True, days=(-1, 30), san=None)
    ca_path, _ = _write(directory, "ca", ca, ca_key)
    issued = {}
    for host, kind in hosts.items():
        key = ec.generate_private_key(ec.SECP256R1())
        days = (-60, -1) if kind == "expired" else (-1, 30)
        san = "otro-sitio.example" if kind == "wrong_host" else host
        if kind == "self_signed":
            cert = _certificate(host, host, key, key, ca=False, days=days, san=san)
        else:
            cert = _certificate(san, "Apertura Test CA", key, ca_key, ca=False, days=days, san=san)
        issued[host] = _write(directory, host, cert, key)
    return ca_path, issued
