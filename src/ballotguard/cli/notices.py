"""``ballotguard notices``: public notices (briefings, drafts, checks, publication) and voting information.

The panel's seat holders draft a notice on a decision to issue one, record that the required
parties were informed, and run the plain-language and neutrality checks; the chair publishes.
docs/notices.md walks through a notice from decision to portal.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ballotguard.bootstrap import Ballotguard
from ballotguard.cli.common import JSON_OPTION, acting, console, instance, print_json, print_table
from ballotguard.errors import InvalidInput
from ballotguard.panel.briefings import Party
from ballotguard.panel.languages import parse_languages
from ballotguard.panel.notices import content_from_dict, content_to_dict
from ballotguard.services import notices as service
from ballotguard.services.actors import OPERATOR, Actor

app = typer.Typer(help=__doc__, no_args_is_help=True)
voting_app = typer.Typer(help="Official voting information pages shown on the public portal "
                              "(Markdown, versioned).", no_args_is_help=True)
app.add_typer(voting_app, name="voting-info")

AS = Annotated[str, typer.Option("--as", help="E-mail of the person acting (a seat holder; the "
                                              "chair to publish).")]
NOTICE = Annotated[str, typer.Argument(help="The notice's id.")]


def _org_id(bg: Ballotguard, value: str) -> str:
    """An organisation by id or by exact name."""
    with bg.uow() as uow:
        orgs = uow.orgs.list()
    for org in orgs:
        if value in (org.id, org.name):
            return org.id
    raise InvalidInput("organisation", f"no organisation with id or name '{value}'")


def _langs(bg: Ballotguard) -> tuple[str, ...]:
    return parse_languages(bg.settings.portal_languages)


@app.command("parties")
def parties(
    head_of_government: Annotated[str | None, typer.Option(
        "--head-of-government", help="The head of government's office (organisation id or "
        "name, sector government).")] = None,
    election_authority: Annotated[str | None, typer.Option(
        "--election-authority", help="The election authority (organisation id or name, sector "
        "election_authority).")] = None,
) -> None:
    """Say who must be informed before a public notice (every registered party is, always)."""
    with instance() as bg:
        hog = _org_id(bg, head_of_government) if head_of_government else None
        ea = _org_id(bg, election_authority) if election_authority else None
        with bg.uow() as uow:
            config = service.configure_parties(uow, OPERATOR, hog, ea, bg.clock())
            required = service.required_parties(uow)
            names = {o.id: o.name for o in uow.orgs.list()}
        console.print(f"Head of government's office: {names.get(config.head_of_government or '', '-')}")
        console.print(f"Election authority: {names.get(config.election_authority or '', '-')}")
        console.print("Registered parties: "
                      + (", ".join(names[o] for o in required.political_parties) or "none"))


@app.command("start")
def start(
    decision: Annotated[str, typer.Argument(help="The panel decision's id.")],
    as_: AS,
    target_org: Annotated[str | None, typer.Option(
        "--target-org", help="For a targeted notice: the organisation that receives it.")] = None,
) -> None:
    """Start a draft notice on a decision to issue one."""
    with instance() as bg:
        actor = acting(bg, as_)
        target = _org_id(bg, target_org) if target_org else None
        with bg.uow() as uow:
            notice = service.start_notice(uow, actor, decision, target, bg.clock())
        console.print(notice.id)


@app.command("draft")
def draft(
    notice: NOTICE,
    file: Annotated[Path, typer.Option("--file", help="The content as JSON (as `notices show "
                                                      "--json` prints under draft).")],
    as_: AS,
) -> None:
    """Replace a notice's draft with the content in a JSON file."""
    with instance() as bg:
        actor = acting(bg, as_)
        try:
            data = json.loads(file.read_text())
            content = content_from_dict(data)
        except (OSError, ValueError, KeyError, AssertionError) as exc:
            raise InvalidInput("file", f"not a notice content JSON file: {exc}") from None
        with bg.uow() as uow:
            service.save_draft(uow, actor, notice, content, bg.clock())
        console.print("draft saved")


@app.command("check")
def check(notice: NOTICE, as_: AS, as_json: bool = JSON_OPTION) -> None:
    """Run the plain-language and neutrality checks on the draft, in every language."""
    with instance() as bg:
        actor = acting(bg, as_)
        with bg.uow() as uow:
            report = service.check_notice(uow, actor, notice, _langs(bg))
        if as_json:
            print_json({"blocking": list(report.blocking), "missing": list(report.missing),
                        "readability": dict(report.readability), "flags": list(report.flags)})
            return
        print_table("Readability", ["language", "grade", "words", "sentences", "formula"],
                    [[lang, r.grade, r.words, r.sentences, r.formula]
                     for lang, r in report.readability.items()])
        print_table("Flags", ["language", "field", "kind", "words", "detail"],
                    [[f.language, f.field, f.kind, f.excerpt, f.detail] for f in report.flags])
        for problem in report.blocking:
            console.print(f"[red]blocks publication:[/red] {problem}")


@app.command("brief")
def brief(
    decision: Annotated[str, typer.Argument(help="The panel decision's id.")],
    party: Annotated[Party, typer.Option("--party", help="Who was informed.")],
    text: Annotated[str, typer.Option("--text", help="What they were told.")],
    as_: AS,
) -> None:
    """Record that a required party was informed (political_parties: all parties at once)."""
    with instance() as bg:
        actor = acting(bg, as_)
        with bg.uow() as uow:
            briefing = service.brief(uow, actor, decision, party, text, None, bg.clock())
            missing = service.briefing_status(uow, actor, decision).missing
        console.print(f"briefing {briefing.id} recorded ({len(briefing.org_ids)} organisation(s))")
        for line in missing:
            console.print(f"still to do: {line}")


@app.command("publish")
def publish(
    notice: NOTICE,
    as_: AS,
    acknowledge_flags: Annotated[bool, typer.Option(
        "--acknowledge-flags", help="The publisher reviewed every flag of the checks.")] = False,
    reason: Annotated[str, typer.Option(
        "--reason", help="Why a correction was needed (required from version 2).")] = "",
) -> None:
    """Publish the draft as the next version (the chair)."""
    with instance() as bg:
        actor = acting(bg, as_)
        with bg.uow() as uow:
            version = service.publish(uow, actor, notice, _langs(bg), acknowledge_flags,
                                      bg.clock(), reason)
        console.print(f"published version {version.number}")


@app.command("list")
def list_notices(as_: AS, as_json: bool = JSON_OPTION) -> None:
    """The notices the person may read."""
    with instance() as bg:
        actor = acting(bg, as_)
        with bg.uow() as uow:
            views = service.list_notices(uow, actor)
        rows = [{"id": v.notice.id, "decision": v.notice.decision_id,
                 "audience": v.notice.audience, "state": v.notice.state,
                 "version": v.notice.version, "updated_at": v.notice.updated_at} for v in views]
        if as_json:
            print_json(rows)
        else:
            print_table("Notices", list(rows[0]) if rows else ["id"],
                        [list(r.values()) for r in rows])


@app.command("show")
def show(notice: NOTICE, as_: AS, as_json: bool = JSON_OPTION) -> None:
    """One notice: its draft (seat holders) and every published version."""
    with instance() as bg:
        actor = acting(bg, as_)
        with bg.uow() as uow:
            view = service.get_notice(uow, actor, notice)
        data = _view(actor, view)
        if as_json:
            print_json(data)
        else:
            console.print_json(json.dumps(data, default=str, ensure_ascii=False))


def _view(actor: Actor, view: service.NoticeView) -> dict[str, object]:
    n = view.notice
    return {
        "id": n.id, "decision_id": n.decision_id, "audience": n.audience.value,
        "target_org_id": n.target_org_id, "state": n.state.value, "version": n.version,
        "draft": content_to_dict(n.draft),
        "versions": [{"number": v.number, "published_at": v.published_at.isoformat(),
                      "reason": v.reason, "content": content_to_dict(v.content)}
                     for v in view.versions],
    }


@voting_app.command("set")
def voting_set(
    slug: Annotated[str, typer.Argument(help="The page's address, e.g. where-to-vote.")],
    lang: Annotated[str, typer.Argument(help="Its language (a portal language).")],
    title: Annotated[str, typer.Option("--title", help="The page title.")],
    file: Annotated[Path, typer.Option("--file", help="The text, Markdown (HTML is not "
                                                      "rendered).")],
    reason: Annotated[str, typer.Option("--reason", help="What changed (required for a new "
                                                         "version).")] = "",
    as_: Annotated[str | None, typer.Option("--as", help="E-mail of an election official; "
                                                         "the console operator if left out.")] = None,
) -> None:
    """Save a new version of a voting information page."""
    with instance() as bg:
        actor = acting(bg, as_) if as_ else OPERATOR
        with bg.uow() as uow:
            page = service.save_voting_page(uow, actor, slug, lang, title, file.read_text(),
                                            reason, _langs(bg), bg.clock())
        console.print(f"{page.slug} ({page.lang}) version {page.version}")


@voting_app.command("list")
def voting_list(as_json: bool = JSON_OPTION) -> None:
    """The newest version of every voting information page."""
    with instance() as bg:
        with bg.uow() as uow:
            pages = service.voting_pages(uow)
        rows = [[p.slug, p.lang, p.version, p.title, p.edited_at] for p in pages]
        if as_json:
            print_json([{"slug": p.slug, "lang": p.lang, "version": p.version, "title": p.title,
                         "edited_at": p.edited_at} for p in pages])
        else:
            print_table("Voting information", ["slug", "lang", "version", "title", "updated"],
                        rows)
