"""The review workflow (docs/workflow.md): states, events, guards that say why.

The transition table :data:`TRANSITIONS` says everything about each event once: the states
that accept it and where it leads (with the condition that picks one of several targets),
whether a hold blocks it, its guards, and what it establishes in the history. The state after
an event, the refusal reasons, replay's quick path, the enabled events and the diagrams are
all read from it. ``leder-2016`` uses the same
machine, with ``multi_agency`` as its deeper level where ``leder-2021`` has ``focused``.

:func:`apply` is pure: it returns a new review with one more audit entry, or raises
:class:`~leder_core.TransitionRefused` naming every failed check, in the rulebook's order:
FLOW-TERMINAL alone for a completed or closed review; otherwise FLOW-DATES, the event's own
rule when the state does not accept the event (its guards are then not checked),
FLOW-HOLD-BLOCKS, then the event's guards.

Under INT-EVENT-ORDER ``dated`` an event dated before the review's last event is placed by
its date and the events after it are replayed (FLOW-LATE-ENTRY): the history is kept in date
order, each entry with the position its event was recorded in (``recorded``).

The workflow is four rooms: :mod:`~leder_core.rules.workflow.states` (open and opening
states), :mod:`~leder_core.rules.workflow.flow_rules` (the FLOW-* rules),
:mod:`~leder_core.rules.workflow.table` (the transition table, its guards and effects) and
:mod:`~leder_core.rules.workflow.engine` (applying, replaying, enabled events), which moves a
:class:`~leder_core.rules.workflow.progress.ReviewProgress`.
"""

from leder_core.rules.workflow.engine import (
    apply,
    enabled_events,
    events_until,
    open_review,
    replay,
    review_of,
)
from leder_core.rules.workflow.flow_rules import (
    FLOW_ALLOCATE as FLOW_ALLOCATE,
)
from leder_core.rules.workflow.flow_rules import (
    FLOW_CLOSE as FLOW_CLOSE,
)
from leder_core.rules.workflow.flow_rules import (
    FLOW_CONTACT as FLOW_CONTACT,
)
from leder_core.rules.workflow.flow_rules import (
    FLOW_DATES as FLOW_DATES,
)
from leder_core.rules.workflow.flow_rules import (
    FLOW_FAMILY_REQUEST as FLOW_FAMILY_REQUEST,
)
from leder_core.rules.workflow.flow_rules import (
    FLOW_FOCUSED_COMPLETE as FLOW_FOCUSED_COMPLETE,
)
from leder_core.rules.workflow.flow_rules import (
    FLOW_HOLD as FLOW_HOLD,
)
from leder_core.rules.workflow.flow_rules import (
    FLOW_HOLD_BLOCKS as FLOW_HOLD_BLOCKS,
)
from leder_core.rules.workflow.flow_rules import (
    FLOW_INITIAL_COMPLETE as FLOW_INITIAL_COMPLETE,
)
from leder_core.rules.workflow.flow_rules import (
    FLOW_LATE_ENTRY as FLOW_LATE_ENTRY,
)
from leder_core.rules.workflow.flow_rules import (
    FLOW_MIN_CONTACTS as FLOW_MIN_CONTACTS,
)
from leder_core.rules.workflow.flow_rules import (
    FLOW_REGIONAL as FLOW_REGIONAL,
)
from leder_core.rules.workflow.flow_rules import (
    FLOW_SIGN_OFF as FLOW_SIGN_OFF,
)
from leder_core.rules.workflow.flow_rules import (
    FLOW_TERMINAL as FLOW_TERMINAL,
)
from leder_core.rules.workflow.states import OPEN_STATES, OPENING_STATES, opening_state
from leder_core.rules.workflow.table import TRANSITIONS, Branch, Guard, Transition

__all__ = [
    "OPENING_STATES",
    "OPEN_STATES",
    "TRANSITIONS",
    "Branch",
    "Guard",
    "Transition",
    "apply",
    "enabled_events",
    "events_until",
    "open_review",
    "opening_state",
    "replay",
    "review_of",
]
