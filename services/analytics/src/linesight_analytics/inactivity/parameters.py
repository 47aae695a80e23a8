"""Parameters shared by the analyses that read event times on the local clock."""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import available_timezones

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from linesight_analytics.contact_frequency.schemas import E164_PATTERN
from linesight_analytics.inactivity.clock import CLOCK_PATTERN

DEFAULT_TIMEZONE = "Europe/London"


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _polars_knows(zone: str) -> bool:
    try:
        pl.Series([0]).cast(pl.Datetime("us", "UTC")).dt.convert_time_zone(zone)
    except Exception:  # noqa: BLE001 - polars raises several kinds for an unknown zone
        return False
    return True


class LocalTimeParameters(BaseModel):
    """Which subject, on which local clock, and when night is."""

    model_config = ConfigDict(extra="forbid")

    subject: str | None = Field(
        None, pattern=E164_PATTERN, examples=["+447700900123"],
        description="Only this subject number (E.164); omit for every subject in the "
                    "inputs, one set of rows per subject",
    )
    timezone: str = Field(
        DEFAULT_TIMEZONE, examples=[DEFAULT_TIMEZONE],
        description="IANA time zone whose wall clock defines night, day, weekday and hour "
                    "(Europe/London: GMT in winter, BST in summer)",
    )
    night_start: str = Field(
        "22:00", pattern=CLOCK_PATTERN, examples=["22:00"],
        description="Local time (HH:MM) at which the night window starts (inclusive)",
    )
    night_end: str = Field(
        "07:00", pattern=CLOCK_PATTERN, examples=["07:00"],
        description="Local time (HH:MM) at which the night window ends (exclusive); "
                    "earlier than night_start for a window over midnight",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value not in _zones() or not _polars_knows(value):
            raise ValueError(f"{value!r} is not an IANA time zone (e.g. Europe/London)")
        return value

    @model_validator(mode="after")
    def _window_not_empty(self) -> LocalTimeParameters:
        if self.night_start == self.night_end:
            raise ValueError("night_start and night_end must differ (the night window "
                             "would be empty or the whole day)")
        return self
