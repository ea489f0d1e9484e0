"""HOLD-DETENTION names the body of the day: the IPCC for a death in police custody before
8 January 2018, the IOPC that replaced it from that day."""

from __future__ import annotations

import pytest

from leder_core import assess
from leder_core.models import OtherProcess


def custody(died: str, notified: str) -> dict[str, object]:
    return {
        "id": "N-1",
        "notified_on": notified,
        "notifier_role": "gp",
        "person": {
            "date_of_birth": "1970-01-01",
            "date_of_death": died,
            "learning_disability": True,
            "autism": "none",
            "lived_in_england": True,
            "detention": "police_custody",
        },
    }


@pytest.mark.parametrize(
    ("died", "notified", "named", "not_named"),
    [
        ("2018-01-07", "2018-01-20", "Independent Police Complaints Commission (IPCC)", "IOPC"),
        ("2018-01-08", "2018-01-20", "Independent Office for Police Conduct (IOPC)", "IPCC"),
        ("2017-06-01", "2017-06-05", "Independent Police Complaints Commission (IPCC)", "IOPC"),
        ("2024-03-10", "2024-03-15", "Independent Office for Police Conduct (IOPC)", "IPCC"),
    ],
)
def test_a_death_in_police_custody_names_the_body_of_its_day(
    died: str, notified: str, named: str, not_named: str
) -> None:
    # Assessed in turn, so a verdict shared between notifications could not hide the change.
    assessment = assess(custody(died, notified))
    [reason] = [reason for reason in assessment.reasons if reason.rule == "HOLD-DETENTION"]
    assert reason.holds
    assert named in reason.text
    assert not_named not in reason.text
    assert OtherProcess.IOPC_INVESTIGATION in assessment.expected_holds
