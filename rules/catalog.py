"""Load an edition of the rules catalog (``rules/<edition>/*.yaml``) into validated :class:`Rule`s.

An edition is a folder with an ``edition.yaml`` (metadata, ``files`` in order, optional
``include`` of files from other editions) and YAML files holding a top-level ``rules:`` list.
A publication leaf without a ``currency`` key inherits the edition's ``default_currency``;
``currency: null`` disables it explicitly. Any error raises :class:`CatalogError` (in Spanish,
naming file, rule and field); nothing partial is ever returned.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from models.rule import Applicability, Currency, Retention, Rule

EDITIONS_DIR = Path(__file__).parent
DEFAULT_EDITION = "ltaipemym-2016"

_ERROR_ES = {
    "missing": "falta el campo obligatorio",
    "extra_forbidden": "campo no permitido",
    "enum": "valor no permitido",
    "literal_error": "valor no permitido",
    "union_tag_invalid": "tipo de verificación ('kind') desconocido",
    "union_tag_not_found": "falta 'kind' en la verificación",
    "too_short": "la lista no puede estar vacía",
}


class CatalogError(ValueError):
    """The catalog cannot be loaded; the message lists every problem found (in Spanish)."""


class Edition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    law: str
    title: str
    date: str
    source: str | None = None
    description: str | None = None
    default_currency: Currency | None = None
    files: list[str] = []
    include: list[str] = []
    # IPOMEX 3.0 format of the municipality's own table of applicable fractions (Art. 93), crawled with the rest
    applicability_format: str | None = None
    # fields replaced in rules of this edition, by id: an edition that includes another's files states its own
    # legal bases (the 2025 edition cites no 2016 article) without copying the rules' terms
    overrides: dict[str, dict[str, Any]] = {}


APPLICABILITY_FILE = "aplicabilidad.csv"
RETENTION_FILE = "conservacion.csv"


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """A reviewed CSV table of the edition, without its comment lines, numbered as the file shows them."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return [
        (number, {k: (v or "").strip() for k, v in row.items() if k})
        for number, row in enumerate(csv.DictReader(lines), 2)
    ]


def _read_retention(path: Path, errors: list[str]) -> dict[str, Retention]:
    """Which rules must keep earlier ejercicios published: regla, anteriores, fuente, etiqueta."""
    table: dict[str, Retention] = {}
    for number, row in _rows(path):
        where = f"{_show(path)}: fila {number}"
        try:
            entry = Retention(previous=row.get("anteriores"), source=row.get("fuente"), source_tag=row.get("etiqueta"))
        except ValidationError as exc:
            fields = ", ".join(str(e["loc"][0]) for e in exc.errors())
            errors.append(f"{where}: valores inválidos o vacíos ({fields})")
            continue
        if row.get("regla", "") in table:
            errors.append(f"{where}: regla {row.get('regla')!r} repetida")
        table[row.get("regla", "")] = entry
    return table


def _read_applicability(path: Path, errors: list[str]) -> dict[str, Applicability]:
    """The edition's reviewed default table: regla, aplica, fuente, etiqueta, motivo (one row per rule)."""
    if not path.is_file():
        return {}
    table: dict[str, Applicability] = {}
    for number, row in _rows(path):
        where = f"{_show(path)}: fila {number}"
        try:
            entry = Applicability(
                applies=(row.get("aplica") or "").strip(),
                source=(row.get("fuente") or "").strip(),
                source_tag=(row.get("etiqueta") or "").strip(),
                reason=(row.get("motivo") or "").strip(),
            )
        except ValidationError as exc:
            fields = ", ".join(str(e["loc"][0]) for e in exc.errors())
            errors.append(f"{where}: valores inválidos o vacíos ({fields})")
            continue
        rule_id = (row.get("regla") or "").strip()
        if rule_id in table:
            errors.append(f"{where}: regla {rule_id!r} repetida")
        table[rule_id] = entry
    return table


@dataclass(frozen=True)
class Catalog:
    edition: Edition
    rules: list[Rule]
    files: dict[str, str] = field(default_factory=dict, repr=False)  # rule id -> YAML file shown
    by_id: dict[str, Rule] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {rule.id: rule for rule in self.rules})

    def children(self, group_id: str) -> list[Rule]:
        return [rule for rule in self.rules if rule.parent == group_id]

    def groups(self) -> list[Rule]:
        return [rule for rule in self.rules if rule.check is None]

    def leaves(self) -> list[Rule]:
        return [rule for rule in self.rules if rule.check is not None]


def list_editions(directory: Path | None = None) -> list[str]:
    base = directory or EDITIONS_DIR
    return sorted(p.parent.name for p in base.glob("*/edition.yaml"))


def _show(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(EDITIONS_DIR.parent.resolve()))
    except ValueError:
        return str(path)


YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: same result, ~8x faster to load


def _read_yaml(path: Path, errors: list[str]) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except FileNotFoundError:
        errors.append(f"{_show(path)}: el archivo no existe")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", línea {mark.line + 1}, columna {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        errors.append(f"{_show(path)}{where}: error de sintaxis YAML: {problem}")
    return None


def _field(loc: tuple[Any, ...], raw: dict[str, Any]) -> str:
    kind = raw.get("check", {}).get("kind") if isinstance(raw.get("check"), dict) else None
    parts = [str(p) for i, p in enumerate(loc) if not (i == 1 and loc[0] == "check" and p == kind)]
    return ".".join(parts) or "(regla)"


def _parse_rules(path: Path, edition: Edition, errors: list[str]) -> list[tuple[Rule, str]]:
    data = _read_yaml(path, errors)
    if data is None:
        return []
    shown = _show(path)
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        errors.append(f"{shown}: se esperaba una lista 'rules:' en el nivel superior")
        return []
    parsed = []
    for index, raw in enumerate(data["rules"]):
        label = f"regla #{index + 1}"
        if not isinstance(raw, dict):
            errors.append(f"{shown}: {label}: se esperaba un mapeo de campos")
            continue
        if raw.get("id"):
            label = f"regla {raw['id']!r}"
        raw = dict(raw)
        raw.update(edition.overrides.get(raw.get("id") or "", {}))
        check = raw.get("check")
        if "currency" not in raw and isinstance(check, dict) and check.get("kind") == "publication":
            raw["currency"] = edition.default_currency
        try:
            parsed.append((Rule.model_validate(raw), shown))
        except ValidationError as exc:
            for err in exc.errors():
                message = _ERROR_ES.get(err["type"], err["msg"])
                if err["type"] in ("enum", "literal_error", "union_tag_invalid"):
                    message += f" ({err['msg']})"
                errors.append(f"{shown}: {label}, campo '{_field(err['loc'], raw)}': {message}")
    return parsed


def load_catalog(name: str = DEFAULT_EDITION, directory: Path | None = None) -> Catalog:
    base = directory or EDITIONS_DIR
    folder = base / name
    if not (folder / "edition.yaml").is_file():
        available = ", ".join(list_editions(base)) or "ninguna"
        raise CatalogError(f"edición desconocida {name!r}; ediciones disponibles: {available}")
    errors: list[str] = []
    header = _read_yaml(folder / "edition.yaml", errors)
    if errors:
        raise CatalogError("\n".join(errors))
    header = header if isinstance(header, dict) else {}
    block = given if isinstance(given := header.get("edition"), dict) else {}
    try:
        edition = Edition.model_validate(
            {**block, **{k: header[k] for k in ("files", "include", "overrides") if k in header}}
        )
    except ValidationError as exc:
        problems = "; ".join(
            f"campo '{'.'.join(map(str, e['loc']))}': {_ERROR_ES.get(e['type'], e['msg'])}" for e in exc.errors()
        )
        raise CatalogError(f"{_show(folder / 'edition.yaml')}: encabezado inválido: {problems}") from None

    own = edition.files or sorted(p.name for p in folder.glob("*.yaml") if p.name != "edition.yaml")
    parsed: list[tuple[Rule, str]] = []
    for relative in [*own, *edition.include]:
        parsed.extend(_parse_rules(folder / relative, edition, errors))

    table = _read_applicability(folder / APPLICABILITY_FILE, errors)
    known = {rule.id for rule, _ in parsed}
    for rule_id in sorted(set(table) - known):
        errors.append(f"{_show(folder / APPLICABILITY_FILE)}: la regla {rule_id!r} no existe en la edición")
    for index, (rule, shown) in enumerate(parsed):
        if rule.id in table:
            if rule.applicability is not None:
                errors.append(
                    f"{shown}: regla {rule.id!r}, campo 'applicability': se declara en "
                    f"{APPLICABILITY_FILE}, no en el YAML"
                )
            parsed[index] = (rule.model_copy(update={"applicability": table[rule.id]}), shown)

    retention = _read_retention(folder / RETENTION_FILE, errors)
    for rule_id in sorted(set(retention) - known):
        errors.append(f"{_show(folder / RETENTION_FILE)}: la regla {rule_id!r} no existe en la edición")
    for index, (rule, shown) in enumerate(parsed):
        if rule.id not in retention:
            continue
        if rule.currency is None or rule.currency.judged_on != "reported":
            errors.append(
                f"{_show(folder / RETENTION_FILE)}: la regla {rule.id!r} no informa por periodos "
                "(currency con judged_on: reported); la conservación no se aplica"
            )
            continue
        currency = rule.currency.model_copy(update={"retention": retention[rule.id]})
        parsed[index] = (rule.model_copy(update={"currency": currency}), shown)

    for rule_id in sorted(set(edition.overrides) - known):
        errors.append(f"{_show(folder / 'edition.yaml')}: 'overrides' nombra la regla {rule_id!r}, que no existe")

    seen: dict[str, str] = {}
    for rule, shown in parsed:
        if rule.id in seen:
            errors.append(f"{shown}: regla {rule.id!r}, campo 'id': id duplicado (ya definido en {seen[rule.id]})")
        seen.setdefault(rule.id, shown)
    rules = {rule.id: rule for rule, _ in parsed}
    parents = {rule.parent for rule, _ in parsed if rule.parent}
    for rule, shown in parsed:
        where = f"{shown}: regla {rule.id!r}"
        if rule.parent and rule.parent not in rules:
            errors.append(f"{where}, campo 'parent': la regla padre {rule.parent!r} no existe")
        elif rule.parent and rules[rule.parent].check is not None:
            errors.append(f"{where}, campo 'parent': {rule.parent!r} no es un grupo (tiene 'check')")
        if rule.refers_to and rule.refers_to in rules and rules[rule.refers_to].check is None:
            errors.append(f"{where}, campo 'refers_to': {rule.refers_to!r} es un grupo; refiera a una regla hoja")
        if rule.check is None and rule.id not in parents:
            if rule.parent:
                errors.append(f"{where}, campo 'check': una regla hoja necesita 'check'")
            else:
                errors.append(
                    f"{where}, campo 'check': grupo sin sub-reglas (ninguna regla tiene "
                    f"parent: {rule.id}); agregue sub-reglas o un 'check'"
                )
    if errors:
        raise CatalogError("\n".join(errors))
    return Catalog(
        edition=edition, rules=[rule for rule, _ in parsed], files={rule.id: shown for rule, shown in parsed}
    )
