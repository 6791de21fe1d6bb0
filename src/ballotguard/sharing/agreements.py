"""Sharing agreements as data: who shares which kinds of report with whom, up to which TLP.

An agreement is applied when a report is filed: an AMBER or AMBER+STRICT report whose vectors and
phase match an agreement of the reporting organisation names the agreement's partner as a
recipient, visibly, in the report's own recipient list. Applying it at filing time, not at read
time, means that the source decides distribution at the moment of sharing (FIRST TLP 2.0) and that
a later agreement never opens old reports behind the source's back. RED is for named people, so
no agreement ever widens it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ballotguard.vocabulary import Phase, Tlp, Vector


@dataclass(frozen=True, slots=True)
class SharingAgreement:
    id: str
    from_org: str
    to_org: str
    max_tlp: Tlp
    vectors: frozenset[Vector] = frozenset()
    phases: frozenset[Phase] = frozenset()
    active: bool = True

    def covers(self, org_id: str, tlp: Tlp, vectors: frozenset[Vector], phase: Phase) -> bool:
        """Empty vector or phase sets mean "all"."""
        return (
            self.active
            and self.from_org == org_id
            and tlp in (Tlp.AMBER, Tlp.AMBER_STRICT)
            and tlp.rank <= self.max_tlp.rank
            and (not self.vectors or bool(self.vectors & vectors))
            and (not self.phases or phase in self.phases)
        )


def agreement_recipients(
    agreements: list[SharingAgreement],
    org_id: str,
    tlp: Tlp,
    vectors: frozenset[Vector],
    phase: Phase,
) -> frozenset[str]:
    """Organisations that the reporting organisation's agreements add as recipients."""
    return frozenset(
        a.to_org for a in agreements if a.covers(org_id, tlp, vectors, phase) and a.to_org != org_id
    )
