"""The TLP 2.0 rule of DESIGN.md, level by level, and the sharing agreements that widen AMBER."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ballotguard.sharing import (
    PUBLIC,
    Audience,
    Reader,
    Report,
    SharingAgreement,
    Status,
    agreement_recipients,
    can_read,
    read_scope,
    readable,
)
from ballotguard.vocabulary import Phase, Tlp, Vector
from support.world import content

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

AUTHOR = Reader("p-author", "org-source")
COLLEAGUE = Reader("p-colleague", "org-source")
RECIPIENT_ORG_STAFF = Reader("p-cert", "org-cert")
NAMED_PERSON = Reader("p-named", "org-platform")
OTHER_MEMBER = Reader("p-other", "org-media")
NAMED_IN_RECIPIENT_ORG = Reader("p-named-cert", "org-cert")
# The account that stands for another instance, in a recipient organisation and named in RED:
# what it reads leaves the instance, so it still reads CLEAR and GREEN only.
FEDERATED_PEER = Reader("p-named", "org-cert", federated=True)

READERS = {
    "public": PUBLIC,
    "author": AUTHOR,
    "colleague": COLLEAGUE,
    "recipient org staff": RECIPIENT_ORG_STAFF,
    "named person": NAMED_PERSON,
    "other member": OTHER_MEMBER,
    "federated peer": FEDERATED_PEER,
}

# DESIGN.md, "TLP 2.0 as Ballotguard applies it"
WHO_READS = {
    Tlp.CLEAR: set(READERS),
    Tlp.GREEN: set(READERS) - {"public"},
    Tlp.AMBER: {"author", "colleague", "recipient org staff"},
    Tlp.AMBER_STRICT: {"author", "colleague", "recipient org staff"},
    # RED: the peer account's id is "p-named", and still it does not read
    Tlp.RED: {"author", "named person"},
}


def report(tlp: Tlp, recipient_orgs: tuple[str, ...] = ("org-cert",),
           recipient_people: tuple[str, ...] = ("p-named",)) -> Report:
    return Report(id=f"r-{tlp.value}", version=1, org_id="org-source", author_id="p-author",
                  status=Status.NEW, created_at=T0, updated_at=T0,
                  content=content(tlp=tlp, recipient_orgs=list(recipient_orgs),
                                  recipient_people=list(recipient_people)))


@pytest.mark.parametrize("tlp", list(Tlp))
@pytest.mark.parametrize("who", list(READERS))
def test_who_reads_each_level(tlp: Tlp, who: str) -> None:
    assert can_read(READERS[who], report(tlp)) is (who in WHO_READS[tlp])


def test_red_is_for_named_people_not_their_organisations() -> None:
    red = report(Tlp.RED, recipient_orgs=("org-cert",), recipient_people=("p-named-cert",))
    assert can_read(NAMED_IN_RECIPIENT_ORG, red)
    assert not can_read(RECIPIENT_ORG_STAFF, red)  # same organisation, not named
    assert not can_read(COLLEAGUE, red)  # the author's colleague, not named
    assert can_read(AUTHOR, red)


def test_amber_without_recipients_stays_in_the_reporting_organisation() -> None:
    amber = report(Tlp.AMBER, recipient_orgs=(), recipient_people=("p-named",))
    assert can_read(COLLEAGUE, amber)
    assert not can_read(NAMED_PERSON, amber)  # naming a person does not open AMBER
    assert not can_read(RECIPIENT_ORG_STAFF, amber)


def test_a_reader_without_an_organisation_reads_clear_only() -> None:
    loner = Reader("p-loner", None)
    assert [t for t in Tlp if can_read(loner, report(t))] == [Tlp.CLEAR]
    assert read_scope(loner) == read_scope(PUBLIC)


def test_readable_keeps_order_and_drops_the_rest() -> None:
    reports = [report(t) for t in Tlp]
    assert [r.content.tlp for r in readable(OTHER_MEMBER, reports)] == [Tlp.CLEAR, Tlp.GREEN]
    assert [r.content.tlp for r in readable(PUBLIC, reports)] == [Tlp.CLEAR]


def test_the_scope_is_the_rule() -> None:
    for reader in READERS.values():
        scope = read_scope(reader)
        for tlp in Tlp:
            assert scope.admits(Audience.of(report(tlp))) is can_read(reader, report(tlp))


# -- sharing agreements -------------------------------------------------------------------------

CYBER = frozenset({Vector.CYBER_INTRUSION})


@pytest.mark.parametrize(
    ("agreement", "tlp", "vectors", "phase", "covered"),
    [
        (SharingAgreement("a", "org-source", "org-cert", Tlp.AMBER), Tlp.AMBER, CYBER,
         Phase.CAMPAIGN, True),
        (SharingAgreement("a", "org-source", "org-cert", Tlp.AMBER), Tlp.AMBER_STRICT, CYBER,
         Phase.CAMPAIGN, False),  # STRICT is narrower than the agreement allows
        (SharingAgreement("a", "org-source", "org-cert", Tlp.AMBER_STRICT), Tlp.AMBER_STRICT,
         CYBER, Phase.CAMPAIGN, True),
        (SharingAgreement("a", "org-source", "org-cert", Tlp.AMBER_STRICT), Tlp.AMBER, CYBER,
         Phase.CAMPAIGN, True),
        (SharingAgreement("a", "org-source", "org-cert", Tlp.AMBER_STRICT), Tlp.RED, CYBER,
         Phase.CAMPAIGN, False),  # never RED
        (SharingAgreement("a", "org-source", "org-cert", Tlp.AMBER_STRICT), Tlp.GREEN, CYBER,
         Phase.CAMPAIGN, False),  # GREEN is open to members already
        (SharingAgreement("a", "org-source", "org-cert", Tlp.AMBER), Tlp.CLEAR, CYBER,
         Phase.CAMPAIGN, False),
        (SharingAgreement("a", "org-source", "org-cert", Tlp.AMBER, CYBER), Tlp.AMBER,
         frozenset({Vector.CYBER_INTRUSION, Vector.DATA_THEFT}), Phase.CAMPAIGN, True),
        (SharingAgreement("a", "org-source", "org-cert", Tlp.AMBER, CYBER), Tlp.AMBER,
         frozenset({Vector.DISINFORMATION}), Phase.CAMPAIGN, False),
        (SharingAgreement("a", "org-source", "org-cert", Tlp.AMBER,
                          phases=frozenset({Phase.VOTER_REGISTRATION})),
         Tlp.AMBER, CYBER, Phase.VOTER_REGISTRATION, True),
        (SharingAgreement("a", "org-source", "org-cert", Tlp.AMBER,
                          phases=frozenset({Phase.VOTER_REGISTRATION})),
         Tlp.AMBER, CYBER, Phase.COUNTING, False),
        (SharingAgreement("a", "org-other", "org-cert", Tlp.AMBER), Tlp.AMBER, CYBER,
         Phase.CAMPAIGN, False),  # someone else's agreement
        (SharingAgreement("a", "org-source", "org-cert", Tlp.AMBER, active=False), Tlp.AMBER,
         CYBER, Phase.CAMPAIGN, False),
    ],
)
def test_agreement_covers(agreement: SharingAgreement, tlp: Tlp, vectors: frozenset[Vector],
                          phase: Phase, covered: bool) -> None:
    assert agreement.covers("org-source", tlp, vectors, phase) is covered
    added = agreement_recipients([agreement], "org-source", tlp, vectors, phase)
    assert added == (frozenset({"org-cert"}) if covered else frozenset())


def test_agreement_recipients_collects_partners_but_never_the_source() -> None:
    agreements = [
        SharingAgreement("a1", "org-source", "org-cert", Tlp.AMBER),
        SharingAgreement("a2", "org-source", "org-platform", Tlp.AMBER, CYBER),
        SharingAgreement("a3", "org-source", "org-media", Tlp.AMBER,
                         frozenset({Vector.DISINFORMATION})),
        SharingAgreement("a4", "org-source", "org-source", Tlp.AMBER),
    ]
    assert agreement_recipients(agreements, "org-source", Tlp.AMBER, CYBER, Phase.CAMPAIGN) == {
        "org-cert", "org-platform"}
