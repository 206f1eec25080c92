"""A rule is data: one YAML entry under ``rules/<edition>/`` validated by :class:`Rule`."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

RULE_ID = re.compile(
    r"^(?:(?:ltaipemym|lgtaip)\.\d+(?:\.[IVXLC]+(?:\.[a-z]{1,2})?)?"
    r"|lgtaip\.general\.[a-z][a-z0-9_]*"  # 2025 general provisions whose article numbers are unconfirmed
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


Frequency = Literal["mensual", "trimestral", "semestral", "anual", "trienal"]
FREQUENCY_MONTHS: dict[str, int] = {"mensual": 1, "trimestral": 3, "semestral": 6, "anual": 12, "trienal": 36}
_LEGACY_PERIODS = {30: "mensual", 90: "trimestral", 182: "semestral", 365: "anual", 1095: "trienal"}


class Retention(Strict):
    """How many ejercicios before the current one must stay published (Lineamientos Técnicos Generales,
    «Tabla de actualización y conservación»): one reviewed row of ``rules/<edition>/conservacion.csv``."""

    previous: int = Field(ge=1)  # 2: "el ejercicio en curso y los dos anteriores"
    source: str = Field(min_length=1)
    source_tag: SourceTag


class Currency(Strict):
    """How recent the published information must be, judged on the period reported (auditors/periods.py).

    `period` and `due_days` come from the Lineamientos Técnicos Generales (Tabla de actualización): the
    information of each period is due `due_days` after the period ends (`judged_on: reported`, e.g. a
    quarterly report 30 days after the quarter), or after it starts for a document in force during the
    period (`in_force`: the Bando of the year by 5 February). `recency`: the newest dated item must be
    younger than one period plus `due_days` (news). `source` names where the period comes from.
    """

    period: Frequency
    due_days: int = Field(default=30, ge=0)
    judged_on: Literal["reported", "in_force", "recency"] = "reported"
    # first year of a multi-year cycle (the municipal administration 2025-2027 for `trienal`)
    anchor_year: int = 2025
    # words that mark an amendment ("reforma"): its date makes an older in-force document current
    # (LOMEM art. 160: the Bando *or its amendments* published each 5 February)
    amendments: list[str] = []
    source: str | None = None
    source_tag: SourceTag = SourceTag.SECONDARY
    # earlier ejercicios that must still be published (only for information reported by period)
    retention: Retention | None = None

    @model_validator(mode="before")
    @classmethod
    def _legacy(cls, data: Any) -> Any:
        """Accept the older shorthand {period_days, tolerance_days, label_year} (tests, old YAML)."""
        if isinstance(data, dict) and "period_days" in data:
            data = dict(data)
            days = data.pop("period_days")
            data["period"] = (
                _LEGACY_PERIODS.get(days) or min(_LEGACY_PERIODS.items(), key=lambda item: abs(item[0] - days))[1]
            )
            data.setdefault("due_days", data.pop("tolerance_days", 30))
            data.pop("tolerance_days", None)
            data.setdefault("judged_on", data.pop("label_year", "in_force" if days >= 365 else "reported"))
            data.pop("label_year", None)
        return data

    @property
    def months(self) -> int:
        return FREQUENCY_MONTHS[self.period]


class Applicability(Strict):
    """Whether an obligation applies to a municipality when its own table of applicable fractions (Art. 93,
    IPOMEX format art_93_i) is not available: one reviewed row of ``rules/<edition>/aplicabilidad.csv``.

    `applies`: "si"; "no" (scored as not applicable, citing `source`); "por_confirmar": the obligation may
    not be the municipality's (competence to be confirmed), so its absence is not scored (not verifiable).
    """

    applies: Literal["si", "no", "por_confirmar"]
    source: str = Field(min_length=1)
    source_tag: SourceTag
    reason: str = Field(min_length=1)


# The content recognisers a rule may name (auditors/recognizers.py; described for readers in rules/docs.py).
Recognizer = Literal[
    "directory",
    "tramites",
    "cabildo_minutes",
    "budget",
    "structure",
    "transparency_unit",
    "normative_instrument",
    "integral_privacy_notice",
    "simplified_privacy_notice",
]


class PublicationCheck(Strict):
    """The site publishes something recognisable by its words: link text, titles, headings, URL."""

    kind: Literal["publication"] = "publication"
    terms: list[str] = Field(min_length=1)
    url_terms: list[str] = []
    require_terms: list[str] = []
    # Phrases that contain a term but name something else ("presupuesto participativo" for the Presupuesto de
    # Egresos): masked before the terms are searched, in labels, texts and URLs alike.
    exclude_terms: list[str] = []
    # Short labels ("Sueldos", "OSFEM") safe only in context: a main-menu link, or a link or heading on a page
    # of the transparency section.
    context_terms: list[str] = []
    # Recognises the publication by what a page or document contains, whatever its label.
    recognizer: Recognizer | None = None
    # The publication is news itself (tic.noticias_vigentes); elsewhere a news item about the subject is context.
    news: bool = False
    # The obligation is a legend in the page's text (Art. 77's update date, Art. 107's denuncia): a phrase in
    # running text is the publication, not a mention.
    legend: bool = False
    # The legend states a date (Art. 77's «Fecha de actualización: …»): one with no year in the words after it (a blank
    # «dd/mm/aaaa», nothing) is a mention.
    dated: bool = False
    # Another body's site the law accepts as the place of this publication (Lineamientos: jubilados y
    # pensionados by a link to the social-security institute); a live page there counts.
    accepted_domains: list[str] = []
    # The publication is a service, not a description of it: «online» (a payment, a procedure) counts a page with a
    # form of its own to fill in, or a link from its content to the system on another server; «contact» (a channel
    # for complaints) also one with contact details of its own (an e-mail, a phone). A document does not count.
    service: Literal["online", "contact"] | None = None
    # The publication is amounts (a salary scale, a budget, a debt): a page of the site's own, not a list of documents,
    # whose text gives no figure but years only describes it.
    amounts: bool = False
    # With `amounts`: what a page says when there is nothing to report («no se ha contratado deuda»). That legend is the
    # publication, figures or not.
    none_legends: list[str] = []
    # The publication is people's contact details (a directory): a page of the site's own, not a list of documents, or
    # a document, that gives no phone or e-mail of its own (a list of offices, photos with names) is not it.
    contacts: bool = False
    # The publication is a register of suppliers (a padrón): a page or document that, with the documents it lists, names
    # no supplier (no RFC, no company) and says how to join the register (requirements, the form) is not it.
    suppliers: bool = False
    # The publication is documents (each servant's declaration in its public version; the Bando, a reglamento, the
    # Plan de Desarrollo, the gaceta's numbers): a page of the site's own that links nothing of its own (a reminder of
    # when to declare, a page naming the Bando and the day it was published) is not it, unless it holds the text itself
    # (in articles, or long).
    documents: bool = False
    # A page of the site's own that links, frames and shows nothing, whose whole text is one or two sentences with no
    # number but dates, tells what happened to the subject and when (the informe «was rendered», the manual «approved»,
    # the indicators «reported», the consultation «concluded»): it announces the publication, it is not it. «report»:
    # reports, manuals, indicators, inventories (a one-page document is read too: an invitation, an acknowledgement of
    # receipt); «mechanism»: a participation mechanism, whose call to take part («se convoca», «inscríbete») is part of
    # its publication, however short.
    announcements_apart: Literal["report", "mechanism"] | None = None
    # The publication is the minutes of a body's sessions (the actas de cabildo): a page of the site's own, or one of its
    # sections, that only lists the sessions by name and date («Vigésima Sesión Ordinaria de Cabildo, 8 de enero de 2026»)
    # and links none is an index of minutes it does not publish.
    session_list_apart: bool = False
    # The publication is a series of dated records (the minutes of each session, each number of the gaceta): a page that
    # lists them reports the newest it lists, not its own date. Yearly subjects (a cuenta pública) are read so anyway.
    dated_records: bool = False
    # The publication is an office's data (the Unidad de Transparencia's address, phone, titular): a letter it sent (an
    # oficio answering a request) carries them in its letterhead and signature, and is not it.
    letters_apart: bool = False
    # Records about the subject that are not its publication, by how they name themselves at their head («convocatoria»
    # to the forums of the Plan de Desarrollo, «acta» of the session that approved the Bando, «informe de gobierno»):
    # a label, page or document that opens with one is another record on the subject.
    records_apart: list[str] = []


class LinkDomainsCheck(Strict):
    """The site links to one of these external services (social media, SAIMEX, PNT…)."""

    kind: Literal["link_domains"] = "link_domains"
    domains: list[str] = Field(min_length=1)
    min_distinct: int = Field(default=1, ge=1)
    # Addresses on those domains that are not the service itself, whatever the domain (a «share» button opens a
    # sharing dialog, not the municipality's account): matched in the URL's path and query.
    not_the_service: list[str] = []
    # Only a link that names an account counts: a path after the domain (a theme's icons left pointing at the
    # network's front page, «https://facebook.com/», name nobody's).
    accounts: bool = False
    # The link counts only once its target was fetched and answered (a system, not a social profile behind a
    # login): an unfetched or failing target leaves the rule not verifiable.
    verify_target: bool = False
    # Only a link into the municipality's own records there (auditors/ownership.opens_subject_records) counts in
    # full; a link to the platform's own pages (its home, its open data) is partial.
    subject_records: bool = False
    # Art. 75: published on the municipality's own site AND on the platform: a link into its records there counts in
    # full only beside a transparency section of the site's own (Site.own_section).
    own_section: bool = False


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
        "transparency_legend",  # Art. 107: legend text in the transparency section
        "accessibility",  # WCAG signals: img alt, form labels, skip link, accessibility tools
        "trackers",  # third-party trackers/analytics without a privacy notice (compliant = none)
        "integrity",  # no injected spam links / defacement (compliant = clean)
        "wcag",  # axe-core WCAG 2.1 A/AA violations on the home page, rendered from the archive
    ]
    min_count: int = Field(default=1, ge=1)
    terms: list[str] = []


Check = Annotated[PublicationCheck | LinkDomainsCheck | PageFeatureCheck, Field(discriminator="kind")]


# A legal obligation (its article in `basis`) or a good practice (the plan, law or guideline that recommends
# it in `recommended_by`): good practices are scored in their own index, never as a breach.
Nature = Literal["obligacion", "buena_practica"]


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
    # Restates the obligation of another rule (part.gaceta_municipal -> ltaipemym.94.II.a): where that rule is
    # audited too, this one shows its finding and is not counted again (one count per obligation)
    refers_to: str | None = None
    nature: Nature = "obligacion"
    recommended_by: str | None = None  # good practice: who recommends it (plan, law, guideline), with its source
    # Default applicability, from rules/<edition>/aplicabilidad.csv (None: applies, as every Art. 92 duty)
    applicability: Applicability | None = None
    parent: str | None = None
    # IPOMEX 3.0 format page slug, e.g. "art_92_xiv_b" or "organigramas" (IPOMEX spider builds
    # https://www.ipomex.org.mx/ipo3/lgt/indice/{CLAVE}/{ipomex_format}.web from it)
    ipomex_format: str | None = None

    @property
    def applies_to_municipalities(self) -> bool:
        """False only where the reviewed default table says it does not apply."""
        return self.applicability is None or self.applicability.applies != "no"

    @property
    def not_applicable_reason(self) -> str | None:
        if self.applicability is None or self.applicability.applies == "si":
            return None
        return f"{self.applicability.reason} Fuente: {self.applicability.source}."

    @model_validator(mode="after")
    def _practice_names_who_recommends_it(self) -> Rule:
        if self.nature == "buena_practica" and not self.recommended_by:
            raise ValueError("una buena práctica necesita 'recommended_by' (plan, ley o guía que la recomienda)")
        return self

    @field_validator("id")
    @classmethod
    def _id_convention(cls, value: str) -> str:
        if not RULE_ID.match(value):
            raise ValueError(
                f"{value!r} no sigue la convención ltaipemym.<art>.<FRACCIÓN>[.<inciso>] o tic./part./norm.<nombre>"
            )
        return value
