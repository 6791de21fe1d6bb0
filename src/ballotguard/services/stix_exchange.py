"""STIX 2.1 in and out: reports published to the TAXII store, bundles imported and exported.

Every report version is materialised as STIX objects in the same transaction as the change
(``publish_report``), so TAXII readers and federation peers see corrections and retractions as new
versions, and the rows of every version follow the report's current audience (a report narrowed
from GREEN to AMBER takes its old versions with it).

Import applies the per-object rule of TAXII: each object is validated on its own, the good ones
are kept and each bad one is reported with its reason. An incident carrying Ballotguard's
extension becomes a local report of the importing organisation; other objects are kept as they
came, readable by the audience their TLP marking gives them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from ballotguard.errors import BallotguardError, PermissionDenied
from ballotguard.ports import AssessmentRecord, ObjectQuery, Shelf, StoredObject, UnitOfWork
from ballotguard.services.actors import Actor
from ballotguard.services.audit import record
from ballotguard.sharing import Audience, Organisation, Permission, Report, read_scope
from ballotguard.stix import (
    ImportedReport,
    Kept,
    assessment_note,
    bundle,
    campaign_objects,
    classify,
    incident_id,
    org_identity_id,
    problems,
    published_objects,
    report_from_incident,
    report_objects,
    tlp_of,
    to_json,
)
from ballotguard.vocabulary import Tlp

Validator = Callable[[dict[str, object]], list[str]]
PUBLICATION_SOURCE = "ballotguard"
"""The source of the objects every export refers to: TLP markings, our extension, our identity."""


@dataclass(frozen=True, slots=True)
class ObjectFailure:
    id: str
    version: str | None
    message: str


@dataclass
class ImportResult:
    successes: list[tuple[str, str]] = field(default_factory=list)
    failures: list[ObjectFailure] = field(default_factory=list)
    reports_created: list[str] = field(default_factory=list)
    reports_updated: list[str] = field(default_factory=list)


def publish_report(uow: UnitOfWork, report: Report, now: datetime) -> None:
    """Materialise this version of the report in the TAXII store (no commit: the caller's)."""
    source = f"report:{report.id}"
    audience = Audience.of(report)
    objects = report_objects(report, _orgs_of(uow, report), uow.techniques.names(
        report.content.techniques))
    uow.stix_objects.set_audience(source, audience)
    uow.stix_objects.add(
        [*_publication_rows(), *(_stored(o, audience, source) for o in objects)], now
    )


def publish_assessment(uow: UnitOfWork, assessment: AssessmentRecord, now: datetime) -> None:
    """An assessment of a report, as a STIX note that follows the report's audience."""
    if assessment.subject_kind != "report":
        return  # a campaign's audience is per reader; its assessments go out in exports only
    report = uow.reports.get(assessment.subject_id)
    note = _assessment_object(assessment, report)
    source = f"report:{report.id}"
    uow.stix_objects.add([_stored(note, Audience.of(report), source)], now)


def _assessment_object(assessment: AssessmentRecord, report: Report) -> dict[str, object]:
    result = assessment.body.get("result", {})
    reasons = result.get("reasons", []) if isinstance(result, dict) else []
    return assessment_note(
        assessment_id=assessment.id,
        version=assessment.version,
        subject_ref=incident_id(report.id),
        definition_id=assessment.definition_id,
        definition_version=assessment.definition_version,
        verdict=assessment.verdict,
        reasons=[str(r) for r in reasons],
        created=assessment.created_at,
        modified=assessment.updated_at,
        tlp=report.content.tlp,
        created_by_ref=org_identity_id(report.org_id),
    )


def import_objects(
    uow: UnitOfWork,
    actor: Actor,
    objects: list[object],
    now: datetime,
    *,
    default_tlp: Tlp,
    allowed_tlps: frozenset[Tlp] | None = None,
    recipient_orgs: frozenset[str] = frozenset(),
    validate: Validator | None = None,
) -> ImportResult:
    """Keep the good objects, report each bad one; reports first, then everything else."""
    actor.require(Permission.EXCHANGE_STIX)
    if actor.person is None:
        raise PermissionDenied(Permission.EXCHANGE_STIX.value, "a person of a member organisation")
    result = ImportResult()
    checked: list[tuple[dict[str, object], Tlp, Kept]] = []
    for obj in objects:
        verdict = _check(obj, default_tlp, allowed_tlps, validate)
        if isinstance(verdict, ObjectFailure):
            result.failures.append(verdict)
        else:
            checked.append(verdict)
    derived: set[str] = set()
    for obj, tlp, kept in checked:
        if kept.kind == "report":
            derived |= _receive(uow, actor, obj, tlp, recipient_orgs, now, result)
    rows = [
        _stored(obj, _imported_audience(actor, tlp, recipient_orgs), f"import:{actor.person.org_id}")
        for obj, tlp, kept in checked
        if kept.kind != "report" and str(obj["id"]) not in derived
    ]
    uow.stix_objects.add(rows, now)
    result.successes += [
        (str(obj["id"]), _version_text(obj) or "") for obj, _, kept in checked
        if kept.kind != "report"
    ]
    record(uow, actor, "stix.imported", "stix", now, _summary(result))
    uow.commit()
    return result


def outbound_page(
    uow: UnitOfWork, actor: Actor, after: tuple[datetime, int] | None, limit: int
) -> tuple[list[StoredObject], tuple[datetime, int] | None]:
    """Every version the actor may read at CLEAR or GREEN, after a position (federation push)."""
    scope = read_scope(actor.reader)
    levels = scope.open_levels & {Tlp.CLEAR, Tlp.GREEN}
    rows = uow.stix_objects.page(Shelf(frozenset(levels)), ObjectQuery(versions=frozenset({"all"})),
                                 limit, after)
    readable = [row for row in rows if scope.admits(row.audience)]
    if len(readable) != len(rows):
        raise AssertionError("the store returned an object the access rule refuses")
    if not rows:
        return [], after
    last = rows[-1]
    assert last.date_added is not None and last.seq is not None
    return readable, (last.date_added, last.seq)


def export_bundle(
    uow: UnitOfWork, actor: Actor, now: datetime, reports: Iterable[Report]
) -> dict[str, object]:
    """A bundle of the given reports as the reader may see them; the caller checked readability."""
    objects: dict[tuple[str, str], dict[str, object]] = {}
    exported: list[str] = []
    for report in reports:
        exported.append(report.id)
        names = uow.techniques.names(report.content.techniques)
        assessed = [_assessment_object(a, report)
                    for a in uow.assessments.for_subject("report", report.id)]
        for obj in [*report_objects(report, _orgs_of(uow, report), names), *assessed]:
            objects.setdefault((str(obj["id"]), _version_text(obj) or ""), obj)
    record(uow, actor, "stix.exported", "stix", now, {"reports": exported[:1000],
                                                       "count": len(exported)})
    uow.commit()
    return bundle([*published_objects(), *objects.values()], f"bundle--{uuid.uuid4()}")


def export_reports(
    uow: UnitOfWork,
    actor: Actor,
    now: datetime,
    report_ids: list[str],
    campaign_id: str | None = None,
) -> dict[str, object]:
    """Reports by id and a campaign, each read through the access rule (a report the reader may
    not see is the same 404 as a missing one; restricted reads are logged)."""
    from ballotguard.services.campaigns import get_campaign
    from ballotguard.services.reports import get_report

    reports = {rid: get_report(uow, actor, rid, now) for rid in dict.fromkeys(report_ids)}
    extra: list[dict[str, object]] = []
    if campaign_id is not None:
        view = get_campaign(uow, actor, campaign_id)
        reports.update({r.id: r for r in view.reports})
        extra = _campaign(view.id, view.created_at, view.updated_at, view.reports,
                          view.score.formula)
    exported = export_bundle(uow, actor, now, reports.values())
    objects = exported["objects"]
    assert isinstance(objects, list)
    objects += extra
    return exported


def _campaign(
    campaign_id: str, created: datetime, updated: datetime, members: list[Report], formula: str
) -> list[dict[str, object]]:
    """The campaign as the reader sees it, marked as its most restricted readable member."""
    observed = [r.content.observed_at for r in members]
    return campaign_objects(
        campaign_id=campaign_id,
        name=f"Campaign {campaign_id[:8]}",
        description=f"{len(members)} correlated reports. Score: {formula}",
        first_seen=min(observed, default=None),
        last_seen=max(observed, default=None),
        created=created,
        modified=updated,
        member_report_ids=[r.id for r in members],
        tlp=max((r.content.tlp for r in members), key=lambda t: t.rank, default=Tlp.GREEN),
    )


def _check(
    obj: object, default_tlp: Tlp, allowed: frozenset[Tlp] | None, validate: Validator | None
) -> tuple[dict[str, object], Tlp, Kept] | ObjectFailure:
    if not isinstance(obj, dict):
        return ObjectFailure("", None, "not a JSON object")
    stix_id, version = str(obj.get("id", "")), _version_text(obj)
    found = problems(obj)
    if not found and validate is not None:
        found = validate(obj)
    if found:
        return ObjectFailure(stix_id, version, "; ".join(found))
    tlp = tlp_of(obj) or default_tlp
    if allowed is not None and tlp not in allowed:
        levels = ", ".join(f"TLP:{t.value}" for t in sorted(allowed, key=lambda t: t.rank))
        return ObjectFailure(stix_id, version, f"marked TLP:{tlp.value}; this collection holds "
                             f"{levels} only")
    kept = classify(obj)
    if not isinstance(kept, Kept):
        return ObjectFailure(stix_id, version, kept.reason)
    return obj, tlp, kept


def _receive(
    uow: UnitOfWork,
    actor: Actor,
    incident: dict[str, object],
    tlp: Tlp,
    recipient_orgs: frozenset[str],
    now: datetime,
    result: ImportResult,
) -> set[str]:
    """Create or update the local report; the ids it materialises are not stored twice."""
    from ballotguard.services.reports import receive_report

    version = _version_text(incident)
    try:
        imported: ImportedReport = report_from_incident(incident, tlp)
        outcome = receive_report(uow, actor, imported, recipient_orgs, now)
    except BallotguardError as exc:
        result.failures.append(ObjectFailure(str(incident["id"]), version, str(exc)))
        return set()
    report, change = outcome
    if change == "created":
        result.reports_created.append(report.id)
    elif change == "updated":
        result.reports_updated.append(report.id)
    result.successes.append((str(incident["id"]), version or ""))
    names = uow.techniques.names(report.content.techniques)
    return {str(o["id"]) for o in report_objects(report, _orgs_of(uow, report), names)}


def _imported_audience(actor: Actor, tlp: Tlp, recipient_orgs: frozenset[str]) -> Audience:
    assert actor.person is not None
    return Audience(tlp, actor.person.org_id, actor.person.id, recipient_orgs, frozenset())


def _orgs_of(uow: UnitOfWork, report: Report) -> dict[str, Organisation]:
    wanted = {report.org_id} | {t.organisation_id for t in report.content.targets
                                if t.organisation_id}
    found: dict[str, Organisation] = {}
    for org_id in sorted(wanted):
        try:
            found[org_id] = uow.orgs.get(org_id)
        except BallotguardError:
            continue
    return found


def _publication_rows() -> list[StoredObject]:
    everyone = Audience(Tlp.CLEAR, "", "", frozenset(), frozenset())
    return [_stored(o, everyone, PUBLICATION_SOURCE) for o in published_objects()]


def _stored(obj: dict[str, object], audience: Audience, source: str) -> StoredObject:
    return StoredObject(
        stix_id=str(obj["id"]),
        type=str(obj["type"]),
        spec_version=str(obj.get("spec_version", "2.1")),
        version=_version_text(obj) or "",
        body=to_json(obj),
        audience=audience,
        source=source,
    )


def _version_text(obj: dict[str, object]) -> str | None:
    value = obj.get("modified") or obj.get("created")
    return str(value) if value else None


def _summary(result: ImportResult) -> dict[str, object]:
    return {
        "stored": len(result.successes),
        "failed": len(result.failures),
        "reports_created": result.reports_created[:100],
        "reports_updated": result.reports_updated[:100],
    }
