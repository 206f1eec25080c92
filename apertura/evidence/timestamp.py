"""RFC 3161 trusted timestamps (rfc3161ng): obtain a token for some bytes, and check one later.

The check proves that the token was signed over these exact bytes by the certificate it carries; whether
that certificate belongs to a trusted authority is for the reviewer to judge from its subject and
fingerprint, which `check` returns.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

import rfc3161ng
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from pyasn1.codec.der import decoder, encoder
from pyasn1.error import PyAsn1Error

HASH = "sha256"


class TimestampError(Exception):
    """No valid token could be obtained or checked; the message (Spanish) names the authority or the cause."""


@dataclass(frozen=True)
class Stamp:
    time: datetime  # UTC, as stated by the authority
    authority: str  # subject of the signing certificate
    fingerprint: str  # SHA-256 of that certificate, hex


def request(url: str, data: bytes, timeout: float = 30) -> bytes:
    """A DER TimeStampToken over SHA-256(`data`) from the authority at `url`, checked before returning."""
    timestamper = rfc3161ng.RemoteTimestamper(url, hashname=HASH, include_tsa_certificate=True, timeout=timeout)
    nonce = secrets.randbits(62)
    try:
        token = timestamper(data=data, nonce=nonce)
    except (rfc3161ng.TimestampingError, ValueError, PyAsn1Error) as error:
        raise TimestampError(f"la autoridad de sellado de tiempo {url} no entregó un sello: {error}") from None
    if int(_decode(token).tst_info["nonce"]) != nonce:
        raise TimestampError(f"la autoridad de sellado de tiempo {url} respondió con otro nonce")
    check(token, data)
    return token


def check(token: bytes, data: bytes) -> Stamp:
    """Verifies that `token` stamps exactly `data` and that its signature matches its certificate."""
    try:
        rfc3161ng.check_timestamp(token, certificate=b"", data=data, hashname=HASH)
        certificate = x509.load_der_x509_certificate(encoder.encode(_decode(token).content["certificates"][0][0]))
        time = rfc3161ng.get_timestamp(token, naive=False)
    except Exception as error:  # rfc3161ng raises ValueError, AttributeError, crypto and ASN.1 errors alike
        raise TimestampError(f"el sello de tiempo no corresponde al contenido o no es válido: {error!r}") from None
    return Stamp(time, certificate.subject.rfc4514_string(), certificate.fingerprint(hashes.SHA256()).hex())


def _decode(token: bytes) -> rfc3161ng.TimeStampToken:
    return decoder.decode(token, asn1Spec=rfc3161ng.TimeStampToken())[0]
