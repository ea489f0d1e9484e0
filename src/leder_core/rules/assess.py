"""Assessing a notification (docs/assessment.md): ``assess``.

The assessment evaluates the rules in the rulebook's order and keeps every rule's reason, so
the explanation is the evaluation itself and can never disagree with the decision.

Many notifications share their decision: the rules read only a handful of facts, and of the
dates only which span of the dated parameters they fall in. :func:`assess` therefore
evaluates the rules once per distinct set of the facts they read (the *verdict key*) and
reuses that evaluation, reasons included, for every later notification with the same facts;
only the parts that depend on the exact facts themselves (the id, the age, its reason, the due
date) are made for each notification.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from datetime import date
from operator import attrgetter
from typing import Any, Final

import attrs

from leder_core.interpretation import DEFAULT_INTERPRETATION, AutismStartKey, Interpretation
from leder_core.models.assessment import (
    Assessment,
    AssessmentWarning,
    Outcome,
    ReviewLevel,
    RuleSetId,
    Trigger,
)
from leder_core.models.construct import replacer
from leder_core.models.explanation import Reason
from leder_core.models.notification import (
    AutismStatus,
    Detention,
    Notification,
    OtherProcess,
    Person,
)
from leder_core.rules._case import Case
from leder_core.rules.age import age_at_death, age_reason
from leder_core.rules.deadlines import six_month_due_date
from leder_core.rules.eligibility import ELIGIBILITY_RULES, OUTCOME_IF_NOT_PASSED
from leder_core.rules.holds import declared_holds, detention_holds
from leder_core.rules.parameters import (
    ADULT_AGE,
    AUTISM_FOCUSED_MANDATORY,
    AUTISM_QUALIFIES,
    DOLS_IS_STATE_DETENTION,
    MINIMUM_AGE,
    POLICE_CONDUCT_BODY,
    RULESET_BY_NOTIFICATION_DATE,
    YOUNG_ADULT_MAXIMUM_AGE,
    change_dates,
)
from leder_core.rules.pathway import PATHWAY_RULES
from leder_core.rules.registry import as_decisive
from leder_core.rules.rulesets import RuleSet, select_ruleset

__all__ = ["DEFAULT_INTERPRETATION", "assess"]

_NO_TRIGGERS: Final[tuple[Trigger, ...]] = ()
_NO_HOLDS: Final[tuple[OtherProcess, ...]] = ()
_NO_WARNINGS: Final[tuple[AssessmentWarning, ...]] = ()


def _without_review(
    notification: Notification,
    *,
    ruleset: RuleSetId | None,
    age: int,
    outcome: Outcome,
    interpretation: Interpretation,
    reasons: list[Reason],
) -> Assessment:
    """An outcome with no LeDeR review: no level, triggers, holds, due date or warnings (§5-§7
    are evaluated only for reviews)."""
    return Assessment(
        notification_id=notification.id,
        ruleset=ruleset,
        age_at_death=age,
        outcome=outcome,
        review_level=None,
        mandatory_triggers=_NO_TRIGGERS,
        expected_holds=_NO_HOLDS,
        due_on=None,
        warnings=_NO_WARNINGS,
        interpretation=interpretation,
        reasons=tuple(reasons),
    )


def _evaluate(notification: Notification, chosen: Interpretation) -> Assessment:
    """Every rule evaluated in turn: the assessment by definition (see :func:`assess`)."""
    person = notification.person
    leap_day = chosen.leap_day
    age = age_at_death(person.date_of_birth, person.date_of_death, leap_day)
    ruleset, selection = select_ruleset(notification.notified_on)
    if ruleset is None:
        return _without_review(
            notification,
            ruleset=None,
            age=age,
            outcome=Outcome.OUT_OF_SCOPE,
            interpretation=chosen,
            reasons=[selection],
        )

    leap_day_birth = person.date_of_birth.month == 2 and person.date_of_birth.day == 29
    reasons: list[Reason] = [selection, age_reason(age, leap_day_birth, leap_day)]
    case = Case(
        notification=notification, person=person, ruleset=ruleset, age=age, interpretation=chosen
    )
    outcome = Outcome.LEDER_REVIEW
    for rule_id in ruleset.eligibility:
        passed, reason = ELIGIBILITY_RULES[rule_id](case)
        reasons.append(reason)
        if not passed:
            outcome = OUTCOME_IF_NOT_PASSED[rule_id]
            break
    else:
        # For a LeDeR review the decisive rule is the last eligibility rule evaluated (§3).
        reasons[-1] = as_decisive(reasons[-1])

    if not outcome.in_scope:
        return _without_review(
            notification,
            ruleset=ruleset.id,
            age=age,
            outcome=outcome,
            interpretation=chosen,
            reasons=reasons,
        )

    return _reviewed(case, ruleset, outcome, reasons)


def _reviewed(case: Case, ruleset: RuleSet, outcome: Outcome, reasons: list[Reason]) -> Assessment:
    """A LeDeR review's route: its triggers and level, holds, due date and warnings (§5-§7),
    after the eligibility ``reasons``."""
    triggers: list[Trigger] = []
    warnings: list[AssessmentWarning] = []
    for rule_id in ruleset.pathway:
        trigger, warning, reason = PATHWAY_RULES[rule_id](case)
        reasons.append(reason)
        if trigger is not None:
            triggers.append(trigger)
        if warning is not None:
            warnings.append(warning)
    declared, declared_reason = declared_holds(case)
    detained, detained_reason = detention_holds(case)
    due_on, due_reason = six_month_due_date(case.notification.notified_on)
    reasons += (declared_reason, detained_reason, due_reason)
    return Assessment(
        notification_id=case.notification.id,
        ruleset=ruleset.id,
        age_at_death=case.age,
        outcome=outcome,
        review_level=ruleset.deeper_level if triggers else ReviewLevel.INITIAL,
        mandatory_triggers=tuple(sorted(triggers)),
        expected_holds=tuple(sorted(declared | detained)),
        due_on=due_on,
        warnings=tuple(sorted(warnings)),
        interpretation=case.interpretation,
        reasons=tuple(reasons),
    )


# The verdict key. Every fact the rules read, other than the id, the exact age and the
# notification date, enters it as it is; those three enter as what the rules make of them:
#
# * the notification date as its span between the change dates of the parameters read by it
#   (the rule set, the minimum, adult and young-adult ages): one rule set, one set of reason
#   texts per span. The due date and its reason are made for each date (cached by date);
# * the age as its class among the span's thresholds (under the minimum, a child, a young
#   adult, older): every eligibility and trigger rule compares the age with those alone. The
#   age's own reason is made for each age (cached by age);
# * the date of death, or the date INT-AUTISM-START-KEY names, as its span of the autism
#   parameters, read only for an autistic person without a learning disability; and the
#   date of death as its span of the Deprivation of Liberty parameter, read only for a death
#   under a DoLS authorisation.
#
# A span where a parameter has no value has no thresholds: the exact age enters instead, and
# evaluating the rules raises as it always did (an evaluation that raises is not kept).

_SPAN_STARTS: Final = change_dates(
    RULESET_BY_NOTIFICATION_DATE, MINIMUM_AGE, ADULT_AGE, YOUNG_ADULT_MAXIMUM_AGE
)
_AUTISM_STARTS: Final = change_dates(AUTISM_QUALIFIES, AUTISM_FOCUSED_MANDATORY)
_DOLS_STARTS: Final = change_dates(DOLS_IS_STATE_DETENTION)
_POLICE_STARTS: Final = change_dates(POLICE_CONDUCT_BODY)


def _age_thresholds(on: date | None) -> tuple[int, ...] | None:
    """The ages at which a rule's answer can change on a date: ``age >= minimum``,
    ``age >= adult`` and ``age <= young adult maximum`` are all decided by how many of these
    an age has reached. ``None`` when a parameter has no value then."""
    if on is None:
        return None
    entries = (
        MINIMUM_AGE.entry_at(on),
        ADULT_AGE.entry_at(on),
        YOUNG_ADULT_MAXIMUM_AGE.entry_at(on),
    )
    if entries[0] is None or entries[1] is None or entries[2] is None:
        return None
    return tuple(sorted({entries[0].value, entries[1].value, entries[2].value + 1}))


#: Each span's thresholds, by its index (``bisect_right(_SPAN_STARTS, notified_on)``).
_SPAN_THRESHOLDS: Final = tuple(_age_thresholds(start) for start in (None, *_SPAN_STARTS))
#: Whether a span has a rule set: before the first, nothing but RS-SELECT is evaluated.
_SPAN_HAS_RULESET: Final = tuple(
    start is not None and RULESET_BY_NOTIFICATION_DATE.entry_at(start) is not None
    for start in (None, *_SPAN_STARTS)
)

#: The facts of a notification that enter the verdict key other than as they are: its id,
#: the notification date and the person (entering as their spans and fields), and the facts the
#: rules never read (the notifier's role, the responsible body). Every other field of
#: :class:`Notification` enters as it is, so a field added to it is in the key.
_NOTIFICATION_READ_OTHERWISE: Final = frozenset(
    {"id", "notified_on", "person", "notifier_role", "responsible_body"}
)
#: The facts of a person that enter other than as they are: the dates (as the age's class and
#: the spans) and the NHS number (never read by a rule). Every other field of :class:`Person`
#: enters as it is, so a field added to it is in the key.
_PERSON_READ_OTHERWISE: Final = frozenset({"nhs_number", "date_of_birth", "date_of_death"})
#: The interpretation's choices, all but the leap day (which enters through the age).
_INTERPRETATION_READ_OTHERWISE: Final = frozenset({"leap_day"})


def _facts_of(kind: type[Any], read_otherwise: frozenset[str]) -> Callable[[Any], object]:
    """The facts of a ``kind`` that enter the verdict key as they are: every field not in
    ``read_otherwise``, read by one C-level ``attrgetter`` (one field gives its value, several
    a tuple; either is a part of the key). Made from the fields, so a field added is in the key.
    """
    names = [field.name for field in attrs.fields(kind) if field.name not in read_otherwise]
    if not names:
        return lambda _: ()
    return attrgetter(*names)


_notification_facts: Final = _facts_of(Notification, _NOTIFICATION_READ_OTHERWISE)
_person_facts: Final = _facts_of(Person, _PERSON_READ_OTHERWISE)
_interpretation_facts: Final = _facts_of(Interpretation, _INTERPRETATION_READ_OTHERWISE)

#: The fields of an assessment made for each notification; every other field is the
#: verdict's, shared by every notification with the same key.
_OWN_FIELDS: Final = ("notification_id", "age_at_death", "due_on", "interpretation", "reasons")
#: An assessment from a verdict's with the fields of :data:`_OWN_FIELDS` (in that order).
_with_own: Final = replacer(Assessment, _OWN_FIELDS)

#: Each interpretation's number among the distinct choices assessed under, by its identity
#: (the interpretation kept alive beside it): the key holds the number, which hashes faster
#: than the choices (enumerations hash in Python).
_INTERPRETATION_NUMBERS: dict[int, tuple[Interpretation, int]] = {}
_NUMBER_OF_CHOICES: dict[object, int] = {}


def _interpretation_number(chosen: Interpretation) -> int:
    """``chosen``'s number, remembered (see :data:`_INTERPRETATION_NUMBERS`)."""
    choices = _interpretation_facts(chosen)
    if len(_INTERPRETATION_NUMBERS) >= _MAX_INTERPRETATIONS:
        # Numbers are given afresh: the verdicts keyed by the old ones go with them.
        _INTERPRETATION_NUMBERS.clear()
        _NUMBER_OF_CHOICES.clear()
        _VERDICTS.clear()
    number = _NUMBER_OF_CHOICES.setdefault(choices, len(_NUMBER_OF_CHOICES))
    _INTERPRETATION_NUMBERS[id(chosen)] = (chosen, number)
    return number


_MAX_INTERPRETATIONS: Final = 1 << 10

#: Each verdict: an assessment of its key (whose own fields are its first notification's), the
#: reasons before the age's and those after it (up to the due date's), and whether it gives
#: a due date.
_VERDICTS: dict[tuple[object, ...], tuple[Assessment, Reason, tuple[Reason, ...], bool]] = {}
#: At most this many verdicts are kept (about 10 MB); the cache starts afresh when full.
_MAX_VERDICTS: Final = 1 << 16


def assess(
    notification: Notification, *, interpretation: Interpretation | None = None
) -> Assessment:
    """Eligibility, route, level, triggers, expected holds, due date and every reason.

    Takes the model only; :func:`leder_core.assess` also accepts a notification document.
    ``interpretation`` overrides the rulebook's default choices.

    Why this is long: it is the hot path of bulk assessment (the verdict key and the shared
    verdict's copy), written as one function to spare a call per notification.
    """
    chosen = DEFAULT_INTERPRETATION if interpretation is None else interpretation
    person = notification.person
    died = person.date_of_death
    leap_day = chosen.leap_day
    age = age_at_death(person.date_of_birth, died, leap_day)
    notified_on = notification.notified_on
    span = bisect_right(_SPAN_STARTS, notified_on)
    autism = person.autism
    detention = person.detention
    processes = notification.other_processes
    if (
        not _SPAN_HAS_RULESET[span]
        or type(autism) is not AutismStatus
        or type(detention) is not Detention
        or type(processes) is not tuple
    ):
        # No rule set (nothing to share), or values not of their declared types (the rules
        # compare some by identity): evaluated rule by rule.
        return _evaluate(notification, chosen)
    learning_disability = person.learning_disability
    autism_span = -1
    if not learning_disability and autism is AutismStatus.DIAGNOSED:
        if chosen.autism_start_key is AutismStartKey.DATE_OF_DEATH:
            autism_span = bisect_right(_AUTISM_STARTS, died)
        else:
            autism_span = bisect_right(_AUTISM_STARTS, notified_on)
    detention_span = -1
    if detention is Detention.DEPRIVATION_OF_LIBERTY:
        detention_span = bisect_right(_DOLS_STARTS, died)
    elif detention is Detention.POLICE_CUSTODY:  # the body named depends on the date of death
        detention_span = bisect_right(_POLICE_STARTS, died)
    thresholds = _SPAN_THRESHOLDS[span]
    entry = _INTERPRETATION_NUMBERS.get(id(chosen))
    choices = (
        entry[1] if entry is not None and entry[0] is chosen else _interpretation_number(chosen)
    )
    key = (
        span,
        age if thresholds is None else bisect_right(thresholds, age),
        autism_span,
        detention_span,
        choices,
        _notification_facts(notification),
        _person_facts(person),
    )
    try:
        verdict = _VERDICTS.get(key)
    except TypeError:  # a fact that cannot be a key (not of its declared type)
        return _evaluate(notification, chosen)
    if verdict is None:
        assessment = _evaluate(notification, chosen)
        if len(_VERDICTS) >= _MAX_VERDICTS:
            _VERDICTS.clear()
        reasons = assessment.reasons
        reviewed = assessment.due_on is not None
        _VERDICTS[key] = (
            assessment,
            reasons[0],
            reasons[2:-1] if reviewed else reasons[2:],
            reviewed,
        )
        return assessment
    shared, selection, rest, reviewed = verdict
    born = person.date_of_birth
    age_says = age_reason(age, born.month == 2 and born.day == 29, leap_day)
    if reviewed:
        due_on, due_reason = six_month_due_date(notified_on)
        reasons = (selection, age_says, *rest, due_reason)
    else:
        due_on = None
        reasons = (selection, age_says, *rest)
    return _with_own(shared, notification.id, age, due_on, chosen, reasons)
