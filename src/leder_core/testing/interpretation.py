"""Strategies for interpretations: the models and their ``leder.interpretation/1`` documents."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from leder_core.interpretation import (
    AutismFocused,
    AutismStartKey,
    Clock,
    EventOrder,
    Interpretation,
    LeapDay,
    MinorityEthnic,
    Residence,
    Timeliness,
)

__all__ = [
    "interpretation_documents",
    "interpretations",
]


def _timeliness_shares() -> st.SearchStrategy[float]:
    """INT-TIMELINESS shares 0 < p <= 1, the ends and the usual targets often."""
    return st.one_of(
        st.sampled_from([1.0, 0.8, 0.5, 0.35, 5e-324]),
        st.floats(min_value=0, max_value=1, exclude_min=True, allow_nan=False),
    )


def interpretations() -> st.SearchStrategy[Interpretation]:
    """:class:`~leder_core.Interpretation` objects covering every ``INT-*`` choice of
    docs/rules.md#interpretations, with due-soon windows of 0–366 days, annual report deadlines
    of 1–24 months and timeliness standards of every review or a share 0 < p <= 1."""
    return st.builds(
        Interpretation,
        autism_start_key=st.sampled_from(AutismStartKey),
        autism_focused=st.sampled_from(AutismFocused),
        minority_ethnic=st.sampled_from(MinorityEthnic),
        residence=st.sampled_from(Residence),
        leap_day=st.sampled_from(LeapDay),
        clock=st.sampled_from(Clock),
        due_soon_days=st.integers(0, 366),
        annual_report_months=st.integers(1, 24),
        timeliness=st.one_of(st.just(Timeliness.EVERY_REVIEW), _timeliness_shares()),
        event_order=st.sampled_from(EventOrder),
    )


def interpretation_documents() -> st.SearchStrategy[dict[str, Any]]:
    """``leder.interpretation/1`` documents (docs/schemas.md): any subset of the keys, each
    with an allowed wire value."""
    return st.fixed_dictionaries(
        {},
        optional={
            "autism_start_key": st.sampled_from([member.value for member in AutismStartKey]),
            "autism_focused": st.sampled_from([member.value for member in AutismFocused]),
            "minority_ethnic": st.sampled_from([member.value for member in MinorityEthnic]),
            "residence": st.sampled_from([member.value for member in Residence]),
            "leap_day": st.sampled_from([member.value for member in LeapDay]),
            "clock": st.sampled_from([member.value for member in Clock]),
            "due_soon_days": st.integers(0, 366),
            "annual_report_months": st.integers(1, 24),
            "timeliness": st.one_of(st.just(Timeliness.EVERY_REVIEW.value), _timeliness_shares()),
            "event_order": st.sampled_from([member.value for member in EventOrder]),
        },
    )
