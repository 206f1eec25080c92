"""A finding as stored: what it concludes, once per hash, apart from the fetches its evidence cites.

A finding's JSON splits into its *content* (status, message, evidence: URLs, body hashes, matched text,
screenshots…) and its *fetches* (each evidence item's WARC record, WARC file and fetch time, which change every
night). The content is stored once per SHA-256 of its canonical JSON (`finding_contents`): an unchanged site
gives the same content night after night, and each night's row keeps only its own fetches. `join` puts the
finding back together exactly.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

FETCH_FIELDS = ("warc_record_id", "warc_file", "fetched_at")


def _objects(value) -> Iterator[dict]:
    """Every JSON object in `value`, depth first, keys in sorted order (the same walk before and after)."""
    if isinstance(value, dict):
        yield value
        for key in sorted(value):
            yield from _objects(value[key])
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item)


def split(data: dict) -> tuple[dict, list[list]]:
    """(content, fetches): `fetches` lists [object index, record id, WARC file, fetch time] in walk order."""
    content = json.loads(json.dumps(data))  # a copy: the caller's finding is left alone
    fetches = []
    for index, obj in enumerate(_objects(content)):
        if any(name in obj for name in FETCH_FIELDS):
            fetches.append([index, *(obj.pop(name, None) for name in FETCH_FIELDS)])
    return content, fetches


def join(content: dict, fetches: list[list]) -> dict:
    data = json.loads(json.dumps(content))
    pending = {entry[0]: entry[1:] for entry in fetches}
    for index, obj in enumerate(_objects(data)):
        if index in pending:
            obj.update(
                {name: value for name, value in zip(FETCH_FIELDS, pending[index], strict=True) if value is not None}
            )
    return data


def digest(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
