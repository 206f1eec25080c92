"""Fetch one candidate home page, politely and behind the SSRF guard.

Why a plain synchronous client and not a Scrapy spider: discovery asks for one home page per URL
(a few dozen requests per municipality), with no frontier, robots-driven crawl or storage
pipeline to reuse, and Scrapy's reactor cannot restart within one process (the CLI and the tests
call discovery repeatedly). ``http.client`` on a socket connected to the address we checked keeps
the guard exact: every hop of a redirect is resolved once (``--hosts`` overrides first), refused
when non-public unless private networks are allowed, and then connected to that very address, so
a second DNS answer cannot slip past it. Certificates are not verified, as in the crawler: an
invalid certificate is a finding of the audit (``crawler/tls.py``), not a reason to miss the site.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from crawler import settings
from crawler.netguard import ALLOWED_SCHEMES, is_public

TIMEOUT = 10.0  # seconds, connect and each read
MAX_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 5
UNRESOLVED = "no resuelve"  # in the error of a name without DNS record
HEADERS = {"User-Agent": settings.USER_AGENT, **settings.DEFAULT_REQUEST_HEADERS}


@dataclass
class Fetch:
    url: str
    final_url: str
    status: int | None = None
    content_type: str = ""
    body: bytes = b""
    error: str | None = None  # Spanish: why nothing usable came back


class _Refused(Exception):
    """The request must not be made; the message is Spanish."""


def _address(host: str, port: int, hosts: dict[str, str], allow_private: bool) -> str:
    try:
        address = str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        address = hosts.get(host.lower()) or ""
        if not address:
            try:
                address = str(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][4][0])  # an IP (TCP)
            except (socket.gaierror, UnicodeError) as error:
                # a UnicodeError (an invalid IDNA name) has no strerror
                reason = (error.strerror if isinstance(error, socket.gaierror) else None) or error
                raise _Refused(f"el nombre {host} {UNRESOLVED} ({reason})") from None
    if not allow_private and not is_public(address):
        raise _Refused(f"{host} resuelve a {address}, una dirección no pública")
    return address


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        super().__init__(host, port, timeout=timeout, context=context)
        self.address, self.pinned_context = address, context

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.pinned_context.wrap_socket(sock, server_hostname=self.host)


def fetch_home(url: str, *, hosts: dict[str, str], allow_private: bool, timeout: float = TIMEOUT) -> Fetch:
    """GET ``url`` following up to MAX_REDIRECTS redirects; network problems land in ``error``."""
    result = Fetch(url=url, final_url=url)
    current = url
    try:
        for _ in range(MAX_REDIRECTS + 1):
            parts = urlsplit(current)
            if parts.scheme not in ALLOWED_SCHEMES or not parts.hostname:
                raise _Refused(f"URL no permitida: {current}")
            https = parts.scheme == "https"
            port = parts.port or (443 if https else 80)
            address = _address(parts.hostname, port, hosts, allow_private)
            connection = (_PinnedHTTPS if https else _PinnedHTTP)(parts.hostname, port, address, timeout)
            try:
                connection.request(
                    "GET", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), headers=HEADERS
                )
                response = connection.getresponse()
                result.final_url, result.status = current, response.status
                result.content_type = response.getheader("Content-Type", "")
                location = response.getheader("Location")
                if response.status in (301, 302, 303, 307, 308) and location:
                    current = urljoin(current, location)
                    continue
                result.body = response.read(MAX_BYTES)
                return result
            finally:
                connection.close()
        result.error = f"más de {MAX_REDIRECTS} redirecciones"
    except _Refused as error:
        result.error = str(error)
    except ssl.SSLError as error:
        result.error = f"falló la conexión TLS ({error.reason or error})"
    except TimeoutError:
        result.error = f"sin respuesta en {timeout:g} s"
    except ConnectionRefusedError:
        result.error = "conexión rechazada (nada escucha en el puerto)"
    except (OSError, http.client.HTTPException) as error:
        result.error = f"error de red ({type(error).__name__}: {error})"
    return result
