"""The site's certificate checked explicitly against the system CA store.

Scrapy downloads without verifying certificates (so an expired certificate does not stop the crawl);
this module records whether the certificate *would* be trusted, as a fact for the `tic.https` check.
"""

from __future__ import annotations

import socket
import ssl
from datetime import UTC, datetime

from cryptography import x509
from cryptography.x509.oid import NameOID

from models.artifact import TlsFacts


def check_certificate(host: str, address: str, port: int = 443, timeout: float = 10.0) -> TlsFacts:
    """Handshake with `address:port` presenting `host` (SNI); blocking: call it in a thread."""
    try:
        der = _handshake(host, address, port, timeout, verify=False)
    except (OSError, ssl.SSLError) as error:
        return TlsFacts(checked=False, error=f"sin TLS en el puerto {port}: {error}"[:300])
    facts = _describe(der, host)
    try:
        _handshake(host, address, port, timeout, verify=True)
        facts.valid = True
    except ssl.SSLCertVerificationError as error:
        facts.error = _reason(error, facts)
    except (OSError, ssl.SSLError) as error:
        facts.error = f"verificación interrumpida: {error}"[:300]
    return facts


def _handshake(host: str, address: str, port: int, timeout: float, *, verify: bool) -> bytes:
    context = ssl.create_default_context()
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    with socket.create_connection((address, port), timeout=timeout) as raw:
        with context.wrap_socket(raw, server_hostname=host) as tls:
            der = tls.getpeercert(binary_form=True)
    if der is None:
        raise ssl.SSLError("el servidor no presentó certificado")
    return der


def _describe(der: bytes, host: str) -> TlsFacts:
    cert = x509.load_der_x509_certificate(der)
    not_after = cert.not_valid_after_utc
    issuer = cert.issuer.get_attributes_for_oid(NameOID.COMMON_NAME) or cert.issuer.get_attributes_for_oid(
        NameOID.ORGANIZATION_NAME
    )
    subject = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return TlsFacts(
        checked=True,
        hostname_match=_matches(cert, host),
        expired=not_after < datetime.now(UTC),
        not_after=not_after.isoformat(),
        issuer=str(issuer[0].value) if issuer else cert.issuer.rfc4514_string(),
        subject=str(subject[0].value) if subject else None,
    )


def _matches(cert: x509.Certificate, host: str) -> bool:
    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
            x509.DNSName
        )
    except x509.ExtensionNotFound:
        names = [str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    host = host.lower()
    for name in (n.lower() for n in names):
        if name == host or (name.startswith("*.") and host.count(".") == name.count(".") and host.endswith(name[1:])):
            return True
    return False


def _reason(error: ssl.SSLCertVerificationError, facts: TlsFacts) -> str:
    if facts.expired:
        return "certificado vencido"
    if facts.hostname_match is False:
        return "el certificado no corresponde al nombre del sitio"
    if error.verify_code in (18, 19):  # X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, SELF_SIGNED_CERT_IN_CHAIN
        return "certificado autofirmado"
    if error.verify_code == 20:  # X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
        return "emisor del certificado no reconocido"
    return f"certificado no válido: {error.verify_message}"
