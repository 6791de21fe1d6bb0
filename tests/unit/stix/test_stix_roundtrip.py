"""Export then import gives the report back: equal content, recipients aside (never exported)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stix_samples import ORGS, full_report

from ballotguard.sharing import (
    Observable,
    ObservableKind,
    Report,
    ReportContent,
    Status,
    SuspectedActor,
    Target,
)
from ballotguard.stix import Kept, classify, problems, report_from_incident, report_objects
from ballotguard.stix_validator import full_problems
from ballotguard.vocabulary import (
    ActorKind,
    Confidence,
    Impact,
    Outcome,
    Phase,
    SourceReliability,
    TargetKind,
    Tlp,
    Vector,
)

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]),
               min_size=1, max_size=60).map(str.strip).filter(bool)
LABEL = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)
DOMAIN = st.builds(lambda a, b: f"{a}.{b}", LABEL, st.sampled_from(["example", "org", "xn--p1ai"]))
PATH = st.text("abcXYZ019-._~!$&'()*+,;=:@%/ \\é", max_size=20)


def observables() -> st.SearchStrategy[Observable]:
    values = {
        ObservableKind.URL: st.builds(lambda d, p: f"https://{d}/{p}", DOMAIN, PATH),
        ObservableKind.DOMAIN: DOMAIN,
        ObservableKind.IP: st.ip_addresses().map(str),
        ObservableKind.EMAIL: st.builds(lambda local, d: f"{local}@{d}",
                                        st.text("abcdefghij0123456789._+-", min_size=1,
                                                max_size=20).filter(lambda s: s[0].isalnum()),
                                        DOMAIN),
        ObservableKind.SOCIAL_HANDLE: st.builds(lambda p, h: f"{p}:@{h}",
                                                st.sampled_from(["x", "telegram", "tiktok"]),
                                                st.text("abcdefgh_0123.-", min_size=1,
                                                        max_size=15)),
        ObservableKind.FILE_HASH: st.sampled_from([32, 40, 64, 128]).flatmap(
            lambda n: st.text("0123456789abcdef", min_size=n, max_size=n)),
    }
    return st.sampled_from(list(values)).flatmap(
        lambda kind: values[kind].map(lambda v: Observable(kind=kind, value=v)))


def targets() -> st.SearchStrategy[Target]:
    of_the_hub = st.builds(Target, kind=st.sampled_from(TargetKind),
                           organisation_id=st.sampled_from(list(ORGS)),
                           description=st.one_of(st.just(""), TEXT), is_victim=st.booleans())
    described = st.builds(Target, kind=st.sampled_from(TargetKind), description=TEXT,
                          is_victim=st.booleans())
    return st.one_of(of_the_hub, described)


def contents() -> st.SearchStrategy[ReportContent]:
    return st.builds(
        ReportContent,
        title=TEXT,
        summary=st.one_of(st.just(""), TEXT),
        observed_at=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
                                 timezones=st.just(UTC)),
        election=TEXT,
        phase=st.sampled_from(Phase),
        vectors=st.lists(st.sampled_from(Vector), min_size=1, max_size=4),
        targets=st.lists(targets(), max_size=3),
        outcome=st.sampled_from(Outcome),
        impact=st.sampled_from(Impact),
        techniques=st.lists(st.sampled_from(["disarm:T0049", "disarm:T0002.001", "attack:T1566",
                                             "attack:T1566.001"]), max_size=3),
        observables=st.lists(observables(), max_size=4),
        suspected_actor=st.one_of(st.none(), st.builds(
            SuspectedActor, kind=st.sampled_from(ActorKind), name=st.one_of(st.just(""), TEXT),
            confidence=st.sampled_from(Confidence))),
        source_reliability=st.sampled_from(SourceReliability),
        tlp=st.sampled_from([Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT]),
        recipient_orgs=st.lists(st.sampled_from(list(ORGS)), max_size=2),
    )


def reports() -> st.SearchStrategy[Report]:
    return st.builds(
        lambda content, status, version: full_report(content=content, status=status,
                                                     version=version, notes=[]),
        contents(), st.sampled_from(Status), st.integers(1, 50),
    )


def round_trip(report: Report) -> tuple[list[dict[str, Any]], ReportContent]:
    objects = report_objects(report, ORGS, {})
    (incident,) = [o for o in objects if o["type"] == "incident"]
    verdict = classify(incident)
    assert isinstance(verdict, Kept) and verdict.kind == "report", verdict
    assert verdict.tlp is report.content.tlp
    imported = report_from_incident(incident, verdict.tlp)
    assert imported.report_id == report.id
    assert imported.version == report.version
    assert imported.status is report.status
    assert imported.revoked is (report.status is Status.RETRACTED)
    return objects, imported.content


def without_recipients(content: ReportContent) -> ReportContent:
    return content.model_copy(update={"recipient_orgs": [], "recipient_people": []})


def test_the_full_report_comes_back() -> None:
    report = full_report()
    assert round_trip(report)[1] == without_recipients(report.content)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_any_report_comes_back(report: Report) -> None:
    objects, content = round_trip(report)
    assert content == without_recipients(report.content)
    for obj in objects:
        assert problems(obj) == [], obj


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_any_report_exports_objects_the_oasis_validator_accepts(report: Report) -> None:
    for obj in report_objects(report, ORGS, {}):
        assert full_problems(obj) == [], obj
