"""The demo's notices and portal: the required parties configured (the Office of the Prime
Minister's secretariat and the Veldra Electoral Commission), and the Commission's official voting
information in English and French, written by its communications director (demo person
``vec_official``, Lucia Brandvold, role election_official) when present, else by the operator."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from ballotguard.ports import UnitOfWork
from ballotguard.services import notices
from ballotguard.services.actors import OPERATOR, person_actor
from ballotguard.sharing import Person

OFFICIAL = "vec_official"
LANGUAGES = ("en", "fr")
PAGES: tuple[tuple[str, str, str, str], ...] = (
    ("where-to-vote", "en", "Where and when to vote",
     "Polling stations are open **from 7 a.m. to 8 p.m.** on polling day.\n\n"
     "- Your voter card shows your polling station.\n"
     "- You can also find it on the Commission's site or by phone: **0800 555 010**.\n"
     "- Early voting runs for the four days before polling day.\n\n"
     "The Commission never sends text messages about polling stations moving."),
    ("where-to-vote", "fr", "Où et quand voter",
     "Les bureaux de vote sont ouverts **de 7 h à 20 h** le jour du scrutin.\n\n"
     "- Votre carte d'électeur indique votre bureau de vote.\n"
     "- Vous pouvez aussi le trouver sur le site de la Commission ou par téléphone : "
     "**0800 555 010**.\n"
     "- Le vote par anticipation a lieu les quatre jours avant le scrutin.\n\n"
     "La Commission n'envoie jamais de texto pour dire qu'un bureau de vote a changé."),
    ("what-to-bring", "en", "What to bring",
     "Bring **one piece of identification** with your name. A voter card helps but is not "
     "required.\n\nIf your name is not on the list, ask for a provisional ballot."),
    ("what-to-bring", "fr", "Quoi apporter",
     "Apportez **une pièce d'identité** à votre nom. La carte d'électeur aide, mais elle "
     "n'est pas obligatoire.\n\nSi votre nom n'est pas sur la liste, demandez un bulletin "
     "provisoire."),
)


def load_notices_demo(
    uow_factory: Callable[[], UnitOfWork], people: dict[str, Person], now: datetime
) -> None:
    """Configure the required parties and publish the voting information pages."""
    with uow_factory() as uow:
        notices.configure_parties(uow, OPERATOR, people["gov_admin"].org_id,
                                  people["vec_admin"].org_id, now)
    official = people.get(OFFICIAL)
    actor = person_actor(official) if official is not None else OPERATOR
    for n, (slug, lang, title, body) in enumerate(PAGES):
        with uow_factory() as uow:
            notices.save_voting_page(uow, actor, slug, lang, title, body, "", LANGUAGES,
                                     now + timedelta(milliseconds=n + 1))
