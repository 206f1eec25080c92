"""A municipality as the registry describes it."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, model_validator


class Municipality(BaseModel):
    inegi_code: str
    name: str
    website: str | None = None
    ipomex_url: str | None = None
    cabecera: str | None = None
    population_2020: int | None = None
    conapo_im_2020: float | None = None
    conapo_gm_2020: str | None = None
    coneval_irs_2020: float | None = None
    coneval_grs_2020: str | None = None
    pnud_idh_2020: float | None = None
    coneval_ictpc_2020: float | None = None
    # Two-digit INEGI entity code ("15" = Estado de México); derived from inegi_code when omitted.
    state_code: str | None = None
    # Where the website came from (evidence text); None when there is no website.
    website_source: str | None = None
    # IPOMEX "slug" of the sujeto obligado: the KEY in .../lgt/indice/<KEY>.web (case as observed).
    ipomex_key: str | None = None
    # Numeric sujeto-obligado id in the newer IPOMEX 4 app: .../ipomex/#/obligaciones/<id>.
    ipomex4_id: int | None = None
    # Where the IPOMEX URL/key came from (evidence text).
    ipomex_source: str | None = None
    # Which data file / rows the URLs were taken from.
    url_source: str | None = None
    # A domain seen only indirectly (e.g. in e-mail addresses), not confirmed as a website.
    domain_hint: str | None = None
    # Date the website/IPOMEX URLs were last checked live; None = never verified.
    verified_on: date | None = None

    @model_validator(mode="after")
    def _derive_state_code(self) -> Municipality:
        if self.state_code is None and len(self.inegi_code) == 5 and self.inegi_code.isdigit():
            self.state_code = self.inegi_code[:2]
        return self
