"""Every rule's documentation states what it accepts and what it does not (issue 17)."""

from __future__ import annotations

import re
from typing import get_args

import pytest

from models.rule import PageFeatureCheck
from rules import docs
from rules.catalog import list_editions, load_catalog


def test_every_page_feature_says_what_it_accepts_and_what_not():
    features = set(get_args(PageFeatureCheck.model_fields["feature"].annotation))
    assert set(docs.FEATURE_ACCEPTANCE) == features, "describe each feature in rules/docs.py FEATURE_ACCEPTANCE"
    for feature, (accepted, rejected) in docs.FEATURE_ACCEPTANCE.items():
        assert accepted.strip() and rejected.strip(), feature


@pytest.mark.parametrize("edition", list_editions())
def test_every_leaf_section_states_what_is_accepted_and_what_is_not(edition):
    catalog = load_catalog(edition)
    text = docs.render(catalog)
    missing = []
    for rule in catalog.leaves():
        section = text.split(f"### `{rule.id}` — ", 1)[1].split("\n### ", 1)[0]
        accepted = re.search(r"^- \*\*Se acepta:\*\* (\S.*)$", section, re.M)
        rejected = re.search(r"^- \*\*No se acepta:\*\* (\S.*)$", section, re.M)
        if not (accepted and rejected):
            missing.append(rule.id)
    assert not missing, "rules whose doc lacks «Se acepta» or «No se acepta»:\n" + "\n".join(missing)


def test_what_a_publication_rule_rejects_follows_its_check():
    """The statements come from the check, so they cannot drift from it: excluded phrases are named, and a
    legend rule accepts the phrase in running text instead of rejecting it as a mention."""
    catalog = load_catalog()
    accepted, rejected = docs.acceptance(catalog.by_id["ltaipemym.92.XXV.a"])
    assert "presupuesto participativo" in rejected and "una mención en el texto corrido" in rejected
    legend_accepted, legend_rejected = docs.acceptance(catalog.by_id["ltaipemym.77"])
    assert "leyenda" in legend_accepted and "mención" not in legend_rejected
