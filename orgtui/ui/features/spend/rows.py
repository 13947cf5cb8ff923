"""What the spend screen shows, as pure functions of a `SpendSummary`: rows, bars, lines.

Every figure comes from `orgtui.core.spend.summarise` and every amount is formatted by
`orgtui.core.money`, so the screen never computes or rounds money itself. Warnings carry a
symbol or a word as well as a colour ("⚠ none", "ENFORCING", "▲"), so they survive NO_COLOR.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rich.text import Text

from orgtui.core.money import cents_to_dollars, format_cents, format_usd
from orgtui.core.spend import AlertStatus, KeySpend, LimitStatus, OrgSpend, ProjectSpend
from orgtui.core.usage_series import compact
from orgtui.ui.text import safe_text
from orgtui.ui.widgets.vtable import Column, Row

__all__ = [
    "KEY_COLUMNS",
    "ORG_ROW_KEY",
    "PROJECT_COLUMNS",
    "SpendScope",
    "alerts_cell",
    "bar",
    "key_rows",
    "kinds_line",
    "notices",
    "overview",
    "project_rows",
    "short_cents",
]

ORG_ROW_KEY = "__org__"
WARN = "warn"
ERROR = "error"
MUTED = "muted"

PROJECT_COLUMNS = (
    Column("name", "Project", 14, flex=True),
    Column("mtd", "Month", 10, justify="right"),
    Column("limit", "Hard limit", 11, justify="right"),
    Column("used", " Used", 12),
    Column("alerts", "Alerts", 10, priority=1),
    Column("forecast", "Forecast", 10, justify="right", priority=2),
    Column("today", "Today", 9, justify="right", priority=3),
)
KEY_COLUMNS = (
    Column("name", "Top key", 14, flex=True),
    Column("project", "Project", 16, priority=1),
    Column("today", "Today", 10, justify="right"),
    Column("month", "Month", 11, justify="right"),
)


@dataclass(frozen=True)
class SpendScope:
    """A row of the projects table: the organisation (project_id None) or one project."""

    project_id: str | None
    name: str
    figures: OrgSpend | ProjectSpend


def short_cents(cents: int) -> str:
    """Alert thresholds in a narrow column: $20k, $2.5k, $100, $12.50."""
    dollars = cents_to_dollars(cents)
    if dollars >= 1000:
        return "$" + compact(float(dollars))
    if dollars == dollars.to_integral_value():
        return f"${int(dollars)}"
    return format_cents(cents)


def bar(percent: float, width: int = 5, *, eighths: bool = True) -> str:
    """A bar in eighths: `███▍░` (full when at or over 100 %); whole cells when not `eighths`."""
    filled = max(0.0, min(percent, 100.0)) / 100.0 * width
    if not eighths:
        return ("█" * round(filled)).ljust(width, "░")
    full = int(filled)
    partial = "▏▎▍▌▋▊▉"[int((filled - full) * 7)] if full < width and filled > full else ""
    if partial == "▏" and (filled - full) * 8 < 1:
        partial = ""
    return ("█" * full + partial).ljust(width, "░")


def _pct(percent: float) -> str:
    if percent >= 1000:
        return ">999%"
    return f"{percent:.0f}%" if percent >= 10 or percent == 0 else f"{percent:.1f}%"


def limit_cells(figures: OrgSpend | ProjectSpend) -> tuple[Text, Text]:
    """(hard limit, used) cells: each column has its own value, "—" when there is none."""
    if not figures.limit_known:
        return Text("…", style=MUTED), Text(" …", style=MUTED)
    limit: LimitStatus | None = figures.limit
    if limit is None:
        return Text("⚠ none", style=WARN), Text(" —", style=MUTED)
    amount = Text(format_cents(limit.threshold_cents))
    if limit.enforcing:
        return amount, Text(" ENFORCING", style=ERROR)
    style = ERROR if limit.crossed else WARN if limit.percent >= 80 else ""
    return amount, Text(f" {bar(limit.percent, eighths=False)} {_pct(limit.percent)}", style=style)


def alerts_cell(alerts: tuple[AlertStatus, ...], known: bool) -> Text:
    if not known:
        return Text("…", style=MUTED)
    if not alerts:
        return Text("—", style=MUTED)
    crossed = [a for a in alerts if a.crossed]
    if crossed:
        top = max(crossed, key=lambda a: a.threshold_cents)
        text = Text(f"⚠ {short_cents(top.threshold_cents)}", style=WARN)
        rest = len(alerts) - 1
    else:
        text = Text(short_cents(alerts[0].threshold_cents))
        rest = len(alerts) - 1
    if rest:
        text.append(f" +{rest}", style=MUTED)
    return text


def _forecast_cell(figures: OrgSpend | ProjectSpend) -> Text:
    text = Text(format_usd(figures.forecast.forecast_usd))
    if figures.limit is not None and figures.limit.forecast_exceeds:
        text = Text("▲ ", style=WARN) + text
        text.stylize(WARN)
    return text


def _row(key: str, name: Text, figures: OrgSpend | ProjectSpend, style: str = "") -> Row:
    limit, used = limit_cells(figures)
    return Row(
        key,
        (
            name,
            Text(format_usd(figures.month_to_date_usd)),
            limit,
            used,
            alerts_cell(figures.alerts, figures.alerts_known),
            _forecast_cell(figures),
            Text(format_usd(figures.today_usd)),
        ),
        style=style,
    )


def project_rows(org: OrgSpend, projects: Iterable[ProjectSpend]) -> list[Row]:
    """The organisation first, then projects by month-to-date (as `summarise` orders them)."""
    org_row = _row(ORG_ROW_KEY, Text("Organisation", style="bold"), org)
    org_row.item = SpendScope(None, "the organisation", org)
    rows = [org_row]
    for project in projects:
        name = safe_text(project.name, 80)
        if project.archived:
            name.append(" (archived)")
        row = _row(project.id, name, project, style=MUTED if project.archived else "")
        row.item = SpendScope(project.id, project.name, project)
        rows.append(row)
    return rows


def key_rows(keys: Iterable[KeySpend], *, top: int = 5) -> list[Row]:
    """The top keys today and this month (union), by today's cost then the month's."""
    ranked = list(keys)
    by_month = [k for k in ranked if k.month_to_date_usd > 0][:top]
    by_today = sorted(
        (k for k in ranked if k.today_usd > 0), key=lambda k: (-k.today_usd, k.name, k.id)
    )[:top]
    chosen = {k.id: k for k in [*by_today, *by_month]}
    ordered = sorted(
        chosen.values(), key=lambda k: (-k.today_usd, -k.month_to_date_usd, k.name, k.id)
    )
    rows = []
    for key in ordered:
        name = safe_text(key.name, 80, style="italic" if key.deleted else "")
        rows.append(
            Row(
                key.id,
                (
                    name,
                    safe_text(key.project_name or "—", 60),
                    Text(format_usd(key.today_usd)),
                    Text(format_usd(key.month_to_date_usd)),
                ),
                item=key,
            )
        )
    return rows


# ---------------------------------------------------------------- the overview lines


def _rate(value: float | None, unit: str) -> str:
    return "—" if value is None else f"{compact(value)} {unit}"


def overview(summary: Any, *, tall: bool, wide: bool) -> Text:
    """Two lines: the org limit with its bar (and, when short, the figure itself), then
    today, the burn rate and the forecast. `tall`: the big figure is shown beside them."""
    org: OrgSpend = summary.org
    text = Text(end="")
    if not tall:
        text.append("Month to date ", style="bold")
        text.append(format_usd(org.month_to_date_usd), style="bold reverse")
        text.append(" ")
    limit = org.limit
    if not org.limit_known:
        text.append("org hard limit not loaded yet", style="muted")
    elif limit is None:
        text.append("⚠ no organisation hard limit", style=WARN)
    else:
        text.append(f"of {format_cents(limit.threshold_cents)} org limit ")
        style = ERROR if limit.enforcing or limit.crossed else ""
        text.append(bar(limit.percent, 20 if wide else 10), style=style)
        text.append(f" {_pct(limit.percent)}", style=style)
        if limit.enforcing:
            text.append(" ENFORCING", style=ERROR)
    if tall:
        text.append(f"\nForecast to month end {format_usd(org.forecast.forecast_usd)}")
        if limit is not None and limit.forecast_exceeds:
            text.append(" ▲ over the limit", style=WARN)
    text.append("\n")
    burn = summary.burn
    text.append(f"Today {format_usd(org.today_usd)}")
    if burn.usd_per_hour is not None:
        text.append(f" · {format_usd(burn.usd_per_hour)}/h")
    hour = burn.last_hour
    text.append(
        f" · {_rate(hour.requests_per_minute if hour else None, 'req/min')}"
        f" · {_rate(hour.tokens_per_minute if hour else None, 'tok/min')}"
    )
    if tall:
        text.append(" (last hour)", style="muted")
    else:
        text.append(f" · forecast {format_usd(org.forecast.forecast_usd)}")
        if limit is not None and limit.forecast_exceeds:
            text.append(" ▲", style=WARN)
    return text


def notices(summary: Any) -> Text:
    """One line: crossed alerts and enforcing limits first, then projects without a limit."""
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    scopes: list[tuple[str, Any]] = [("Organisation", summary.org)]
    scopes += [(p.name, p) for p in summary.projects if not p.archived]
    problems: list[Text] = []
    for name, figures in scopes:
        if figures.limit is not None and figures.limit.enforcing:
            problems.append(Text.assemble(safe_text(name, 30), (" ENFORCING", ERROR)))
        crossed = [a for a in figures.alerts if a.crossed]
        if crossed:
            top = max(crossed, key=lambda a: a.threshold_cents)
            problems.append(
                Text.assemble(
                    safe_text(name, 30), f" over its {short_cents(top.threshold_cents)} alert"
                )
            )
    if problems:
        text.append("⚠ ", style=ERROR)
        text.append_text(Text("; ").join(problems))
        text.stylize(WARN)
        return text
    missing = [p.name for p in summary.projects if not p.archived and p.limit_known and not p.limit]
    if missing:
        text.append(f"⚠ {len(missing)} project(s) without a hard limit: ", style=WARN)
        text.append_text(safe_text(", ".join(missing), 200))
        text.append("  (select one, press L)", style="dim")
    else:
        text.append("✓ No alert crossed, every project has a hard limit", style="dim")
    return text


def resolve_styles(text: Text, styles: dict[str, Any]) -> Text:
    """Replace the semantic style names ("warn", "error", "muted") with the theme's styles."""
    from rich.text import Span

    if isinstance(text.style, str) and text.style in styles:
        text.style = styles[text.style]
    text.spans = [
        Span(s.start, s.end, styles[s.style])
        if isinstance(s.style, str) and s.style in styles
        else s
        for s in text.spans
    ]
    return text


SHORT_UNITS = {"requests": "req", "characters": "chars", "seconds": "s"}


def kinds_line(report: Any, error: str | None) -> Text:
    """Every kind of usage per hour over the last 60 minutes, in its own unit: the figures of
    the incident panel's kind rows and of `spend --once --json`'s `usage_by_kind`
    (`per_hour_60m`). Dollars per hour today are on the line above."""
    from orgtui.core.incident_kinds import number
    from orgtui.core.usage_kinds import kind_name

    text = Text(end="")
    text.append("Per hour, last 60 min: ", style="bold")
    if report is None:
        text.append(f"⚠ {error}" if error else "reading every kind of usage…", style=MUTED)
        return text
    for row in report.kinds:
        text.append(f"{kind_name(row.kind)} ")
        if row.kind in report.errors:
            text.append("⚠ unreadable", style=WARN)
        else:
            text.append(f"{number(row.rate_60m)} {SHORT_UNITS.get(row.unit, row.unit)}")
        if row is not report.kinds[-1]:
            text.append(" · ", style=MUTED)
    return text
