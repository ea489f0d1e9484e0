"""The rules of the review workflow (FLOW-*), each declared once with its sources.

The transition table (:mod:`leder_core.rules.workflow.table`) names the rule that governs each
event and each guard; the engine names FLOW-DATES, FLOW-HOLD-BLOCKS, FLOW-LATE-ENTRY and
FLOW-TERMINAL in its refusals.
"""

from __future__ import annotations

from typing import Final

from leder_core.rules.registry import Confidence, define_rule

__all__ = [
    "FLOW_ALLOCATE",
    "FLOW_CLOSE",
    "FLOW_CONTACT",
    "FLOW_DATES",
    "FLOW_FAMILY_REQUEST",
    "FLOW_FOCUSED_COMPLETE",
    "FLOW_HOLD",
    "FLOW_HOLD_BLOCKS",
    "FLOW_INITIAL_COMPLETE",
    "FLOW_LATE_ENTRY",
    "FLOW_MIN_CONTACTS",
    "FLOW_REGIONAL",
    "FLOW_SIGN_OFF",
    "FLOW_TERMINAL",
]

FLOW_REGIONAL: Final = define_rule(
    "FLOW-REGIONAL",
    title="Regional decision on a death with no GP registration",
    text="A review awaiting a regional decision goes to allocation when the NHS England regional "
    "coordinator decides to proceed, and is closed when they decide not to. The decision is "
    "accepted only in that state.",
    section="§8",
    sources=("leder-faq",),
    confidence=Confidence.SINGLE_SOURCE,
)
FLOW_ALLOCATE: Final = define_rule(
    "FLOW-ALLOCATE",
    title="Allocation to an independent reviewer",
    text="The local area contact allocates a review awaiting allocation to a reviewer, who must "
    "not have been involved in the person's care and must not be from the service where the "
    "person died.",
    section="§8",
    sources=("reviewer-independence", "leder-roles"),
    confidence=Confidence.SINGLE_SOURCE,
)
FLOW_CONTACT: Final = define_rule(
    "FLOW-CONTACT",
    title="Contacts during a review",
    text="During an initial or focused review the reviewer records who they spoke to (family, "
    "someone close to the person, the GP, other professionals), that the GP records were "
    "reviewed, or why the family is not involved.",
    section="§8",
    sources=("leder-process", "leder-working-with-families"),
    confidence=Confidence.CONFIRMED,
)
FLOW_INITIAL_COMPLETE: Final = define_rule(
    "FLOW-INITIAL-COMPLETE",
    title="Completing the initial review",
    text="When the initial review is completed the review goes on to a focused review if a "
    "mandatory trigger applies, the family asked for one, or the reviewer found concerns or "
    "further learning; otherwise it awaits sign-off.",
    section="§8",
    sources=("leder-process", "leder-faq"),
    confidence=Confidence.CONFIRMED,
)
FLOW_MIN_CONTACTS: Final = define_rule(
    "FLOW-MIN-CONTACTS",
    title="The minimum contacts of an initial review",
    text="An initial review can be completed only when a family member or someone close to the "
    "person was contacted (or the reason the family is not involved was recorded), the GP was "
    "spoken to or the GP records reviewed, and at least one other professional involved in the "
    "person's care was contacted.",
    section="§8",
    sources=("leder-process", "mip-2021-autism"),
    confidence=Confidence.CONFIRMED,
)
FLOW_FAMILY_REQUEST: Final = define_rule(
    "FLOW-FAMILY-REQUEST",
    title="A family can always ask for a focused review",
    text="A family's request for a focused review is accepted in any open state and raises the "
    "level at once; a review awaiting sign-off at the initial level goes back to a focused "
    "review, elsewhere the focused review follows when the initial review is completed.",
    section="§8",
    sources=("leder-process", "nhse-announcement-2021", "mip-2021-autism"),
    confidence=Confidence.CONFIRMED,
)
FLOW_FOCUSED_COMPLETE: Final = define_rule(
    "FLOW-FOCUSED-COMPLETE",
    title="Completing the focused review",
    text="A completed focused review awaits sign-off.",
    section="§8",
    sources=("leder-process",),
    confidence=Confidence.CONFIRMED,
)
FLOW_SIGN_OFF: Final = define_rule(
    "FLOW-SIGN-OFF",
    title="Sign-off",
    text="A focused review is signed off by the local governance group, with at least one "
    "agreed action (each with an owner and a due date) or the reason no action is needed. An "
    "initial-level review is signed off by a senior reviewer or the governance group. In the "
    "2016 rule set the local steering group signs as the governance group and multi-agency "
    "reviews follow the focused rule.",
    section="§8",
    sources=("leder-who-is-involved", "leder-roles"),
    confidence=Confidence.SINGLE_SOURCE,
)
FLOW_HOLD: Final = define_rule(
    "FLOW-HOLD",
    title="Placing and lifting holds",
    text="An open review may be put on hold for another formal process, or at the family's "
    "request; there is one open hold per process, and only an open hold can be lifted.",
    section="§8",
    sources=("leder-process", "pq-hl10253"),
    confidence=Confidence.CONFIRMED,
)
FLOW_HOLD_BLOCKS: Final = define_rule(
    "FLOW-HOLD-BLOCKS",
    title="A hold blocks completion and sign-off",
    text="While any hold is open, the initial review cannot be completed, the focused review "
    "cannot be completed and the review cannot be signed off: the LeDeR review waits for the "
    "other process.",
    section="§8",
    sources=("leder-process", "pq-hl10254"),
    confidence=Confidence.CONFIRMED,
)
FLOW_CLOSE: Final = define_rule(
    "FLOW-CLOSE",
    title="Closing a review without completion",
    text="An open review may be closed as a duplicate, as withdrawn because it was not eligible, "
    "or because the regional coordinator decided not to proceed.",
    section="§8",
    sources=("leder-faq", "lincs-lmc-opt-out"),
    confidence=Confidence.INFERRED,
)
FLOW_DATES: Final = define_rule(
    "FLOW-DATES",
    title="Events in date order",
    text="An event may not be dated before the notification date nor before the previous "
    "event's date: the history is a record, in order, of what happened. Under the `dated` "
    "event order an event need only not be dated before the notification date.",
    section="§8",
    sources=("leder-process",),
    confidence=Confidence.INFERRED,
    interpretations=("INT-EVENT-ORDER",),
)
FLOW_LATE_ENTRY: Final = define_rule(
    "FLOW-LATE-ENTRY",
    title="Late entries placed by their date",
    text="Under the `dated` event order, an event dated before the review's last event is "
    "placed after every event dated on or before its date, and the events after it are "
    "replayed; it is accepted only if it and every later event are still accepted there, "
    "otherwise it is refused with the rule of the first event that would fail and that "
    "event's position.",
    section="§8",
    sources=("leder-process", "leder-who-is-involved"),
    confidence=Confidence.INFERRED,
    interpretations=("INT-EVENT-ORDER",),
)
FLOW_TERMINAL: Final = define_rule(
    "FLOW-TERMINAL",
    title="Completed and closed reviews accept nothing",
    text="No event is accepted once a review is completed or closed: its history is final.",
    section="§8",
    sources=("leder-process",),
    confidence=Confidence.INFERRED,
)
