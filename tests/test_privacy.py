"""No repr, str or message shows a person-level value (engineering rule 4)."""

from __future__ import annotations

from datetime import date

from leder_core import assess, load_review, review_result
from leder_core.serialization import load_event

NHS_NUMBER = "943 476 5919"
NOTIFICATION = {
    "id": "N-PRIVACY",
    "notified_on": "2024-03-15",
    "notifier_role": "gp",
    "person": {
        "nhs_number": NHS_NUMBER,
        "date_of_birth": "1970-01-01",
        "date_of_death": "2024-03-10",
        "learning_disability": True,
        "autism": "none",
        "ethnicity": "N",
        "lived_in_england": True,
        "detention": "prison",
    },
}
PERSON_VALUES = (NHS_NUMBER, NHS_NUMBER.replace(" ", ""), "1970-01-01", "1970, 1, 1", "2024-03-10",
                 "2024, 3, 10", "54 completed", "prison")  # fmt: skip


def shown(*objects: object) -> str:
    return " ".join(text for value in objects for text in (repr(value), str(value)))


def test_an_assessment_and_its_reasons_mask_person_values_in_repr() -> None:
    assessment = assess(NOTIFICATION)
    text = shown(assessment, *assessment.reasons)
    for value in PERSON_VALUES:
        assert value not in text
    assert "N-PRIVACY" in text  # the notification is still identifiable to its owner


def test_a_review_and_its_result_mask_person_values_in_repr() -> None:
    events = [{"type": "allocated", "on": "2024-03-20", "reviewer": "R-1"}]
    review = load_review({"notification": NOTIFICATION, "events": events})
    result = review_result(review, as_of=date(2024, 6, 1))
    text = shown(review, result, review.notification, review.notification.person)
    for value in PERSON_VALUES:
        assert value not in text


def test_the_explanation_itself_still_says_why() -> None:
    # Masking is for reprs; the reasons a caller asks for keep their words.
    texts = [reason.text for reason in assess(NOTIFICATION).reasons]
    assert any("54 completed years" in text for text in texts)
    assert any("in prison" in text for text in texts)


SIGN_OFF = {
    "type": "signed_off",
    "on": "2024-04-10",
    "by": "senior_reviewer",
    "actions": [
        {
            "description": "Ask Mrs Pemberton-Smith about the care plan",
            "owner": "Dr Okonkwo-Hale",
            "due_on": "2024-07-01",
        }
    ],
}


def test_what_a_person_wrote_at_sign_off_is_not_shown_in_repr() -> None:
    signed_off = load_event(SIGN_OFF)
    no_actions = load_event(
        {"type": "signed_off", "on": "2024-04-10", "by": "senior_reviewer",
         "no_actions_reason": "Mrs Pemberton-Smith asked for none"}
    )  # fmt: skip
    text = shown(signed_off, *signed_off.actions, no_actions)  # type: ignore[attr-defined]
    assert "Pemberton-Smith" not in text
    assert "Okonkwo-Hale" not in text
    assert "SignedOff" in text  # the event itself is still named
