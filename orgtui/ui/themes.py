"""The console's three themes: dark (default), light, and the terminal's own ANSI colours.

Colour is never the only carrier of meaning (flags and badges are also words or symbols), so
every theme stays readable at 256 colours and under `NO_COLOR`.
"""

from __future__ import annotations

from textual.theme import BUILTIN_THEMES, Theme

DARK = "orgtui-dark"
LIGHT = "orgtui-light"
ANSI = "ansi-dark"  # Textual's theme built on the terminal palette (ansi_default background)

THEME_BY_SETTING: dict[str, str] = {"dark": DARK, "light": LIGHT, "ansi": ANSI}
CYCLE: tuple[str, ...] = (DARK, LIGHT, ANSI)

ORGTUI_DARK = Theme(
    name=DARK,
    primary="#5FAFFF",
    secondary="#87AFD7",
    accent="#FFAF5F",
    warning="#FFD75F",
    error="#FF5F5F",
    success="#5FD787",
    foreground="#D0D0D0",
    background="#1C1C1C",
    surface="#262626",
    panel="#303030",
    dark=True,
    variables={"footer-key-foreground": "#FFAF5F", "block-cursor-text-style": "bold"},
)

ORGTUI_LIGHT = Theme(
    name=LIGHT,
    primary="#005FAF",
    secondary="#5F87AF",
    accent="#AF5F00",
    warning="#875F00",
    error="#AF0000",
    success="#005F00",
    foreground="#1C1C1C",
    background="#EEEEEE",
    surface="#E4E4E4",
    panel="#D0D0D0",
    dark=False,
    variables={"footer-key-foreground": "#AF5F00", "block-cursor-text-style": "bold"},
)


def custom_themes() -> list[Theme]:
    return [ORGTUI_DARK, ORGTUI_LIGHT]


def theme_for_setting(setting: str | None) -> str:
    """The theme name for a profile's `theme` setting (dark, light or ansi)."""
    name = THEME_BY_SETTING.get(setting or "dark", DARK)
    if name not in (DARK, LIGHT) and name not in BUILTIN_THEMES:
        return DARK
    return name


def next_theme(current: str) -> str:
    try:
        return CYCLE[(CYCLE.index(current) + 1) % len(CYCLE)]
    except ValueError:
        return CYCLE[0]
