"""UI handlers of the shell's own actions: quit, help, theme, back, filter, jump, refresh."""

from __future__ import annotations

from typing import TYPE_CHECKING

from orgtui.ui.dispatch import ActionContext, ui_action

if TYPE_CHECKING:
    from orgtui.ui.app import OrgTuiApp
    from orgtui.ui.features.shell.main_screen import MainScreen


def _main(app: OrgTuiApp) -> MainScreen | None:
    from orgtui.ui.features.shell.main_screen import MainScreen

    screen = app.screen
    return screen if isinstance(screen, MainScreen) else None


@ui_action("app.quit")
async def quit_app(app: OrgTuiApp, ctx: ActionContext) -> None:
    app.exit(0)


@ui_action("app.help")
async def show_help(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.shell.help_screen import HelpScreen

    await app.push_screen(HelpScreen(app))


@ui_action("app.theme")
async def next_theme(app: OrgTuiApp, ctx: ActionContext) -> None:
    name = app.cycle_theme()
    app.notify(f"Theme: {name}", timeout=2)


@ui_action("nav.back")
async def go_back(app: OrgTuiApp, ctx: ActionContext) -> None:
    main = _main(app)
    if main is not None:
        main.go_back()
    elif len(app.screen_stack) > 2:  # a feature screen over the main screen
        app.pop_screen()


@ui_action("nav.filter")
async def open_filter(app: OrgTuiApp, ctx: ActionContext) -> None:
    screen = app.screen
    opener = getattr(screen, "open_filter", None)
    if callable(opener):
        opener()


@ui_action("nav.jump")
async def jump(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.shell.jump_screen import JumpScreen

    screen = JumpScreen(app.sessions)
    choice = await app.push_screen_wait(screen)
    if choice is None:
        return
    profile, kind, object_id, project_id = choice
    if kind == "project":
        app.main_screen_goto(profile, object_id)
        return
    from orgtui.ui.features.shell.reveal import reveal_object

    if not await reveal_object(app, profile, kind, object_id, project_id):
        app.notify("That is no longer in the organisation", severity="warning", markup=False)
        return
    if screen.pasted is not None:  # a leaked key: say how to contain it, and offer to
        from orgtui.ui.features.leaks.actions import offer_containment

        await offer_containment(app, profile, kind, object_id, project_id, screen.pasted)


@ui_action("sync.refresh")
async def refresh(app: OrgTuiApp, ctx: ActionContext) -> None:
    refresher = getattr(app.screen, "refresh_focused", None)
    if callable(refresher):
        refresher()
    else:
        app.refresh_all()


@ui_action("sync.refresh_all")
async def refresh_all(app: OrgTuiApp, ctx: ActionContext) -> None:
    app.notify("Refreshing the whole organisation…", timeout=2)
    app.refresh_all()


@ui_action("view.toggle_archived")
async def toggle_archived(app: OrgTuiApp, ctx: ActionContext) -> None:
    main = _main(app)
    if main is None:
        return
    tree = main.tree
    tree.set_show_archived(not tree.show_archived)
    shown = "Showing" if tree.show_archived else "Hiding"
    app.notify(f"{shown} archived projects", timeout=2)
