"""Tests for the municipality registry (apertura.registry.padron) and `apertura municipios`."""

from __future__ import annotations

import csv
import json
import unicodedata
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

import apertura.cli.commands.municipios  # noqa: F401  (registers the command)
from apertura.cli.app import app
from apertura.errors import UserError
from apertura.registry.padron import (
    CSV_COLUMNS,
    EDOMEX_CSV,
    INEGI_CSV,
    REQUIRED_COLUMNS,
    ipomex4_id_from_url,
    ipomex_key_from_url,
    load_registry,
    normalize_state,
)
from models.municipality import Municipality
from models.text import normalize

EDOMEX_POPULATION_2020 = 16_992_418


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def write(path: Path, text: str, bom: bool = False) -> Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


# ------------------------------------------------------------------ bundled data


def test_bundled_edomex_has_125_municipalities(registry):
    items = registry.all()
    assert len(items) == 125
    assert [m.inegi_code for m in items] == [f"15{n:03d}" for n in range(1, 126)]
    assert sum(m.population_2020 for m in items) == EDOMEX_POPULATION_2020
    assert all(m.state_code == "15" for m in items)
    assert registry.state == "15"


def test_names_keep_accents_and_indicators_are_present(registry):
    acambay = registry.find("15001")
    assert acambay.name == "Acambay de Ruíz Castañeda"
    assert acambay.cabecera == "Villa de Acambay de Ruíz Castañeda"
    assert acambay.population_2020 == 67872
    assert acambay.conapo_gm_2020 == "Medio"
    assert acambay.conapo_im_2020 == pytest.approx(52.775)
    assert acambay.coneval_grs_2020 == "Medio"
    assert acambay.pnud_idh_2020 == pytest.approx(0.689)
    assert acambay.coneval_ictpc_2020 == pytest.approx(2192.99)
    assert registry.find("15058").name == "Nezahualcóyotl"
    for m in registry:
        assert m.conapo_gm_2020 and m.coneval_grs_2020
        assert m.pnud_idh_2020 is not None and m.coneval_ictpc_2020 is not None
        assert m.verified_on is None  # nothing was verified live


def test_bundled_csv_columns_and_urls(registry):
    with EDOMEX_CSV.open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == CSV_COLUMNS
    with_site = [m for m in registry if m.website]
    assert len(with_site) == 17
    assert all(m.website.startswith(("http://", "https://")) for m in with_site)
    assert all(m.website_source for m in with_site)
    assert registry.find("Toluca").website == "https://www.toluca.gob.mx/"
    keys = {m.name: m.ipomex_key for m in registry if m.ipomex_key}
    assert keys == {
        "Zinacantepec": "zinacantepec",
        "Metepec": "METEPEC",
        "San Mateo Atenco": "SANMATEOATENCO",
        "Atizapán de Zaragoza": "atizapandezaragoza",
        "La Paz": "lapaz",
        "Tlalnepantla de Baz": "tlalnepantla",
    }
    sma = registry.find("San Mateo Atenco")
    assert sma.ipomex4_id == 167
    assert sma.ipomex_url == "https://www.ipomex.org.mx/ipo3/lgt/indice/SANMATEOATENCO.web"
    assert "DIF" not in (sma.ipomex_url or "")
    # E-mail-only domains are hints, not websites.
    ixtapaluca = registry.find("Ixtapaluca")
    assert ixtapaluca.website is None and ixtapaluca.domain_hint == "ixtapaluca.gob.mx"


def test_inegi_catalogue_has_all_states():
    with INEGI_CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 2478
    assert {r["cve_entidad"] for r in rows} == {f"{n:02d}" for n in range(1, 33)}
    edomex = [r for r in rows if r["cve_entidad"] == "15"]
    assert sum(int(r["poblacion_total"]) for r in edomex) == EDOMEX_POPULATION_2020


@pytest.mark.parametrize(
    "state, count, sample",
    [("09", 16, "Coyoacán"), ("14", 125, "Guadalajara"), ("9", 16, "Tlalpan")],
)
def test_other_states_load_from_inegi_catalogue(state, count, sample):
    reg = load_registry(state=state)
    assert len(reg) == count
    found = reg.find(sample)
    assert found.name == sample and found.population_2020 > 0
    assert found.conapo_gm_2020 is None  # indicators are bundled only for Edomex
    assert reg.state == normalize_state(state)


def test_invalid_state_is_a_spanish_error():
    with pytest.raises(UserError, match="entidad '99' no es válida"):
        load_registry(state="99")


# ------------------------------------------------------------------ find


@pytest.mark.parametrize(
    "query, code",
    [
        ("15106", "15106"),
        ("106", "15106"),
        ("toluca", "15106"),
        ("TOLUCA", "15106"),
        ("  Toluca  ", "15106"),
        ("Toluca (15106)", "15106"),
        ("acambay de ruiz castaneda", "15001"),
        ("ACAMBAY  DE RUÍZ   CASTAÑEDA", "15001"),
        ("acambay", "15001"),
        ("atizapan", "15012"),  # exact name "Atizapán" wins over "Atizapán de Zaragoza"
        ("atizapan de zaragoza", "15013"),
        ("nezahualcoyotl", "15058"),
        ("neza", "15058"),
        ("izcalli", "15121"),
        ("cuautitlan", "15024"),
        ("ecatepec", "15033"),
        ("la paz", "15070"),
    ],
)
def test_find(registry, query, code):
    assert registry.find(query).inegi_code == code


def test_unknown_name_lists_close_matches(registry):
    with pytest.raises(UserError) as err:
        registry.find("tolluca")
    message = str(err.value)
    expected = "No se encontró el municipio 'tolluca'. ¿Quiso decir: Toluca (15106)"
    assert message.startswith(expected)
    assert message.endswith("?")


def test_unknown_name_without_suggestions(registry):
    with pytest.raises(UserError, match="No se encontró el municipio 'xyzzy'"):
        registry.find("xyzzy")


def test_ambiguous_query(registry):
    with pytest.raises(UserError) as err:
        registry.find("valle")
    message = str(err.value)
    assert "coincide con 3 municipios" in message
    assert "Valle de Bravo (15110)" in message and "Valle de Chalco Solidaridad (15122)" in message
    with pytest.raises(UserError, match=r"y \d+ más"):
        registry.find("san")  # more than 5 matches: the list is cut


@pytest.mark.parametrize(
    "query, fragment",
    [("15999", "15999"), ("1234", "no es una clave INEGI"), ("", "Indique")],
)
def test_bad_codes(registry, query, fragment):
    with pytest.raises(UserError, match=fragment):
        registry.find(query)


def test_normalize():
    assert normalize("  Acambay de Ruíz \t CASTAÑEDA ") == "acambay de ruiz castaneda"
    assert normalize("Nezahualcóyotl") == "nezahualcoyotl"


def test_normalize_folds_every_character_as_the_plain_definition_does():
    """The fast path (ASCII runs untouched) gives what NFKD, dropping every combining mark, casefold and
    whitespace folding give, for every code point of the Basic Multilingual Plane, alone and inside words."""

    def plain(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text)
        return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().split())

    characters = [chr(code) for code in range(0x10000) if not 0xD800 <= code <= 0xDFFF]
    for start in range(0, len(characters), 64):
        chunk = "".join(characters[start : start + 64])
        for text in (chunk, f"Año {chunk} Ñandú", " ".join(chunk)):
            assert normalize(text) == plain(text), repr(chunk)


def test_ipomex_url_parsers():
    assert ipomex_key_from_url("https://www.ipomex.org.mx/ipo3/lgt/indice/METEPEC.web") == "METEPEC"
    assert ipomex_key_from_url("https://www.ipomex.org.mx/ipo/lgt/indice/lapaz.web") == "lapaz"
    assert ipomex_key_from_url("https://example.org/") is None
    assert ipomex4_id_from_url("https://infoem2.ipomex.org.mx/ipomex/#/obligaciones/167") == 167


# ------------------------------------------------------------------ user registries


def test_user_registry_with_required_columns_gets_indicators(tmp_path):
    path = write(
        tmp_path / "padron.csv",
        "inegi_code,name,website,ipomex_url\n"
        "15106,Toluca,https://www.toluca.gob.mx/,\n"
        "15054,Metepec,,https://www.ipomex.org.mx/ipo3/lgt/indice/METEPEC.web\n"
        "14039,Guadalajara,https://guadalajara.gob.mx/,\n",
    )
    reg = load_registry(path)
    assert len(reg) == 3
    toluca = reg.find("toluca")
    assert toluca.population_2020 == 910608
    assert toluca.cabecera == "Toluca de Lerdo"
    assert toluca.conapo_gm_2020 == "Muy bajo"
    assert toluca.pnud_idh_2020 == pytest.approx(0.769)
    metepec = reg.find("15054")
    assert metepec.website is None
    assert metepec.ipomex_key == "METEPEC"  # derived from the URL
    gdl = reg.find("Guadalajara")
    assert gdl.population_2020 > 1_000_000 and gdl.conapo_gm_2020 is None
    assert reg.state is None  # several states


def test_user_values_win_over_bundled(tmp_path):
    path = write(
        tmp_path / "padron.csv",
        "name,inegi_code,ipomex_url,website,population_2020,verified_on,extra\n"
        "Toluca,15106,,https://toluca.example/,1,2026-11-24,ignored\n",
    )
    toluca = load_registry(path).find("106")
    assert toluca.population_2020 == 1
    assert toluca.website == "https://toluca.example/"
    assert str(toluca.verified_on) == "2026-11-24"
    assert toluca.conapo_gm_2020 == "Muy bajo"


def test_bom_is_accepted(tmp_path):
    text = "inegi_code,name,website,ipomex_url\r\n15001,Acambay,,\r\n"
    path = write(tmp_path / "padron.csv", text, bom=True)
    reg = load_registry(path)
    assert reg.find("acambay").inegi_code == "15001"
    assert reg.find("15001").population_2020 == 67872


def test_semicolon_delimiter(tmp_path):
    path = write(tmp_path / "padron.csv", "inegi_code;name;website;ipomex_url\n15106;Toluca;;\n")
    assert load_registry(path).find("toluca").inegi_code == "15106"


@pytest.mark.parametrize(
    "body, fragments",
    [
        (
            "15106,Toluca,,\n15001,Acambay,,\n1501,Acambay,,\n",
            ["padron.csv, línea 4, campo 'inegi_code': '1501' no es una clave INEGI de 5 dígitos"],
        ),
        ("9002,Azcapotzalco,,\n", ["línea 2", "'inegi_code'", "use '09002'"]),
        (
            "15106,Toluca,toluca.gob.mx,\n",
            ["padron.csv, línea 2, campo 'website'", "'toluca.gob.mx'", "http:// o https://"],
        ),
        ("15106,Toluca,,ftp://x.org/\n", ["línea 2, campo 'ipomex_url'"]),
        ("15106,,,\n", ["línea 2, campo 'name'", "vacío"]),
        (
            "15106,Toluca,,\n15054,Metepec,,\n15106,Toluca,,\n",
            ["línea 4, campo 'inegi_code'", "repetida", "línea 2"],
        ),
        ("15106,Toluca,,,sobra\n", ["línea 2", "5 campos"]),
    ],
)
def test_bad_csv_errors_name_file_line_and_field(tmp_path, body, fragments):
    path = write(tmp_path / "padron.csv", "inegi_code,name,website,ipomex_url\n" + body)
    with pytest.raises(UserError) as err:
        load_registry(path)
    for fragment in fragments:
        assert fragment in str(err.value)


def test_bad_numeric_field(tmp_path):
    text = "inegi_code,name,website,ipomex_url,population_2020\n15106,Toluca,,,mucha\n"
    path = write(tmp_path / "padron.csv", text)
    expected = r"padron.csv, línea 2, campo 'population_2020': 'mucha' no es un número entero"
    with pytest.raises(UserError, match=expected):
        load_registry(path)


def test_missing_columns_are_named(tmp_path):
    path = write(tmp_path / "padron.csv", "inegi_code,name\n15106,Toluca\n")
    with pytest.raises(UserError) as err:
        load_registry(path)
    message = str(err.value)
    assert "padron.csv" in message and "'website'" in message and "'ipomex_url'" in message
    assert ",".join(REQUIRED_COLUMNS) in message


@pytest.mark.parametrize(
    "content, fragment",
    [
        (None, "No existe el archivo"),
        (b"", "vac"),
        (b"inegi_code,name,website,ipomex_url\n", "no contiene municipios"),
        (b"inegi_code,name,website,ipomex_url\n15106,Tol\xfauca,,\n", "UTF-8"),
    ],
)
def test_file_level_errors(tmp_path, content, fragment):
    path = tmp_path / "padron.csv"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UserError, match=fragment):
        load_registry(path)


def test_export_round_trip(tmp_path, registry):
    out = tmp_path / "export.csv"
    registry.write_csv(out)
    with out.open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == CSV_COLUMNS
    again = load_registry(out)
    assert [m.model_dump() for m in again] == [m.model_dump() for m in registry]
    # The export of the bundled registry is the bundled file itself.
    assert out.read_text(encoding="utf-8") == EDOMEX_CSV.read_text(encoding="utf-8")


def test_export_round_trip_other_state(tmp_path):
    reg = load_registry(state="14")
    out = tmp_path / "jalisco.csv"
    reg.write_csv(out)
    assert [m.model_dump() for m in load_registry(out)] == [m.model_dump() for m in reg]


def test_bundled_registry_is_not_shared_mutable_state():
    first = load_registry()
    first.find("toluca").website = "https://changed.example/"
    assert load_registry().find("toluca").website == "https://www.toluca.gob.mx/"


def test_municipality_model_derives_state_code():
    assert Municipality(inegi_code="09002", name="Azcapotzalco").state_code == "09"


# ------------------------------------------------------------------ CLI

runner = CliRunner()


def invoke(*args: str):
    # With a single registered command typer runs it as the root command; once the full CLI
    # (apertura.cli.main) registers the rest, "municipios" is a subcommand.
    command = typer.main.get_command(app)
    argv = ["municipios", *args] if hasattr(command, "commands") else list(args)
    return runner.invoke(app, argv)


def test_cli_json_lists_125():
    result = invoke("--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data) == 125
    assert data[0]["inegi_code"] == "15001" and data[0]["name"] == "Acambay de Ruíz Castañeda"
    assert sum(d["population_2020"] for d in data) == EDOMEX_POPULATION_2020


def test_cli_table_shows_toluca():
    result = invoke()
    assert result.exit_code == 0, result.output
    assert "Toluca" in result.stdout
    assert "125 municipios" in result.stdout


def test_cli_estrato_and_other_state():
    result = invoke("--estrato", "conapo")
    assert result.exit_code == 0, result.output
    assert "Grado de marginación CONAPO 2020" in result.stdout
    data = json.loads(invoke("--estrato", "conapo", "--json").stdout)
    assert data[0]["conapo_gm_2020"] == "Alto" and data[-1]["conapo_gm_2020"] == "Muy bajo"
    data = json.loads(invoke("--estado", "09", "--json").stdout)
    assert len(data) == 16 and all(d["state_code"] == "09" for d in data)


def test_cli_user_registry(tmp_path):
    path = write(tmp_path / "padron.csv", "inegi_code,name,website,ipomex_url\n15106,Toluca,,\n")
    data = json.loads(invoke("--registry", str(path), "--json").stdout)
    assert [d["inegi_code"] for d in data] == ["15106"]
    assert data[0]["conapo_gm_2020"] == "Muy bajo"


@pytest.mark.parametrize(
    "args, fragment",
    [
        (("--estado", "99"), "no es válida"),
        (("--estrato", "pib"), "El estrato 'pib' no es válido"),
        (("--registry", "no-existe.csv"), "No existe el archivo del padrón"),
    ],
)
def test_cli_errors_exit_non_zero_with_spanish_message(args, fragment):
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert fragment in " ".join(result.stderr.split())


def test_cli_bad_registry_line(tmp_path):
    text = "inegi_code,name,website,ipomex_url\n15106,Toluca,toluca.gob.mx,\n"
    path = write(tmp_path / "padron.csv", text)
    result = invoke("--registry", str(path))
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "línea 2" in message and "'website'" in message
