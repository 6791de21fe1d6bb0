"""Who is acting: a person with their organisation and roles, or the operator at the console."""

from __future__ import annotations

from dataclasses import dataclass

from ballotguard.errors import PermissionDenied
from ballotguard.sharing import PUBLIC, Permission, Person, Reader


@dataclass(frozen=True, slots=True)
class Actor:
    """A signed-in person, or the operator running the CLI on the server (``person`` is None)."""

    person: Person | None
    label: str

    @property
    def reader(self) -> Reader:
        if self.person is None:
            return PUBLIC
        return Reader(self.person.id, self.person.org_id, self.person.is_federation_peer)

    @property
    def id(self) -> str:
        return self.person.id if self.person else self.label

    def require(self, permission: Permission) -> None:
        if self.person is None:
            if self.label == OPERATOR.label:
                return
            raise PermissionDenied(permission.value, "a signed-in person")
        if not self.person.may(permission):
            raise PermissionDenied(permission.value, f"a role with '{permission.value}'")


def person_actor(person: Person) -> Actor:
    return Actor(person, person.email)


OPERATOR = Actor(None, "operator@console")
ANONYMOUS = Actor(None, "public")
