"""The ingest report counts events repeated within an exhibit and held by other exhibits."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_parse_job import parsed, report_of

pytestmark = pytest.mark.anyio
SAMPLE = Path(__file__).parents[3] / "samples" / "op-monza" / "ABC-1_deal-line_cdr.csv"


async def test_a_repeated_row_is_counted_and_kept(api, ingest):
    lines = SAMPLE.read_bytes().splitlines(keepends=True)
    content = b"".join(lines[:11] + lines[5:8])  # header + 10 rows, then rows 5-7 again
    await api.open_case()
    exhibit, _ = await parsed(api, ingest, content)
    report = await report_of(api, exhibit)
    assert report["rows_accepted"] == 13
    assert report["duplicates"]["within_exhibit"] == 3
    assert report["duplicates"]["across_exhibits"] == {}


async def test_an_overlapping_second_exhibit_names_the_first(api, ingest):
    lines = SAMPLE.read_bytes().splitlines(keepends=True)
    first = b"".join(lines[:101])                  # rows 1-100
    second = b"".join(lines[:1] + lines[61:161])   # rows 61-160: 40 in common
    await api.open_case()
    await parsed(api, ingest, first, reference="ABC/1")
    exhibit, _ = await parsed(api, ingest, second, reference="ABC/2")
    across = (await report_of(api, exhibit))["duplicates"]["across_exhibits"]
    assert list(across.values()) == [40]
    assert next(iter(across)).startswith("ABC/1 ")
