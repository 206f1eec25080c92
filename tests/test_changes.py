"""Classification of changes between two audits."""

from auditors.changes import compare
from models import Finding, Status
from models.change import ChangeKind
from models.rule import Dimension


def f(rule_id, status):
    return Finding(
        rule_id=rule_id,
        title=rule_id,
        dimension=Dimension.TIC,
        status=status,
        weight=1,
        legal_basis="",
        message="",
        review_note="",
    )


def test_compare_classifies_every_transition():
    old = [
        f("a", Status.NON_COMPLIANT),
        f("b", Status.COMPLIANT),
        f("c", Status.COMPLIANT),
        f("d", Status.NOT_VERIFIABLE),
        f("e", Status.PARTIAL),
        f("same", Status.PARTIAL),
    ]
    new = [
        f("a", Status.COMPLIANT),
        f("b", Status.PARTIAL),
        f("c", Status.NOT_VERIFIABLE),
        f("d", Status.NON_COMPLIANT),
        f("e", Status.COMPLIANT),
        f("same", Status.PARTIAL),
    ]
    kinds = {c.rule_id: c.kind for c in compare("15054", old, new, 1, 2)}
    assert kinds == {
        "a": ChangeKind.NEWLY_COMPLIANT,
        "b": ChangeKind.REGRESSION,
        "c": ChangeKind.NEWLY_NOT_VERIFIABLE,
        "d": ChangeKind.NEWLY_VERIFIABLE,
        "e": ChangeKind.NEWLY_COMPLIANT,
    }


def test_partial_to_non_compliant_is_a_regression_and_new_rules_are_listed():
    changes = compare("15001", [f("x", Status.PARTIAL)], [f("x", Status.NON_COMPLIANT), f("y", Status.COMPLIANT)], 3, 4)
    assert [(c.rule_id, c.kind, c.before) for c in changes] == [
        ("x", ChangeKind.REGRESSION, Status.PARTIAL),
        ("y", ChangeKind.OTHER, None),
    ]
