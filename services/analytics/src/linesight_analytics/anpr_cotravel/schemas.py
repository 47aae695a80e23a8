"""Parameters and output columns of the ANPR co-travel analysis."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from linesight_analytics.contact_frequency.schemas import E164_PATTERN

#: A normalised VRM, as the ANPR tables store it: upper case letters and digits, no spaces.
VRM_PATTERN = r"^[A-Z0-9]{1,15}$"

MATCHES_TABLE = "matches"
MATCHES_TITLE = "Each ANPR read matched with an event of the phone"

COLUMNS = (
    "rank",
    "subject",
    "vrm",
    "score",
    "distinct_days",
    "days_contradicted",
    "share_consistent",
    "distinct_hours",
    "records_matched",
    "records_in_time",
    "matched_reads",
    "matched_events",
    "match_pairs",
    "distinct_cameras",
    "distinct_cells",
    "first_match_utc",
    "last_match_utc",
    "dates",
    "exhibit_ids",
    "anpr_source_rows",
    "event_source_rows",
)

DEFINITIONS = {
    "rank": "Position in the ranking (1 is the strongest candidate).",
    "subject": "The phone number (E.164): the target when a phone was asked about, the "
               "candidate when a vehicle was.",
    "vrm": "The vehicle registration mark: the candidate when a phone was asked about, the "
           "target when a vehicle was.",
    "score": "Days together: local dates on which more of the candidate's records within "
             "the time tolerance of the target's records fitted them than did not.",
    "distinct_days": "Local dates of the candidate's matched records.",
    "days_contradicted": "Local dates on which a record of the candidate, within the time "
                         "tolerance of a record of the target, fitted none of them in place: "
                         "the two were apart then.",
    "share_consistent": "records_matched / records_in_time (3 decimal places).",
    "distinct_hours": "Clock hours (an hour of a date) of the candidate's matched records.",
    "records_matched": "The candidate's records (its ANPR reads, or its phone's located "
                       "points) in at least one match.",
    "records_in_time": "The candidate's records within the time tolerance of any record of "
                       "the target, matched or not (a record far from the target in place "
                       "is evidence the two were apart).",
    "matched_reads": "ANPR reads in at least one match.",
    "matched_events": "Events in at least one match.",
    "match_pairs": "Matches (read and located point pairs) counted; see the matches table.",
    "distinct_cameras": "Cameras of the matched reads.",
    "distinct_cells": "Cells of the matched events.",
    "first_match_utc": "Time of the candidate's earliest matched record (UTC).",
    "last_match_utc": "Time of the candidate's latest matched record (UTC).",
    "dates": "The local dates counted in distinct_days, in order.",
    "exhibit_ids": "Exhibits the matched reads and events come from.",
    "anpr_source_rows": "Per ANPR exhibit, the lines of the matched reads.",
    "event_source_rows": "Per events exhibit, the lines of the matched events.",
}

MATCH_COLUMNS = (
    "rank",
    "subject",
    "vrm",
    "read_utc",
    "camera_id",
    "read_lat",
    "read_lon",
    "anpr_exhibit_id",
    "anpr_source_row",
    "event_time_utc",
    "kind",
    "cell_role",
    "time_basis",
    "cgi",
    "site_name",
    "cell_lat",
    "cell_lon",
    "radius_m",
    "event_exhibit_id",
    "event_source_row",
    "cell_exhibit_id",
    "cell_source_row",
    "distance_m",
    "allowance_m",
    "dt_seconds",
    "implied_speed_kmh",
)

MATCH_DEFINITIONS = {
    "rank": "The rank of the candidate this match counts for.",
    "subject": "The phone (E.164).",
    "vrm": "The vehicle.",
    "read_utc": "Time of the ANPR read (UTC).",
    "camera_id": "The camera that read the vehicle.",
    "read_lat": "Latitude of the camera.",
    "read_lon": "Longitude of the camera.",
    "anpr_exhibit_id": "Exhibit of the read.",
    "anpr_source_row": "Line of the read in that exhibit.",
    "event_time_utc": "Time of the phone's point: the event's start (first cell) or end "
                      "(last cell), UTC.",
    "kind": "Kind of the event (voice, sms, data ...).",
    "cell_role": "first (the cell at the start) or last (the cell at the end).",
    "time_basis": "at, at_end, or at_or_before (data sessions: the cell was in use at or "
                  "before the record time).",
    "cgi": "The cell.",
    "site_name": "Site name of the cell, as the cells list gives it.",
    "cell_lat": "Latitude of the cell's mast.",
    "cell_lon": "Longitude of the cell's mast.",
    "radius_m": "The cell's range (metres), or the default when the list gives none.",
    "event_exhibit_id": "Exhibit of the event.",
    "event_source_row": "Line of the event in that exhibit.",
    "cell_exhibit_id": "Exhibit of the cells list row that placed the cell.",
    "cell_source_row": "Line of that row.",
    "distance_m": "Distance from the camera to the mast (metres).",
    "allowance_m": "How far from the mast the phone is taken to possibly have been: "
                   "max_distance_m, or radius_m + slack_m.",
    "dt_seconds": "read_utc - event_time_utc in seconds (negative: the read came first).",
    "implied_speed_kmh": "The speed needed to cover the distance beyond the allowance in "
                         "|dt_seconds| (km/h, 1 decimal place); 0 within the allowance.",
}

METHOD = (
    ("Every event of the phone(s) is placed at the mast of each cell it names, from the "
     "cells row valid at the event's time; points with no position and ANPR reads with no "
     "camera position cannot be compared and are counted, not used."),
    ("A read and a phone point are compared only when their times are within "
     "time_tolerance_minutes (found by joining on time buckets of that width)."),
    ("The phone is taken to have been within the allowance of the mast: the cell's radius "
     "plus slack_m, or max_distance_m when given. The pair matches when the camera is within "
     "the allowance, or when the distance beyond it could be covered at max_speed_kmh in "
     "the time between the two records: distance - allowance <= max_speed x |dt|; ten "
     "minutes at 130 km/h is over 20 km, so within one town a smaller tolerance or speed "
     "separates vehicles better."),
    ("For each candidate (each vehicle when a phone is asked about, each phone when a "
     "vehicle is) the matches are counted by local date (distinct_days) and clock hour; "
     "candidates matched on fewer than min_days dates are left out of the ranking and "
     "counted in the summary."),
    ("A date is contradicted when, that day, a record of the candidate within the time "
     "tolerance of a record of the target fits none of them: the two were apart then. "
     "Records made while the other side was not recorded count neither way."),
    ("Score = days together: the local dates on which more of the candidate's records in "
     "time with the target's fit than do not. A vehicle that carries the phone fits nearly "
     "whenever both are recorded, so its days count even if a stray cell contradicts it "
     "now and then; a busy vehicle near the phone's places by chance, or one passing the "
     "same cameras at other times, is as often seen where the phone was not."),
    ("Candidates are ranked by score, then share_consistent (the share of the candidate's "
     "records in time with the target's that fit), distinct days, distinct hours, records "
     "matched (each highest first), then VRM or number: a total order."),
    ("Local dates are in the analysis time zone (default Europe/London); distances are "
     "haversine on the mean-radius sphere."),
    ("The ranking lists the max_candidates highest ranked candidates (default 100) and the "
     "matches table their matches; the summary counts the candidates not listed."),
    ("Every match lists the read's and the event's exhibit and line and the cells row used; "
     "every ranked row lists the lines it counts, per exhibit."),
)


class AnprCotravelParameters(BaseModel):
    """Which phone or vehicle to start from, and how close in time and place counts."""

    model_config = ConfigDict(extra="forbid")

    subject: str | None = Field(None, pattern=E164_PATTERN, examples=["+447700900123"],
                                description="Rank the vehicles that travel with this phone "
                                            "(E.164); give this or vrm, not both")
    vrm: str | None = Field(None, examples=["AB12CDE"],
                            description="Rank the phones that travel with this vehicle "
                                        "(upper case, no spaces); give this or subject")
    time_tolerance_minutes: float = Field(10.0, gt=0, le=240, description="A read and an event "
                                          "are compared when this close in time (minutes)")
    slack_m: float = Field(1000.0, ge=0, le=50_000, description="Added to the cell's radius "
                           "for the distance the phone may have been from the mast (metres)")
    max_distance_m: float | None = Field(None, gt=0, le=100_000, description="When given, the "
                                         "distance the phone may have been from any mast, "
                                         "instead of the cell's radius + slack_m (metres); "
                                         "slack_m is then not used")
    max_speed_kmh: float = Field(130.0, ge=0, le=400, description="The fastest the vehicle is "
                                 "taken to travel between a read and an event (km/h); 0 "
                                 "requires the camera to be within the allowance")
    min_days: int = Field(1, ge=1, le=366, description="Rank only candidates matched on at "
                          "least this many local dates")
    max_candidates: int | None = Field(100, ge=1, le=1_000_000, description="List only the "
                                       "highest ranked candidates, and their matches; the "
                                       "summary counts the others; null lists every one")
    timezone: str = Field("Europe/London", description="IANA time zone of the local dates")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as "
                             "'Europe/London')") from error
        return value

    @field_validator("vrm")
    @classmethod
    def _normalised_vrm(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(VRM_PATTERN, value):
            raise ValueError(f"VRM {value!r} is not as the ANPR tables store it: write it in "
                             "upper case letters and digits without spaces, e.g. AB12CDE")
        return value

    @model_validator(mode="after")
    def _one_target(self) -> AnprCotravelParameters:
        if (self.subject is None) == (self.vrm is None):
            raise ValueError("give exactly one of subject (a phone number) or vrm (a vehicle)")
        return self
