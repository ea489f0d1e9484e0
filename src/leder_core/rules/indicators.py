"""The backlog made visible (docs: backlog-for-an-icb): indicators over any number of reviews.

:func:`indicators` streams over any iterable of reviews, as of a date D,
in total, per responsible body and per rule set. Only notifications dated on or before D and
events dated on or before D count. Overdue and excused are judged from the dates (DEAD-HOLDS),
not from the status code: a review on hold past its due date is in the backlog.

Memory stays flat however many reviews stream past: each group keeps a count of each
*profile* (which indicators a review adds to: a handful of distinct combinations) and a count
of each number of days to completion (bounded by the range of days, not by the number of
reviews), from which the exact median is read. The same state makes tallies mergeable:
:func:`tally` over parts of a set, added together, gives exactly the indicators of the whole
(``sum`` of counts, share recomputed from the summed counts, median from the merged day
counts), so a large set can be tallied in parallel.

The indicators are counts, not rules: this module declares no rule ids.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Final, TypeAlias

from leder_core.errors import InvalidInput
from leder_core.interpretation import DEFAULT_INTERPRETATION, Clock, Interpretation
from leder_core.models.assessment import Outcome
from leder_core.models.bodies import Directory
from leder_core.models.indicators import NOTIFIED, Counts, Indicators, ServiceLevel
from leder_core.models.indicators import ServiceLevelCounts as _LevelCounts
from leder_core.models.review import EventType, Review, ReviewState
from leder_core.rules.bodies import body_as_of
from leder_core.rules.clock import due_and_excuse, effective_interpretation
from leder_core.rules.workflow import events_until
from leder_core.rules.working_days import ENGLAND_AND_WALES, HolidayCalendar, add_working_days

__all__ = [
    "NO_RULESET",
    "UNKNOWN_BODY",
    "GroupTally",
    "Tally",
    "indicators",
    "median_of",
    "tally",
]

#: The ``by_body`` key of reviews with no responsible body recorded (BODY-AS-OF).
UNKNOWN_BODY: Final = "unknown"
#: The ``by_ruleset`` key of notifications before the programme (docs: backlog-for-an-icb).
NO_RULESET: Final = "none"

S = ReviewState
_UNALLOCATED: Final = frozenset({S.AWAITING_ALLOCATION, S.AWAITING_REGIONAL_DECISION})
_IN_PROGRESS: Final = frozenset({S.INITIAL_REVIEW, S.FOCUSED_REVIEW, S.AWAITING_SIGN_OFF})

# A profile says which indicators one review adds to: the flags below, in this order, then
# for each service level (started, met, late, open past the limit, provisional).
_IN_SCOPE, _UNALLOC, _IN_PROG, _COMPLETED, _CLOSED, _DUE, _ON_TIME, _BACKLOG, _EXCUSED = range(9)
_FLAGS: Final = 9
_NOT_IN_SCOPE: Final = (False,) * _FLAGS
Profile: TypeAlias = tuple[tuple[bool, ...], tuple[tuple[bool, ...], ...]]
_NO_LEVEL: Final = (False,) * 5
#: The outcomes for which ``Outcome.in_scope`` holds, as a set (read once per review).
_IN_SCOPE_OUTCOMES: Final = frozenset(outcome for outcome in Outcome if outcome.in_scope)


def median_of(days: Mapping[int, int]) -> float | None:
    """The ordinary median of a multiset given as ``{value: how many}``; ``None`` when empty.

    The mean of the middle two for an even count, always a float.

    >>> median_of({10: 1, 20: 1})
    15.0
    >>> median_of({3: 2, 9: 1})
    3.0
    """
    total = sum(days.values())
    if total <= 0:
        return None
    low_rank, high_rank = (total - 1) // 2, total // 2  # 0-based ranks of the middle value(s)
    low: int | None = None
    seen = 0
    for value in sorted(days):
        seen += days[value]
        if low is None and seen > low_rank:
            low = value
        if seen > high_rank:
            return (low + value) / 2 if low is not None else float(value)
    raise AssertionError("unreachable: the ranks are within the total")  # pragma: no cover


class GroupTally:
    """The indicators of one group before they are summed up: mergeable with ``+``.

    ``profiles`` counts reviews by which indicators they add to; ``days`` counts completed
    reviews by days from notification to completion.
    """

    __slots__ = ("days", "profiles")

    def __init__(self) -> None:
        self.profiles: Counter[Profile] = Counter()
        self.days: Counter[int] = Counter()

    def __add__(self, other: GroupTally) -> GroupTally:
        if not isinstance(other, GroupTally):
            return NotImplemented
        merged = GroupTally()
        merged.profiles = self.profiles + other.profiles
        merged.days = self.days + other.days
        return merged

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GroupTally):
            return NotImplemented
        return self.profiles == other.profiles and self.days == other.days

    __hash__ = None  # type: ignore[assignment]  # mutable

    def counts(self, levels: Sequence[ServiceLevel] | None = None) -> Counts:
        """The indicators of the group; service-level counts when ``levels`` is given."""
        flags = [0] * _FLAGS
        notified = 0
        level_sums = [[0] * 5 for _ in levels or ()]
        for (bits, level_bits), how_many in self.profiles.items():
            notified += how_many
            for index, bit in enumerate(bits):
                if bit:
                    flags[index] += how_many
            for sums, outcome in zip(level_sums, level_bits, strict=True):
                for index, bit in enumerate(outcome):
                    if bit:
                        sums[index] += how_many
        due = flags[_DUE]
        return Counts(
            notified=notified,
            in_scope=flags[_IN_SCOPE],
            unallocated=flags[_UNALLOC],
            in_progress=flags[_IN_PROG],
            incomplete=flags[_UNALLOC] + flags[_IN_PROG],
            completed=flags[_COMPLETED],
            closed=flags[_CLOSED],
            due=due,
            completed_within_six_months=flags[_ON_TIME],
            within_six_months_share=flags[_ON_TIME] / due if due else None,
            backlog=flags[_BACKLOG],
            backlog_excused=flags[_EXCUSED],
            backlog_unexcused=flags[_BACKLOG] - flags[_EXCUSED],
            median_days_to_completion=median_of(self.days),
            service_levels=None
            if levels is None
            else tuple(
                _LevelCounts(
                    name=level.name,
                    started=sums[0],
                    met=sums[1],
                    late=sums[2],
                    open_past_limit=sums[3],
                    provisional=sums[4] > 0,
                )
                for level, sums in zip(levels, level_sums, strict=True)
            ),
        )


class Tally:
    """A whole tally as of a date: in total, per body and per rule set; mergeable with ``+``.

    Tallies of disjoint sets of reviews, made with the same ``as_of``, interpretation and
    service levels, add up to the tally of their union. :meth:`indicators` gives the result.
    """

    __slots__ = (
        "as_of",
        "by_body",
        "by_ruleset",
        "common",
        "given",
        "mixed",
        "service_levels",
        "total",
    )

    def __init__(
        self,
        *,
        as_of: date,
        given: Interpretation | None,
        service_levels: tuple[ServiceLevel, ...],
    ) -> None:
        self.as_of = as_of
        self.given = given
        self.service_levels = service_levels
        self.total = GroupTally()
        self.by_body: dict[str, GroupTally] = {}
        self.by_ruleset: dict[str, GroupTally] = {}
        self.common: Interpretation | None = None
        """The interpretation of every review seen so far (``None`` before the first)."""
        self.mixed = False
        """Reviews were loaded under different interpretations."""

    def note_interpretation(self, interpretation: Interpretation) -> None:
        """Record the interpretation a review was loaded under."""
        if self.mixed:
            return
        if self.common is None:
            self.common = interpretation
        elif interpretation is not self.common and interpretation != self.common:
            self.mixed = True
            self.common = None

    def __add__(self, other: Tally) -> Tally:
        if not isinstance(other, Tally):
            return NotImplemented
        if (self.as_of, self.given, self.service_levels) != (
            other.as_of,
            other.given,
            other.service_levels,
        ):
            raise ValueError("only tallies with the same as_of, interpretation and levels add up")
        merged = Tally(as_of=self.as_of, given=self.given, service_levels=self.service_levels)
        merged.total = self.total + other.total
        merged.by_body = _merged(self.by_body, other.by_body)
        merged.by_ruleset = _merged(self.by_ruleset, other.by_ruleset)
        merged.mixed = self.mixed or other.mixed
        if not merged.mixed:
            for part in (self, other):
                if part.common is not None:
                    merged.note_interpretation(part.common)
        return merged

    @property
    def interpretation(self) -> Interpretation | None:
        """What the indicators record: the interpretation every review was judged under (a
        given one governing only the clock and due-soon days of reviews loaded earlier), the
        given one (or the defaults) when there were no reviews, ``None`` when they differ."""
        if self.mixed:
            return None
        if self.common is not None:
            return self.common
        return self.given if self.given is not None else DEFAULT_INTERPRETATION

    def indicators(self) -> Indicators:
        """The indicators document of this tally."""
        levels = self.service_levels or None
        return Indicators(
            as_of=self.as_of,
            interpretation=self.interpretation,
            total=self.total.counts(levels),
            by_body={key: self.by_body[key].counts(levels) for key in sorted(self.by_body)},
            by_ruleset={
                key: self.by_ruleset[key].counts(levels) for key in sorted(self.by_ruleset)
            },
            service_levels=levels,
        )


def _merged(
    left: Mapping[str, GroupTally], right: Mapping[str, GroupTally]
) -> dict[str, GroupTally]:
    merged = dict(left)
    for key, group in right.items():
        merged[key] = merged[key] + group if key in merged else group
    return merged


class _Levels:
    """Service levels measured over reviews, with the working-day limits computed once."""

    __slots__ = ("calendar", "levels", "limits", "starts")

    def __init__(self, levels: tuple[ServiceLevel, ...], calendar: HolidayCalendar) -> None:
        self.levels = levels
        self.calendar = calendar
        self.starts = tuple(
            None if level.from_event == NOTIFIED else EventType(level.from_event)
            for level in levels
        )
        # Limits by (level, start date): bounded by the number of distinct dates, not reviews.
        self.limits: dict[tuple[int, date], tuple[date, bool]] = {}

    def limit(self, index: int, start: date) -> tuple[date, bool]:
        key = (index, start)
        found = self.limits.get(key)
        if found is None:
            limit = add_working_days(start, self.levels[index].working_days, calendar=self.calendar)
            found = self.limits[key] = (limit.on, limit.provisional)
        return found

    def outcomes(self, then: Review, as_of: date) -> tuple[tuple[bool, ...], ...]:
        """For each level: (started, met, late, open past the limit, provisional)."""
        results = []
        history = then.history
        for index, level in enumerate(self.levels):
            start_type = self.starts[index]
            position = -1
            start: date | None = None
            if start_type is None:
                start = then.notification.notified_on
            else:
                for position, entry in enumerate(history):  # noqa: B007 - position is used
                    if entry.event.type is start_type:
                        start = entry.event.on
                        break
            if start is None:
                results.append(_NO_LEVEL)
                continue
            limit, provisional = self.limit(index, start)
            end: date | None = None
            for entry in history[position + 1 :]:
                if entry.event.type is level.to_event:
                    end = entry.event.on
                    break
            if end is not None:
                met = end <= limit
                results.append((True, met, not met, False, provisional))
            elif not then.state.terminal and as_of > limit:
                results.append((True, False, False, True, provisional))
            else:
                results.append((True, False, False, False, False))
        return tuple(results)


def _profile(
    review: Review, as_of: date, clock: Clock, levels: _Levels | None
) -> tuple[Profile, int | None]:
    """What one review adds (the profile) and its days to completion, as of a date."""
    if review.assessment.outcome not in _IN_SCOPE_OUTCOMES:
        level_bits = tuple(_NO_LEVEL for _ in levels.levels) if levels else ()
        return (_NOT_IN_SCOPE, level_bits), None
    then = events_until(review, as_of)
    state = then.state
    due_on, excused = due_and_excuse(then, clock)
    completed = state is S.COMPLETED
    closed = state is S.CLOSED
    completed_on = then.completed_on if completed else None
    is_due = not closed and due_on is not None and due_on <= as_of
    on_time = is_due and completed_on is not None and due_on is not None and completed_on <= due_on
    backlog = not completed and not closed and due_on is not None and as_of > due_on
    bits = (
        True,
        state in _UNALLOCATED,
        state in _IN_PROGRESS,
        completed,
        closed,
        is_due,
        on_time,
        backlog,
        backlog and excused,
    )
    days = (completed_on - review.notification.notified_on).days if completed_on else None
    return (bits, levels.outcomes(then, as_of) if levels else ()), days


def tally(
    reviews: Iterable[Review],
    *,
    as_of: date,
    interpretation: Interpretation | None = None,
    service_levels: Iterable[ServiceLevel] = (),
    calendar: HolidayCalendar = ENGLAND_AND_WALES,
    directory: Directory,
) -> Tally:
    """The mergeable tally behind :func:`indicators` (same arguments); see :class:`Tally`."""
    day = as_of
    given = interpretation
    levels = tuple(service_levels)
    # BODY-AS-OF once per recorded code: the date is the same for every review.
    body_keys: dict[str | None, str] = {}
    result = Tally(as_of=day, given=given, service_levels=levels)
    measured = _Levels(levels, calendar) if levels else None
    # Counted first by (body, rule set, profile) and (body, rule set, days), then added to the
    # groups once at the end: one count per review instead of one per group it belongs to.
    profiles: dict[tuple[str, str, Profile], int] = {}
    completions: dict[tuple[str, str, int], int] = {}
    noted: Interpretation | None = None
    for index, review in enumerate(reviews):
        # The interpretation each review is judged under: its own (fixed when it was loaded),
        # with the clock and due-soon days of one given (docs: backlog-for-an-icb).
        judged = review.interpretation if given is None else effective_interpretation(review, given)
        if judged is not noted:  # noting the same object again changes nothing
            result.note_interpretation(judged)
            noted = judged
        notification = review.notification
        if notification.notified_on > day:
            continue
        clock = given.clock if given is not None else review.interpretation.clock
        try:
            profile, days = _profile(review, day, clock, measured)
        except InvalidInput as error:  # a working-day limit the calendar cannot answer
            raise error.prefixed(f"$[{index}]") from None
        recorded = notification.responsible_body
        body_key = body_keys.get(recorded)
        if body_key is None:
            body_key = body_keys[recorded] = body_as_of(directory, recorded, day).key
        ruleset = review.assessment.ruleset
        ruleset_key = ruleset.value if ruleset is not None else NO_RULESET
        key = (body_key, ruleset_key, profile)
        profiles[key] = profiles.get(key, 0) + 1
        if days is not None:
            completed = (body_key, ruleset_key, days)
            completions[completed] = completions.get(completed, 0) + 1
    _add_counts(result, profiles, completions)
    return result


def _add_counts(
    result: Tally,
    profiles: Mapping[tuple[str, str, Profile], int],
    completions: Mapping[tuple[str, str, int], int],
) -> None:
    """Add the counts by (body, rule set, profile) and (body, rule set, days) to the total and
    to each group."""
    total = result.total
    by_body = result.by_body
    by_ruleset = result.by_ruleset
    # In order of first appearance, so the groups are made in the order their reviews came.
    for (body_key, ruleset_key, profile), how_many in profiles.items():
        body = by_body.get(body_key)
        if body is None:
            body = by_body[body_key] = GroupTally()
        group = by_ruleset.get(ruleset_key)
        if group is None:
            group = by_ruleset[ruleset_key] = GroupTally()
        total.profiles[profile] += how_many
        body.profiles[profile] += how_many
        group.profiles[profile] += how_many
    for (body_key, ruleset_key, days), how_many in completions.items():
        total.days[days] += how_many
        by_body[body_key].days[days] += how_many
        by_ruleset[ruleset_key].days[days] += how_many


def indicators(
    reviews: Iterable[Review],
    *,
    as_of: date,
    interpretation: Interpretation | None = None,
    service_levels: Iterable[ServiceLevel] = (),
    calendar: HolidayCalendar = ENGLAND_AND_WALES,
    directory: Directory,
) -> Indicators:
    """The backlog indicators over any iterable of reviews, as of a date, streaming.

    Each review is read once and not kept: memory stays flat as the count grows.
    :func:`leder_core.indicators` also takes review documents, loaded one at a time.

    ``interpretation`` governs only the clock (``INT-CLOCK``) and ``due_soon_days`` of a
    review already loaded; without one each review's own applies. The document
    records the interpretation every review was judged under, as :func:`~leder_core.review_result`
    would (the one given, or the defaults, for no reviews), or ``None`` when they differ.

    ``by_body`` is keyed by the body responsible on ``as_of`` in ``directory`` (BODY-AS-OF);
    :func:`leder_core.indicators` says more.

    ``service_levels`` adds local service levels (DEAD-WORKING-DAYS) to every group, counted
    in working days of ``calendar``; without them the document is exactly ``leder.indicators/1``.

    >>> from datetime import date
    >>> from leder_core.bodies import bundled_directory
    >>> found = indicators([], as_of=date(2025, 7, 31), directory=bundled_directory())
    >>> found.total.within_six_months_share is None
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
