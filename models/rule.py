"""A rule is data: one YAML entry under ``rules/<edition>/`` validated by :class:`Rule`."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

RULE_ID = re.compile(
    r"^(?:(?:ltaipemym|lgtaip)\.\d+(?:\.[IVXLC]+(?:\.[a-z]{1,2})?)?"
    r"|(?:tic|part|norm)\.[a-z][a-z0-9_]*)$"
)


class Dimension(StrEnum):
    TRANSPARENCIA = "transparencia"
    PARTICIPACION = "participacion"
    TIC = "tic"


class SourceTag(StrEnum):
    """How sure we are of a legal fact (see shared/reference/legal_catalog.md)."""

    VERIFIED_TEXT = "verified-text"
    SECONDARY = "secondary"
    INFERRED = "inferred"
    UNCONFIRMED = "unconfirmed"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LegalBasis(Strict):
    law: str
    article: str | None = None
    fraction: str | None = None
    inciso: str | None = None
    quote: str | None = None
    source: SourceTag = SourceTag.VERIFIED_TEXT

    def cite(self) -> str:
        parts = [self.law]
        if self.article:
            parts.append(f"art. {self.article}")
        if self.fraction:
            parts.append(f"fr. {self.fraction}")
        if self.inciso:
            parts.append(f"inciso {self.inciso})")
        return ", ".join(parts)


class Currency(Strict):
    """How recent the published information must be (LTAIPEMyM Art. 77: quarterly)."""

    period_days: int = Field(gt=0)
    tolerance_days: int = Field(default=30, ge=0)
    # What a year in a title means: the year the document is in force ("Bando Municipal 2026") or the
    # year it reports on ("Cuenta Pública 2025", due in the following year).
    label_year: Literal["in_force", "reported"] = "in_force"


class PublicationCheck(Strict):
    """The site publishes something recognisable by its words: link text, titles, headings, URL."""

    kind: Literal["publication"] = "publication"
    terms: list[str] = Field(min_length=1)
    url_terms: list[str] = []
    document_types: list[str] = []
    require_terms: list[str] = []
    # Phrases that contain a term but name something else ("presupuesto participativo" for the Presupuesto de
    # Egresos): masked before the terms are searched, in labels, texts and URLs alike.
    exclude_terms: list[str] = []
    # Short labels ("Sueldos", "OSFEM") safe only in context: a main-menu link, or a link or heading on a page
    # of the transparency section.
    context_terms: list[str] = []
    # Recognises the publication by what a page or document contains, whatever its label.
    recognizer: Literal["directory", "tramites", "cabildo_minutes", "budget"] | None = None
    # The publication is news itself (tic.noticias_vigentes); elsewhere a news item about the subject is context.
    news: bool = False
    # The obligation is a legend in the page's text (Art. 77's update date, Art. 107's denuncia): a phrase in
    # running text is the publication, not a mention.
    legend: bool = False
    # Another body's site the law accepts as the place of this publication (Lineamientos: jubilados y
    # pensionados by a link to the social-security institute); a live page there counts.
    accepted_domains: list[str] = []


class LinkDomainsCheck(Strict):
    """The site links to one of these external services (social media, SAIMEX, PNT…)."""

    kind: Literal["link_domains"] = "link_domains"
    domains: list[str] = Field(min_length=1)
    min_distinct: int = Field(default=1, ge=1)


class PageFeatureCheck(Strict):
    """A technical feature of the home page or of the site."""

    kind: Literal["page_feature"] = "page_feature"
    feature: Literal[
        "https",
        "viewport",
        "lang",
        "site_search",
        "contact_channels",
        "open_data",
        "home_link",
        "accessibility",  # WCAG signals: img alt, form labels, skip link, accessibility tools
        "trackers",  # third-party trackers/analytics without a privacy notice (compliant = none)
        "integrity",  # no injected spam links / defacement (compliant = clean)
        "wcag",  # axe-core WCAG 2.1 A/AA violations on the home page, rendered from the archive
    ]
    min_count: int = Field(default=1, ge=1)
    terms: list[str] = []


Check = Annotated[PublicationCheck | LinkDomainsCheck | PageFeatureCheck, Field(discriminator="kind")]


class Rule(Strict):
    id: str
    title: str
    dimension: Dimension
    basis: LegalBasis
    where: list[Literal["sitio", "ipomex"]] = ["sitio"]
    check: Check | None = None  # None: a group whose status comes from its sub-rules (parent=id)
    currency: Currency | None = None
    weight: float = Field(default=1.0, ge=0)
    review_note: str
    applies_to_municipalities: bool = True
    not_applicable_reason: str | None = None
    parent: str | None = None
    # IPOMEX 3.0 format page slug, e.g. "art_92_xiv_b" or "organigramas" (IPOMEX spider builds
    # https://www.ipomex.org.mx/ipo3/lgt/indice/{CLAVE}/{ipomex_format}.web from it)
    ipomex_format: str | None = None

    @field_validator("id")
    @classmethod
    def _id_convention(cls, value: str) -> str:
        if not RULE_ID.match(value):
            raise ValueError(
                f"{value!r} no sigue la convención ltaipemym.<art>.<FRACCIÓN>[.<inciso>] "
                "o tic./part./norm.<nombre>"
            )
        return value
