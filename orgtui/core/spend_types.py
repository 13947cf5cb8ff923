"""What a spend summary holds: per-key, per-project and organisation figures, forecasts, limits,
alerts and burn rates (built by `core/spend.py`'s `summarise`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from orgtui.core.money import cents_to_dollars, dollars_to_cents
from orgtui.core.spend_fetch import SpendWindows

__all__ = [
    "AlertStatus",
    "Burn",
    "Forecast",
    "KeySpend",
    "LimitStatus",
    "MinutePoint",
    "OrgSpend",
    "ProjectSpend",
    "Rate",
    "SpendSummary",
]


@dataclass(frozen=True)
class Forecast:
    month_to_date_usd: float
    avg_daily_usd: float  # over the FORECAST_DAYS full days before today
    days_remaining: float
    forecast_usd: float


@dataclass(frozen=True)
class LimitStatus:
    scope: str  # "organization" | "project"
    project_id: str | None
    threshold_cents: int
    spent_usd: float
    percent: float
    enforcement: str | None  # "inactive" | "enforcing" as the API says
    headroom_usd: float  # negative once over the limit
    forecast_usd: float

    @property
    def threshold_usd(self) -> float:
        return float(cents_to_dollars(self.threshold_cents))

    @property
    def enforcing(self) -> bool:
        return self.enforcement == "enforcing"

    @property
    def crossed(self) -> bool:
        return dollars_to_cents(self.spent_usd) >= self.threshold_cents

    @property
    def forecast_exceeds(self) -> bool:
        return dollars_to_cents(self.forecast_usd) >= self.threshold_cents


@dataclass(frozen=True)
class AlertStatus:
    id: str
    scope: str
    project_id: str | None
    threshold_cents: int
    spent_usd: float
    crossed: bool
    recipients: tuple[str, ...]

    @property
    def threshold_usd(self) -> float:
        return float(cents_to_dollars(self.threshold_cents))


@dataclass(frozen=True)
class KeySpend:
    id: str
    name: str
    project_id: str | None
    project_name: str | None
    deleted: bool
    owner_type: str | None  # "user" | "service_account" | None when unknown
    month_to_date_usd: float
    today_usd: float


@dataclass(frozen=True)
class ProjectSpend:
    id: str
    name: str
    archived: bool
    month_to_date_usd: float
    today_usd: float
    trailing_30d_usd: float
    forecast: Forecast
    limit: LimitStatus | None
    limit_known: bool  # False: the project's limit was not fetched, `limit` is meaningless
    alerts: tuple[AlertStatus, ...]
    alerts_known: bool


@dataclass(frozen=True)
class OrgSpend:
    name: str
    month_to_date_usd: float
    today_usd: float
    trailing_30d_usd: float
    forecast: Forecast
    limit: LimitStatus | None
    limit_known: bool
    alerts: tuple[AlertStatus, ...]
    alerts_known: bool


@dataclass(frozen=True)
class Rate:
    requests_per_minute: float
    tokens_per_minute: float


@dataclass(frozen=True)
class MinutePoint:
    start_time: int
    requests: int
    tokens: int


@dataclass(frozen=True)
class Burn:
    last_hour: Rate | None  # None when the usage could not be fetched
    last_day: Rate | None
    usd_per_hour: float | None  # today's cost / hours since midnight; None right at midnight
    per_minute: tuple[MinutePoint, ...] = ()


@dataclass(frozen=True)
class SpendSummary:
    generated_at: float
    windows: SpendWindows
    org: OrgSpend
    projects: tuple[ProjectSpend, ...]  # month-to-date descending
    keys: tuple[KeySpend, ...]  # every key with a cost this month, month-to-date descending
    burn: Burn
    errors: dict[str, str] = field(default_factory=dict)

    def top_projects(self, n: int = 5) -> list[ProjectSpend]:
        return [p for p in self.projects if p.month_to_date_usd > 0][:n]

    def top_keys(self, n: int = 5, period: str = "month") -> list[KeySpend]:
        if period == "today":
            ranked = sorted(self.keys, key=lambda k: (-k.today_usd, k.name, k.id))
            return [k for k in ranked if k.today_usd > 0][:n]
        return [k for k in self.keys if k.month_to_date_usd > 0][:n]

    def limits(self) -> list[LimitStatus]:
        found = [self.org.limit] if self.org.limit else []
        return found + [p.limit for p in self.projects if p.limit is not None]

    @property
    def any_enforcing(self) -> bool:
        return any(limit.enforcing for limit in self.limits())

    def trailing_30d_by_project(self) -> dict[str, float]:
        return {p.id: p.trailing_30d_usd for p in self.projects}


# ---------------------------------------------------------------- building blocks
