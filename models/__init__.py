"""Pydantic models at every boundary: rules, artifacts, findings, registry, exports.

Beside them, the two notions every layer shares and that depend on nothing but these models: text
normalisation (`models.text`) and the Spanish words for stored values (`models.labels`). They live here, at the
bottom of the layering, so that `auditors/` and `rules/` use them without importing `apertura`.
"""

from models.artifact import DocumentArtifact, FetchFacts, Link, PageArtifact, ResourceArtifact
from models.finding import Evidence, Finding, MunicipalityReport, Score, Status
from models.municipality import Municipality
from models.rule import Dimension, Rule

__all__ = [
    "Dimension",
    "DocumentArtifact",
    "Evidence",
    "FetchFacts",
    "Finding",
    "Link",
    "Municipality",
    "MunicipalityReport",
    "PageArtifact",
    "ResourceArtifact",
    "Rule",
    "Score",
    "Status",
]
