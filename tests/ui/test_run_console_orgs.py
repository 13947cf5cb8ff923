"""Start-up with several organisations (issue #24): an org with no admin key, a revoked key
(401) or no server never stops the console from starting, nor the others from loading."""

from __future__ import annotations

from typing import Any

from conftest import make_connection, settle
from snapshot_scenes import FROZEN_NOW, new_sandbox

from orgtui.config import Profile
from orgtui.connect import Connection, unavailable
from orgtui.core.clock import FrozenClock
from orgtui.sandbox import create_app
from orgtui.ui.widgets.org_tree import NodeRef, OrgTree


def offline_connection() -> Connection:
    from orgtui.api.client import AdminClient
    from orgtui.api.lazy_client import LazyClient

    profile = Profile(name="offline", base_url="http://127.0.0.1:9/v1")
    client: Any = LazyClient(
        lambda: AdminClient(profile.base_url, "sk-admin-FAKE-test-key-0000", max_retries=0)
    )
    return Connection(profile=profile, client=client)


async def test_failing_orgs_never_stop_the_others(tmp_path: Any) -> None:
    from orgtui.ui.app import OrgTuiApp

    clock = FrozenClock(FROZEN_NOW)
    good = make_connection(new_sandbox(clock))
    revoked = make_connection(
        create_app(None, seed=2, clock=clock, admin_key="sk-admin-sandbox-FAKE-other-0000"),
        profile=Profile(name="revoked", base_url="http://sandbox/v1"),
    )
    nokey = unavailable(
        Profile(name="nokey"), "no admin key: KEY_NOKEY is not set", read_only=False, keymap={}
    )
    app = OrgTuiApp([good, nokey, revoked, offline_connection()], clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert app.is_running and app.return_code is None
        roots = [node.data for node in app.screen.query_one(OrgTree).root.children]
        assert roots == [NodeRef(name, "org") for name in ("demo", "nokey", "revoked", "offline")]
        assert len(app.sessions[0].snapshot.projects) == 7  # the working org loaded in full
        for session in app.sessions[1:]:
            assert not session.snapshot.projects  # nothing made up for the failing ones
        budget = nokey.client.budget
        assert budget is None or budget.requests_made == 0  # the key-less org sent nothing
        assert nokey.problem == "no admin key: KEY_NOKEY is not set"
