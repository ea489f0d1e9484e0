"""The public entry points: documents or models in, models to the rules.

Every public function accepts a document as well as a model. This module is the one thin
layer that turns documents into models (through :mod:`leder_core.serialization`), checks the
arguments a caller may get wrong (an as-of date, an interpretation given as a mapping) and
hands models to :mod:`leder_core.rules`, which never sees a document. Data flows one way:
document → serialization → models → rules → result → ``dump``.

Each function imports the rules it calls (and the bundled directory of responsible bodies) the
first time it is called, so ``import leder_core`` loads only the models and the converter.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from leder_core.errors import InvalidInput
from leder_core.interpretation import Interpretation
from leder_core.models.assessment import Assessment
from leder_core.models.bodies import Directory
from leder_core.models.governance import Arrangements, ComplianceReport
from leder_core.models.indicators import Indicators, ServiceLevel
from leder_core.models.notification import Notification
from leder_core.models.review import Event, Review, ReviewDocument, ReviewResult, Status
from leder_core.rules.working_days import ENGLAND_AND_WALES, HolidayCalendar
from leder_core.serialization import (
    arrangements_problems,
    as_of_date,
    checked_event,
    checked_notification,
    coerce_interpretation,
    load_assessment,
    load_event,
    load_governance,
    load_notification,
    load_review_document,
)

if TYPE_CHECKING:
    from leder_core.rules import assess as assess_rules
    from leder_core.rules import clock, workflow
    from leder_core.rules.indicators import Tally

__all__ = [
    "apply",
    "assess",
    "check_governance",
    "indicators",
    "load_assessment",
    "load_governance",
    "load_review",
    "review_result",
    "review_status",
    "tally",
]

InterpretationArgument = Interpretation | Mapping[str, Any] | None


class _OnFirstUse:
    """A module imported when one of its names is first read, each name kept once read.

    ``import leder_core`` stays light, and a function called once per document (``assess``,
    ``load_review``, ``apply``) reads its rule as a plain attribute: an ``import`` statement in
    its body would look the module up again on every call.
    """

    def __init__(self, module: str) -> None:
        self._module = module

    def __getattr__(self, name: str) -> Any:
        value = getattr(importlib.import_module(self._module), name)
        setattr(self, name, value)  # read as an instance attribute from now on
        return value


if not TYPE_CHECKING:  # the type checker reads the modules themselves (above)
    assess_rules = _OnFirstUse("leder_core.rules.assess")
    clock = _OnFirstUse("leder_core.rules.clock")
    workflow = _OnFirstUse("leder_core.rules.workflow")


def _given(interpretation: InterpretationArgument) -> Interpretation | None:
    """The interpretation a caller gave, as a model; ``None`` when none was given."""
    return None if interpretation is None else coerce_interpretation(interpretation)


def assess(
    notification: Notification | Mapping[str, Any],
    *,
    interpretation: InterpretationArgument = None,
) -> Assessment:
    """Eligibility, route, level, triggers, expected holds, due date and every reason.

    ``notification`` may be a :class:`~leder_core.models.Notification` or a notification
    document (which is loaded first); either is refused with :class:`~leder_core.InvalidInput`
    if invalid, a model exactly as its document would be (``$.person.date_of_death``).
    ``interpretation`` overrides the rulebook's default choices.
    """
    if isinstance(notification, Notification):
        notification = checked_notification(notification)  # at once when the loader built it
    else:
        notification = load_notification(notification)
    if interpretation is None:  # the rules' own defaults, equal to coerce_interpretation(None)
        return assess_rules.assess(notification)
    return assess_rules.assess(notification, interpretation=coerce_interpretation(interpretation))


def apply(review: Review, event: Event | Mapping[str, Any]) -> Review:
    """One workflow step: a new review with one more audit entry.

    ``event`` is an event model or an event document (as in ``leder.review/1``), validated
    alike: an invalid document, or a model with a value its document could not hold (a blank
    reviewer, a ``datetime`` for a date, a wrong type), raises
    :class:`~leder_core.InvalidInput` with the document's paths (``$.reviewer``), so every
    review ``apply`` returns dumps to a document that loads again. A refused event raises
    :class:`~leder_core.TransitionRefused` naming every failed check; the review is unchanged.
    Under INT-EVENT-ORDER ``dated`` an event dated before the last one is placed by its date
    (FLOW-LATE-ENTRY).
    """
    if not isinstance(review, Review):
        raise InvalidInput([("$", "expected a Review to apply the event to")])
    event = load_event(event) if isinstance(event, Mapping) else checked_event(event)
    return workflow.apply(review, event)


def load_review(
    data: Mapping[str, Any],
    *,
    interpretation: InterpretationArgument = None,
) -> Review:
    """Structure a review document (``leder.review/1``) and replay its events.

    Raises :class:`~leder_core.InvalidInput` for an invalid document. Replay stops at the first
    refused event, which is kept in ``review.refused`` (else ``None``).

    A review's interpretation is fixed when it is opened: the document's own
    (``"interpretation"``) is used when it has one, and an ``interpretation`` given that
    differs from it (key by key, defaults included) raises :class:`~leder_core.InvalidInput`
    at ``$.interpretation``. ``dump`` of the review writes the interpretation whenever one was
    given, here or in the document.
    """
    document = load_review_document(data)
    given = _given(interpretation)
    own = document.interpretation
    if own is not None and given is not None and given != own:
        raise InvalidInput(
            [("$.interpretation", "differs from the interpretation the review was opened under")]
        )
    chosen = own if own is not None else given
    return workflow.review_of(document, interpretation=chosen)


def review_status(
    review: Review,
    *,
    as_of: date,
    interpretation: InterpretationArgument = None,
) -> Status:
    """DEAD-STATUS: the status of a review as of a date, counting events on or before it."""
    day = as_of_date(as_of)
    return clock.review_status(review, as_of=day, interpretation=_given(interpretation))


def review_result(
    review: Review,
    *,
    as_of: date,
    interpretation: InterpretationArgument = None,
) -> ReviewResult:
    """The review as of a date with its status; ``dump`` gives ``leder.review-result/1``.

    State, level, history, open holds and enabled events reflect only events dated on or
    before ``as_of``; a refusal found in replay is always reported.
    """
    day = as_of_date(as_of)
    return clock.review_result(review, as_of=day, interpretation=_given(interpretation))


def _check_arguments(
    reviews: object, as_of: object, service_levels: object
) -> tuple[date, tuple[ServiceLevel, ...]]:
    problems: list[tuple[str, str]] = []
    if isinstance(reviews, Mapping | str | bytes | Review) or not isinstance(reviews, Iterable):
        problems.append(("$", "expected an iterable of reviews or review documents"))
    try:
        as_of_date(as_of)
    except InvalidInput as error:
        problems += error.problems
    levels: list[ServiceLevel] = []
    if isinstance(service_levels, Mapping | str) or not isinstance(service_levels, Iterable):
        problems.append(("$.service_levels", "expected a sequence of service levels"))
    else:
        names: set[str] = set()
        for index, level in enumerate(service_levels):
            if not isinstance(level, ServiceLevel):
                problems.append((f"$.service_levels[{index}]", "expected a ServiceLevel"))
            elif level.name in names:
                problems.append((f"$.service_levels[{index}].name", "duplicate service level"))
            else:
                names.add(level.name)
                levels.append(level)
    if problems:
        raise InvalidInput(problems)
    return as_of, tuple(levels)  # type: ignore[return-value]  # checked above


def _opened_under(document: ReviewDocument, given: Interpretation | None) -> Interpretation | None:
    """The interpretation a review document is opened under: its own when it records one (an
    interpretation given then governs only the clock of its results), else ``given``."""
    own = document.interpretation
    return given if own is None else own


def _reviews(items: Iterable[object], given: Interpretation | None) -> Iterator[Review]:
    """Each item as a review, one at a time: a document is loaded under its own
    interpretation, or the one given; a problem is placed at ``$[index]``."""
    for index, item in enumerate(items):
        if isinstance(item, Review):
            yield item
        elif isinstance(item, Mapping):
            try:
                document = load_review_document(item)
            except InvalidInput as error:
                raise error.prefixed(f"$[{index}]") from None
            yield workflow.review_of(document, interpretation=_opened_under(document, given))
        else:
            raise InvalidInput(
                [(f"$[{index}]", "expected a review or a review document (an object)")]
            )


def tally(
    reviews: Iterable[Review | Mapping[str, Any]],
    *,
    as_of: date,
    interpretation: InterpretationArgument = None,
    service_levels: Iterable[ServiceLevel] = (),
    calendar: HolidayCalendar = ENGLAND_AND_WALES,
    directory: Directory | None = None,
) -> Tally:
    """The mergeable tally behind :func:`indicators` (same arguments); see
    :class:`~leder_core.rules.indicators.Tally`."""
    from leder_core.bodies import bundled_directory  # noqa: PLC0415 - on first use
    from leder_core.rules import indicators as indicator_rules  # noqa: PLC0415 - on first use

    day, levels = _check_arguments(reviews, as_of, service_levels)
    if directory is not None and not isinstance(directory, Directory):
        raise InvalidInput([("$.directory", "expected a Directory")])
    given = _given(interpretation)
    return indicator_rules.tally(
        _reviews(reviews, given),
        as_of=day,
        interpretation=given,
        service_levels=levels,
        calendar=calendar,
        directory=bundled_directory() if directory is None else directory,
    )


def indicators(
    reviews: Iterable[Review | Mapping[str, Any]],
    *,
    as_of: date,
    interpretation: InterpretationArgument = None,
    service_levels: Iterable[ServiceLevel] = (),
    calendar: HolidayCalendar = ENGLAND_AND_WALES,
    directory: Directory | None = None,
) -> Indicators:
    """The backlog indicators over any iterable of reviews or review documents, as of a date.

    Each review is read once and not kept: memory stays flat as the count grows. Review
    documents (mappings) are loaded with :func:`~leder_core.load_review` under
    ``interpretation``; an invalid one raises :class:`~leder_core.InvalidInput` with its
    position as the path prefix (``$[17].notification.notified_on``).

    ``interpretation`` governs only the clock (``INT-CLOCK``) and ``due_soon_days`` of a
    review already loaded; without one each review's own applies. The document
    records the interpretation every review was judged under, as :func:`~leder_core.review_result`
    would (the one given, or the defaults, for no reviews), or ``None`` when they differ.

    ``by_body`` is keyed by the body responsible on ``as_of`` (BODY-AS-OF), whatever the code
    recorded on the notification: a CCG code of 2019 counts under the ICB responsible on the
    date. ``directory`` is the directory of responsible bodies
    (:func:`leder_core.bodies.bundled_directory` by default, or one extended with official ODS
    files by :func:`leder_core.bodies.load_directory`); no review is ever left out: ``unknown``
    (no code), ``unknown:<code>`` (a code the directory does not know on the date) and
    ``unresolved:<code>`` (a split the code cannot settle) are groups of their own.

    ``service_levels`` adds local service levels (DEAD-WORKING-DAYS) to every group, counted
    in working days of ``calendar``; without them the document is exactly ``leder.indicators/1``.

    >>> from datetime import date
    >>> indicators([], as_of=date(2025, 7, 31)).total.within_six_months_share is None
    True
    """
    return tally(
        reviews,
        as_of=as_of,
        interpretation=interpretation,
        service_levels=service_levels,
        calendar=calendar,
        directory=directory,
    ).indicators()


def _arrangements(
    given: Arrangements | Mapping[str, Any], problems: list[tuple[str, str]]
) -> Arrangements | None:
    """The arrangements as a model, their problems added to ``problems`` (``None`` if the
    document cannot be loaded)."""
    if isinstance(given, Arrangements):
        problems.extend(arrangements_problems(given))
        return given
    try:
        return load_governance(given)
    except InvalidInput as error:
        problems.extend(error.problems)
        return None


def _body_reviews(
    items: Iterable[object], recorded: Interpretation, problems: list[tuple[str, str]]
) -> list[Review]:
    """The reviews given to :func:`check_governance` as models, the problems of each added to
    ``problems`` below ``$.reviews[<index>]``. A review document is opened under its own
    interpretation, else the one the report records."""
    models: list[Review] = []
    for index, item in enumerate(items):
        path = f"$.reviews[{index}]"
        if isinstance(item, Review):
            models.append(item)
        elif isinstance(item, Mapping):
            try:
                document = load_review_document(item)
                opened = _opened_under(document, recorded)
                models.append(workflow.review_of(document, interpretation=opened))
            except InvalidInput as error:
                problems.extend(error.prefixed(path).problems)
        else:
            problems.append((path, "expected a review document or a Review"))
    return models


def check_governance(
    arrangements: Arrangements | Mapping[str, Any],
    *,
    as_of: date,
    reviews: Iterable[Review | Mapping[str, Any]] = (),
    interpretation: InterpretationArgument = None,
    directory: Directory | None = None,
) -> ComplianceReport:
    """Judge a responsible body's governance arrangements as of a date (the GOV-* rules).

    ``arrangements`` is an :class:`~leder_core.models.governance.Arrangements` or a
    ``leder.governance/1`` document; ``reviews`` the body's reviews, as
    :class:`~leder_core.models.review.Review` objects or ``leder.review/1`` documents (an
    empty list counts as none given). Every requirement is reported, in the rulebook's order.
    ``dump`` of the result gives ``leder.governance-report/1``.

    ``directory`` is the directory of responsible bodies over time
    (:func:`leder_core.bodies.bundled_directory` by default, the one :func:`indicators` and
    :func:`leder_core.bodies.body_on` read, or one extended with official ODS files by
    :func:`leder_core.bodies.load_directory`). GOV-SUCCESSION reads the body's lifetime from it:
    a body formed by a merger or split (the ICBs of 1 April 2026) is judged from its first day,
    and a body that ceased is not applicable, naming the bodies that hold its area.

    Raises :class:`~leder_core.InvalidInput` listing every problem: those of the arrangements
    at their paths (``$.annual_reports[0].year``), those of a review document below
    ``$.reviews[<index>]``, an invalid interpretation at ``$.<key>`` and a missing date at
    ``$.as_of``.
    """
    from leder_core.bodies import bundled_directory  # noqa: PLC0415 - on first use
    from leder_core.render.governance import compliance_report  # noqa: PLC0415 - on first use
    from leder_core.rules.governance import governance_findings  # noqa: PLC0415 - on first use

    day = as_of_date(as_of)
    recorded = coerce_interpretation(interpretation)
    given = None if interpretation is None else recorded
    problems: list[tuple[str, str]] = []
    loaded = _arrangements(arrangements, problems)
    models = _body_reviews(reviews, recorded, problems)
    supplied: object = directory  # anything may arrive at run time
    if supplied is not None and not isinstance(supplied, Directory):
        problems.append(("$.directory", "expected a Directory"))
    if problems or loaded is None:
        raise InvalidInput(problems)
    found = governance_findings(
        loaded,
        as_of=day,
        directory=bundled_directory() if directory is None else directory,
        reviews=models,
        interpretation=given,
    )
    return compliance_report(found)
