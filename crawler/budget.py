"""How a site's page budget (`APERTURA_MAX_PAGES_PER_SITE`) is spent: what the audit needs first.

A transparency page can list hundreds of documents, more than the whole budget. Spent in link order, the budget
went to the first few hundred files of such a listing and the ones that matter (an inventory, the newest quarter's
reports) were never fetched. So:

- every followed link gets a Scrapy request priority (`rank`): navigation pages first, then documents whose link
  text or URL names an obligation of the rules catalogue (the rules' own `terms`, `context_terms` and `url_terms`,
  matched by `auditors.matching` as the auditors match them), then the other pages, then the other documents;
  within documents, the most recent periods of their listing first (`auditors.periods` reads them from the link
  text and the URL);
- the budget is spent when the scheduler hands a request to the downloader (`PageBudgetMiddleware`), in that
  order, not when the link is found: a relevant link found late still goes before the unmatched documents found
  early. A request that arrives once the budget is spent is dropped before any download and counted in the stats
  (`apertura/deferred_links`, by kind). The budget stays a hard bound on the requests sent per site.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from scrapy.exceptions import IgnoreRequest

from auditors.matching import as_url_words, find, slug
from auditors.periods import filename_text, read_periods
from models.rule import PublicationCheck

# Request priorities (higher first). Pages are how documents are found: every page goes before every document, in
# the order the site's links give (as before ranking: LIFO among equals). Documents that name an obligation go
# before the others; within each group, RECENCY (0..RECENT_MONTHS) puts the most recent periods first.
PAGE = 400
MATCHED_DOCUMENT = 300
OTHER_DOCUMENT = 100
AUXILIARY = 500  # the site's own start fetches, sitemaps, renders: they find the links everything is ranked among
RECENT_MONTHS = 60  # a document this many months older than its listing's newest gets no recency bonus
UNDATED = 24  # a document without a readable period ranks as one two years older than the newest
_NO_CUTOFF = date(2100, 12, 31)  # periods are read only to compare them: none is "after the cut-off" here


class BudgetExhausted(IgnoreRequest):
    """The site's page budget was spent on requests ranked before this one."""


@dataclass(frozen=True)
class Candidate:
    url: str
    text: str
    document: bool


@lru_cache(maxsize=1)
def rule_terms() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words (labels and URL terms) by which the rules of every catalogue edition recognise a publication."""
    from rules.catalog import list_editions, load_catalog  # the catalogue once per process, when first needed

    terms: set[str] = set()
    url_terms: set[str] = set()
    for edition in list_editions():
        for rule in load_catalog(edition).rules:
            if isinstance(rule.check, PublicationCheck):
                terms.update((*rule.check.terms, *rule.check.context_terms))
                url_terms.update(rule.check.url_terms)
    return tuple(sorted(terms)), tuple(sorted(url_terms))


def relevant(url: str, text: str) -> bool:
    """The link's text or its file name names something a rule looks for. Not the folders: a site that keeps
    everything under /transparencia/ or /archivos/ would make every file relevant."""
    terms, url_terms = rule_terms()
    name = slug("/" + filename_text(url))
    return bool(find(terms, text) or find(terms, name) or find(as_url_words(url_terms), name))


def newest_period_end(url: str, text: str) -> date | None:
    """The end of the latest period the link's text or URL names ("4to trimestre 2025", "CONAC 2024/…")."""
    periods = read_periods(f"{text} {slug(url)}", _NO_CUTOFF).periods
    return max((p.end for p in periods), default=None)


def rank(candidates: list[Candidate]) -> list[int]:
    """Request priorities of the links of one page, in the candidates' order."""
    ends = [newest_period_end(c.url, c.text) if c.document else None for c in candidates]
    newest = max((end for end in ends if end), default=None)
    priorities = []
    for candidate, end in zip(candidates, ends, strict=True):
        if not candidate.document:
            priorities.append(PAGE)
            continue
        matched = relevant(candidate.url, candidate.text)
        if end is None or newest is None:
            months_back = UNDATED
        else:
            months_back = (newest.year - end.year) * 12 + newest.month - end.month
        recency = max(0, RECENT_MONTHS - months_back)
        priorities.append((MATCHED_DOCUMENT if matched else OTHER_DOCUMENT) + recency)
    return priorities


class PageBudgetMiddleware:
    """Spends the site's page budget as requests leave the scheduler (highest priority first), and drops the
    requests that come after it is spent. Only requests the site spider marks with `meta["budget"]` count; a
    redirect or retry of a counted request is not counted again."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        if not request.meta.get("budget") or request.meta.get("budget_spent"):
            return None
        spider = self.crawler.spider
        if not spider.spend_budget(request.meta["inegi_code"]):
            deferred(self.crawler.stats, request.meta.get("budget_kind", "page"))
            raise BudgetExhausted(f"presupuesto de páginas agotado: {request.url}")
        request.meta["budget_spent"] = True
        return None


def deferred(stats, kind: str) -> None:
    """A link left out because the site's page budget was spent."""
    stats.inc_value("apertura/deferred_links")
    stats.inc_value(f"apertura/deferred_links/{kind}")
