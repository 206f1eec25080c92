"""Periods reported and their due dates: when is an obligation current? Pure: no I/O, never raises on text.

Official verification scores the *periodo que se informa*, not the day a file was uploaded. A rule's
`Currency` (models/rule.py) says how often the information is updated (mensual … trienal) and how many
days after the period it is due (Lineamientos Técnicos Generales). This module

- reads the periods a title, file name, document text or portal column names — quarters ("1er
  trimestre 2026", "T2", "segundo trimestre", "enero-marzo"), semesters, months, date ranges
  ("01/07/2026 al 30/09/2026"), ejercicios and year ranges ("2025-2027") — with a note for what it
  cannot use (malformed, after the cut-off date, still running);
- computes the last period due by the cut-off date (`expected`);
- judges a publication current when its latest period covers the expected one (`judge`), and says in
  Spanish which period it found and which it expected.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum, auto
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from auditors.matching import folded, url_parts
from models.rule import Currency

MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
MONTH_NAMES = {name: number for number, name in enumerate(MONTHS, 1)} | {"setiembre": 9}
ORDINALS = {
    "primer": 1,
    "primero": 1,
    "1er": 1,
    "1ro": 1,
    "1o": 1,
    "1": 1,
    "segundo": 2,
    "2do": 2,
    "2o": 2,
    "2": 2,
    "tercer": 3,
    "tercero": 3,
    "3er": 3,
    "3ro": 3,
    "3o": 3,
    "3": 3,
    "cuarto": 4,
    "4to": 4,
    "4o": 4,
    "4": 4,
    "quinto": 5,
    "sexto": 6,
}
# "º" and "°" fold to "o" and "" (NFKD); "1a." etc. are not used for trimestre/semestre (masculine nouns)
_ORD = r"(primer[o]?|segundo|tercer[o]?|cuarto|quinto|sexto|[1-9](?:er|ro|do|to|o|°)?)"
_YEAR = r"(20\d\d)"
_MONTH = "(" + "|".join(MONTH_NAMES) + ")"
_OF_YEAR = r"(?:\s*(?:de|del)?\s*(?:ejercicio\s*(?:fiscal\s*)?)?[\s-]*" + _YEAR + r"(?!\d))?"
_DATE = r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})|(\d{4})-(\d{2})-(\d{2})"
_BARE_YEAR = r"(?<!\d)(?<!\d[/.-])" + _YEAR + r"(?!\d)(?![/.-]\d\d?[/.-]\d)"
# «31 de diciembre del 2024», «1o. de julio de 2025»: a day and month (two groups) and, with _OF_DAY_YEAR, the year
_DAY_MONTH = r"(\d{1,2})(?:o|ro|er)?\.?\s*(?:de\s*)?" + _MONTH
_OF_DAY_YEAR = r"\s*(?:de|del)?\s*" + _YEAR + r"(?!\d)"
# In order: a later pattern never reads inside what an earlier one took. "date" takes single dates so
# that their year is not read as an ejercicio (a date dates a publication; it does not name a period).
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # «del 01 de enero al 31 de diciembre del 2024»: the first date may leave its year to the second
    (
        "written_range",
        re.compile(
            r"\b"
            + _DAY_MONTH
            + r"(?:\s*(?:de|del)?\s*"
            + _YEAR
            + r")?\s*(?:-|–|al|a|hasta)\s*(?:el\s*)?"
            + _DAY_MONTH
            + _OF_DAY_YEAR
        ),
    ),
    ("range", re.compile(r"(?<!\d)(?:" + _DATE + r")\s*(?:-|–|al|a|hasta)\s*(?:el\s*)?(?:" + _DATE + r")(?!\d)")),
    # «estado analítico al 30 de septiembre de 2024»: a statement as of a day covers its year up to that day
    ("as_of_range", re.compile(r"(?<!tardar )\b(?:al|hasta el|corte al)\s*" + _DAY_MONTH + _OF_DAY_YEAR)),
    ("date", re.compile(r"(?<!\d)(?:" + _DATE + r")(?!\d)")),
    ("date", re.compile(r"\b" + _DAY_MONTH + _OF_DAY_YEAR)),
    ("months", re.compile(r"\b" + _MONTH + r"\s*(?:-|–|a|al|/)\s*" + _MONTH + r"\b" + _OF_YEAR)),
    ("quarter", re.compile(r"\b" + _ORD + r"\.?[\s-]*trimestre\b" + _OF_YEAR)),
    ("quarter", re.compile(r"\btrimestre[\s-]*(?:no\.?\s*)?([1-9])(?!\d)" + _OF_YEAR)),
    ("quarter_after_year", re.compile(r"(?<!\d)" + _YEAR + r"[\s-]*(?:t|q)([1-9])(?![a-z0-9])")),
    ("quarter_t", re.compile(r"(?<![a-z0-9])(?:t([1-9])|([1-9])t)(?![a-z0-9])(?:[\s-]*" + _YEAR + r"(?!\d))?")),
    ("semester", re.compile(r"\b" + _ORD + r"\.?[\s-]*semestre\b" + _OF_YEAR)),
    ("semester_after_year", re.compile(r"(?<!\d)" + _YEAR + r"[\s-]*s([1-9])(?![a-z0-9])")),
    ("month", re.compile(r"\b" + _MONTH + r"\s*(?:de|del)?[\s-]*" + _YEAR + r"(?!\d)")),
    ("years", re.compile(_BARE_YEAR + r"\s*(?:-|–|a|al)\s*" + _YEAR + r"(?!\d)(?![/.-]\d)")),
    ("year", re.compile(_BARE_YEAR)),
]
ORDINAL_ES = {1: "1er", 2: "2º", 3: "3er", 4: "4º"}


class _Skip(Enum):
    SKIP = auto()  # a match that is not a period (and takes its span from the other patterns)


SKIP = _Skip.SKIP


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    kind: str = "periodo"  # mes | trimestre | semestre | ejercicio | años | periodo (a date range)

    def label(self) -> str:
        if self.kind == "trimestre":
            return f"{ORDINAL_ES[(self.start.month - 1) // 3 + 1]} trimestre {self.start.year}"
        if self.kind == "semestre":
            return f"{ORDINAL_ES[(self.start.month - 1) // 6 + 1]} semestre {self.start.year}"
        if self.kind == "mes":
            return f"{MONTHS[self.start.month - 1]} {self.start.year}"
        if self.kind == "ejercicio":
            return f"ejercicio {self.start.year}"
        if self.kind == "años":
            return f"{self.start.year}-{self.end.year}"
        if self.kind == "fecha":
            return f"publicación del {_es(self.start)}"
        return f"{_es(self.start)} al {_es(self.end)}"


@dataclass
class Reading:
    """The periods one text names, and why any other mention was set aside."""

    periods: list[Period] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dated: list[Period] = field(default_factory=list)  # read from a range of two dates: never a year in passing


def filename_text(url: str) -> str:
    """The last segment of a URL's path, decoded and without its extension: "remuneraciones_2t_2026"."""
    name = unquote(url_parts(url).path.rsplit("/", 1)[-1])
    return name.rsplit(".", 1)[0] if "." in name else name


def month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def span(year: int, first_month: int, months: int, kind: str) -> Period:
    last = first_month + months - 1
    return Period(date(year, first_month, 1), month_end(year + (last - 1) // 12, (last - 1) % 12 + 1), kind)


@lru_cache(maxsize=8192)
def read_periods(text: str | None, cutoff: date) -> Reading:
    """Every period named in `text`. Never raises: what cannot be read becomes a note.

    Cached, so the reading is shared and must not be changed: every rule of a site's audit reads the same
    titles and file names (`auditors.runner` empties the cache after each site)."""
    reading = Reading()
    if not text:
        return reading
    try:
        _read(folded(str(text).replace("_", " ").replace("+", " "))[:20000], cutoff, reading)
    except Exception as error:  # a defect here must not sink an audit: say so and move on
        reading.notes.append(f"no se pudo leer el periodo de «{str(text)[:60]}» ({error.__class__.__name__})")
    return reading


def _read(text: str, cutoff: date, reading: Reading) -> None:
    taken: list[tuple[int, int]] = []
    pending: list[tuple[str, int, int, str]] = []  # (kind, number, position, mention) waiting for a year
    years_named = [int(y) for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", text)]
    for kind, regex in PATTERNS:
        for match in regex.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            mention = match.group(0).strip()
            period = _period(kind, match, reading, mention)
            if period is None:
                continue
            taken.append(match.span())
            if period is SKIP:
                continue
            if isinstance(period, tuple):  # a quarter/semester with no year next to it
                pending.append((*period, match.start(), mention))
                continue
            _keep(period, mention, cutoff, reading)
            if kind.endswith("range") and period in reading.periods:
                reading.dated.append(period)
    for kind, number, _, mention in pending:
        distinct = sorted(set(years_named))
        if len(distinct) == 1:  # that year belongs to the quarter: it is not an ejercicio of its own
            year = span(distinct[0], 1, 12, "ejercicio")
            reading.periods = [p for p in reading.periods if p != year]
            _keep(_numbered(kind, number, distinct[0]), mention, cutoff, reading)
        elif not distinct:
            reading.notes.append(f"«{mention}» sin año: no se puede fechar")
        else:
            reading.notes.append(f"«{mention}» sin año y el texto nombra varios ({', '.join(map(str, distinct))})")


def _period(kind: str, match: re.Match[str], reading: Reading, mention: str) -> Period | tuple[str, int] | _Skip | None:
    groups = match.groups()
    try:
        if kind == "date":
            return SKIP
        if kind == "quarter_t":
            number, year = int(groups[0] or groups[1]), groups[2]
            if not 1 <= number <= 4:
                reading.notes.append(f"«{mention}» no es un trimestre válido")
                return SKIP
            return _numbered("quarter", number, int(year)) if year else ("quarter", number)
        if kind.endswith("range"):
            if kind == "range":
                start, end = _date(groups[0:6]), _date(groups[6:12])
            elif kind == "as_of_range":
                end = date(int(groups[2]), MONTH_NAMES[groups[1]], int(groups[0]))
                start = date(end.year, 1, 1)
            else:
                end = date(int(groups[5]), MONTH_NAMES[groups[4]], int(groups[3]))
                start = date(int(groups[2] or groups[5]), MONTH_NAMES[groups[1]], int(groups[0]))
            if start > end:
                reading.notes.append(f"«{mention}»: el periodo termina antes de empezar")
                return SKIP
            return _named_range(start, end)
        if kind == "months":
            first, last, year = MONTH_NAMES[groups[0]], MONTH_NAMES[groups[1]], groups[2]
            if last < first:
                reading.notes.append(f"«{mention}»: meses en orden inverso")
                return SKIP
            if year is None:
                return ("months", first * 100 + last)
            return _named_range(date(int(year), first, 1), month_end(int(year), last))
        if kind in ("quarter", "semester", "quarter_after_year", "semester_after_year"):
            if kind.endswith("after_year"):
                year, number = groups[0], int(groups[1])
            else:
                number, year = ORDINALS.get(groups[0]) or int(re.sub(r"\D", "", groups[0]) or 0), groups[1]
            base = "quarter" if kind.startswith("quarter") else "semester"
            limit = 4 if base == "quarter" else 2
            if not 1 <= number <= limit:
                reading.notes.append(f"«{mention}» no es un {'trimestre' if base == 'quarter' else 'semestre'} válido")
                return SKIP
            return _numbered(base, number, int(year)) if year else (base, number)
        if kind == "month":
            return span(int(groups[1]), MONTH_NAMES[groups[0]], 1, "mes")
        if kind == "years":
            first, last = int(groups[0]), int(groups[1])
            if not 0 <= last - first <= 6:
                reading.notes.append(f"«{mention}» no es un periodo de años válido")
                return SKIP
            return Period(date(first, 1, 1), date(last, 12, 31), "ejercicio" if first == last else "años")
        if kind == "year":
            return span(int(groups[0]), 1, 12, "ejercicio")
    except (ValueError, KeyError, TypeError, IndexError):
        reading.notes.append(f"«{mention}» no es una fecha o periodo válido")
    return SKIP


def _numbered(kind: str, number: int, year: int) -> Period:
    if kind == "months":
        first, last = divmod(number, 100)
        return _named_range(date(year, first, 1), month_end(year, last))
    if kind == "quarter":
        return span(year, 3 * (number - 1) + 1, 3, "trimestre")
    return span(year, 6 * (number - 1) + 1, 6, "semestre")


def _date(groups: tuple[str | Any, ...]) -> date:  # a missing group raises TypeError: not a date
    day, month, year, iso_year, iso_month, iso_day = groups
    if iso_year:
        return date(int(iso_year), int(iso_month), int(iso_day))
    return date(int(year), int(month), int(day))


def _named_range(start: date, end: date) -> Period:
    """A date range that is exactly a month, quarter, semester or year is named as such."""
    if start.day == 1 and end == month_end(end.year, end.month) and start.year == end.year:
        months = end.month - start.month + 1
        for size, kind in ((1, "mes"), (3, "trimestre"), (6, "semestre"), (12, "ejercicio")):
            if months == size and (start.month - 1) % size == 0:
                return Period(start, end, kind)
    return Period(start, end, "periodo")


def _keep(period: Period, mention: str, cutoff: date, reading: Reading) -> None:
    if period.start > cutoff:
        reading.notes.append(f"«{mention}» es posterior a la fecha de corte; no cuenta")
    elif period not in reading.periods:
        reading.periods.append(period)


# ── what is due ──────────────────────────────────────────────────────────────────────────────────────


def period_of(currency: Currency, day: date) -> Period:
    """The rule's period (its frequency, aligned to January or to the anchor year) that holds `day`."""
    months = currency.months
    if months >= 12:
        years = months // 12
        first = currency.anchor_year + ((day.year - currency.anchor_year) // years) * years
        kind = "ejercicio" if years == 1 else "años"
        return Period(date(first, 1, 1), date(first + years - 1, 12, 31), kind)
    first_month = ((day.month - 1) // months) * months + 1
    return span(day.year, first_month, months, {1: "mes", 3: "trimestre", 6: "semestre"}[months])


def previous(currency: Currency, period: Period) -> Period:
    return period_of(currency, period.start - timedelta(days=1))


def due_date(currency: Currency, period: Period) -> date:
    anchor = period.start if currency.judged_on == "in_force" else period.end
    return anchor + timedelta(days=currency.due_days)


def expected(currency: Currency, cutoff: date) -> tuple[Period, date]:
    """The last period whose information is due by the cut-off date, and the day it became due."""
    period = period_of(currency, cutoff)
    while due_date(currency, period) > cutoff:
        period = previous(currency, period)
    return period, due_date(currency, period)


# ── judging one obligation ───────────────────────────────────────────────────────────────────────────


@dataclass
class Published:
    """A publication's period found from its texts (label, file name, content) or dates."""

    period: Period | None
    source: str = ""  # where the period was read: «título», «nombre del archivo», «texto», «fecha»…
    notes: list[str] = field(default_factory=list)
    covered: list[Period] = field(default_factory=list)  # every usable period, for conservation


def found(
    currency: Currency,
    texts: Iterable[tuple[str, str | None]],
    dates: Iterable[str],
    cutoff: date,
    amended: bool = False,
) -> Published:
    """The latest usable period of one publication.

    `texts`: (where, text) pairs, most telling first (title, file name, text head, portal column).
    `dates`: ISO dates in the publication, used when no period is named (or when it is `amended`: an
    amendment's date makes an in-force document current). Dates and periods after the cut-off never count;
    a report whose period is still running (the ejercicio en curso) does not say which part it covers.
    """
    notes: list[str] = []
    usable: list[tuple[Period, str]] = []
    for where, text in texts:
        reading = read_periods(text, cutoff)
        notes += reading.notes
        for period in reading.periods:
            if (
                where in RUNNING_TEXT
                and period.kind in ("ejercicio", "años")
                and period not in reading.dated
                and not _named_ejercicio(text, period)
            ):
                continue  # a bare year in running text is as likely a law's or a citation's as the period's
            if where in HEAD_LINES and period.kind == "años":
                continue  # a span of years in a letterhead is the administration's term («H. Ayuntamiento 2025-2027»)
            if currency.judged_on == "in_force" and period.kind == "periodo":
                period = period_of(currency, period.end)  # a stretch of a year is in force in that year
            # a span of years in a report due by quarter, semester or year is an administration's term («H.
            # Ayuntamiento 2021-2024» by the signatures), not the period reported
            if currency.judged_on == "reported" and period.kind == "años" and currency.months <= 12:
                spanned = f"«{period.label()}» abarca varios años: no indica qué periodo se informa"
                if spanned not in notes:
                    notes.append(spanned)
                continue
            # a period still running says neither which part is reported nor when a news item came out («Plan
            # Estatal 2022-2028» in a 2023 bulletin's title)
            if currency.judged_on in ("reported", "recency") and period.end > cutoff:
                running = f"«{period.label()}» es un periodo en curso: no indica qué parte se informa"
                if running not in notes:
                    notes.append(running)
                continue
            usable.append((period, where))
    day = _newest(dates, cutoff, notes)
    if currency.judged_on == "recency" or ((not usable or amended) and day is not None):
        if day is not None:
            if currency.judged_on == "recency":
                usable.append((Period(day, day, "fecha"), "fecha"))
            elif currency.judged_on == "in_force":
                usable.append((period_of(currency, day), f"fecha {'de reforma ' if amended else ''}{_es(day)}"))
            else:
                # the newest date can only report periods already ended by then
                last = period_of(currency, day)
                usable.append((last if last.end <= day else previous(currency, last), f"fecha {_es(day)}"))
    if not usable:
        return Published(None, "", notes)
    period, where = max(usable, key=lambda pair: (pair[0].end, -(pair[0].end - pair[0].start).days))
    return Published(period, where, notes, sorted({p for p, _ in usable}))


RUNNING_TEXT = {"texto del documento", "texto del apartado"}
HEAD_LINES = {"encabezado del documento"}  # a document's short first lines (checks/publication.py)


def _named_ejercicio(text: str | None, period: Period) -> bool:
    """«Ejercicio (fiscal) 2025», «Cuenta pública 2025»… name the period; «Ley de 2017» in a paragraph does not."""
    return bool(
        re.search(
            rf"(?:ejercicio|periodo|cuenta publica|presupuesto)\s*(?:fiscal\s*)?(?:de\s*|del\s*)?{period.start.year}",
            folded(str(text or "")),
        )
    )


def _newest(dates: Iterable[str], cutoff: date, notes: list[str]) -> date | None:
    newest = None
    for text in dates:
        try:
            day = date.fromisoformat(str(text))
        except ValueError:
            notes.append(f"fecha ilegible «{text}»")
            continue
        if day > cutoff:
            continue
        newest = max(newest or day, day)
    return newest


@dataclass
class Judgement:
    current: bool | None  # None: no period or date identified ("vigencia no verificable")
    message: str
    found: Period | None
    expected: Period
    due: date
    missing: list[int] = field(default_factory=list)  # earlier ejercicios that must be kept and were not found

    @property
    def shortfall(self) -> str:
        """Why a located publication is not current: «desactualizado», or «incompleto» when only earlier
        ejercicios that must be kept are missing."""
        return "desactualizado" if self.found is None or self.found.end < self.expected.end else "incompleto"


def required_ejercicios(currency: Currency, cutoff: date) -> list[int]:
    """The ejercicios to keep published at the cut-off (Lineamientos: «el ejercicio en curso y los dos
    anteriores»): the one in course once any of its periods is due, and the `previous` before it."""
    if currency.retention is None:
        return []
    wanted, _ = expected(currency, cutoff)
    current = [cutoff.year] if wanted.end.year == cutoff.year else []
    return current + [cutoff.year - n for n in range(1, currency.retention.previous + 1)]


def retained(currency: Currency, findings: Iterable[Published], cutoff: date) -> tuple[list[int], list[int]]:
    """(present, missing) among the required ejercicios, from every period the publications name."""
    required = required_ejercicios(currency, cutoff)
    covered = [p for f in findings for p in (f.covered or ([f.period] if f.period else []))]
    present = [y for y in required if any(p.start.year <= y <= p.end.year for p in covered)]
    return present, [y for y in required if y not in present]


def judge(currency: Currency, findings: Iterable[Published], cutoff: date) -> Judgement:
    """Current when the latest period found covers the last one due by the cut-off date."""
    findings = list(findings)
    wanted, due = expected(currency, cutoff)
    located = [(f.period, f) for f in findings if f.period is not None]
    notes = sorted({n for f in findings for n in f.notes})  # not in storage order, which the crawl does not fix
    extra = f" Notas: {'; '.join(notes[:3])}." if notes else ""
    if currency.judged_on == "recency":
        window = timedelta(days=currency.months * 30 + currency.due_days)
        if not located:
            return Judgement(
                None,
                "vigencia no verificable: no se identificó ninguna fecha de publicación." + extra,
                None,
                wanted,
                due,
            )
        period, _ = max(located, key=lambda found: found[0].end)
        current = period.end >= cutoff - window
        text = (
            f"publicación más reciente: {_es(period.end)}; se espera al menos una en los "
            f"{window.days} días previos a la fecha de corte"
        )
        return Judgement(current, text + "." + extra, period, wanted, due)
    expectation = f"se esperaba {wanted.label()}, exigible desde {due.isoformat()}"
    if not located:
        return Judgement(
            None,
            f"vigencia no verificable: no se identificó el periodo que se informa ni una fecha ({expectation}).{extra}",
            None,
            wanted,
            due,
        )
    period, best = max(located, key=lambda found: (found[0].end, -(found[0].end - found[0].start).days))
    inferred = f" (inferido de la {best.source})" if best.source.startswith("fecha") else ""
    text = f"último periodo publicado: {period.label()}{inferred}; {expectation}"
    current = period.end >= wanted.end
    missing: list[int] = []
    if currency.retention is not None:
        present, missing = retained(currency, [f for _, f in located], cutoff)
        text += f"; conservación: {_conservation(present, missing)}"
        current = current and not missing
    return Judgement(current, text + "." + extra, period, wanted, due, missing)


def _conservation(present: list[int], missing: list[int]) -> str:
    """«ejercicios 2026 y 2025 publicados; falta 2024 (se conservan el ejercicio en curso y los anteriores)»."""
    parts = []
    if present:
        parts.append(
            f"{'ejercicio' if len(present) == 1 else 'ejercicios'} {_years(present)} publicado{'s' * (len(present) > 1)}"
        )
    if missing:
        parts.append(f"falta{'n' * (len(missing) > 1)} {_years(missing)}")
    return "; ".join(parts)


def _years(years: list[int]) -> str:
    shown = [str(y) for y in years]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " y " + shown[-1]


def _es(day: date) -> str:
    return day.strftime("%d/%m/%Y")
