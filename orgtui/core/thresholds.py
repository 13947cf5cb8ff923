"""The one thresholds type: health checks, key ages in the UI and `spend --once` read it.

A profile's `[profiles.<name>.thresholds]` table is validated into it by `orgtui.config`
(constraints in the annotations); everything else uses it as it is, with these defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

from orgtui.core.constraints import Ge, Gt

__all__ = ["Thresholds", "thresholds_of"]


@dataclass(kw_only=True)
class Thresholds:
    # pydantic's config when `orgtui.config` validates it: unknown keys are errors.
    __pydantic_config__: ClassVar[dict[str, Any]] = {
        "extra": "forbid",
        "hide_input_in_errors": True,
    }

    key_rotation_days: Annotated[int, Ge(1)] = 90
    key_unused_days: Annotated[int, Ge(1)] = 30
    admin_key_max_age_days: Annotated[int, Ge(1)] = 90
    limit_high_factor: Annotated[float, Gt(1.0)] = 2.0
    timeout_seconds: Annotated[float, Gt(0.0)] = 20.0
    spike_factor: Annotated[float, Gt(1.0)] = 3.0  # `spend --once` exits 1 at this rise


def thresholds_of(value: Any) -> Thresholds:
    """`value` as `Thresholds`: itself, the defaults for None, or any object with those
    attributes (each missing one takes its default)."""
    if isinstance(value, Thresholds):
        return value
    base = Thresholds()
    if value is None:
        return base
    return Thresholds(
        **{name: getattr(value, name, getattr(base, name)) for name in base.__dataclass_fields__}
    )
