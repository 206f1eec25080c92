"""Per-rule fixtures (ruff-style): each case in tests/rule_fixtures/*.yaml is a tiny site run through ONE rule.

A case is data (see tests/rule_fixtures/README.md): pages and documents given as facts, or as real bytes
(``html:``, ``pdf:``, ``xlsx:``) that go through ``crawler.extract`` first. Every leaf rule of every
edition must have at least one compliant and one non_compliant case.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from openpyxl import Workbook
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from auditors.runner import audit_site
from auditors.site import Site
from crawler.extract import extract_document, extract_page
from models import DocumentArtifact, Link, PageArtifact, ResourceArtifact, Rule
from rules.catalog import list_editions, load_catalog

FIXTURES = Path(__file__).parent / "rule_fixtures"
BASE = "http://muni.test/"
CORTE = date(2026, 11, 24)
WHEN = datetime(2026, 11, 20, tzinfo=timezone.utc)
LINK = re.compile(r"^(?P<text>.*?)\s*->\s*(?P<href>\S+)(?:\s+\((?P<context>nav|footer|body)\))?$")
# The body of a linked page a case does not describe: content of its own, and none of any rule's words.
UNDESCRIBED_TEXT = ("El área responsable pone a disposición de la población la información que aquí se "
                    "consulta, con sus anexos, cuadros y documentos de soporte, conforme a lo que la ley señala.")
RESOURCE_KEYS = {"url", "status", "error", "probe", "redirect_from", "html", "encoding", "content_type"}


def _rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for edition in list_editions():
        for rule in load_catalog(edition).leaves():
            assert rules.setdefault(rule.id, rule) == rule, f"{rule.id} differs between editions"
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
        return Link(href=urljoin(base, spec["href"]), text=spec.get("text", ""), context=spec.get("context", "body"))
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
    return Site(resources, case.get("website", base))


@pytest.mark.parametrize(("where", "rule_id", "case"), CASES, ids=[f"{w}:{r}" for w, r, _ in CASES])
def test_rule_fixture(where: str, rule_id: str, case: dict) -> None:
    assert rule_id in RULES, f"{where}: unknown rule {rule_id}"
    fecha_corte = date.fromisoformat(str(case.get("fecha_corte", CORTE)))
    [finding] = audit_site([RULES[rule_id]], build_site(case), fecha_corte)
    assert finding.status.value == case["expected"], f"{where} «{case['name']}»: {finding.message}"


def test_every_leaf_has_a_positive_and_a_negative_case() -> None:
    statuses: dict[str, set[str]] = {}
    for _, rule_id, case in CASES:
        statuses.setdefault(rule_id, set()).add(case["expected"])
    missing = []
    for rule_id, rule in RULES.items():
        wanted = {"compliant", "non_compliant"} if rule.applies_to_municipalities else {"not_applicable"}
        if not wanted <= statuses.get(rule_id, set()):
            missing.append(f"{rule_id}: {sorted(wanted - statuses.get(rule_id, set()))}")
    assert not missing, "rules without fixtures:\n" + "\n".join(missing)


def test_some_cases_in_every_dimension_go_through_real_bytes() -> None:
    real: dict[str, set[str]] = {}
    for where, rule_id, case in CASES:
        specs = [case.get("home") or {}, *case.get("pages", []), *case.get("documents", [])]
        if any(key in spec for spec in specs for key in ("html", "pdf", "xlsx")):
            real.setdefault(RULES[rule_id].dimension.value, set()).add(where)
    assert {dimension: len(cases) >= 3 for dimension, cases in real.items()} == {
        "transparencia": True, "participacion": True, "tic": True}
