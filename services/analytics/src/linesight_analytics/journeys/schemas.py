"""Parameters and output columns of the journeys analysis."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from linesight_analytics.contact_frequency.schemas import E164_PATTERN

#: Name of the further table of repeated journeys.
GROUPS_TABLE = "groups"
GROUPS_TITLE = "Repeated journeys, grouped by the areas they join"

#: Local time-of-day bands departures are counted in (start hour inclusive, end exclusive).
DEPARTURE_BANDS = (("night", 0, 6), ("morning", 6, 12), ("afternoon", 12, 18),
                   ("evening", 18, 24))

COLUMNS = (
    "journey_id",
    "subject",
    "from_area",
    "to_area",
    "group",
    "departure_utc",
    "departure_local",
    "arrival_utc",
    "duration_minutes",
    "departure_cgi",
    "arrival_cgi",
    "route_points",
    "route",
    "exhibit_ids",
    "source_rows",
    "cell_source_rows",
)

DEFINITIONS = {
    "journey_id": "Number of the journey, in order of departure (1 is the earliest).",
    "subject": "The number the journey is of (E.164).",
    "from_area": "The area the subject left: the area of the departure point.",
    "to_area": "The area the subject reached next: the area of the arrival point.",
    "group": "The repeated-journey group: from_area->to_area (see the groups table).",
    "departure_utc": "Time of the subject's last located point in from_area before it was "
                     "next seen in another area (UTC).",
    "departure_local": "departure_utc in the local time zone of the analysis, with its "
                       "offset.",
    "arrival_utc": "Time of the subject's first located point in to_area (UTC).",
    "duration_minutes": "arrival_utc - departure_utc in minutes (1 decimal place): an upper "
                        "bound on the travelling time, since the subject may have left later "
                        "and arrived earlier than its records show.",
    "departure_cgi": "The cell of the departure point.",
    "arrival_cgi": "The cell of the arrival point.",
    "route_points": "Number of located points between departure and arrival.",
    "route": "The located points between departure and arrival, in time order: time, cell, "
             "site, mast position, the area the mast is in (a stay too short to count) or "
             "null, cell role and time basis, and the event and cells rows used.",
    "exhibit_ids": "Exhibits the departure, route and arrival events come from.",
    "source_rows": "Per exhibit, the lines of the events file of the departure, route and "
                   "arrival points.",
    "cell_source_rows": "Per cells exhibit, the lines of the cells list that gave the "
                        "positions of those points.",
}

GROUP_COLUMNS = (
    "group",
    "from_area",
    "to_area",
    "journeys",
    "journey_ids",
    "typical_departure_local",
    "departures_night",
    "departures_morning",
    "departures_afternoon",
    "departures_evening",
    "median_duration_minutes",
    "min_duration_minutes",
    "max_duration_minutes",
    "dates",
    "distinct_days",
    "first_departure_utc",
    "last_departure_utc",
    "exhibit_ids",
    "source_rows",
)

GROUP_DEFINITIONS = {
    "group": "from_area->to_area.",
    "from_area": "The area the journeys left.",
    "to_area": "The area the journeys reached.",
    "journeys": "Number of journeys from from_area to to_area.",
    "journey_ids": "The journey_id of each of them.",
    "typical_departure_local": "Median local time of day (HH:MM) of their departures, taken "
                               "on a 24-hour clock cut at the longest stretch with no "
                               "departure, so departures either side of midnight stay "
                               "together.",
    "departures_night": "Departures from 00:00 to 05:59 local time.",
    "departures_morning": "Departures from 06:00 to 11:59 local time.",
    "departures_afternoon": "Departures from 12:00 to 17:59 local time.",
    "departures_evening": "Departures from 18:00 to 23:59 local time.",
    "median_duration_minutes": "Median of their duration_minutes (1 decimal place).",
    "min_duration_minutes": "Shortest duration_minutes.",
    "max_duration_minutes": "Longest duration_minutes.",
    "dates": "Local dates of their departures, in order, without repeats.",
    "distinct_days": "Number of those dates.",
    "first_departure_utc": "Earliest departure (UTC).",
    "last_departure_utc": "Latest departure (UTC).",
    "exhibit_ids": "Exhibits their events come from.",
    "source_rows": "Per exhibit, the lines of the events file of all their points.",
}

METHOD = (
    ("Every event of the subject is placed at the mast of each cell it names (first and "
     "last cell), using the cells row valid at the event's time; points whose cell is in "
     "no list valid at that time have no position and are counted, not used."),
    ("A point is in an area when its mast is within the area's radius of the area's centre "
     "(haversine distance); a mast within two areas belongs to the one whose centre is "
     "nearer (then the one listed first)."),
    ("When no areas are given, the subject's located points are grouped on a square grid "
     "(auto_grid_km, on an equirectangular projection at the median latitude of the points); "
     "the busiest squares are taken in turn, skipping any whose centre is within "
     "auto_min_separation_km of one already taken, until auto_areas are found; each area is "
     "a circle of auto_radius_km around the mean position of its square's points, named "
     "after the site of its busiest cell."),
    ("Consecutive points in the same area, in time order (points outside every area in "
     "between do not interrupt them), form a stay; a stay whose first and last points are "
     "less than min_stay_minutes apart is set aside as passing through, its points become "
     "route points, and the stays either side of it in the same area join up."),
    ("A journey runs from the last point of one stay to the first point of the next stay, "
     "which is in another area; the points between them are its route."),
    ("The times are those of the records: the subject may have left after the departure "
     "point and arrived before the arrival point; data-session points are at or before "
     "their record time."),
    ("Journeys with the same from and to areas form a group; the local time zone of the "
     "analysis (default Europe/London) gives the dates, the time-of-day bands and the "
     "typical departure time."),
    ("Every journey lists the lines of the events file and of the cells list of its "
     "departure, route and arrival points."),
)


class Area(BaseModel):
    """A named circle on the map: a place the subject may travel between."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, description="Name shown for the area, "
                      "e.g. 'London' (unique among the areas)")
    lat: float = Field(ge=-90, le=90, description="Latitude of the centre (WGS 84 degrees)")
    lon: float = Field(ge=-180, le=180, description="Longitude of the centre (WGS 84 degrees)")
    radius_km: float = Field(gt=0, le=500, description="A cell is in the area when its mast is "
                             "within this distance of the centre (km)")


class JourneysParameters(BaseModel):
    """What a journeys analysis is asked: whose journeys, between which areas."""

    model_config = ConfigDict(extra="forbid")

    subject: str = Field(pattern=E164_PATTERN, examples=["+447700900123"],
                         description="The number whose journeys are traced (E.164)")
    areas: list[Area] | None = Field(
        None, min_length=2, max_length=50,
        description="The areas journeys run between (at least two); omit to derive them "
                    "from the subject's busiest places (see auto_areas)")
    auto_areas: int = Field(2, ge=2, le=10, description="How many areas to derive when "
                            "areas are omitted: the busiest places far enough apart")
    auto_grid_km: float = Field(10.0, gt=0, le=100, description="Side of the grid squares "
                                "points are grouped on when areas are derived (km)")
    auto_min_separation_km: float = Field(30.0, ge=0, le=2000, description="Derived areas' "
                                          "centres are more than this apart (km)")
    auto_radius_km: float = Field(10.0, gt=0, le=200, description="Radius of each derived "
                                  "area around its centre (km)")
    min_stay_minutes: float = Field(0.0, ge=0, le=7 * 24 * 60, description="A stay in an area "
                                    "shorter than this (first to last point) is treated as "
                                    "passing through, not as a visit; 0 counts every stay")
    timezone: str = Field("Europe/London", description="IANA time zone of the local dates, "
                          "time-of-day bands and typical departure times")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as "
                             "'Europe/London')") from error
        return value

    @model_validator(mode="after")
    def _areas_are_consistent(self) -> JourneysParameters:
        if self.areas is not None:
            names = [a.name for a in self.areas]
            repeated = sorted({n for n in names if names.count(n) > 1})
            if repeated:
                raise ValueError(f"area names must be unique; repeated: {', '.join(repeated)}")
        return self
