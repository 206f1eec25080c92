"""URL canonicalization and crawler-trap limits: one URL per resource, however the site spells it."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

SESSION_PARAMS = {"phpsessid", "jsessionid", "sid", "sessionid", "session_id", "cfid", "cftoken", "aspsessionid"}
PATH_SESSION = re.compile(r";(jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)
MAX_URL_LENGTH = 500
MAX_QUERY_PARAMS = 8
MAX_REPEATED_SEGMENT = 2  # /a/b/a/b/a/… is a relative-link loop


def canonical(url: str) -> str:
    """Drops session ids (query and `;jsessionid=` path forms) and the fragment; keeps the query's order,
    so the stored URL is the one the site links to (Scrapy's dupefilter still ignores the order)."""
    parts = urlsplit(PATH_SESSION.sub("", url))
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if any(k.lower() in SESSION_PARAMS for k, _ in pairs):
        query = urlencode([(k, v) for k, v in pairs if k.lower() not in SESSION_PARAMS])
    else:
        query = parts.query
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))


def trap_reason(url: str) -> str | None:
    """Why following `url` would likely never end (or None): too long, too many parameters, looping path."""
    if len(url) > MAX_URL_LENGTH:
        return "URL demasiado larga"
    parts = urlsplit(url)
    if len(parse_qsl(parts.query, keep_blank_values=True)) > MAX_QUERY_PARAMS:
        return "demasiados parámetros"
    segments = [s for s in parts.path.split("/") if s]
    if any(segments.count(s) > MAX_REPEATED_SEGMENT for s in set(segments)):
        return "segmentos de ruta repetidos"
    return None
