"""Printers: the IR back as policy text, in the YAML language or in the DSL.

`fmt` prints a policy in its own language, `convert` in the other; both keep the
comments of the source (see `comments.py`). Printing then reading gives back the same
IR: the property tests in `tests/test_printer_roundtrip.py` hold the printers to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policyc.ir import Policy
    from policyc.pipeline import FrontEndResult
    from policyc.printer.comments import Comments


def print_policy(policy: Policy, language: str, comments: Comments | None = None) -> str:
    """The policy as text in `language` (`yaml` or `dsl`), in the canonical layout."""
    from policyc.printer.document import document

    if language == "dsl":
        from policyc.printer.dsl import print_dsl

        return print_dsl(document(policy), comments)
    from policyc.printer.yaml import print_yaml

    return print_yaml(document(policy), comments)


def reprint(front: FrontEndResult, language: str) -> str:
    """A policy read by a front end, printed in `language` with its comments."""
    from policyc.pipeline import language_of
    from policyc.printer.comments import attach

    assert front.source is not None and front.tree is not None and front.policy is not None
    comments = attach(front.source, front.tree, language_of(front.source.name))
    return print_policy(front.policy, language, comments)
