"""A minimal RFC 3161 time-stamping authority on loopback, for tests (there is no internet here).

It answers `application/timestamp-query` POSTs with a granted TimeStampResp: a CMS SignedData over a
TSTInfo (the request's message imprint and nonce), signed with RSA/SHA-256 by a self-signed certificate
that is embedded in the token. DER is written by hand; the request is parsed with rfc3161ng.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import rfc3161ng
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from pyasn1.codec.der import encoder
from pyasn1.type import univ

SHA256 = "2.16.840.1.101.3.4.2.1"
RSA = "1.2.840.113549.1.1.1"
SIGNED_DATA = "1.2.840.113549.1.7.2"
TST_INFO = "1.2.840.113549.1.9.16.1.4"
CONTENT_TYPE = "1.2.840.113549.1.9.3"
MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
POLICY = "1.3.6.1.4.1.99999.1"
SUBJECT = "Autoridad de sellado de pruebas de Apertura"


def _tlv(tag: int, content: bytes) -> bytes:
    n = len(content)
    length = (
        bytes([n])
        if n < 0x80
        else bytes([0x80 | ((n.bit_length() + 7) // 8)]) + n.to_bytes((n.bit_length() + 7) // 8, "big")
    )
    return bytes([tag]) + length + content


def seq(*parts: bytes) -> bytes:
    return _tlv(0x30, b"".join(parts))


def set_of(*parts: bytes) -> bytes:
    return _tlv(0x31, b"".join(sorted(parts)))


def oid(dotted: str) -> bytes:
    return encoder.encode(univ.ObjectIdentifier(dotted))


def integer(value: int) -> bytes:
    return encoder.encode(univ.Integer(value))


def algorithm(dotted: str) -> bytes:
    return seq(oid(dotted), b"\x05\x00")


class Authority:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, SUBJECT)])
        now = datetime.now(UTC)
        self.certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=365))
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        self.serial = 0

    def respond(self, query: bytes) -> bytes:
        request = rfc3161ng.decode_timestamp_request(query)
        self.serial += 1
        tst_info = seq(
            integer(1),
            oid(POLICY),
            encoder.encode(request["messageImprint"]),
            integer(self.serial),
            _tlv(0x18, datetime.now(UTC).strftime("%Y%m%d%H%M%SZ").encode()),
            integer(int(request["nonce"])) if request["nonce"].isValue else b"",
        )
        attributes = [
            seq(oid(CONTENT_TYPE), set_of(oid(TST_INFO))),
            seq(oid(MESSAGE_DIGEST), set_of(_tlv(0x04, hashlib.sha256(tst_info).digest()))),
        ]
        signature = self.key.sign(set_of(*attributes), padding.PKCS1v15(), hashes.SHA256())
        signer_info = seq(
            integer(1),
            seq(self.certificate.issuer.public_bytes(), integer(self.certificate.serial_number)),
            algorithm(SHA256),
            _tlv(0xA0, b"".join(sorted(attributes))),
            algorithm(RSA),
            _tlv(0x04, signature),
        )
        signed_data = seq(
            integer(3),
            set_of(algorithm(SHA256)),
            seq(oid(TST_INFO), _tlv(0xA0, _tlv(0x04, tst_info))),
            _tlv(0xA0, self.certificate.public_bytes(serialization.Encoding.DER)),
            set_of(signer_info),
        )
        token = seq(oid(SIGNED_DATA), _tlv(0xA0, signed_data))
        return seq(seq(integer(0)), token)


@contextlib.contextmanager
def serve_tsa():
    """Yields the URL of a running authority."""
    authority = Authority()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            query = self.rfile.read(int(self.headers["Content-Length"]))
            body = authority.respond(query)
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    finally:
        server.shutdown()
        server.server_close()
