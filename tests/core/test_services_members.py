"""Organisation members, invites and project members against the sandbox."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from fixtures_services import World, lose_posts_to

from orgtui.core.services import (
    AcceptedInviteError,
    ArchivedProjectError,
    InvalidInput,
    InviteReport,
    LastOwnerError,
)

DOMAIN = "acme-robotics.example"


@pytest.fixture
async def w() -> AsyncIterator[World]:
    world = World()
    yield world
    world.close()


@pytest.fixture
async def empty() -> AsyncIterator[World]:
    world = World(demo=False)
    yield world
    world.close()


def _invite_rows(w: World, email: str) -> list[dict]:
    return w.rows("SELECT * FROM invites WHERE email = ? AND deleted_at IS NULL", (email,))


# ---------------------------------------------------------------- organisation members


async def test_org_role_change_updates_sandbox_and_snapshot(w: World) -> None:
    s = await w.loaded()
    uid = w.uid("Alan")
    result = await s.registry.invoke("org_member.role", s, user_id=uid, role="owner")
    assert result.message == "Alan Turing is now owner"
    assert w.rows("SELECT role FROM users WHERE id = ?", (uid,))[0]["role"] == "owner"
    assert next(u for u in s.snapshot.users if u.id == uid).role == "owner"


async def test_last_owner_cannot_be_demoted_or_removed(empty: World) -> None:
    s = empty.session()  # users not loaded: the guard fetches them
    (owner,) = empty.rows("SELECT id FROM users WHERE role = 'owner'")
    before = empty.state()
    with pytest.raises(LastOwnerError, match="only owner: demoting"):
        await s.registry.invoke("org_member.role", s, user_id=owner["id"], role="reader")
    with pytest.raises(LastOwnerError, match="only owner: removing"):
        await s.registry.invoke("org_member.remove", s, user_id=owner["id"])
    assert empty.state() == before
    assert s.snapshot.users is not None  # fetched for the check, and kept


async def test_remove_member_leaves_org_and_projects(w: World) -> None:
    s = await w.loaded()
    uid = w.uid("Edsger")
    pid = w.pid("search-prod")
    assert any(u.id == uid for u in s.snapshot.project(pid).get("users"))
    await s.registry.invoke("org_member.remove", s, user_id=uid)
    assert w.rows("SELECT deleted_at FROM users WHERE id = ?", (uid,))[0]["deleted_at"]
    assert all(u.id != uid for u in s.snapshot.users)
    assert all(u.id != uid for u in s.snapshot.project(pid).get("users"))


# ---------------------------------------------------------------- invites


async def test_invite_several_with_per_email_outcomes(w: World) -> None:
    s = await w.loaded()
    text = (
        f"new.one@example.com, ada.lovelace@{DOMAIN}\n"
        f"nora.kim@{DOMAIN} NEW.ONE@example.com new.two@example.com"
    )
    report = await s.registry.invoke("invite.create", s, emails=text, role="reader", projects=[])
    assert isinstance(report, InviteReport)
    assert [(o.email, o.status) for o in report.outcomes] == [
        ("new.one@example.com", "sent"),
        (f"ada.lovelace@{DOMAIN}", "already_member"),
        (f"nora.kim@{DOMAIN}", "already_pending"),
        ("new.two@example.com", "sent"),
    ]
    assert report.outcome == "partial" and report.message == "Invited 2 of 4"
    (row,) = _invite_rows(w, "new.one@example.com")
    assert json.loads(row["projects"]) == []
    assert {i.email for i in s.snapshot.invites} >= {"new.one@example.com", "new.two@example.com"}


async def test_invite_project_grants(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("search-dev")
    await s.registry.invoke(
        "invite.create",
        s,
        emails=["grant@example.com"],
        role="owner",
        projects=[{"id": pid, "role": "owner"}],
    )
    (row,) = _invite_rows(w, "grant@example.com")
    assert row["role"] == "owner" and json.loads(row["projects"]) == [{"id": pid, "role": "owner"}]
    await s.registry.invoke("invite.create", s, emails="default@example.com", projects=None)
    (row,) = _invite_rows(w, "default@example.com")
    assert json.loads(row["projects"]) == [{"id": w.pid("Default project"), "role": "member"}]


@pytest.mark.parametrize(
    ("emails", "message"),
    [
        ("not-an-email", "Email needs exactly one @: 'not-an-email'"),
        ("ok@example.com, bad@nodot", "Email domain has no dot: 'bad@nodot'"),
        ("  ,  ", "No email address given"),
        ([], "No email address given"),
    ],
)
async def test_invite_malformed_emails(w: World, emails: object, message: str) -> None:
    s = await w.loaded()
    before = w.state()
    with pytest.raises(InvalidInput) as info:
        await s.registry.invoke("invite.create", s, emails=emails)
    assert str(info.value) == message
    assert w.state() == before


async def test_invite_grant_to_archived_project_refused(w: World) -> None:
    s = await w.loaded()
    before = w.state()
    with pytest.raises(ArchivedProjectError, match="experiment-2025 is archived"):
        await s.registry.invoke(
            "invite.create",
            s,
            emails="x@example.com",
            projects=[{"id": w.pid("experiment-2025"), "role": "member"}],
        )
    assert w.state() == before


async def test_lost_invite_is_confirmed_by_reading_back(w: World) -> None:
    s = await w.loaded()
    w.transport.lose = lose_posts_to("/invites")
    report = await s.registry.invoke("invite.create", s, emails="lost@example.com")
    (outcome,) = report.outcomes
    assert outcome.status == "sent" and "confirmed by reading back" in outcome.message
    assert len(_invite_rows(w, "lost@example.com")) == 1
    assert w.transport.count("POST", "/invites") == 1


async def test_invite_api_error_is_reported_per_email(w: World) -> None:
    s = await w.loaded()
    # A member the snapshot does not know yet: the API refuses, the others still go out.
    w.sb.store.add_user("fresh@example.com")
    report = await s.registry.invoke(
        "invite.create", s, emails="fresh@example.com other@example.com"
    )
    first, second = report.outcomes
    assert first.status == "error" and "already a member" in first.message
    assert second.status == "sent"


async def test_invite_delete_pending_and_accepted(w: World) -> None:
    s = await w.loaded()
    pending = next(i for i in s.snapshot.invites if i.email == f"nora.kim@{DOMAIN}")
    await s.registry.invoke("invite.delete", s, invite_id=pending.id)
    assert not _invite_rows(w, f"nora.kim@{DOMAIN}")
    assert all(i.id != pending.id for i in s.snapshot.invites)
    accepted = next(i for i in s.snapshot.invites if i.status == "accepted")
    with pytest.raises(AcceptedInviteError, match="cannot be deleted"):
        await s.registry.invoke("invite.delete", s, invite_id=accepted.id)
    assert _invite_rows(w, accepted.email)


async def test_invite_role_sends_again_with_the_same_grants(w: World) -> None:
    s = await w.loaded()
    grants = [{"id": w.pid("data-pipeline"), "role": "owner"}]
    await s.registry.invoke("invite.create", s, emails="temp@example.com", projects=grants)
    old = next(i for i in s.snapshot.invites if i.email == "temp@example.com")
    done = await s.registry.invoke("invite.role", s, invite_id=old.id, role="owner")
    assert "again, as owner" in done.message
    new = [i for i in s.snapshot.invites if i.email == "temp@example.com"]
    assert [(i.role, i.status) for i in new] == [("owner", "pending")]
    assert new[0].id != old.id
    assert [(p.id, p.role) for p in new[0].projects] == [(w.pid("data-pipeline"), "owner")]
    rows = _invite_rows(w, "temp@example.com")
    assert len(rows) == 1
    accepted = next(i for i in s.snapshot.invites if i.status == "accepted")
    with pytest.raises(AcceptedInviteError, match="change the member's role instead"):
        await s.registry.invoke("invite.role", s, invite_id=accepted.id, role="reader")


# ---------------------------------------------------------------- project members


async def test_add_project_member_by_email(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("data-pipeline")
    result = await s.registry.invoke(
        "project_member.add", s, project_id=pid, email=f"Alan.Turing@{DOMAIN}", role="member"
    )
    assert result.outcome == "done"
    uid = w.uid("Alan")
    assert w.rows(
        "SELECT role FROM project_users WHERE project_id = ? AND user_id = ?", (pid, uid)
    ) == [{"role": "member"}]
    assert any(u.id == uid for u in s.snapshot.project(pid).get("users"))
    again = await s.registry.invoke(
        "project_member.add", s, project_id=pid, user_id=uid, role="member"
    )
    assert again.outcome == "already_member"


async def test_add_non_member_suggests_an_invite(w: World) -> None:
    s = await w.loaded()
    before = w.state()
    result = await s.registry.invoke(
        "project_member.add", s, project_id=w.pid("data-pipeline"), email="stranger@example.com"
    )
    assert result.outcome == "not_a_member" and result.suggested_action == "invite.create"
    assert "invite them first" in result.message
    assert w.state() == before


async def test_project_role_and_remove(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("search-prod")
    uid = w.uid("Alan")
    await s.registry.invoke("project_member.role", s, project_id=pid, user_id=uid, role="owner")
    assert next(u for u in s.snapshot.project(pid).get("users") if u.id == uid).role == "owner"
    await s.registry.invoke("project_member.remove", s, project_id=pid, user_id=uid)
    assert not w.rows(
        "SELECT * FROM project_users WHERE project_id = ? AND user_id = ?", (pid, uid)
    )
    assert all(u.id != uid for u in s.snapshot.project(pid).get("users"))


async def test_archived_project_members_cannot_change(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("experiment-2025")
    uid = w.uid("Hedy")
    before = w.state()
    for action, extra in (
        ("project_member.remove", {}),
        ("project_member.role", {"role": "owner"}),
        ("matrix.change", {"role": "owner"}),
        ("matrix.remove", {}),
    ):
        with pytest.raises(ArchivedProjectError, match="archived"):
            await s.registry.invoke(action, s, project_id=pid, user_id=uid, **extra)
    with pytest.raises(ArchivedProjectError):
        await s.registry.invoke("project_member.add", s, project_id=pid, user_id=w.uid("Alan"))
    assert w.state() == before


async def test_matrix_change_adds_or_updates_and_remove(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("support-bot-dev")
    uid = w.uid("Ken")
    added = await s.registry.invoke("matrix.change", s, project_id=pid, user_id=uid, role="member")
    assert added.outcome == "done" and "Added" in added.message
    changed = await s.registry.invoke("matrix.change", s, project_id=pid, user_id=uid, role="owner")
    assert "is now owner" in changed.message
    same = await s.registry.invoke("matrix.change", s, project_id=pid, user_id=uid, role="owner")
    assert same.outcome == "unchanged"
    await s.registry.invoke("matrix.remove", s, project_id=pid, user_id=uid)
    assert all(u.id != uid for u in s.snapshot.project(pid).get("users"))
    assert not w.rows(
        "SELECT * FROM project_users WHERE project_id = ? AND user_id = ?", (pid, uid)
    )
