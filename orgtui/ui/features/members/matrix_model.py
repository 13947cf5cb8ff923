"""What the access matrix shows: `build_model` turns a snapshot and a `MatrixFilter` (plain
words for name/email, `project:<text>`, `role:<owner|member|reader|none>`) into a
`MatrixModel` of members by projects."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orgtui.api.models import User
    from orgtui.core.snapshot import OrgSnapshot, ProjectView

__all__ = ["MatrixFilter", "MatrixModel", "build_model"]


@dataclass(frozen=True)
class MatrixFilter:
    words: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> MatrixFilter:
        words, projects, roles = [], [], []
        for token in text.casefold().split():
            key, sep, value = token.partition(":")
            if sep and key in ("project", "p") and value:
                projects.append(value)
            elif sep and key in ("role", "r") and value:
                roles.append(value)
            else:
                words.append(token)
        return cls(tuple(words), tuple(projects), tuple(roles))


@dataclass
class MatrixModel:
    users: list[User] = field(default_factory=list)
    projects: list[ProjectView] = field(default_factory=list)
    roles: dict[str, dict[str, str] | None] = field(default_factory=dict)  # None = not fetched
    total_users: int = 0
    total_projects: int = 0
    # pid -> uid -> [(role, group name)]: access that comes through groups (RBAC)
    via: dict[str, dict[str, list[tuple[str, str]]]] = field(default_factory=dict)

    def role(self, uid: str, pid: str) -> str | None:
        """The project role, "" when not a member, None when not fetched yet."""
        members = self.roles.get(pid)
        return None if members is None else members.get(uid, "")

    def via_groups(self, uid: str, pid: str) -> list[tuple[str, str]]:
        """(role, group name) of each group that gives `uid` access to `pid`."""
        return self.via.get(pid, {}).get(uid, [])


def build_model(snapshot: OrgSnapshot, flt: MatrixFilter) -> MatrixModel:
    views = list(snapshot.projects.values())
    views = [v for v in views if not v.archived] + [v for v in views if v.archived]
    roles = {
        v.id: None if (members := v.get("users")) is None else {u.id: u.role for u in members}
        for v in views
    }
    if flt.projects:
        views = [
            v
            for v in views
            if any(
                p in (v.project.name or "").casefold() or p in v.id.casefold() for p in flt.projects
            )
        ]
    users = sorted(
        (u for u in snapshot.users or () if not u.is_service_account),
        key=lambda u: (u.name or u.email or u.id).casefold(),
    )
    total = len(users)
    if flt.words:
        users = [
            u
            for u in users
            if all(w in f"{u.name or ''} {u.email or ''}".casefold() for w in flt.words)
        ]
    if flt.roles:

        def held(u: User) -> set[str]:
            cells = {(roles[v.id] or {}).get(u.id, "") for v in views}
            return {r or "none" for r in cells} | {u.role or ""}

        users = [u for u in users if held(u) & set(flt.roles)]
    return MatrixModel(users, views, roles, total, len(snapshot.projects))
