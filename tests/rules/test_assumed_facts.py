"""Said as it is: a reason that rests on a fact the notification left out says it was assumed.

A notification may leave out ``died_in_england``, ``gp_registered``, ``national_data_opt_out``
and ``detention``; each is then taken as its default, and the reason that rests on it says so
rather than reading like a recorded fact.
"""

from __future__ import annotations

from typing import Any

import pytest

from helpers import MINIMAL_NOTIFICATION
from leder_core import assess

MINIMAL: dict[str, Any] = MINIMAL_NOTIFICATION
GIVEN = {
    "died_in_england": True,
    "gp_registered": True,
    "national_data_opt_out": False,
    "detention": "none",
}
ASSUMED_TEXTS = {
    "ELIG-GP": "No GP registration was given; the person is taken to have been registered "
    "with a GP (the default).",
    "ELIG-OPT-OUT": "No national data opt-out was given; the person is taken not to have "
    "registered one (the default).",
    "HOLD-DETENTION": "No detention was given; the person is taken not to have died in state "
    "detention (the default).",
}
GIVEN_TEXTS = {
    "ELIG-GP": "The person was registered with a GP.",
    "ELIG-OPT-OUT": "No national data opt-out was registered.",
    "HOLD-DETENTION": "The person did not die in state detention.",
}


def notification(**person: object) -> dict[str, Any]:
    return dict(MINIMAL, person={**MINIMAL["person"], **person})


def texts(document: dict[str, Any], **interpretation: str) -> dict[str, str]:
    assessment = assess(document, interpretation=interpretation or None)
    return {reason.rule: reason.text for reason in assessment.reasons}


def test_facts_left_out_are_said_to_be_assumed() -> None:
    said = texts(notification())
    for rule, text in ASSUMED_TEXTS.items():
        assert said[rule] == text


def test_facts_given_are_said_as_given() -> None:
    # Assessed after the same facts assumed: the two are never confused (nor cached as one).
    texts(notification())
    said = texts(notification(**GIVEN))
    for rule, text in GIVEN_TEXTS.items():
        assert said[rule] == text


@pytest.mark.parametrize("rule", sorted(ASSUMED_TEXTS))
def test_each_fact_is_told_apart(rule: str) -> None:
    fact = {"ELIG-GP": "gp_registered", "ELIG-OPT-OUT": "national_data_opt_out"}.get(
        rule, "detention"
    )
    said = texts(notification(**{fact: GIVEN[fact]}))
    assert said[rule] == GIVEN_TEXTS[rule]
    others = set(ASSUMED_TEXTS) - {rule}
    assert all(said[other] == ASSUMED_TEXTS[other] for other in others)


def test_a_link_to_england_resting_on_an_assumed_place_of_death_says_so() -> None:
    said = texts(notification(lived_in_england=False), residence="either")
    assert said["ELIG-ENGLAND"] == (
        "No place of death was given; the person is taken to have died in England "
        "(the default) (INT-RESIDENCE: either)."
    )
    said = texts(notification(lived_in_england=False, died_in_england=True), residence="either")
    assert said["ELIG-ENGLAND"] == "The person lived or died in England (INT-RESIDENCE: either)."
    said = texts(notification(), residence="either")  # rests on where the person lived
    assert said["ELIG-ENGLAND"] == "The person lived or died in England (INT-RESIDENCE: either)."
    said = texts(notification(), residence="died_in_england")
    assert "taken to have died in England (the default)" in said["ELIG-ENGLAND"]


def test_a_fact_given_against_its_default_is_never_called_assumed() -> None:
    said = texts(notification(gp_registered=False))
    assert "the default" not in said["ELIG-GP"]
