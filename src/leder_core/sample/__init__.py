"""A synthetic programme: seeded, deterministic review documents shaped like LeDeR's.

:func:`sample_reviews` streams ``leder.review/1`` documents (JSON-compatible dicts, without the
optional ``schema`` key) for notifications from 1 July 2016 to ``until``, each with the events
that had happened by then. Nothing in it is real: NHS numbers come only from the synthetic
test range 999 000 0000 … 999 999 9999, identifiers are made up, dates of birth are drawn.
It exists so that the indicators, the command line and the benchmarks have a programme-sized
input to run on without any personal data (``leder report --sample --as-of DATE``).

What it imitates (published figures, with their sources, in the docs: the backlog how-to and
"Policy and history"):

- **Volumes.** About 1,370 notifications from July 2016 to November 2017 (1,311 published),
  about 3,100–3,300 a year in 2018 and 2019, about 4,100 in 2020 and 3,900 in 2021 (two
  COVID-19 waves), then growing from about 3,600 to about 4,100 a year; fewer at weekends.
  About 35,000 documents up to :data:`SAMPLE_UNTIL`.
- **The mix.** Children aged 4–17 (child death review route) about 6%; under 4, no qualifying
  condition or not living in England about 2.5%; autistic adults without a learning
  disability about 1.2% of deaths from 1 January 2022 (36 of 3,648 reviews in 2022, 53 of
  3,556 in 2023 for the programme); national data opt-outs about 2.5% of
  adults (only the 2021 rule set acts on them); adults without a GP about 0.6% (regional
  decisions); about 12% from minority ethnic backgrounds and 4% with ethnicity unrecorded;
  detention, other statutory processes, holds on about 14% of reviews (inquests last months
  to years), family-requested delays, duplicates and withdrawals.
- **The Bristol-era backlog.** A few reviews were allocated at once; the others queued in
  their responsible body, first come, first served, at a capacity far below demand until
  mid-2019 and, with the NECS backlog contract, well above it from late 2019 to May 2021,
  when nearly every review was allocated promptly. The reviews not completed (``incomplete``:
  unallocated or in progress) are about 3,800 on 30 November 2019, near the 3,802 published,
  with about 3,200 completed by the end of 2019 (3,195 published) and about 1,900
  unallocated (about 2,000 published). The overdue ``backlog`` (past the due date) is about
  2,400 then; no national figure is published for it.
- **The 2021 policy.** Allocation after a wait of a few weeks; initial reviews take about
  three months, focused reviews three more and sign-off a month, so about 40% of
  ``leder-2021`` reviews are completed within six months, and about 36% of everything due by
  31 July 2025 (the total share :func:`~leder_core.indicators` reports, with the Bristol era's
  31%). The published 35% at the end of July 2025 is read as that cumulative total share.
  About 97% of the reviews notified from 2017 and due by August 2025 are completed by then
  (91% of all notified by then): the published 94% cannot be met with all of them while only
  about a third finish within six months, since the last six months' notifications alone are
  6% of the total.

Responsible bodies are recorded as services recorded them: an area is drawn by the
population of the 42 ICBs and one of its sub-ICB locations, then the code is the CCG existing
on the notification date (before 1 June 2021), the CCG's code (until 30 June 2022), and then
the sub-ICB location or, for about a third, the ICB responsible on the date (the new ICBs
from 1 April 2026). So the sample exercises every CCG merger, the abolition of CCGs and the
2026 mergers and splits; the indicators count each review under its body on the date
(BODY-AS-OF). About 1% have none recorded. The documents are generated
under the default interpretation: every one loads with :func:`~leder_core.load_review`
without a refused event (under other interpretations a mandatory level may differ and an
event be refused).

Only :class:`random.Random` seeded with ``seed`` is used: no global random state, no clock.
The same arguments give the same documents, in the same order (by notification date).

What a notification's review goes through (its outcome, mandatory level and expected holds)
is what the library's own :func:`~leder_core.assess` says of it. The package's rooms:
``leder_core.sample.figures`` (the published figures as timelines and mixes),
``leder_core.sample.draws`` (the random draws), ``leder_core.sample.recorded_codes``
(responsible bodies as services recorded them) and ``leder_core.sample.programme`` (the
programme as it streams).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any, Final

from leder_core.errors import InvalidInput
from leder_core.sample import figures

if TYPE_CHECKING:
    from leder_core.sample.programme import Programme

__all__ = ["PROGRAMME_START", "SAMPLE_SEED", "SAMPLE_UNTIL", "sample_reviews"]

#: National counting of notifications began: the first day of a rule set (RS-SELECT).
PROGRAMME_START: Final = figures.PROGRAMME_START
#: The seed of the bundled sample.
SAMPLE_SEED: Final = 20160701
#: The last day of the bundled sample: notifications and events up to and including it.
SAMPLE_UNTIL: Final = date(2026, 10, 31)


def sample_reviews(
    *, seed: int = SAMPLE_SEED, until: date = SAMPLE_UNTIL, count: int | None = None
) -> Iterator[dict[str, Any]]:
    """Review documents of a synthetic programme, notified 1 July 2016 … ``until``, streaming.

    Each document is a ``leder.review/1`` document (notification and events, as JSON-ready
    dicts) with the events dated on or before ``until``, in notification-date order. ``count``
    sets the number of documents: the daily notification rate is scaled so that exactly
    ``count`` notifications spread over the same period in the same shape (queues scale with
    it, so the shares stay about the same); ``None`` gives the programme's own volume (about
    35,000 up to :data:`SAMPLE_UNTIL`). An ``until`` outside 2016-07-01 … 2198-12-31 or a
    negative ``count`` raises :class:`~leder_core.InvalidInput` at once.

    >>> from itertools import islice
    >>> [document["notification"]["id"] for document in islice(sample_reviews(), 2)]
    ['N-2016-000001', 'N-2016-000002']
    """
    problems = []
    if not PROGRAMME_START <= until <= figures.LAST_UNTIL:
        problems.append(("$.until", "must be from 2016-07-01 to 2198-12-31"))
    if count is not None and count < 0:
        problems.append(("$.count", "must not be negative"))
    if problems:
        raise InvalidInput(problems)
    # The programme draws through the rules; `leder --help` reads only the constants above.
    from leder_core.sample.programme import Programme  # noqa: PLC0415 - on first use

    return _documents(Programme(seed, until, count))


def _documents(programme: Programme) -> Iterator[dict[str, Any]]:
    for day, how_many in programme.day_counts():
        for _ in range(how_many):
            notification, facts = programme.notification(day)
            events = programme.events(day, facts) if facts.in_scope else []
            yield {"notification": notification, "events": events}
