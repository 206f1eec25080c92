"""The registry ("padrón") of municipalities: bundled data, user CSV files, lookup by name or code.

Bundled data (built by ``apertura/registry/data/build_registry.py``, provenance in ``apertura/registry/data/PROVENANCE.md``):

* ``apertura/registry/data/municipios_edomex.csv`` — the 125 municipalities of the Estado de México (entity 15)
  with INEGI, CONAPO, CONEVAL and PNUD indicators and the (unverified) websites / IPOMEX URLs.
* ``apertura/registry/data/inegi_municipios_2020.csv`` — all 2,478 municipalities of Mexico (code, name,
  cabecera, population 2020), so a registry for any other state can be listed.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from apertura.errors import UserError
from models.municipality import Municipality
from models.text import normalize

DATA_DIR = Path(__file__).resolve().parent / "data"
EDOMEX_CSV = DATA_DIR / "municipios_edomex.csv"
INEGI_CSV = DATA_DIR / "inegi_municipios_2020.csv"
DEFAULT_STATE = "15"

# Columns of the bundled Edomex CSV and of Registry.write_csv(), in order.
CSV_COLUMNS = [
    "inegi_code",
    "name",
    "cabecera",
    "population_2020",
    "conapo_im_2020",
    "conapo_gm_2020",
    "coneval_irs_2020",
    "coneval_grs_2020",
    "pnud_idh_2020",
    "coneval_ictpc_2020",
    "website",
    "website_source",
    "ipomex_url",
    "ipomex_key",
    "ipomex4_id",
    "ipomex_source",
    "url_source",
    "domain_hint",
    "verified_on",
]
REQUIRED_COLUMNS = ("inegi_code", "name", "website", "ipomex_url")
# Fields a user registry inherits from the bundled data when its own value is empty.
ENRICHED_FIELDS = (
    "cabecera",
    "population_2020",
    "conapo_im_2020",
    "conapo_gm_2020",
    "coneval_irs_2020",
    "coneval_grs_2020",
    "pnud_idh_2020",
    "coneval_ictpc_2020",
)

_CODE_RE = re.compile(r"\d{5}")
_IPOMEX_INDEX_RE = re.compile(r"/indice/([^/?#]+)\.web(?:[?#]|$)")
_IPOMEX4_RE = re.compile(r"#/obligaciones/(\d+)")
_CODE_SUFFIX_RE = re.compile(r"\((\d{5})\)\s*$")
_MAX_SUGGESTIONS = 5


# --------------------------------------------------------------------------- helpers


def normalize_state(state: str | int | None) -> str:
    """ "15", "9", 9, "09" -> two-digit INEGI entity code; anything else is a UserError."""
    text = str(DEFAULT_STATE if state is None else state).strip()
    if text.isdigit() and 1 <= int(text) <= 32:
        return f"{int(text):02d}"
    raise UserError(
        f"La clave de entidad '{text}' no es válida: use un número del 01 al 32 "
        "(15 = Estado de México, 09 = Ciudad de México)."
    )


def state_name(state: str) -> str | None:
    """Name of an INEGI entity ("15" -> "México") from the bundled catalogue."""
    for row in _catalogue():
        if row["cve_entidad"] == state:
            return row["nom_entidad"]
    return None


def name_key(text: str) -> str:
    """Key for name matching: normalize() plus punctuation folded into spaces."""
    return " ".join(re.sub(r"[^\w\s]", " ", normalize(text)).split())


def ipomex_key_from_url(url: str | None) -> str | None:
    """The slug in .../indice/<KEY>.web (IPOMEX 3 and older /ipo/ paths)."""
    match = _IPOMEX_INDEX_RE.search(url or "")
    return match.group(1) if match else None


def ipomex4_id_from_url(url: str | None) -> int | None:
    """The numeric id in .../ipomex/#/obligaciones/<id> (IPOMEX 4)."""
    match = _IPOMEX4_RE.search(url or "")
    return int(match.group(1)) if match else None


# Strata (CLI --estrato). Order: most disadvantaged first.
GRADE_ORDER = ["Muy alto", "Alto", "Medio", "Bajo", "Muy bajo"]
IDH_ORDER = ["Bajo", "Medio", "Alto", "Muy alto"]
STRATA = {
    "conapo": "Grado de marginación CONAPO 2020",
    "coneval": "Grado de rezago social CONEVAL 2020",
    "idh": "Nivel de IDH 2020 (PNUD)",
}


def idh_level(idh: float | None) -> str | None:
    """PNUD thresholds: Muy alto >= 0.800, Alto >= 0.700, Medio >= 0.550, Bajo < 0.550."""
    if idh is None:
        return None
    if idh >= 0.800:
        return "Muy alto"
    if idh >= 0.700:
        return "Alto"
    if idh >= 0.550:
        return "Medio"
    return "Bajo"


def stratum(municipality: Municipality, kind: str) -> str | None:
    """The stratum of a municipality for kind "conapo", "coneval" or "idh" (None if unknown)."""
    if kind == "conapo":
        return municipality.conapo_gm_2020
    if kind == "coneval":
        return municipality.coneval_grs_2020
    if kind == "idh":
        return idh_level(municipality.pnud_idh_2020)
    raise UserError(f"El estrato '{kind}' no es válido: use conapo, coneval o idh.")


def stratum_order(kind: str) -> list[str]:
    return IDH_ORDER if kind == "idh" else GRADE_ORDER


# --------------------------------------------------------------------------- registry


class Registry:
    """An ordered set of municipalities with lookup by INEGI code or name."""

    def __init__(self, municipalities: Iterable[Municipality], source: str = "") -> None:
        self._items = list(municipalities)
        self.source = source
        self._by_code = {m.inegi_code: m for m in self._items}
        self._keys = [(name_key(m.name), m) for m in self._items]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Municipality]:
        return iter(self._items)

    def all(self) -> list[Municipality]:
        return list(self._items)

    def get(self, inegi_code: str) -> Municipality | None:
        return self._by_code.get(inegi_code)

    @property
    def states(self) -> list[str]:
        return sorted({m.inegi_code[:2] for m in self._items})

    @property
    def state(self) -> str | None:
        """The entity code when every municipality belongs to the same state."""
        states = self.states
        return states[0] if len(states) == 1 else None

    def for_state(self, state: str) -> Registry:
        state = normalize_state(state)
        items = [m for m in self._items if m.inegi_code.startswith(state)]
        if not items:
            raise UserError(f"El padrón {self.source} no tiene municipios de la entidad {state}.")
        return Registry(items, self.source)

    # ----------------------------------------------------------------- find

    def find(self, query: str) -> Municipality:
        """By INEGI code (5 digits, or 3 in a one-state registry) or by name (accent/case-blind)."""
        text = " ".join(str(query).split())
        if not text:
            raise UserError("Indique un municipio: su nombre o su clave INEGI (p. ej. 15106).")
        suffix = _CODE_SUFFIX_RE.search(text)  # "Toluca (15106)", as printed in suggestions
        if suffix:
            text = suffix.group(1)
        if text.isdigit():
            return self._find_code(text)

        key = name_key(text)
        exact = [m for k, m in self._keys if k == key]
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            raise self._ambiguous(query, exact)
        # An unambiguous prefix of the name or of one of its words: "acambay", "neza", "izcalli".
        partial = [m for k, m in self._keys if key and f" {k}".find(f" {key}") >= 0]
        if len(partial) == 1:
            return partial[0]
        if len(partial) > 1:
            raise self._ambiguous(query, partial)
        raise self._not_found(query, key)

    def _find_code(self, digits: str) -> Municipality:
        if len(digits) == 5:
            code = digits
        elif len(digits) <= 3:
            state = self.state
            if state is None:
                raise UserError(
                    f"La clave '{digits}' es ambigua en un padrón con varias entidades: "
                    "use la clave INEGI de 5 dígitos (p. ej. 15106)."
                )
            code = state + digits.zfill(3)
        else:
            raise UserError(
                f"'{digits}' no es una clave INEGI válida: use 5 dígitos (p. ej. 15106) o los 3 del municipio (106)."
            )
        found = self._by_code.get(code)
        if found is None:
            raise UserError(f"No existe el municipio con clave INEGI '{code}' en el padrón ({len(self)} municipios).")
        return found

    def _ambiguous(self, query: str, matches: list[Municipality]) -> UserError:
        listed = ", ".join(f"{m.name} ({m.inegi_code})" for m in matches[:_MAX_SUGGESTIONS])
        more = len(matches) - _MAX_SUGGESTIONS
        if more > 0:
            listed += f" y {more} más"
        return UserError(
            f"La búsqueda '{query}' coincide con {len(matches)} municipios: {listed}. "
            "Escriba el nombre completo o la clave INEGI."
        )

    def _not_found(self, query: str, key: str) -> UserError:
        keys = [k for k, _ in self._keys]
        close = difflib.get_close_matches(key, keys, n=_MAX_SUGGESTIONS, cutoff=0.6)
        suggestions: list[Municipality] = []
        for k in close:
            suggestions.extend(m for kk, m in self._keys if kk == k and m not in suggestions)
        suggestions = suggestions[:_MAX_SUGGESTIONS]
        if suggestions:
            listed = ", ".join(f"{m.name} ({m.inegi_code})" for m in suggestions)
            return UserError(f"No se encontró el municipio '{query}'. ¿Quiso decir: {listed}?")
        return UserError(
            f"No se encontró el municipio '{query}' en el padrón ({len(self)} municipios). "
            "Consulte la lista con «apertura municipios»."
        )

    # ----------------------------------------------------------------- export

    def write_csv(self, path: Path | str) -> None:
        """Write the registry with the columns of the bundled file (UTF-8, no BOM)."""
        path = Path(path)
        try:
            with path.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh, lineterminator="\n")
                writer.writerow(CSV_COLUMNS)
                for m in self._items:
                    writer.writerow([_format(getattr(m, col)) for col in CSV_COLUMNS])
        except OSError as err:
            reason = err.strerror or err
            raise UserError(f"No se pudo escribir el archivo '{path}': {reason}.") from err


def _format(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --------------------------------------------------------------------------- loading


def load_registry(path: Path | str | None = None, state: str = DEFAULT_STATE) -> Registry:
    """Load the bundled registry of a state, or a user CSV (enriched with the bundled indicators).

    A user CSV needs at least the columns inegi_code,name,website,ipomex_url (any order; other
    known columns optional, unknown ones ignored); UTF-8 with or without BOM. Any problem raises
    UserError naming the file, line and field. ``state`` picks the bundled registry when no path
    is given; with a path all rows are kept.
    """
    if path is None:
        state = normalize_state(state)
        if state == DEFAULT_STATE:
            return Registry(_bundled_edomex(), source=f"padrón incluido ({EDOMEX_CSV.name})")
        rows = [r for r in _catalogue() if r["cve_entidad"] == state]
        items = [
            Municipality(
                inegi_code=r["cve_completa"],
                name=r["nom_municipio"],
                cabecera=r["nom_cabecera"] or None,
                population_2020=_catalogue_population(r),
            )
            for r in rows
        ]
        if not items:
            raise UserError(f"El catálogo INEGI incluido no tiene municipios de la entidad {state}.")
        source = f"catálogo INEGI incluido ({INEGI_CSV.name}), entidad {state}"
        return Registry(items, source=source)

    path = Path(path)
    items = _read_csv(path, label=str(path))
    _enrich(items)
    return Registry(items, source=str(path))


def _bundled_edomex() -> list[Municipality]:
    return [m.model_copy() for m in _bundled_edomex_cached()]


@lru_cache(maxsize=1)
def _bundled_edomex_cached() -> tuple[Municipality, ...]:
    return tuple(_read_csv(EDOMEX_CSV, label=str(EDOMEX_CSV)))


@lru_cache(maxsize=1)
def _catalogue() -> tuple[dict[str, str], ...]:
    with INEGI_CSV.open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def municipality_names() -> tuple[str, ...]:
    """The names of all of Mexico's municipalities (INEGI 2020)."""
    return tuple(row["nom_municipio"] for row in _catalogue())


def _catalogue_population(row: dict[str, str]) -> int | None:
    # Municipalities created after the 2020 census appear with population 0: unknown.
    return int(row["poblacion_total"]) or None


def _enrich(items: list[Municipality]) -> None:
    """Fill empty indicator fields from the bundled Edomex registry or the INEGI catalogue."""
    edomex = {m.inegi_code: m for m in _bundled_edomex_cached()}
    catalogue = {r["cve_completa"]: r for r in _catalogue()}
    for m in items:
        ref = edomex.get(m.inegi_code)
        if ref is None and m.inegi_code in catalogue:
            row = catalogue[m.inegi_code]
            ref = Municipality(
                inegi_code=m.inegi_code,
                name=row["nom_municipio"],
                cabecera=row["nom_cabecera"] or None,
                population_2020=_catalogue_population(row),
            )
        if ref is None:
            continue
        for field in ENRICHED_FIELDS:
            if getattr(m, field) is None:
                setattr(m, field, getattr(ref, field))


# --------------------------------------------------------------------------- CSV parsing


class _FieldError(ValueError):
    """A value that does not parse; the message is Spanish and quotes the value."""


def _code(value: str) -> str:
    if _CODE_RE.fullmatch(value) and 1 <= int(value[:2]) <= 32 and value[2:] != "000":
        return value
    hint = ""
    if value.isdigit() and len(value) == 4:
        hint = f" (¿se perdió el cero inicial? use '0{value}')"
    raise _FieldError(f"'{value}' no es una clave INEGI de 5 dígitos{hint}")


def _text(value: str) -> str | None:
    return value or None


def _required_text(value: str) -> str:
    if not value:
        raise _FieldError("el valor está vacío")
    return value


def _url(value: str) -> str | None:
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or re.search(r"\s", value):
        raise _FieldError(f"'{value}' no es una URL válida: debe empezar con http:// o https://")
    return value


def _int(value: str) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise _FieldError(f"'{value}' no es un número entero") from None


def _float(value: str) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise _FieldError(f"'{value}' no es un número") from None


def _date(value: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _FieldError(f"'{value}' no es una fecha AAAA-MM-DD") from None


_PARSERS: dict[str, Callable[[str], Any]] = {
    "inegi_code": _code,
    "name": _required_text,
    "cabecera": _text,
    "population_2020": _int,
    "conapo_im_2020": _float,
    "conapo_gm_2020": _text,
    "coneval_irs_2020": _float,
    "coneval_grs_2020": _text,
    "pnud_idh_2020": _float,
    "coneval_ictpc_2020": _float,
    "website": _url,
    "website_source": _text,
    "ipomex_url": _url,
    "ipomex_key": _text,
    "ipomex4_id": _int,
    "ipomex_source": _text,
    "url_source": _text,
    "domain_hint": _text,
    "verified_on": _date,
}


@dataclass
class _Header:
    columns: list[str]
    index: dict[str, int]


def _read_text(path: Path, label: str) -> str:
    if not path.exists():
        raise UserError(f"No existe el archivo del padrón '{label}'.")
    if path.is_dir():
        raise UserError(f"'{label}' es una carpeta, no un archivo CSV del padrón.")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UserError(f"No se pudo leer el archivo '{label}': {err.strerror or err}.") from err
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise UserError(f"{label}, línea {line}: el archivo no está en UTF-8. Guárdelo como «CSV UTF-8».") from err


def _read_header(row: list[str], label: str) -> _Header:
    columns = [c.strip().lower() for c in row]
    index: dict[str, int] = {}
    for i, col in enumerate(columns):
        if col in index and col:
            raise UserError(f"{label}, línea 1: la columna '{col}' está repetida en el encabezado.")
        index.setdefault(col, i)
    missing = [c for c in REQUIRED_COLUMNS if c not in index]
    if missing:
        names = ", ".join(f"'{c}'" for c in missing)
        found = ", ".join(c for c in columns if c) or "ninguna"
        word = "la columna obligatoria" if len(missing) == 1 else "las columnas obligatorias"
        raise UserError(
            f"{label}, línea 1: falta {word} {names} (columnas encontradas: {found}). "
            f"El padrón necesita al menos: {','.join(REQUIRED_COLUMNS)}."
        )
    return _Header(columns, index)


def _read_csv(path: Path, label: str) -> list[Municipality]:
    text = _read_text(path, label)
    if not text.strip():
        raise UserError(f"{label}: el archivo está vacío; se esperaba un encabezado con {','.join(REQUIRED_COLUMNS)}.")
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = _read_header(next(reader), label)
        items: list[Municipality] = []
        seen: dict[str, int] = {}
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header.columns) and any(c.strip() for c in row[len(header.columns) :]):
                raise UserError(
                    f"{label}, línea {line}: tiene {len(row)} campos pero el encabezado tiene "
                    f"{len(header.columns)} (¿falta poner entre comillas un valor "
                    f"con '{delimiter}'?)."
                )
            values: dict[str, Any] = {}
            for field, parser in _PARSERS.items():
                i = header.index.get(field)
                raw = row[i].strip() if i is not None and i < len(row) else ""
                try:
                    values[field] = parser(raw)
                except _FieldError as err:
                    raise UserError(f"{label}, línea {line}, campo '{field}': {err}") from None
            code = values["inegi_code"]
            if code in seen:
                raise UserError(
                    f"{label}, línea {line}, campo 'inegi_code': la clave '{code}' está repetida "
                    f"(ya aparece en la línea {seen[code]})."
                )
            seen[code] = line
            if values["ipomex_key"] is None:
                values["ipomex_key"] = ipomex_key_from_url(values["ipomex_url"])
            if values["ipomex4_id"] is None:
                values["ipomex4_id"] = ipomex4_id_from_url(values["ipomex_url"])
            try:
                items.append(Municipality(**values))
            except ValidationError as err:
                raise UserError(f"{label}, línea {line}: datos no válidos ({err}).") from None
    except csv.Error as err:
        raise UserError(f"{label}, línea {reader.line_num}: CSV mal formado ({err}).") from None
    if not items:
        raise UserError(f"{label}: el padrón no contiene municipios (solo el encabezado).")
    return items
