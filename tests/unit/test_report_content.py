"""What a report must say to be accepted, and the status workflow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from ballotguard.errors import InvalidTransition, MissingRecipient
from ballotguard.sharing import TRANSITIONS, ReportContent, Status, check_transition
from ballotguard.vocabulary import Phase, Tlp, Vector
from support.world import content


def error_of(caught: pytest.ExceptionInfo[ValidationError]) -> dict[str, Any]:
    errors = caught.value.errors()
    assert len(errors) == 1, errors
    return dict(errors[0])


def test_a_valid_report() -> None:
    report = content(tlp=Tlp.AMBER, recipient_orgs=["org-cert"],
                     vectors=[Vector.DISINFORMATION, Vector.INAUTHENTIC_AMPLIFICATION,
                              Vector.DISINFORMATION],
                     techniques=["DISARM:t0049", "disarm:T0049", "attack:T1566.001"])
    assert report.vectors == [Vector.DISINFORMATION, Vector.INAUTHENTIC_AMPLIFICATION]
    assert report.vector_set == frozenset({Vector.DISINFORMATION, Vector.INAUTHENTIC_AMPLIFICATION})
    assert report.techniques == ["disarm:T0049", "attack:T1566.001"]
    assert ReportContent.model_validate_json(report.model_dump_json()) == report


def test_red_without_named_people_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        content(tlp=Tlp.RED, recipient_orgs=["org-cert"])
    error = error_of(caught)
    assert isinstance(error["ctx"]["error"], MissingRecipient)
    assert error["ctx"]["error"].field == "recipient_people"
    assert "must name at least one person" in error["msg"]


def test_red_with_a_named_person_is_accepted() -> None:
    assert content(tlp=Tlp.RED, recipient_people=["p-1"]).recipient_people == ["p-1"]


def test_a_time_without_a_zone_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        content(observed_at=datetime(2026, 11, 20, 14, 0))
    error = error_of(caught)
    assert error["loc"] == ("observed_at",)
    assert "give a time zone" in error["msg"]


def test_a_time_in_any_zone_is_kept() -> None:
    local = datetime(2026, 11, 20, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    assert content(observed_at=local).observed_at == datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phase", "election_night"),
        ("vectors", ["deepfake"]),
        ("outcome", "partial"),
        ("tlp", "WHITE"),  # TLP 1.0 is mapped on import (Tlp.parse), not accepted as a term
        ("impact", "catastrophic"),
        ("source_reliability", "G"),
        ("targets", [{"kind": "spaceport", "description": "x"}]),
        ("suspected_actor", {"kind": "alien"}),
    ],
)
def test_an_unknown_vocabulary_term_is_refused(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        content(**{field: value})
    error = error_of(caught)
    assert error["loc"][0] == field
    assert error["type"] == "enum"


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"techniques": ["T0049"]}, "techniques", "needs a framework prefix"),
        ({"vectors": []}, "vectors", "at least 1 item"),
        ({"title": ""}, "title", "at least 1 character"),
        ({"title": "x" * 201}, "title", "at most 200 characters"),
        ({"election": " "}, "election", "at least 1 character"),
        ({"observables": [{"kind": "ip", "value": "999.1.1.1"}]}, "observables",
         "is not a valid ip"),
        ({"targets": [{"kind": "media"}]}, "targets", "needs an organisation_id or a description"),
        ({"colour": "red"}, "colour", "Extra inputs are not permitted"),
    ],
)
def test_bad_content_names_the_field(changes: dict[str, object], field: str, says: str) -> None:
    with pytest.raises(ValidationError) as caught:
        content(**changes)
    error = error_of(caught)
    assert error["loc"][0] == field
    assert says in error["msg"]


def test_content_is_immutable() -> None:
    report = content()
    with pytest.raises(ValidationError):
        report.title = "changed"  # type: ignore[misc]


# -- the status workflow ------------------------------------------------------------------------

S = Status
ALLOWED = {
    (S.NEW, S.TRIAGED), (S.NEW, S.RETRACTED),
    (S.TRIAGED, S.ASSESSED), (S.TRIAGED, S.RETRACTED),
    (S.ASSESSED, S.CLOSED), (S.ASSESSED, S.TRIAGED), (S.ASSESSED, S.RETRACTED),
    (S.CLOSED, S.TRIAGED), (S.CLOSED, S.RETRACTED),
}


@pytest.mark.parametrize("current", list(Status))
@pytest.mark.parametrize("wanted", list(Status))
def test_status_transitions(current: Status, wanted: Status) -> None:
    if (current, wanted) in ALLOWED:
        check_transition(current, wanted)
        return
    with pytest.raises(InvalidTransition) as caught:
        check_transition(current, wanted)
    assert caught.value.field == "status"
    assert (caught.value.current, caught.value.wanted) == (current.value, wanted.value)
    assert all(s.value in str(caught.value) for s in TRANSITIONS[current])


def test_a_retracted_report_goes_nowhere() -> None:
    assert TRANSITIONS[Status.RETRACTED] == ()
    with pytest.raises(InvalidTransition, match="allowed: none"):
        check_transition(Status.RETRACTED, Status.TRIAGED)


def test_every_status_can_be_retracted_but_retracted() -> None:
    assert {s for s in Status if Status.RETRACTED in TRANSITIONS[s]} == set(Status) - {
        Status.RETRACTED}


def test_phase_and_vector_terms_are_stable_ids() -> None:
    assert Phase("voter_registration") is Phase.VOTER_REGISTRATION
    assert Vector("hack_and_leak") is Vector.HACK_AND_LEAK
