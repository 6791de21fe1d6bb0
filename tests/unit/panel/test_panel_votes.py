"""The threshold rule: votes to outcome, table-driven and as properties."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ballotguard.panel.decisions import Decision, NoticeKind, current_decision, superseded_by
from ballotguard.panel.membership import PanelRules, Seat, default_seats, resized, seat_of
from ballotguard.panel.votes import Choice, Recusal, Vote, outcome_of, quorum_met, tally

AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
P, T, N, A = Choice.PUBLIC, Choice.TARGETED, Choice.NONE, Choice.ABSTAIN
R = "recused"


def _counted(rules: PanelRules, acts: list[Choice | str | None]) -> tuple[NoticeKind, bool, int]:
    seats = default_seats(rules.seats)
    votes = [
        Vote("c", 1, seat.id, f"p{seat.position}", act, AT)
        for seat, act in zip(seats, acts, strict=True) if isinstance(act, Choice)
    ]
    recusals = [
        Recusal("c", seat.id, f"p{seat.position}", "conflict", AT)
        for seat, act in zip(seats, acts, strict=True) if act == R
    ]
    counted = tally(seats, votes, recusals)
    return outcome_of(rules, counted), quorum_met(rules, counted), len(counted.pending)


DEFAULT = PanelRules()


@pytest.mark.parametrize(
    ("acts", "outcome", "quorum", "pending"),
    [
        ([P, P, P, P, P], NoticeKind.PUBLIC, True, 0),
        ([P, P, P, P, N], NoticeKind.PUBLIC, True, 0),
        ([P, P, P, T, N], NoticeKind.TARGETED, True, 0),  # a public vote supports a targeted one
        ([T, T, T, T, N], NoticeKind.TARGETED, True, 0),
        ([P, P, P, N, N], NoticeKind.NONE, True, 0),
        ([P, P, P, A, R], NoticeKind.NONE, False, 0),  # 3 cast, quorum 4
        ([P, P, P, P, R], NoticeKind.PUBLIC, True, 0),
        ([N, N, N, N, N], NoticeKind.NONE, True, 0),
        ([P, P, P, P, None], NoticeKind.PUBLIC, True, 1),  # supported, but a seat is pending
        ([A, A, A, A, A], NoticeKind.NONE, False, 0),
        ([R, R, R, R, R], NoticeKind.NONE, False, 0),
    ],
)
def test_outcome_table(
    acts: list[Choice | str | None], outcome: NoticeKind, quorum: bool, pending: int
) -> None:
    assert _counted(DEFAULT, acts) == (outcome, quorum, pending)


def test_a_recused_seats_vote_is_not_counted() -> None:
    seats = default_seats(5)
    votes = [Vote("c", 1, s.id, "p", P, AT) for s in seats]
    counted = tally(seats, votes, [Recusal("c", "seat-5", "p", "conflict", AT)])
    assert (counted.public, counted.recused) == (4, 1)


acts = st.sampled_from([P, T, N, A, R, None])


@st.composite
def rules_and_acts(draw: st.DrawFn) -> tuple[PanelRules, list[Choice | str | None]]:
    seats = draw(st.integers(1, 9))
    quorum = draw(st.integers(1, seats))
    notice_votes = draw(st.integers(seats // 2 + 1, seats))
    return PanelRules(seats, quorum, notice_votes), draw(st.lists(acts, min_size=seats,
                                                                  max_size=seats))


def _rank(kind: NoticeKind) -> int:
    return [NoticeKind.NONE, NoticeKind.TARGETED, NoticeKind.PUBLIC].index(kind)


@given(rules_and_acts(), st.data())
def test_one_more_vote_for_a_notice_never_lowers_the_outcome(
    drawn: tuple[PanelRules, list[Choice | str | None]], data: st.DataObject
) -> None:
    rules, chosen = drawn
    before, _, _ = _counted(rules, chosen)
    movable = [i for i, a in enumerate(chosen) if a in (N, A, None, T)]
    if not movable:
        return
    i = data.draw(st.sampled_from(movable))
    raised = list(chosen)
    raised[i] = P if chosen[i] is T else data.draw(st.sampled_from([P, T]))
    after, _, _ = _counted(rules, raised)
    assert _rank(after) >= _rank(before)


@given(rules_and_acts())
def test_a_notice_always_has_the_published_number_of_votes(
    drawn: tuple[PanelRules, list[Choice | str | None]],
) -> None:
    rules, chosen = drawn
    outcome, _, _ = _counted(rules, chosen)
    public = chosen.count(P)
    for_notice = public + chosen.count(T)
    if outcome is NoticeKind.PUBLIC:
        assert public >= rules.notice_votes
    elif outcome is NoticeKind.TARGETED:
        assert public < rules.notice_votes <= for_notice
    else:
        assert for_notice < rules.notice_votes


@given(rules_and_acts())
def test_the_tally_accounts_for_every_seat(
    drawn: tuple[PanelRules, list[Choice | str | None]],
) -> None:
    rules, chosen = drawn
    seats = default_seats(rules.seats)
    votes = [Vote("c", 1, s.id, "p", a, AT) for s, a in zip(seats, chosen, strict=True)
             if isinstance(a, Choice)]
    recusals = [Recusal("c", s.id, "p", "x", AT) for s, a in zip(seats, chosen, strict=True)
                if a == R]
    counted = tally(seats, votes, recusals)
    assert counted.cast + counted.abstained + counted.recused + len(counted.pending) == rules.seats


# -- rules and seats ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "problem"),
    [
        (PanelRules(), None),
        (PanelRules(5, 6, 4), "quorum must be between 1 and the 5 seats"),
        (PanelRules(5, 3, 2), "notice_votes must be more than half"),
        (PanelRules(5, 3, 6), "notice_votes must be more than half"),
        (PanelRules(0, 1, 1), "seats must be between 1 and 25"),
        (PanelRules(1, 1, 1), None),
    ],
)
def test_rules_problems(rules: PanelRules, problem: str | None) -> None:
    found = rules.problems()
    if problem is None:
        assert found == []
    else:
        assert any(problem in p for p in found)


def test_describe_states_the_numbers_in_plain_words() -> None:
    text = PanelRules(7, 5, 6).describe()
    assert "7 seats" in text and "at least 5 members" in text and "at least 6 votes" in text


def test_resizing_keeps_seats_and_adds_vacant_ones() -> None:
    seats = [Seat("seat-1", "Chair seat", 1, "a"), Seat("seat-2", "Seat 2", 2, "b")]
    grown = resized(seats, 4)
    assert [s.id for s in grown] == ["seat-1", "seat-2", "seat-3", "seat-4"]
    assert grown[0].name == "Chair seat" and grown[3].holder is None
    assert resized(grown, 1) == [seats[0]]
    assert seat_of(grown, "b") == seats[1]
    assert seat_of(grown, "z") is None


# -- supersession -----------------------------------------------------------------------------


def _decision(id_: str, round_: int, supersedes: str | None) -> Decision:
    return Decision(id_, "c", NoticeKind.NONE, "", "r", AT, "chair", supersedes, False, round_)


def test_current_decision_follows_the_chain() -> None:
    first = _decision("d1", 1, None)
    second = _decision("d2", 2, "d1")
    third = _decision("d3", 3, "d2")
    assert current_decision([]) is None
    assert current_decision([first]) == first
    assert current_decision([first, second, third]) == third
    assert superseded_by([first, second, third], "d1") == "d2"
    assert superseded_by([first, second, third], "d3") is None
