"""Parameters and output columns of the contact-frequency analysis."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

#: E.164: a plus sign, a non-zero digit, then 6 to 14 digits.
E164_PATTERN = r"^\+[1-9][0-9]{6,14}$"

#: The other-party label of every call whose caller withheld their number.
WITHHELD = "WITHHELD"
#: The other-party label of events that name no other party at all.
ABSENT = "ABSENT"

#: Output columns, in order. ``source_rows`` maps each exhibit id to the sorted
#: ``source_row`` numbers (lines of the original file) counted in that table row.
COLUMNS = (
    "subject",
    "other_party",
    "other_party_kind",
    "calls_out",
    "calls_in",
    "sms_out",
    "sms_in",
    "other_events",
    "total_events",
    "voice_duration_s",
    "first_contact_utc",
    "last_contact_utc",
    "exhibit_ids",
    "source_rows",
)

#: One sentence per column, carried in every result so a report can print what each
#: figure means next to the figures themselves.
DEFINITIONS = {
    "subject": "The number the exhibit is about (E.164).",
    "other_party": "The number called (out), calling (in) or diverted to (forward): E.164, "
                   "WITHHELD when the caller withheld it, the raw string for short codes and "
                   "invalid numbers, ABSENT when the record names no party.",
    "other_party_kind": "e164, withheld, short_code, invalid or absent.",
    "calls_out": "Voice calls made by the subject to the other party.",
    "calls_in": "Voice calls received by the subject from the other party.",
    "sms_out": "SMS sent by the subject to the other party.",
    "sms_in": "SMS received by the subject from the other party.",
    "other_events": "MMS, missed calls, voicemail and forwarded events with the other party.",
    "total_events": "calls_out + calls_in + sms_out + sms_in + other_events.",
    "voice_duration_s": "Summed duration, in seconds, of the calls counted in calls_out and "
                        "calls_in whose duration is known.",
    "first_contact_utc": "Start of the earliest counted event (UTC, ISO 8601).",
    "last_contact_utc": "Start of the latest counted event (UTC, ISO 8601).",
    "exhibit_ids": "Exhibits the counted events come from.",
    "source_rows": "Per exhibit, the line numbers of the original file counted in this row.",
}

#: How the figures are made, one sentence each, carried in every result so a report
#: states its method next to its figures (the module docstring of ``compute`` says more).
METHOD = (
    ("The other party of an event is the number called (direction out), the caller "
     "(direction in) or the number a call was diverted to (direction forward)."),
    ("Callers who withheld their number are counted together under WITHHELD; short codes "
     "and invalid numbers are kept as served; ABSENT marks records that name no other "
     "party."),
    "Data sessions name no other party: they are counted in the summary, not in the table.",
    ("Every row read is accounted for: events read = events without subject + events of "
     "other subjects + data sessions + contact events."),
    ("Source lines are the line numbers of the original exhibit file (the header is line 1) "
     "counted in each row."),
)


class ContactFrequencyParameters(BaseModel):
    """What a contact-frequency analysis may be asked to restrict itself to."""

    model_config = ConfigDict(extra="forbid")

    subject: str | None = Field(
        None, pattern=E164_PATTERN, examples=["+447700900123"],
        description="Count only the events of this subject number (E.164); "
                    "omit to count every subject in the inputs",
    )
