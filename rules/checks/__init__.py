"""Rule checks, registered by versioned name; importing this package registers them all.

Checks are small pure functions over a `CheckInput`; the catalogue (``rules/data/catalogue.json``)
says which check each rule uses and with what triggers and excuses.
"""

from __future__ import annotations

from rules.checks import creation, lifecycle, references
from rules.checks.base import (
    CHECKS,
    AgencyRename,
    CheckInput,
    Hit,
    Limits,
    Sentence,
    register_check,
    split_sentences,
)

__all__ = [
    "CHECKS",
    "AgencyRename",
    "CheckInput",
    "Hit",
    "Limits",
    "Sentence",
    "creation",
    "lifecycle",
    "references",
    "register_check",
    "split_sentences",
]
