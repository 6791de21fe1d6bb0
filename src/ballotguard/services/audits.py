"""Risk-limiting audits: setup, uploads, rounds, two-person entries, measurement and decision.

Each use case is one transaction and writes the audit log: a bad file, a bad reading or a refused
step changes nothing. Who may act:

- ``administer_audit`` (role ``audit_admin``): create an audit, assign people to jurisdictions,
  draw the sample, measure a round, require a full hand count;
- ``upload_audit_files`` (role ``jurisdiction_manager``): manifests and CVRs (or batch tallies),
  only for the jurisdictions the audit assigns to the person;
- ``enter_audit_votes`` (role ``audit_board``): the readings of drawn ballots, only in the
  person's jurisdictions; two different members must agree (``audit.workflow.confirm``).

The operator at the console may do everything except enter readings as two people.
A contest that needs a full hand count files a report in the sharing hub (TLP:AMBER to the
election authorities) in the same transaction, so the incident is tracked.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from ballotguard.audit.cvr import BatchTallies, CvrFile, batch_key, parse_batch_tallies, parse_cvrs
from ballotguard.audit.draws import (
    FrameBatch,
    RetrievalRow,
    draw_ballots,
    draw_batches,
    frame,
    frame_batches,
    retrieval_rows,
)
from ballotguard.audit.manifest import BallotUniverse, Manifest, parse_manifest
from ballotguard.audit.rounds import Evidence, Outcome, clca_margins, decide, first_size
from ballotguard.audit.workflow import (
    Audit,
    AuditContest,
    AuditFile,
    AuditStatus,
    Confirmation,
    ConfirmationState,
    ContestStatus,
    Decision,
    Entry,
    Jurisdiction,
    Method,
    Reading,
    Round,
    SampledUnit,
    check_reading,
    check_transition,
    confirm,
    new_audit,
    sha256_text,
)
from ballotguard.errors import (
    AuditNotFound,
    InvalidAuditParameter,
    InvalidInput,
    PermissionDenied,
)
from ballotguard.ports import UnitOfWork
from ballotguard.services.actors import Actor
from ballotguard.services.audit import record
from ballotguard.sharing import Permission, Person, ReportContent, Role, Sector
from ballotguard.sharing.reports import Target
from ballotguard.vocabulary import Impact, Phase, TargetKind, Tlp, Vector
from ballotguard.vocabulary import Outcome as ReportOutcome

Progress = Callable[[str], None]
MAX_FILE_CHARS = 200_000_000


# -- reading -------------------------------------------------------------------------------------


def _may_read(actor: Actor, audit: Audit) -> bool:
    if actor.person is None:
        return actor.label != "public"
    if actor.person.may(Permission.ADMINISTER_AUDIT):
        return True
    return any(actor.person.id in j.people for j in audit.jurisdictions)


def get_audit(uow: UnitOfWork, actor: Actor, audit_id: str) -> Audit:
    """The audit, for its administrators and the people it assigns (others: not found)."""
    audit = uow.audits.get(audit_id)
    if audit is None or not _may_read(actor, audit):
        raise AuditNotFound(audit_id)
    return audit


def list_audits(uow: UnitOfWork, actor: Actor) -> list[Audit]:
    return [a for a in uow.audits.list() if _may_read(actor, a)]


def rounds(uow: UnitOfWork, actor: Actor, audit_id: str) -> list[Round]:
    get_audit(uow, actor, audit_id)
    return uow.audits.rounds(audit_id)


def draws(uow: UnitOfWork, actor: Actor, audit_id: str, round_: int | None = None
          ) -> list[SampledUnit]:
    """Every draw (or a round's), in draw order: the sample, as anyone can recompute it."""
    get_audit(uow, actor, audit_id)
    return uow.audits.draws(audit_id, round_)


def files(uow: UnitOfWork, actor: Actor, audit_id: str) -> list[AuditFile]:
    get_audit(uow, actor, audit_id)
    return uow.audits.files(audit_id)


# -- setup ---------------------------------------------------------------------------------------


def create_audit(
    uow: UnitOfWork,
    actor: Actor,
    name: str,
    method: Method | str,
    risk_limit: float,
    seed: str,
    contests: Sequence[AuditContest],
    jurisdictions: Sequence[Jurisdiction],
    now: datetime,
    *,
    stopping_probability: float = 0.9,
) -> Audit:
    """A new audit in ``setup``: contests with reported tallies, risk limit, method, seed."""
    actor.require(Permission.ADMINISTER_AUDIT)
    audit = new_audit(str(uuid.uuid4()), name, method, risk_limit, seed, contests,
                      [replace(j, people=frozenset()) for j in jurisdictions], actor.id, now,
                      stopping_probability=stopping_probability)
    uow.audits.add(audit)
    record(uow, actor, "audit.created", audit.id, now, {
        "method": audit.method.value, "risk_limit": audit.risk_limit, "seed": audit.seed,
        "contests": [c.name for c in audit.contests],
        "jurisdictions": [j.name for j in audit.jurisdictions],
    })
    uow.commit()
    return audit


AUDIT_ROLES = frozenset({Role.JURISDICTION_MANAGER, Role.AUDIT_BOARD})


def assign_jurisdiction(
    uow: UnitOfWork, actor: Actor, audit_id: str, jurisdiction: str, person_id: str,
    now: datetime, *, remove: bool = False,
) -> Audit:
    """Give a jurisdiction manager or audit-board member a jurisdiction of the audit (or take
    it back with ``remove``)."""
    actor.require(Permission.ADMINISTER_AUDIT)
    audit = get_audit(uow, actor, audit_id)
    if audit.finished:
        raise InvalidAuditParameter("status", f"the audit is {audit.status.value}")
    target = audit.jurisdiction(jurisdiction)
    person = uow.people.get(person_id)
    if not remove and not person.roles & AUDIT_ROLES:
        raise InvalidAuditParameter(
            "person", f"{person.email} holds neither the jurisdiction_manager nor the "
            "audit_board role")
    people = target.people - {person.id} if remove else target.people | {person.id}
    updated = replace(audit, updated_at=now, jurisdictions=tuple(
        replace(j, people=people) if j.name == jurisdiction else j for j in audit.jurisdictions))
    uow.audits.update(updated)
    record(uow, actor, "audit.unassigned" if remove else "audit.assigned", audit_id, now,
           {"jurisdiction": jurisdiction, "person": person.id})
    uow.commit()
    return updated


def _assigned(actor: Actor, audit: Audit, jurisdiction: str, permission: Permission) -> None:
    actor.require(permission)
    if actor.person is None:
        return
    if actor.person.id not in audit.jurisdiction(jurisdiction).people:
        raise PermissionDenied(permission.value,
                               f"an assignment to jurisdiction {jurisdiction!r} in this audit")


def _check_text(text: str, field: str) -> str:
    if len(text) > MAX_FILE_CHARS:
        raise InvalidInput(field, f"the file is over {MAX_FILE_CHARS} characters")
    return text


def upload_manifest(
    uow: UnitOfWork, actor: Actor, audit_id: str, jurisdiction: str, filename: str, text: str,
    now: datetime,
) -> AuditFile:
    """A jurisdiction's ballot manifest, checked (line and column named) and reconciled against
    the ballots it reported cast (fewer listed: phantoms; more: refused). Replaces an earlier
    upload until the first sample is drawn."""
    audit = get_audit(uow, actor, audit_id)
    _assigned(actor, audit, jurisdiction, Permission.UPLOAD_AUDIT_FILES)
    _before_sampling(audit)
    manifest = parse_manifest(_check_text(text, "manifest"), jurisdiction)
    reconciled = manifest.reconcile(audit.jurisdiction(jurisdiction).ballots)
    stored = AuditFile(audit_id, jurisdiction, "manifest", filename, text, sha256_text(text),
                       manifest.manifest_ballots, actor.id, now)
    uow.audits.save_file(stored)
    record(uow, actor, "audit.manifest_uploaded", audit_id, now, {
        "jurisdiction": jurisdiction, "sha256": stored.sha256,
        "ballots": manifest.manifest_ballots, "phantoms": reconciled.phantoms,
    })
    _refresh_readiness(uow, audit, now)
    uow.commit()
    return stored


def upload_cvrs(
    uow: UnitOfWork, actor: Actor, audit_id: str, jurisdiction: str, filename: str, text: str,
    now: datetime,
) -> AuditFile:
    """A jurisdiction's CVRs (``clca``) or batch tallies (``macro``), checked against its
    manifest (upload the manifest first); replaces an earlier upload until sampling."""
    audit = get_audit(uow, actor, audit_id)
    _assigned(actor, audit, jurisdiction, Permission.UPLOAD_AUDIT_FILES)
    _before_sampling(audit)
    kind = audit.method.needs
    if kind is None:
        raise InvalidAuditParameter("method", f"a {audit.method.value} audit takes no CVRs")
    manifests = _manifests(uow, audit)
    if jurisdiction not in manifests:
        raise InvalidAuditParameter("manifest", f"upload {jurisdiction!r}'s manifest first")
    _check_text(text, kind)
    manifest = manifests[jurisdiction]
    candidates = {c.name: list(c.tally) for c in audit.contests_in(jurisdiction)}
    if kind == "cvrs":
        count = len(parse_cvrs(text, jurisdiction, candidates,
                               set(manifest.iter_ballot_ids())).cards)
    else:
        keys = {batch_key(jurisdiction, b.tabulator, b.name) for b in manifest.batches}
        count = len(parse_batch_tallies(text, jurisdiction, candidates, keys).batches)
    stored = AuditFile(audit_id, jurisdiction, kind, filename, text, sha256_text(text), count,
                       actor.id, now)
    uow.audits.save_file(stored)
    record(uow, actor, f"audit.{kind}_uploaded", audit_id, now,
           {"jurisdiction": jurisdiction, "sha256": stored.sha256, "count": count})
    _refresh_readiness(uow, audit, now)
    uow.commit()
    return stored


def _before_sampling(audit: Audit) -> None:
    if audit.status not in (AuditStatus.SETUP, AuditStatus.READY):
        raise InvalidAuditParameter("status", "files cannot change once the sample is drawn "
                                    f"(the audit is {audit.status.value})")


def _refresh_readiness(uow: UnitOfWork, audit: Audit, now: datetime) -> None:
    have = {(f.jurisdiction, f.kind) for f in uow.audits.files(audit.id)}
    needed = ["manifest"] + ([audit.method.needs] if audit.method.needs else [])
    ready = all((j.name, k) in have for j in audit.jurisdictions for k in needed)
    status = AuditStatus.READY if ready else AuditStatus.SETUP
    if status != audit.status:
        uow.audits.update(replace(audit, status=check_transition(audit.status, status),
                                  updated_at=now))


# -- the frame and the evidence ------------------------------------------------------------------


def _manifests(uow: UnitOfWork, audit: Audit) -> dict[str, Manifest]:
    return {f.jurisdiction: parse_manifest(f.text, f.jurisdiction)
            for f in uow.audits.files(audit.id, "manifest")}


@dataclass(frozen=True)
class _Frame:
    universe: BallotUniverse
    cvrs: dict[str, Mapping[str, tuple[str, ...]]]
    batches: list[FrameBatch]


def _frame(uow: UnitOfWork, audit: Audit) -> _Frame:
    manifests = _manifests(uow, audit)
    universe = frame(audit, manifests)
    cvrs: dict[str, Mapping[str, tuple[str, ...]]] = {}
    batches: list[FrameBatch] = []
    if audit.method is Method.CLCA:
        for f in uow.audits.files(audit.id, "cvrs"):
            candidates = {c.name: list(c.tally) for c in audit.contests_in(f.jurisdiction)}
            parsed: CvrFile = parse_cvrs(f.text, f.jurisdiction, candidates,
                                         set(manifests[f.jurisdiction].iter_ballot_ids()))
            cvrs.update(parsed.cards)
    if audit.method is Method.MACRO:
        tallies: dict[str, Mapping[str, Mapping[str, Mapping[str, int]]]] = {}
        for f in uow.audits.files(audit.id, "tallies"):
            candidates = {c.name: list(c.tally) for c in audit.contests_in(f.jurisdiction)}
            keys = {batch_key(f.jurisdiction, b.tabulator, b.name)
                    for b in manifests[f.jurisdiction].batches}
            parsed_tallies: BatchTallies = parse_batch_tallies(f.text, f.jurisdiction,
                                                               candidates, keys)
            tallies[f.jurisdiction] = parsed_tallies.batches
        batches = frame_batches(audit, manifests, tallies)
    return _Frame(universe, cvrs, batches)


def _check_reported(audit: Audit, cvrs: Mapping[str, Mapping[str, tuple[str, ...]]],
                    batches: Sequence[FrameBatch]) -> None:
    """The CVRs (or batch tallies) must add up to the reported tallies, candidate by candidate."""
    totals: dict[str, dict[str, int]] = {}
    if audit.method is Method.CLCA:
        for card in cvrs.values():
            for contest, marks in card.items():
                for m in marks:
                    totals.setdefault(contest, {})[m] = totals.setdefault(contest, {}).get(m, 0) + 1
    elif audit.method is Method.MACRO:
        for b in batches:
            for contest, counts in b.reported.items():
                for m, v in counts.items():
                    totals.setdefault(contest, {})[m] = totals.setdefault(contest, {}).get(m, 0) + v
    else:
        return
    for c in audit.contests:
        for candidate, votes in c.tally.items():
            found = totals.get(c.name, {}).get(candidate, 0)
            if found != votes:
                raise InvalidAuditParameter(
                    f"contests.{c.name}.tally.{candidate}",
                    f"the reported tally says {votes} votes but the uploaded "
                    f"{'CVRs' if audit.method is Method.CLCA else 'batch tallies'} add up to {found}",
                )


def _population(audit: Audit, fr: _Frame) -> int:
    return len(fr.universe)


def _evidence(uow: UnitOfWork, audit: Audit, fr: _Frame, readings: Mapping[str, Reading]
              ) -> Evidence:
    sizes = {m.jurisdiction: m.ballots for m in fr.universe.manifests}
    return Evidence(_population(audit, fr), sizes, uow.audits.draws(audit.id), readings,
                    fr.cvrs, fr.batches)


# -- rounds --------------------------------------------------------------------------------------


def start_round(
    uow: UnitOfWork, actor: Actor, audit_id: str, now: datetime, *, size: int | None = None,
    on_progress: Progress | None = None,
) -> Round:
    """Draw the next round's sample (one sample for all contests): round 1 once every file is
    in, later rounds after a measurement asked for one. ``size`` (cumulative draws) overrides
    the computed size; it must exceed the draws so far."""
    actor.require(Permission.ADMINISTER_AUDIT)
    audit = get_audit(uow, actor, audit_id)
    if audit.status not in (AuditStatus.READY, AuditStatus.MEASURED):
        raise InvalidAuditParameter(
            "status", f"a round is drawn when the audit is ready or measured, not "
            f"{audit.status.value}" + (" (upload the missing files)"
                                       if audit.status is AuditStatus.SETUP else ""))
    fr = _frame(uow, audit)
    start = len(uow.audits.draws(audit_id))
    if audit.round == 0:
        _check_reported(audit, fr.cvrs, fr.batches)
        if audit.method is Method.CLCA:
            clca_margins(audit, fr.cvrs, _population(audit, fr))
        if on_progress:
            on_progress("sizing the first round")
        wanted = first_size(audit, _evidence(uow, audit, fr, {}))
        if wanted is None:
            raise InvalidAuditParameter("size", "no sample is expected to confirm the outcome; "
                                        "count by hand")
    else:
        wanted = audit.next_size or start + 1
    if size is not None:
        if isinstance(size, bool) or not isinstance(size, int) or size <= start:
            raise InvalidAuditParameter("size", f"{size!r} must exceed the {start} draws so far")
        wanted = size
    population = _population(audit, fr)
    if not audit.method.with_replacement:
        wanted = min(wanted, population)
    number = audit.round + 1
    if audit.method is Method.MACRO:
        units = draw_batches(audit, fr.batches, number, start, wanted)
    else:
        units = draw_ballots(audit, fr.universe, number, start, wanted, on_progress)
    round_ = Round(audit_id, number, start, wanted, now, actor.id)
    uow.audits.add_round(round_)
    uow.audits.add_draws(units)
    status = check_transition(audit.status, AuditStatus.SAMPLED)
    updated = replace(audit, status=status, round=number, next_size=None, updated_at=now)
    uow.audits.update(updated)
    record(uow, actor, "audit.round_drawn", audit_id, now,
           {"round": number, "start": start, "size": wanted, "seed": audit.seed})
    _after_entries(uow, updated, now)
    uow.commit()
    return round_


def retrieval_list(
    uow: UnitOfWork, actor: Actor, audit_id: str, *, jurisdiction: str | None = None,
    round_: int | None = None,
) -> list[RetrievalRow]:
    """The ballots (or batches) to pull, once each, sorted by container, tabulator, batch,
    position; ``round_`` (default the current one) lists those first drawn in that round."""
    audit = get_audit(uow, actor, audit_id)
    number = round_ or audit.round
    every = uow.audits.draws(audit_id)
    earlier = {u.unit_id for u in every if u.round < number}
    return retrieval_rows([u for u in every if u.round == number and u.unit_id not in earlier],
                          jurisdiction)


RETRIEVAL_COLUMNS = ["Jurisdiction", "Container", "Tabulator", "Batch Name", "Ballot Position",
                     "Ticket Numbers", "Times Drawn", "Ballot Id", "Phantom"]


def retrieval_csv(rows: Sequence[RetrievalRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RETRIEVAL_COLUMNS)
    for r in rows:
        writer.writerow([r.jurisdiction, r.container, r.tabulator, r.batch,
                         r.position or "", r.ticket, r.times_drawn, r.unit_id,
                         "yes" if r.phantom else ""])
    return out.getvalue()


# -- audit-board entries ---------------------------------------------------------------------


def _units(uow: UnitOfWork, audit_id: str) -> dict[str, SampledUnit]:
    units: dict[str, SampledUnit] = {}
    for u in uow.audits.draws(audit_id):
        units.setdefault(u.unit_id, u)
    return units


def record_entry(
    uow: UnitOfWork, actor: Actor, audit_id: str, unit_id: str, reading: Reading, now: datetime
) -> Confirmation:
    """An audit-board member's reading of a drawn ballot (or batch). Two members must agree;
    the answer says whether it is now confirmed, pending, or in disagreement."""
    return record_entries(uow, actor, audit_id, {unit_id: reading}, now)[0]


def record_entries(
    uow: UnitOfWork, actor: Actor, audit_id: str, readings: Mapping[str, Reading], now: datetime
) -> list[Confirmation]:
    """Several readings by one member in one transaction: one bad reading enters none."""
    audit = get_audit(uow, actor, audit_id)
    if audit.status is not AuditStatus.SAMPLED and audit.status is not AuditStatus.VOTES_ENTERED:
        raise InvalidAuditParameter("status", f"readings are entered while a round is open, not "
                                    f"when the audit is {audit.status.value}")
    results = []
    for unit_id, reading in readings.items():
        unit = uow.audits.unit(audit_id, unit_id)
        if unit is None:
            raise InvalidAuditParameter("unit", f"{unit_id!r} was not drawn")
        if unit.phantom:
            raise InvalidAuditParameter("unit", f"{unit_id!r} is a phantom: there is nothing to "
                                        "read")
        _assigned(actor, audit, unit.jurisdiction, Permission.ENTER_AUDIT_VOTES)
        checked = check_reading(audit, unit, reading)
        uow.audits.add_entry(Entry(audit_id, audit.round, unit_id, actor.id, checked, now))
        result = confirm(unit_id, uow.audits.entries(audit_id, unit_id))
        record(uow, actor, "audit.entry", audit_id, now,
               {"unit": unit_id, "state": result.state.value})
        results.append(result)
    _after_entries(uow, audit, now)
    uow.commit()
    return results


def _after_entries(uow: UnitOfWork, audit: Audit, now: datetime) -> None:
    """``sampled`` <-> ``votes_entered`` as the last reading is confirmed (or a new round opens)."""
    units, read = uow.audits.reading_counts(audit.id)
    done = read >= units and all(c.state is ConfirmationState.CONFIRMED
                                 for c in _confirmations(uow, audit.id).values())
    wanted = AuditStatus.VOTES_ENTERED if done else AuditStatus.SAMPLED
    if audit.status in (AuditStatus.SAMPLED, AuditStatus.VOTES_ENTERED) and wanted != audit.status:
        if wanted is AuditStatus.SAMPLED:  # a re-entry undid an agreement
            uow.audits.update(replace(audit, status=wanted, updated_at=now))
        else:
            uow.audits.update(replace(audit, status=check_transition(audit.status, wanted),
                                      updated_at=now))


def _confirmations(uow: UnitOfWork, audit_id: str) -> dict[str, Confirmation]:
    entries: dict[str, list[Entry]] = {}
    for e in uow.audits.entries(audit_id):
        entries.setdefault(e.unit_id, []).append(e)
    return {unit_id: confirm(unit_id, entries.get(unit_id, []))
            for unit_id, u in _units(uow, audit_id).items() if not u.phantom}


def confirmations(uow: UnitOfWork, actor: Actor, audit_id: str,
                  jurisdiction: str | None = None) -> list[Confirmation]:
    """Where each drawn unit's reading stands (phantoms have none), in draw order."""
    audit = get_audit(uow, actor, audit_id)
    units = _units(uow, audit_id)
    return [c for c in _confirmations(uow, audit.id).values()
            if jurisdiction is None or units[c.unit_id].jurisdiction == jurisdiction]


# -- measuring and deciding ------------------------------------------------------------------------


def measure_round(
    uow: UnitOfWork, actor: Actor, audit_id: str, now: datetime
) -> tuple[Round, Outcome]:
    """The risk of each contest after the round; then stop, size the next round, or require a
    full hand count (which files a report in the hub). Every reading must be confirmed."""
    actor.require(Permission.ADMINISTER_AUDIT)
    audit = get_audit(uow, actor, audit_id)
    if audit.status is not AuditStatus.VOTES_ENTERED:
        pending = [c for c in _confirmations(uow, audit_id).values()
                   if c.state is not ConfirmationState.CONFIRMED]
        detail = (f"; {len(pending)} ballot(s) still lack two agreeing readings"
                  if pending and audit.status is AuditStatus.SAMPLED else "")
        raise InvalidAuditParameter("status", f"a round is measured once every reading is "
                                    f"confirmed (the audit is {audit.status.value}{detail})")
    fr = _frame(uow, audit)
    readings = {u: c.reading for u, c in _confirmations(uow, audit_id).items()
                if c.reading is not None}
    outcome = decide(audit, _evidence(uow, audit, fr, readings))
    current = uow.audits.rounds(audit_id)[-1]
    measured = replace(current, measured_at=now,
                       risks={n: m.risk for n, m in outcome.measures.items()},
                       decision=outcome.decision, next_size=outcome.next_size)
    uow.audits.update_round(measured)
    status = {Decision.STOP: AuditStatus.CONFIRMED, Decision.NEXT_ROUND: AuditStatus.MEASURED,
              Decision.HAND_COUNT: AuditStatus.HAND_COUNT}[outcome.decision]
    updated = replace(
        audit, status=check_transition(audit.status, status), next_size=outcome.next_size,
        updated_at=now,
        contests=tuple(replace(c, status=outcome.statuses[c.name]) for c in audit.contests),
    )
    record(uow, actor, "audit.round_measured", audit_id, now, {
        "round": current.number, "risks": dict(measured.risks),
        "decision": outcome.decision.value, "next_size": outcome.next_size,
    })
    if outcome.failed:
        updated = _file_incident(uow, actor, updated, list(outcome.failed), measured, now)
    uow.audits.update(updated)
    uow.commit()
    return measured, outcome


def require_full_hand_count(
    uow: UnitOfWork, actor: Actor, audit_id: str, reason: str, now: datetime
) -> Audit:
    """Stop sampling: every contest not yet confirmed goes to a full hand count (reported)."""
    actor.require(Permission.ADMINISTER_AUDIT)
    if not reason.strip():
        raise InvalidInput("reason", "say why the audit goes to a full hand count")
    audit = get_audit(uow, actor, audit_id)
    check_transition(audit.status, AuditStatus.HAND_COUNT)
    failed = [c.name for c in audit.contests if c.status is not ContestStatus.CONFIRMED]
    updated = replace(audit, status=AuditStatus.HAND_COUNT, next_size=None, updated_at=now,
                      contests=tuple(replace(c, status=ContestStatus.HAND_COUNT)
                                     if c.name in failed else c for c in audit.contests))
    record(uow, actor, "audit.full_hand_count", audit_id, now,
           {"reason": reason, "contests": failed})
    previous = uow.audits.rounds(audit_id)
    updated = _file_incident(uow, actor, updated, failed, previous[-1] if previous else None, now,
                             reason)
    uow.audits.update(updated)
    uow.commit()
    return updated


def _file_incident(
    uow: UnitOfWork, actor: Actor, audit: Audit, failed: list[str], last: Round | None,
    now: datetime, reason: str = "",
) -> Audit:
    """File the hub report in the caller's transaction: the audit's change and the report
    commit together or not at all."""
    from ballotguard.services.reports import add_report

    if actor.person is None:
        raise PermissionDenied("filing the report of a failed audit",
                               "a person of a member organisation (use --as)")
    risks = dict(last.risks) if last else {}
    lines = [
        f"The risk-limiting audit {audit.name!r} ({audit.method.value}, risk limit "
        f"{audit.risk_limit:g}, seed {audit.seed}) did not confirm the reported outcome of "
        f"{', '.join(repr(n) for n in failed)}: a full hand count is required.",
        "",
    ]
    for name in failed:
        c = audit.contest(name)
        tally = ", ".join(f"{k} {v}" for k, v in c.tally.items())
        risk = f"{risks[name]:.4g}" if name in risks else "not measured"
        lines.append(f"- {name}: reported {tally}; winner(s) {', '.join(c.winners)}; "
                     f"measured risk {risk}")
    if last is not None:
        lines.append(f"\nRounds: {last.number}; ballots drawn: {last.size}.")
    if reason:
        lines.append(f"\nReason given: {reason}")
    lines.append("\nThe vectors are the hypotheses to rule out while the hand count runs: a "
                 "tabulation or manifest error is the likeliest cause.")
    authorities = sorted(o.id for o in uow.orgs.list()
                         if o.sector is Sector.ELECTION_AUTHORITY and o.id != actor.person.org_id)
    content = ReportContent(
        title=f"Audit {audit.name}: full hand count required for {', '.join(failed)}"[:300],
        summary="\n".join(lines),
        observed_at=now,
        election=audit.name[:200],
        phase=Phase.RESULTS,
        vectors=[Vector.INSIDER_THREAT, Vector.CYBER_INTRUSION],
        targets=[Target(kind=TargetKind.ELECTION_INFRASTRUCTURE, is_victim=False,
                        description=f"tabulation of {', '.join(failed)}"[:500])],
        outcome=ReportOutcome.ATTEMPTED,
        impact=Impact.HIGH,
        tlp=Tlp.AMBER,
        recipient_orgs=authorities,
    )
    report = add_report(uow, actor, content, now)
    record(uow, actor, "audit.incident_filed", audit.id, now, {"report": report.id})
    return replace(audit, report_id=report.id)


# -- progress and the record -----------------------------------------------------------------------


@dataclass(frozen=True)
class JurisdictionProgress:
    name: str
    ballots: int
    manifest: AuditFile | None
    cvrs: AuditFile | None
    people: frozenset[str]
    drawn: int  # distinct units drawn (phantoms included)
    phantoms: int
    confirmed: int
    pending: int
    disagreements: int


def progress(uow: UnitOfWork, actor: Actor, audit_id: str) -> list[JurisdictionProgress]:
    """Per jurisdiction: files uploaded, units drawn, readings confirmed, pending, disputed."""
    audit = get_audit(uow, actor, audit_id)
    stored = uow.audits.files(audit_id)
    units = _units(uow, audit_id)
    states = _confirmations(uow, audit_id)
    out = []
    for j in audit.jurisdictions:
        mine = [u for u in units.values() if u.jurisdiction == j.name]
        counts = {s: sum(1 for u in mine if not u.phantom and states[u.unit_id].state is s)
                  for s in ConfirmationState}
        out.append(JurisdictionProgress(
            j.name, j.ballots,
            next((f for f in stored if f.jurisdiction == j.name and f.kind == "manifest"), None),
            next((f for f in stored if f.jurisdiction == j.name and f.kind != "manifest"), None),
            j.people, len(mine), sum(1 for u in mine if u.phantom),
            counts[ConfirmationState.CONFIRMED],
            counts[ConfirmationState.PENDING] + counts[ConfirmationState.MISSING],
            counts[ConfirmationState.DISAGREEMENT],
        ))
    return out


@dataclass(frozen=True)
class Discrepancy:
    """A drawn unit whose audit differs from the record: ``kind`` is ``phantom``, ``not_found``,
    ``cvr_mismatch`` (CLCA: the CVR and the reading differ), ``batch_mismatch`` (MACRO) or
    ``disagreement`` (the board members' readings differ and are not yet reconciled)."""

    unit_id: str
    jurisdiction: str
    kind: str
    detail: str


def discrepancies(uow: UnitOfWork, actor: Actor, audit_id: str) -> list[Discrepancy]:
    audit = get_audit(uow, actor, audit_id)
    units = _units(uow, audit_id)
    states = _confirmations(uow, audit_id)
    fr = _frame(uow, audit) if audit.method in (Method.CLCA, Method.MACRO) else None
    batches = {b.key: b for b in fr.batches} if fr else {}
    out = []
    for unit_id, u in units.items():
        if u.phantom:
            out.append(Discrepancy(unit_id, u.jurisdiction, "phantom",
                                   "not in the manifest: counted as the worst case"))
            continue
        c = states[unit_id]
        if c.state is ConfirmationState.DISAGREEMENT:
            shown = "; ".join(f"{p}: {r.key()}" for p, r in sorted(c.readings.items()))
            out.append(Discrepancy(unit_id, u.jurisdiction, "disagreement", shown))
            continue
        if c.reading is None:
            continue
        if c.reading.not_found:
            out.append(Discrepancy(unit_id, u.jurisdiction, "not_found",
                                   "the board could not find it: counted as the worst case"))
        elif fr is not None and audit.method is Method.CLCA:
            cvr = fr.cvrs.get(unit_id)
            for contest in audit.contests_in(u.jurisdiction):
                recorded = tuple(sorted(cvr.get(contest.name, ()))) if cvr else None
                read = tuple(sorted(c.reading.marks.get(contest.name, ())))
                if recorded != read:
                    out.append(Discrepancy(unit_id, u.jurisdiction, "cvr_mismatch",
                                           f"{contest.name}: CVR {list(recorded or []) if cvr else 'missing'}"
                                           f", read {list(read)}"))
        elif audit.method is Method.MACRO and unit_id in batches:
            reported = batches[unit_id].reported
            for name, counts in c.reading.counts.items():
                said = {k: v for k, v in reported.get(name, {}).items() if v}
                found = {k: v for k, v in counts.items() if v}
                if said != found:
                    out.append(Discrepancy(unit_id, u.jurisdiction, "batch_mismatch",
                                           f"{name}: reported {said}, counted {found}"))
    return out


def is_assigned(audit: Audit, person: Person | None, jurisdiction: str) -> bool:
    return person is not None and person.id in audit.jurisdiction(jurisdiction).people
