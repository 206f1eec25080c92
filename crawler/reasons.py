"""Why a fetch failed, in plain Spanish, with the technical detail kept after it for the evidence note."""

from __future__ import annotations

from scrapy import exceptions as scrapy_errors
from scrapy.exceptions import IgnoreRequest
from twisted.internet import error as net
from twisted.internet.defer import TimeoutError as DeferredTimeout
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from crawler.netguard import BlockedAddress

PRIVATE_HINT = "Apertura no consulta direcciones privadas ni de loopback (solo con --allow-private-network, para pruebas)"
# Checked in order: a subclass before its parent (BlockedAddress is a DNSLookupError).
REASONS: list[tuple[tuple[type[BaseException], ...], str]] = [
    ((net.DNSLookupError, getattr(scrapy_errors, "CannotResolveHostError", net.DNSLookupError)), "no se encontró el servidor: su nombre no existe en el DNS"),
    ((net.ConnectionRefusedError, getattr(scrapy_errors, "DownloadConnectionRefusedError", net.ConnectionRefusedError)), "el servidor rechazó la conexión (no hay un servicio web escuchando)"),
    ((net.TimeoutError, net.TCPTimedOutError, DeferredTimeout, getattr(scrapy_errors, "DownloadTimeoutError", DeferredTimeout)), "el servidor no respondió a tiempo"),
    ((net.NoRouteError, net.ConnectError), "no se pudo establecer la conexión con el servidor"),
    ((ResponseNeverReceived, ResponseFailed, net.ConnectionLost, net.ConnectionDone,
      getattr(scrapy_errors, "ResponseDataLossError", ResponseFailed)), "el servidor cerró la conexión sin responder"),
]


def describe(error: BaseException) -> str:
    """"el servidor rechazó la conexión (detalle técnico: ConnectionRefusedError: …)"."""
    technical = f"{type(error).__name__}: {error}".strip()
    if isinstance(error, BlockedAddress):
        return f"{error.args[0] if error.args else error}: {PRIVATE_HINT}"
    if isinstance(error, IgnoreRequest) and str(error):
        return f"solicitud descartada: {error}" + (f": {PRIVATE_HINT}" if "no pública" in str(error) else "")
    spanish = next((text for types, text in REASONS if isinstance(error, types)), "no se pudo descargar")
    if "SSL" in technical or "TLS" in technical or "certificate" in technical:
        spanish = "falló la conexión segura (TLS) con el servidor"
    return f"{spanish} (detalle técnico: {technical})"
