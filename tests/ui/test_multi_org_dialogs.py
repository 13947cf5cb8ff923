"""Several organisations open: every dialog that can change an organisation names it.

Each dialog is opened on the second organisation (staging) the way the console opens it, and
its org line must say "in Staging Org · staging"; with one organisation open there is none.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from conftest import plain, settle
from test_multi_org import STAGING, two_orgs

from orgtui.core import actions as A
from orgtui.ui.dispatch import ActionContext
from orgtui.ui.widgets.org_line import OrgLine
from tests.pilot_support import wait_for_screen

LINE = f"in {STAGING} · staging"


async def _org_line(pilot: Any, kind: type, *, close: bool = True) -> str:
    """The org line of the `kind` dialog now opening ("" when hidden); escape closes it."""
    dialog = await wait_for_screen(pilot, kind)
    line = dialog.query_one(OrgLine)
    text = plain(line).strip() if line.display else ""
    if close:
        await pilot.press("escape")
        await settle(pilot)
    return text


async def _opened(pilot: Any, action: str, ctx: ActionContext, kind: type) -> str:
    pilot.app.start_action(action, ctx)
    return await _org_line(pilot, kind)


def _staging_key(staging: Any) -> tuple[str, Any]:
    for view in staging.snapshot.projects.values():
        for key in view.get("api_keys") or ():
            if key.owner.service_account is not None:
                return view.id, key
    raise AssertionError("the staging sandbox has no service-account key")


async def test_member_role_and_pickers_name_the_org() -> None:
    from orgtui.core.access import load_access
    from orgtui.ui.features.access.forms import ChoicePicker, MemberPicker
    from orgtui.ui.features.members.org_members import RoleScreen
    from orgtui.ui.features.members.project_members import AddMemberScreen

    app = two_orgs()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        staging = app.sessions[1]
        user = next(u for u in staging.snapshot.users or () if u.role != "owner")
        ctx = ActionContext(scope=A.ORG_MEMBER, item=user, session=staging)
        assert await _opened(pilot, "org_member.role", ctx, RoleScreen) == LINE
        pid = next(iter(staging.snapshot.projects))
        ctx = ActionContext(scope=A.PROJECT_MEMBER, project_id=pid, session=staging)
        assert await _opened(pilot, "project_member.add", ctx, AddMemberScreen) == LINE
        group = next(iter((await load_access(staging.client, [])).groups.values()))
        ctx = ActionContext(scope=A.GROUP, item=group, session=staging)
        assert await _opened(pilot, "group.add_member", ctx, MemberPicker) == LINE
        assert await _opened(pilot, "group.grant_role", ctx, ChoicePicker) == LINE
        # The first organisation's dialogs name it, not staging.
        demo = app.sessions[0]
        user = next(u for u in demo.snapshot.users or () if u.role != "owner")
        ctx = ActionContext(scope=A.ORG_MEMBER, item=user, session=demo)
        assert (await _opened(pilot, "org_member.role", ctx, RoleScreen)).startswith("in Acme")
        assert app.acting_session is None  # nothing names an org once the action is over


async def test_rotation_security_and_onboarding_name_the_org() -> None:
    from orgtui.ui.features.keys.rotate import RotationWizard
    from orgtui.ui.features.onboard.screens import OnboardForm, OnboardPlanScreen
    from orgtui.ui.features.security.dialogs import RetentionScreen, UploadCertificateScreen
    from orgtui.ui.widgets.form import LabelledInput

    app = two_orgs()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        staging = app.sessions[1]
        pid, key = _staging_key(staging)
        ctx = ActionContext(scope=A.KEY, project_id=pid, item=key, session=staging)
        assert await _opened(pilot, "key.rotate", ctx, RotationWizard) == LINE
        ctx = ActionContext(scope=A.CERTIFICATE, session=staging)
        assert await _opened(pilot, "certificate.upload", ctx, UploadCertificateScreen) == LINE
        ctx = ActionContext(scope=A.SECURITY, session=staging)
        assert await _opened(pilot, "security.org_retention", ctx, RetentionScreen) == LINE
        app.start_action("service.onboard", ActionContext(scope=A.TREE, session=staging))
        form = await wait_for_screen(pilot, OnboardForm)
        fields = {"app": "ledger", "spend": "dev=10, prod=250", "services": "api"}
        for field_id, text in fields.items():
            form.query_one(f"#{field_id}", LabelledInput).input.value = text
        form.query_one("#submit").press()
        assert await _org_line(pilot, OnboardPlanScreen) == LINE
    assert "ledger-dev" not in {v.project.name for v in staging.snapshot.projects.values()}


async def test_flows_outside_the_registry_name_the_org() -> None:
    """Stopping spend from the incident view and resuming a rotation left over at start-up
    change an organisation without going through an action of the registry."""
    from orgtui.core.services.rotation_journal import Rotation, RotationJournal
    from orgtui.ui.features.incident.actions import contain
    from orgtui.ui.features.keys.actions import resume_rotations
    from orgtui.ui.features.keys.rotate import ResumeRotationsScreen, RotationWizard
    from orgtui.ui.widgets.confirm import ConfirmScreen

    app = two_orgs()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        staging = app.sessions[1]
        pid, key = _staging_key(staging)
        row = SimpleNamespace(project_id=pid, scope="project", id=pid)
        app.run_worker(contain(app, staging, row, "stop"), group="incident-action")  # type: ignore[arg-type]
        assert await _org_line(pilot, ConfirmScreen) == LINE
        now = app.clock.now()
        account = key.owner.service_account
        rotation = Rotation.new(
            profile="staging",
            kind="service_account",
            project_id=pid,
            project_name=None,
            old_key_id=key.id,
            old_key_name=key.name,
            old_service_account_id=account.id,
            old_service_account_name=account.name,
            new_name=account.name,
            role=account.role,
            step="minting",
            started_at=now,
            updated_at=now,
        )
        RotationJournal("staging").put(rotation)
        assert resume_rotations(app) is not None
        offer = await wait_for_screen(pilot, ResumeRotationsScreen)
        prompt = str(offer.query_one("OptionList").get_option_at_index(0).prompt)
        assert prompt.startswith(f"{STAGING} · ")
        await pilot.press("enter")
        assert await _org_line(pilot, RotationWizard, close=False) == LINE


async def test_one_org_dialogs_have_no_org_line(make_app: Any) -> None:
    from orgtui.ui.features.members.org_members import RoleScreen
    from orgtui.ui.features.security.dialogs import UploadCertificateScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        user = next(u for u in app.session.snapshot.users or () if u.role != "owner")
        ctx = ActionContext(scope=A.ORG_MEMBER, item=user, session=app.session)
        assert await _opened(pilot, "org_member.role", ctx, RoleScreen) == ""
        ctx = ActionContext(scope=A.CERTIFICATE, session=app.session)
        assert await _opened(pilot, "certificate.upload", ctx, UploadCertificateScreen) == ""
