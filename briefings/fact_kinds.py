"""Every kind of fact read from sentences, named in one place: its name in the store and in reply
data, how replies label it, and the unit written after its value.

A kind's name is stored in the `facts` table and indexed by some partial indexes (see
CONTRIBUTING.md before adding or renaming one). FactKind members are strings, so they compare
equal to the names read back from the store and print as them in JSON and templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FactKind(StrEnum):
    """The kinds of fact the extractors in briefings/facts/ produce."""

    TROOPS = "kfor_troops"
    INCREASE = "troop_increase"
    COUNTRIES = "countries"
    INJURED = "injured"
    KILLED = "killed"
    DEADLINE = "deadline"


@dataclass(frozen=True)
class KindText:
    """How a reply shows a kind: `label` before the value, `unit` right after it."""

    label: str
    unit: str = ""


TEXTS: dict[FactKind, KindText] = {
    FactKind.TROOPS: KindText("KFOR strength", " troops"),
    FactKind.INCREASE: KindText("Reinforcements", " more troops"),
    FactKind.COUNTRIES: KindText("Contributing countries"),
    FactKind.INJURED: KindText("Injured"),
    FactKind.KILLED: KindText("Killed"),
    FactKind.DEADLINE: KindText("Deadline"),
}

# The mission's own figures: KFOR owns them by rule, so a reply never adds whose they are.
MISSION_FIGURES = (FactKind.TROOPS, FactKind.INCREASE)
# Counts of people hurt or killed: a reply names their group, and marks KFOR's own.
CASUALTIES = (FactKind.INJURED, FactKind.KILLED)
# Kinds whose value is a date (ISO when resolved, else as written), not a number.
DATES = (FactKind.DEADLINE,)


def label(kind: str) -> str:
    """The label of a kind; a name this version does not know (a newer store's) as written."""
    text = _text(kind)
    return text.label if text else kind.replace("_", " ")


def unit(kind: str) -> str:
    """The unit after a value of this kind, with its leading space; none for an unknown kind."""
    text = _text(kind)
    return text.unit if text else ""


def _text(kind: str) -> KindText | None:
    try:
        return TEXTS[FactKind(kind)]
    except ValueError:
        return None
