"""Pydantic models at every boundary: rules, artifacts, findings, registry, exports."""

from models.artifact import DocumentArtifact, Link, PageArtifact, ResourceArtifact
from models.finding import Evidence, Finding, MunicipalityReport, Score, Status
from models.municipality import Municipality
from models.rule import Dimension, Rule

__all__ = [
    "Dimension",
    "DocumentArtifact",
    "Evidence",
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
