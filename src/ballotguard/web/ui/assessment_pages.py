"""Definition pages (public: they are the published method), their adoption, and the assessment
form's submission from the report page.

/definitions lists the shipped and adopted definitions; /definitions/{id} shows the citation,
the criteria with their questions, the rule in plain words and the case-library run;
/definitions/diff shows the cases whose verdict flips between two definitions and why.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ballotguard.assessment import (
    Criterion,
    criterion_info,
    describe_rule,
    parse_definition,
)
from ballotguard.errors import AdoptionRefused, Conflict, InvalidInput
from ballotguard.services import assessments
from ballotguard.services.assessments import SubjectKind
from ballotguard.sharing import Permission
from ballotguard.web.access import PUBLIC, Caller, GuardedRoute, app_of, identify, needs, rule
from ballotguard.web.ui.assessment_form import (
    definition_ids,
    form_to_findings,
    report_page,
    service_error,
    typed_values,
)
from ballotguard.web.ui.pages import render

router = APIRouter(
    route_class=GuardedRoute, include_in_schema=False, default_response_class=HTMLResponse
)
CALLER = Depends(identify)
DOCUMENT_LIMIT = 200_000


# --- definitions -----------------------------------------------------------------------------


def _definitions_page(
    request: Request, caller: Caller, status_code: int = 200, **context: Any
) -> Response:
    with app_of(request).uow() as uow:
        entries = assessments.list_definitions(uow)
    context.setdefault("document", "")
    context.setdefault("signed_reason", "")
    context.setdefault("adopt_error", None)
    context.setdefault("refused_cases", [])
    context.setdefault("trial", None)
    return render(request, caller, "definitions.html", status_code, entries=entries, **context)


@router.get("/definitions")
@rule(PUBLIC)
def definitions(request: Request, caller: Caller = CALLER) -> Response:
    return _definitions_page(request, caller)


@router.post("/definitions")
@rule(needs(Permission.ADOPT_DEFINITION))
async def adopt(request: Request, caller: Caller = CALLER) -> Response:
    """Adopt a definition, or only test it; a refusal is shown with the text kept."""
    form = await request.form()
    document = str(form.get("document") or "")
    signed_reason = str(form.get("signed_reason") or "")
    kept = {"document": document, "signed_reason": signed_reason}
    if not document.strip():
        return _definitions_page(request, caller, 422, adopt_error="paste the definition's YAML",
                                 **kept)
    if len(document) > DOCUMENT_LIMIT:
        return _definitions_page(request, caller, 422, **kept,
                                 adopt_error=f"the document exceeds {DOCUMENT_LIMIT:,} characters")
    bg = app_of(request)
    try:
        if form.get("action") == "test":
            definition = parse_definition(document, "document")
            trial = (definition, assessments.test_definition(definition))
            return _definitions_page(request, caller, 200, trial=trial, **kept)
        with bg.uow() as uow:
            adoption = assessments.adopt_definition(
                uow, caller.actor, document, signed_reason or None, bg.clock()
            )
    except AdoptionRefused as exc:
        return _definitions_page(request, caller, 409, adopt_error=str(exc),
                                 refused_cases=exc.case_ids, **kept)
    except (InvalidInput, Conflict) as exc:
        status_code = 409 if isinstance(exc, Conflict) else 422
        return _definitions_page(request, caller, status_code, adopt_error=str(exc), **kept)
    return RedirectResponse(
        f"/definitions/{adoption.definition_id}?version={adoption.version}", status_code=303
    )


@router.get("/definitions/diff")
@rule(PUBLIC)
def definition_diff(
    request: Request,
    a: str | None = Query(None, max_length=80),
    b: str | None = Query(None, max_length=80),
    caller: Caller = CALLER,
) -> Response:
    with app_of(request).uow() as uow:
        ids = definition_ids(assessments.list_definitions(uow))
        first = assessments.get_definition(uow, a) if a else None
        second = assessments.get_definition(uow, b) if b else None
    flips = (
        assessments.compare_definitions(first, second)
        if first is not None and second is not None else None
    )
    return render(request, caller, "definition_diff.html", ids=ids, a=a or "", b=b or "",
                  first=first, second=second, flips=flips,
                  cases=len(assessments.case_library()))


@router.get("/definitions/{definition_id}")
@rule(PUBLIC)
def definition(
    request: Request, definition_id: str, version: str | None = Query(None, max_length=40),
    caller: Caller = CALLER,
) -> Response:
    with app_of(request).uow() as uow:
        chosen = assessments.get_definition(uow, definition_id, version)
        adoption = uow.definitions.get(chosen.id, chosen.version)
    run = assessments.test_definition(chosen)
    return render(
        request, caller, "definition.html",
        definition=chosen,
        adoption=adoption,
        rule_text=describe_rule(chosen.rule),
        criteria=[criterion_info(c) for c in chosen.criteria],
        run=run,
        as_expected=sum(1 for row in run.rows if row.passed and row.expected is not None),
        with_expectation=sum(1 for row in run.rows if row.expected is not None),
    )


# --- assessing a report ----------------------------------------------------------------------


@router.post("/reports/{report_id}/assessments")
@rule(needs(Permission.ASSESS))
async def assess_report(request: Request, report_id: str, caller: Caller = CALLER) -> Response:
    """Record an assessment, then show it with the same findings under every definition."""
    form = await request.form()
    bg = app_of(request)
    definition_id = str(form.get("definition") or "")
    page = report_page(bg, caller.actor, report_id, definition_id or None)
    criteria: list[Criterion] = list(page["chosen"].criteria)
    findings, errors = form_to_findings(form, criteria)
    reason = str(form.get("reason") or "")
    if not errors:
        try:
            with bg.uow() as uow:
                view = assessments.assess(
                    uow, caller.actor, SubjectKind.REPORT, report_id, page["chosen"].id,
                    findings, bg.clock(), reason,
                )
            return RedirectResponse(
                f"/reports/{report_id}?compare={view.record.id}#side-by-side", status_code=303
            )
        except InvalidInput as exc:
            errors = service_error(exc, findings)
    page.update(typed=typed_values(form), assess_errors=errors)
    return render(request, caller, "report_detail.html", 422, **page)
