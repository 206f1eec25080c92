"""Per-rule fixtures (ruff-style): each case in tests/rule_fixtures/*.yaml is a tiny site run through ONE rule.

A case is data (see tests/rule_fixtures/README.md): pages and documents given as facts, or as real bytes
(``html:``, ``pdf:``, ``xlsx:``) that go through ``crawler.extract`` first. Every leaf rule of every
edition must have at least one compliant and one non_compliant case. A case states what the finding must say
besides its status: a fragment of its message and its evidence (kind and URL, in order).
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from openpyxl import Workbook
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from auditors.checks.portal import Portal
from auditors.runner import audit_site
from auditors.site import Site
from crawler.extract import extract_document, extract_page
from models import DocumentArtifact, Finding, Link, PageArtifact, ResourceArtifact, Rule
from models.artifact import ApplicabilityRow, PortalFormatArtifact
from rules.catalog import list_editions, load_catalog

FIXTURES = Path(__file__).parent / "rule_fixtures"
BASE = "http://muni.test/"
CORTE = date(2026, 11, 24)
WHEN = datetime(2026, 11, 20, tzinfo=UTC)
LINK = re.compile(r"^(?P<text>.*?)\s*->\s*(?P<href>\S+)(?:\s+\((?P<context>nav|footer|body)\))?$")
# The body of a linked page a case does not describe: content of its own (figures too), and none of any rule's words.
UNDESCRIBED_TEXT = (
    "El área responsable pone a disposición de la población la información que aquí se "
    "consulta, en 14 cuadros por 1,250,000 pesos con sus anexos y documentos de soporte, conforme a lo que la ley señala."
)
RESOURCE_KEYS = {"url", "status", "error", "probe", "role", "redirect_from", "html", "encoding", "content_type"}


def _rules() -> dict[str, list[Rule]]:
    """Every version of each leaf: an edition may state its own basis for a shared rule (edition `overrides`),
    and a case runs on every version, since the evidence it needs is the same."""
    rules: dict[str, list[Rule]] = {}
    for edition in list_editions():
        for rule in load_catalog(edition).leaves():
            versions = rules.setdefault(rule.id, [])
            if rule not in versions:
                versions.append(rule)
    return rules


RULES = _rules()


def _cases() -> list[tuple[str, str, dict]]:
    cases = []
    for path in sorted(FIXTURES.glob("*.yaml")):
        for index, case in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]):
            ids = case["rule"] if isinstance(case["rule"], list) else [case["rule"]]
            for rule_id in ids:
                cases.append((f"{path.stem}#{index + 1}", rule_id, case))
    return cases


CASES = _cases()


def _link(spec: str | dict, base: str) -> Link:
    if isinstance(spec, dict):
        return Link(
            href=urljoin(base, spec["href"]),
            text=spec.get("text", ""),
            context=spec.get("context", "body"),
            via=spec.get("via", "a"),
        )
    match = LINK.match(spec)
    assert match, f"link {spec!r} is not 'Texto -> /ruta (nav|footer|body)'"
    return Link(href=urljoin(base, match["href"]), text=match["text"], context=match["context"] or "body")


def _resource(url: str, spec: dict, **facts) -> ResourceArtifact:
    status = spec.get("status", 200 if not spec.get("error") else None)
    return ResourceArtifact(
        url=spec["redirect_from"][0] if spec.get("redirect_from") else url,
        final_url=url,
        redirect_urls=spec.get("redirect_from", []),
        status=status,
        error=spec.get("error"),
        probe=spec.get("probe", False),
        role=spec.get("role"),
        fetched_at=WHEN,
        sha256=f"{abs(hash(url)):064d}"[:64],
        **facts,
    )


def _page(spec: dict, base: str, is_home: bool = False) -> ResourceArtifact:
    url = urljoin(base, spec.get("url", "/"))
    if "html" in spec:
        body = spec["html"].encode(spec.get("encoding", "utf-8"))
        facts = extract_page(body, url, spec.get("content_type", ""))
    else:
        data = {k: v for k, v in spec.items() if k not in RESOURCE_KEYS}
        for key in ("links", "hidden_links"):
            data[key] = [_link(link, url) for link in data.get(key, [])]
        facts = PageArtifact(**data)
    return _resource(url, spec, page=facts, is_home=is_home, content_type="text/html")


def _pdf(paragraphs: list[str], title: str) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=letter, invariant=1)
    pdf.setTitle(title)
    y = 740
    for paragraph in paragraphs:
        pdf.drawString(50, y, paragraph)
        y -= 18
    pdf.save()
    return out.getvalue()


def _xlsx(rows: list[list], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _document(spec: dict, base: str) -> ResourceArtifact:
    url = urljoin(base, spec["url"])
    if "pdf" in spec:
        facts = extract_document(_pdf(spec["pdf"], spec.get("title", "")), url, "application/pdf")
    elif "xlsx" in spec:
        facts = extract_document(_xlsx(spec["xlsx"], spec.get("title", "Hoja1")), url, "")
    else:
        facts = DocumentArtifact(**{k: v for k, v in spec.items() if k not in RESOURCE_KEYS})
    assert not facts.error, f"{url}: {facts.error}"
    return _resource(url, spec, document=facts, content_type="application/octet-stream")


def build_site(case: dict) -> Site:
    base = case.get("base", BASE)
    home_spec = case.get("home", {"title": "H. Ayuntamiento - Inicio"})
    resources = [_page(home_spec, base, is_home=True)] if home_spec is not None else []
    resources += [_page(spec, base) for spec in case.get("pages", [])]
    resources += [_document(spec, base) for spec in case.get("documents", [])]
    # A described page on another host is a one-hop off-site target, as the crawler stores it.
    host = urlsplit(base).hostname
    resources = [r.model_copy(update={"offsite": urlsplit(r.final_url).hostname != host}) for r in resources]
    # A link to this site whose target the case does not describe was fetched and is a live page with content
    # of its own (a placeholder or an empty page must be described to be tested).
    known = {u for r in resources for u in (r.final_url, *r.redirect_urls)}
    for resource in list(resources):
        for link in resource.page.links if resource.page else []:
            target = link.href.split("#")[0]
            if urlsplit(target).hostname == host and target not in known:
                known.add(target)
                page = PageArtifact(title=link.text, text=UNDESCRIBED_TEXT)
                resources.append(_resource(target, {}, page=page, content_type="text/html"))
    if "updated" in case:  # every page and document shows «Fecha de actualización» (a date, not a period)
        day = str(case["updated"])
        for resource in resources:
            facts = resource.page or resource.document
            facts.dates = [*facts.dates, day]
    return Site(resources, case.get("website", base))


PORTAL = "https://www.ipomex.org.mx/ipo3/lgt/indice/MUNI/"
TABLE_ROW = re.compile(r"^(?P<article>\d+)\s+(?P<fraction>[IVXLC]+)(?:\s+(?P<letter>[a-z]))?\s*:\s*(?P<text>.*)$")


def build_portal(case: dict) -> Portal | None:
    """`portal:` formats as the IPOMEX spider stores them (`html:` the page it read); `aplicabilidad:` the Art. 93 table (art_93_i), one
    "92 LI: No aplica. Motivo" row per line (an answer that is neither «Aplica» nor «No aplica» is unreadable)."""
    specs = [dict(spec) for spec in case.get("portal", [])]
    if "aplicabilidad" in case:
        rows = []
        for line in case["aplicabilidad"]:
            match = TABLE_ROW.match(line)
            assert match, f"applicability row {line!r} is not '92 LI [a]: Aplica|No aplica…'"
            answer = match["text"].lower()
            applies = False if answer.startswith("no aplica") else True if answer.startswith("aplica") else None
            rows.append(
                ApplicabilityRow(
                    article=match["article"],
                    fraction=match["fraction"],
                    letter=match["letter"],
                    applies=applies,
                    text=match["text"],
                )
            )
        specs.append({"format": "art_93_i", "records": len(rows), "applicability": rows})
    if not specs:
        return None
    resources = []
    for spec in specs:
        url = spec.pop("url", f"{PORTAL}{spec.get('format')}.web")
        resource_spec = {k: spec.pop(k) for k in ("status", "error") if k in spec}
        html = spec.pop("html", None)
        page = extract_page(html.encode(), url, "text/html") if html else None
        facts = PortalFormatArtifact(generation=spec.pop("generation", "ipo3"), **spec)
        resources.append(_resource(url, resource_spec, portal_formats=[facts], content_type="text/html", page=page))
    return Portal(resources)


def _expected_evidence(spec: str | dict, base: str) -> tuple[str, str | None, str | None]:
    """`"kind /url"` (the URL relative to the case's base, or absolute; none for an absence) or
    `{kind, url, matched}` (`matched`: a fragment of what the evidence says it found)."""
    if isinstance(spec, str):
        kind, _, url = spec.partition(" ")
        spec = {"kind": kind, "url": url or None}
    url = urljoin(base, spec["url"]) if spec.get("url") else None
    return spec["kind"], url, spec.get("matched")


def mismatches(finding: Finding, case: dict) -> list[str]:
    """What the finding says that the case does not expect, besides its status: `message` must be a fragment of
    its message, and `evidence` its whole evidence list (kind and URL, in order)."""
    problems = []
    # Either holds for every rule the case names, or is given per rule: {rule id: …}.
    message, evidence = (case[key][finding.rule_id] if isinstance(case.get(key), dict) else case.get(key)
                         for key in ("message", "evidence"))  # fmt: skip
    if message is not None and message not in finding.message:
        problems.append(f"the message {finding.message!r} does not say {message!r}")
    if evidence is not None:
        wanted = [_expected_evidence(spec, case.get("base", BASE)) for spec in evidence]
        got = [(e.kind, e.url) for e in finding.evidence]
        if got != [(kind, url) for kind, url, _ in wanted]:
            problems.append(f"evidence {got} instead of {[(kind, url) for kind, url, _ in wanted]}")
        for (_, url, matched), evidence in zip(wanted, finding.evidence, strict=False):
            if matched and matched not in (evidence.matched or ""):
                problems.append(f"the evidence on {url} says {evidence.matched!r}, not {matched!r}")
    return problems


def _findings(rule_id: str, case: dict) -> list[Finding]:
    """The case's finding under every version of the rule."""
    fecha_corte = date.fromisoformat(str(case.get("fecha_corte", CORTE)))
    return [audit_site([rule], build_site(case), fecha_corte, build_portal(case))[0] for rule in RULES[rule_id]]


@pytest.mark.parametrize(("where", "rule_id", "case"), CASES, ids=[f"{w}:{r}" for w, r, _ in CASES])
def test_rule_fixture(where: str, rule_id: str, case: dict) -> None:
    assert rule_id in RULES, f"{where}: unknown rule {rule_id}"
    for finding in _findings(rule_id, case):
        assert finding.status.value == case["expected"], f"{where} «{case['name']}»: {finding.message}"
        assert not (problems := mismatches(finding, case)), f"{where} «{case['name']}»: " + "; ".join(problems)


def test_every_case_states_its_message_and_evidence() -> None:
    missing = sorted({where for where, _, case in CASES if "message" not in case or "evidence" not in case})
    assert not missing, "cases that assert only the status:\n" + "\n".join(missing)


def test_a_right_status_with_wrong_evidence_or_message_fails() -> None:
    """The comparison itself: a case's real finding passes, and the same finding fails against a case that
    expects another URL, another kind, one evidence less, or another message."""
    where, rule_id, case = next(c for c in CASES if c[2]["expected"] == "compliant" and len(c[2]["evidence"]) >= 2)
    [finding, *_] = _findings(rule_id, case)
    assert finding.status.value == "compliant" and not mismatches(finding, case), where
    assert isinstance(case["evidence"], list)
    first = _expected_evidence(case["evidence"][0], case.get("base", BASE))
    wrong = [
        {**case, "evidence": [{"kind": first[0], "url": "/otra-pagina"}, *case["evidence"][1:]]},
        {**case, "evidence": [{"kind": "absence"}, *case["evidence"][1:]]},
        {**case, "evidence": case["evidence"][1:]},
        {**case, "evidence": [{"kind": first[0], "url": first[1], "matched": "otra cosa"}, *case["evidence"][1:]]},
        {**case, "message": "No se encontró la publicación."},
    ]
    assert all(mismatches(finding, variant) for variant in wrong)


def test_every_leaf_has_a_positive_and_a_negative_case() -> None:
    statuses: dict[str, set[str]] = {}
    for _, rule_id, case in CASES:
        statuses.setdefault(rule_id, set()).add(case["expected"])
    missing = []
    for rule_id, [rule, *_] in RULES.items():
        default = rule.applicability.applies if rule.applicability else "si"
        # "por_confirmar": not scored by default, not applicable where the municipality's table says so
        wanted = {
            "si": {"compliant", "non_compliant"},
            "no": {"not_applicable"},
            "por_confirmar": {"not_verifiable", "not_applicable"},
        }[default]
        if not wanted <= statuses.get(rule_id, set()):
            missing.append(f"{rule_id}: {sorted(wanted - statuses.get(rule_id, set()))}")
    assert not missing, "rules without fixtures:\n" + "\n".join(missing)


def test_some_cases_in_every_dimension_go_through_real_bytes() -> None:
    real: dict[str, set[str]] = {}
    for where, rule_id, case in CASES:
        specs = [case.get("home") or {}, *case.get("pages", []), *case.get("documents", [])]
        if any(key in spec for spec in specs for key in ("html", "pdf", "xlsx")):
            real.setdefault(RULES[rule_id][0].dimension.value, set()).add(where)
    assert {dimension: len(cases) >= 3 for dimension, cases in real.items()} == {
        "transparencia": True,
        "participacion": True,
        "tic": True,
    }


def test_every_rule_has_a_near_miss() -> None:
    """Each rule tests what its title promises: a similar label, link or feature that is not the obligation is
    rejected (cases named «cuasi-acierto», or «ambigua» when the rule knowingly cannot tell them apart)."""
    near = {rule_id for _, rule_id, case in CASES if "cuasi-acierto" in case["name"] or "ambigua" in case["name"]}
    missing = [
        rule_id
        for rule_id, [rule, *_] in RULES.items()
        if (rule.applicability is None or rule.applicability.applies == "si") and rule_id not in near
    ]
    assert not missing, "rules without a near-miss case:\n" + "\n".join(sorted(missing))
