"""Contract tests for the definitions, assessments and correlation repositories, on SQLite and
PostgreSQL. Reports are filed through the services so the foreign keys hold, then the ports are
exercised directly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ballotguard.bootstrap import Ballotguard
from ballotguard.campaigns import Decision, DecisionKind, Link, LinkReason
from ballotguard.errors import AssessmentNotFound, CampaignNotFound
from ballotguard.ports import AdoptionRecord, AssessmentChange, AssessmentRecord, CampaignRecord
from ballotguard.sharing import Reader, ReadScope, Role, Sector
from ballotguard.sharing.access import read_scope
from ballotguard.vocabulary import Tlp
from support import world

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def reports(bg: Ballotguard) -> tuple[Ballotguard, list[str], str]:
    """Four reports: three GREEN by org A, one AMBER by org A; returns org B's id too."""
    a = world.org(bg, "A", Sector.ELECTION_AUTHORITY)
    b = world.org(bg, "B", Sector.PLATFORM)
    author = world.person(bg, a, [Role.REPORTER])
    ids = [world.file(bg, author, title=f"r{i}", summary=f"r{i}").id for i in range(3)]
    ids.append(world.file(bg, author, title="amber", summary="a", tlp=Tlp.AMBER).id)
    return bg, ids, b.id


def test_definitions_keep_every_adopted_version_and_return_the_newest(bg: Ballotguard) -> None:
    def adoption(version: str, at: datetime) -> AdoptionRecord:
        return AdoptionRecord("d", version, "Def", "id: d", "root", at, "", {"cases": 41})

    with bg.uow() as uow:
        uow.definitions.add(adoption("1.0.0", T0))
        uow.definitions.add(adoption("1.1.0", T0 + timedelta(days=1)))
        uow.commit()
    with bg.uow() as uow:
        assert uow.definitions.get("d").version == "1.1.0"
        assert uow.definitions.get("d", "1.0.0").test_run == {"cases": 41}
        assert uow.definitions.get("d", "9.9.9") is None
        assert [r.version for r in uow.definitions.list()] == ["1.0.0", "1.1.0"]


def test_assessments_are_versioned_with_snapshots(reports: tuple[Ballotguard, list[str], str]) -> None:
    bg, ids, _ = reports
    first = AssessmentRecord("as-1", "report", ids[0], "d", "1.0.0", "insufficient information",
                             1, "ana", T0, T0, {"findings": [], "reason": "x"})
    second = AssessmentRecord("as-1", "report", ids[0], "d", "1.0.0", "interference",
                              2, "ana", T0, T0 + timedelta(hours=1), {"findings": [1]})
    with bg.uow() as uow:
        uow.assessments.add(first, AssessmentChange("as-1", 1, "ana", T0, "first", first))
        uow.assessments.update(second, AssessmentChange("as-1", 2, "ana", T0, "more", second))
        uow.commit()
    with bg.uow() as uow:
        assert uow.assessments.get("as-1") == second
        assert uow.assessments.for_subject("report", ids[0]) == [second]
        assert uow.assessments.for_subject("report", ids[1]) == []
        history = uow.assessments.history("as-1")
        assert [(c.version, c.reason, c.snapshot.verdict) for c in history] == [
            (1, "first", "insufficient information"), (2, "more", "interference")]
        assert history[0].snapshot == first
        with pytest.raises(AssessmentNotFound):
            uow.assessments.get("missing")


def test_correlation_keys_are_replaced_and_looked_up_with_a_limit(
    reports: tuple[Ballotguard, list[str], str],
) -> None:
    bg, ids, _ = reports
    with bg.uow() as uow:
        for report_id in ids:
            uow.correlation.set_keys(report_id, frozenset({"k-shared", f"k-{report_id}"}))
        uow.correlation.set_keys(ids[0], frozenset({"k-new"}))
        uow.commit()
    with bg.uow() as uow:
        assert sorted(uow.correlation.reports_with_key("k-shared", 10)) == sorted(ids[1:])
        assert len(uow.correlation.reports_with_key("k-shared", 2)) == 2
        assert uow.correlation.reports_with_key("k-new", 10) == [ids[0]]
        assert uow.correlation.reports_with_key(f"k-{ids[0]}", 10) == []


def test_links_and_decisions_round_trip_and_update_in_place(
    reports: tuple[Ballotguard, list[str], str],
) -> None:
    bg, ids, _ = reports
    a, b, c = sorted(ids[:3])
    reason = LinkReason("observable", "both cite https://x.example/")
    with bg.uow() as uow:
        uow.correlation.add_links([Link(a, b, (reason,), 0.9), Link(b, c, (reason,), 0.5)], T0)
        uow.correlation.add_links([Link(a, b, (reason, reason), 1.0)], T0)
        uow.correlation.decide(Decision(DecisionKind.CONFIRM, a, b, "ana", T0, "sure"))
        uow.correlation.decide(Decision(DecisionKind.REJECT, a, b, "bo", T0, "changed my mind"))
        uow.commit()
    with bg.uow() as uow:
        among = {(link.a, link.b): link for link in uow.correlation.links_among(frozenset(ids))}
        assert among[(a, b)].strength == 1.0 and len(among[(a, b)].reasons) == 2
        assert {(x.a, x.b) for x in uow.correlation.links_of(b)} == {(a, b), (b, c)}
        assert uow.correlation.links_among(frozenset({a, c})) == []
        [decision] = uow.correlation.decisions_among(frozenset({a, b}))
        assert (decision.kind, decision.by) == (DecisionKind.REJECT, "bo")
        assert uow.correlation.decisions_of(a) == [decision]
        uow.correlation.drop_links_of(b)
        assert uow.correlation.links_of(a) == []


def test_campaign_membership_moves_and_visibility_follows_tlp(
    reports: tuple[Ballotguard, list[str], str],
) -> None:
    bg, ids, other_org = reports
    green, amber = ids[:3], ids[3]
    with bg.uow() as uow:
        uow.correlation.save_campaign(CampaignRecord("c1", T0, T0, frozenset([green[0], amber])))
        uow.correlation.save_campaign(CampaignRecord("c2", T0, T0, frozenset(green[1:])))
        uow.commit()
    outsider = read_scope(Reader(person_id="p-x", org_id=other_org))
    with bg.uow() as uow:
        assert uow.correlation.campaign_of(amber) == "c1"
        assert [c[:2] for c in uow.correlation.visible_campaigns(outsider, 2)] == [("c2", 2)]
        assert {c[0] for c in uow.correlation.visible_campaigns(outsider, 1)} == {"c1", "c2"}
        uow.correlation.save_campaign(
            CampaignRecord("c2", T0, T0 + timedelta(hours=1), frozenset([*green, amber]))
        )
        uow.commit()
    with bg.uow() as uow:
        assert uow.correlation.campaign("c2").members == frozenset(ids)
        assert uow.correlation.campaign("c1").members == frozenset()
        uow.correlation.delete_campaign("c1")
        uow.commit()
    with bg.uow() as uow:
        assert uow.correlation.all_campaigns() == {"c2": frozenset(ids)}
        with pytest.raises(CampaignNotFound):
            uow.correlation.campaign("c1")
        assert isinstance(outsider, ReadScope)
