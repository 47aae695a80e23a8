"""The contact-frequency computation on hand-built frames with hand-computed answers."""

from __future__ import annotations

import pytest
from linesight_analytics.contact_frequency import COLUMNS, InvalidEvents, contact_frequency

S = "+447700900001"
P1, P3, S2 = "+447700900002", "+447700900003", "+447700900009"


@pytest.fixture
def rows(make_event):
    e = make_event
    return [
        # P1 on exhibit ex1: every kind of contact, then a call on ex2 with no duration
        e("ex1", 2, "out", "voice", P1, start="2024-03-01T10:00:00", duration=60),
        e("ex1", 3, "in", "voice", P1, start="2024-03-01T11:00:00", duration=30),
        e("ex1", 4, "out", "sms", P1, start="2024-03-02T09:00:00"),
        e("ex1", 5, "in", "sms", P1, start="2024-03-02T09:05:00"),
        e("ex1", 6, "in", "missed", P1, start="2024-03-03T08:00:00"),
        e("ex2", 2, "out", "voice", P1, start="2024-03-04T12:00:00", duration=None),
        # two withheld callers, one short code, one forward, one data session
        e("ex1", 7, "in", "voice", None, "withheld", raw="Withheld", duration=10,
          start="2024-03-01T07:00:00"),
        e("ex1", 8, "in", "voice", None, "withheld", raw="PRIVATE", duration=20,
          start="2024-03-05T07:00:00.250000"),
        e("ex1", 9, "out", "sms", "150", "short_code", start="2024-03-02T10:00:00"),
        e("ex1", 10, "forward", "voice", P3, duration=45, start="2024-03-02T11:00:00"),
        e("ex1", 11, "out", "data", None, "absent", start="2024-03-02T12:00:00"),
        # a row without a subject, and another subject's call
        e("ex1", 12, "out", "voice", P1, subject=None, duration=5),
        e("ex3", 2, "out", "voice", P1, subject=S2, duration=7, start="2024-03-06T00:00:00"),
    ]


def as_dicts(result):
    return [dict(zip(result.columns, r, strict=True)) for r in result.rows]


class TestContactFrequency:
    def test_counts_per_other_party_match_the_hand_count(self, rows, make_frame):
        table = as_dicts(contact_frequency(make_frame(rows), subject=S))
        p1 = table[0]
        assert p1 == {
            "subject": S, "other_party": P1, "other_party_kind": "e164",
            "calls_out": 2, "calls_in": 1, "sms_out": 1, "sms_in": 1, "other_events": 1,
            "total_events": 6, "voice_duration_s": 90,
            "first_contact_utc": "2024-03-01T10:00:00Z",
            "last_contact_utc": "2024-03-04T12:00:00Z",
            "exhibit_ids": ["ex1", "ex2"], "source_rows": {"ex1": [2, 3, 4, 5, 6], "ex2": [2]},
        }

    def test_withheld_callers_are_grouped_under_one_label(self, rows, make_frame):
        withheld = as_dicts(contact_frequency(make_frame(rows), subject=S))[1]
        assert (withheld["other_party"], withheld["other_party_kind"]) == ("WITHHELD", "withheld")
        assert (withheld["calls_in"], withheld["voice_duration_s"]) == (2, 30)
        assert withheld["source_rows"] == {"ex1": [7, 8]}
        assert withheld["last_contact_utc"] == "2024-03-05T07:00:00.250000Z"

    def test_rows_are_ordered_by_total_then_party(self, rows, make_frame):
        table = as_dicts(contact_frequency(make_frame(rows), subject=S))
        assert [(r["other_party"], r["total_events"]) for r in table] == [
            (P1, 6), ("WITHHELD", 2), (P3, 1), ("150", 1)]

    def test_short_codes_keep_their_raw_string(self, rows, make_frame):
        short = as_dicts(contact_frequency(make_frame(rows), subject=S))[3]
        assert (short["other_party"], short["other_party_kind"], short["sms_out"]) == (
            "150", "short_code", 1)

    def test_a_forward_counts_as_other_event_with_the_diverted_to_number(self, rows,
                                                                        make_frame):
        fwd = as_dicts(contact_frequency(make_frame(rows), subject=S))[2]
        assert (fwd["other_party"], fwd["other_events"], fwd["calls_out"]) == (P3, 1, 0)
        assert fwd["voice_duration_s"] == 0

    def test_every_row_read_is_accounted_for_in_the_summary(self, rows, make_frame):
        summary = contact_frequency(make_frame(rows), subject=S).summary
        assert summary == {
            "events_read": 13, "events_without_subject": 1, "events_other_subjects": 1,
            "data_sessions": 1, "contact_events": 10, "forwarded_events": 1,
            "voice_calls_without_duration": 1,
            "subjects": [{"subject": S, "contact_events": 10, "other_parties": 4,
                          "data_sessions": 1}],
        }

    def test_without_a_subject_every_subject_is_counted_in_subject_order(self, rows,
                                                                         make_frame):
        result = contact_frequency(make_frame(rows))
        table = as_dicts(result)
        assert [(r["subject"], r["other_party"]) for r in table][-1] == (S2, P1)
        assert table[-1]["source_rows"] == {"ex3": [2]}
        assert result.summary["events_other_subjects"] == 0
        assert [s["subject"] for s in result.summary["subjects"]] == [S, S2]

    def test_input_order_does_not_change_the_output(self, rows, make_frame):
        forward = contact_frequency(make_frame(rows), subject=S)
        backward = contact_frequency(make_frame(list(reversed(rows))), subject=S)
        assert (forward.rows, forward.summary) == (backward.rows, backward.summary)

    def test_the_columns_are_the_documented_ones(self, rows, make_frame):
        result = contact_frequency(make_frame(rows), subject=S)
        assert result.columns == COLUMNS
        assert all(len(r) == len(COLUMNS) for r in result.rows)

    def test_an_empty_frame_gives_an_empty_table(self, make_frame):
        result = contact_frequency(make_frame([]))
        assert (result.rows, result.summary["events_read"], result.summary["subjects"]) == (
            [], 0, [])


class TestValidation:
    def test_a_direction_outside_the_vocabulary_names_the_line(self, make_event, make_frame):
        bad = make_event("ex1", 17, "sideways", "voice", P1)
        with pytest.raises(InvalidEvents, match=r"exhibit ex1 line 17: direction 'sideways'"):
            contact_frequency(make_frame([bad]))

    def test_the_same_event_twice_is_refused(self, make_event, make_frame):
        twice = [make_event("ex1", 2, "out", "voice", P1)] * 2
        with pytest.raises(InvalidEvents, match="event_id 'ex1:2'"):
            contact_frequency(make_frame(twice))

    def test_an_e164_party_without_its_number_is_refused(self, make_event, make_frame):
        bad = make_event("ex1", 4, "out", "voice", P1)
        bad["b_party"] = None
        with pytest.raises(InvalidEvents, match="line 4: b_party None"):
            contact_frequency(make_frame([bad]))


class TestDefinitions:
    def test_every_column_has_one_definition(self):
        from linesight_analytics.contact_frequency import DEFINITIONS

        assert tuple(DEFINITIONS) == COLUMNS
