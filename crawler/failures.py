"""Why a fetch failed: a class the auditors can test (`ResourceArtifact.failure`) and a Spanish sentence a
reviewer can read (`ResourceArtifact.error`: the sentence, then the technical detail after a colon).

Scrapy reports failures as exceptions of many kinds (Twisted's, its own, the middlewares' IgnoreRequest with a
message); they are told apart by type name and message, which keeps this independent of Scrapy's versions.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from crawler.netguard import REFUSED

MESSAGES = {
    "timeout": "tiempo de espera agotado",
    "too_large": "respuesta demasiado grande",
    "redirect_loop": "bucle de redirecciones",
    "too_many_redirects": "demasiadas redirecciones",
    "private_address": "lleva a una dirección de red privada o local",
    "robots": "prohibido por robots.txt del sitio",
    "dns": "el nombre del servidor no se pudo resolver (DNS)",
    "connection": "la conexión se rechazó o se interrumpió",
    "tls": "falló la conexión segura (TLS)",
    "scheme": "esquema de dirección no permitido",
    "other": "la descarga falló",
}
REDIRECT_LOOP = "redirect loop"  # RedirectLoopMiddleware's IgnoreRequest message starts with it


def classify(type_name: str, message: str, url: str) -> str:
    """The failure class of an exception (type name and message) raised while fetching `url`."""
    text = f"{type_name} {message}".lower()
    if "robots.txt" in text:
        return "robots"
    if REDIRECT_LOOP in text:
        return "redirect_loop"
    if "max redirections" in text:
        return "too_many_redirects"
    if "no pública" in text:
        return "private_address"
    if "esquema no permitido" in text or "unsupportedurlscheme" in text:
        return "scheme"
    if "max size" in text or "maxsize" in text:
        return "too_large"
    if "timeout" in text or "timedout" in text or "took longer than" in text:
        return "timeout"
    if "dnslookup" in text or "cannotresolvehost" in text or "dns lookup" in text:
        return "private_address" if (urlsplit(url).hostname or "").lower() in REFUSED else "dns"
    if "ssl" in text or "tls" in text or "certificate" in text:
        return "tls"
    if "connection" in text or "responseneverreceived" in text or "dataloss" in text or "refused" in text:
        return "connection"
    return "other"


def describe(failure) -> tuple[str, str]:
    """(class, Spanish error text) of a Twisted failure given to a request's errback."""
    type_name, message = failure.type.__name__, failure.getErrorMessage()
    kind = classify(type_name, message, failure.request.url)
    detail = message
    if kind == "private_address" and (address := REFUSED.get((urlsplit(failure.request.url).hostname or "").lower())):
        detail = f"{urlsplit(failure.request.url).hostname} resuelve a {address}; {message}"
    return kind, f"{MESSAGES[kind]}: {type_name}: {detail}"[:1000]
