"""Rendering report data to PDF, read back with pypdf."""

from __future__ import annotations

import hashlib
import io
import json
import os
import time
from dataclasses import asdict, replace

import rfc8785
from linesight_reporting.rendering import (
    AnalysisInputInfo,
    AnalysisSection,
    ResultTable,
    render_html,
    render_pdf,
)
from linesight_reporting.rendering.cells import cell, humanise, line_ranges
from linesight_reporting.rendering.render import FURTHER_TABLE_ROWS, MAIN_TABLE_ROWS
from pypdf import PdfReader

EXHIBIT_SHA = "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e8a1c3e5b7d9f1a3c5e7b9d1f"


def text_of(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def from_heading(pages: list[str], heading: str) -> str:
    """The text of the pages from the one holding ``heading`` to the end."""
    start = next(i for i, p in enumerate(pages) if heading in p)
    return "\n".join(pages[start:])


def squeezed(text: str) -> str:
    """Page text without whitespace: wrapped hashes and numbers read as one string."""
    return "".join(text.split())


class TestRenderPdf:
    def test_the_title_page_names_the_case_authorisation_user_and_code(self, make_report_data):
        out = render_pdf(make_report_data())
        first = text_of(PdfReader(io.BytesIO(out.pdf)))[0]
        for expected in ("OP-MONZA", "Operation Monza", "AUTH-2024-0001", "a.analyst",
                         "Contact analysis", "2024-03-11T08:00:00Z",
                         "linesight-reporting 0.1.0+gabc"):
            assert expected in first

    def test_every_page_says_page_x_of_n_and_the_case(self, make_report_data):
        out = render_pdf(make_report_data())
        pages = text_of(PdfReader(io.BytesIO(out.pdf)))
        assert out.pages == len(pages) >= 4
        for i, page in enumerate(pages, start=1):
            assert f"Page {i} of {out.pages}" in page
            assert "OP-MONZA" in page

    def test_the_exhibit_table_holds_the_full_hash(self, make_report_data):
        out = render_pdf(make_report_data())
        pages = text_of(PdfReader(io.BytesIO(out.pdf)))
        exhibits = next(p for p in pages if "Exhibits" in p and "ee_cdr_0001.csv" in p)
        assert EXHIBIT_SHA in squeezed(exhibits)
        assert "123456" in exhibits and "EE Ltd" in exhibits

    def test_the_ingest_summary_gives_counts_and_reasons(self, make_report_data):
        out = render_pdf(make_report_data())
        ingest = next(p for p in text_of(PdfReader(io.BytesIO(out.pdf)))
                      if "Ingest summary" in p)
        for expected in ("Rows read", "14", "Rows rejected", "unparseable date", "31/02/2024"):
            assert expected in ingest

    def test_the_analysis_shows_its_table_inputs_and_result_hash(self, make_report_data):
        data = make_report_data()
        out = render_pdf(data)
        analysis = from_heading(text_of(PdfReader(io.BytesIO(out.pdf))),
                                "Analysis 1: Contact frequency")
        assert "+447700900002" in analysis and "421" in analysis
        assert "ABC/1:2–6,9,11" in squeezed(analysis)
        assert data.analyses[0].result_sha256 in squeezed(analysis)
        assert "1a" * 32 in squeezed(analysis)
        assert "subject: +447700900001" in analysis

    def test_the_summary_reads_in_the_kinds_order_and_the_method_is_stated(
            self, make_report_data):
        out = render_pdf(make_report_data())
        analysis = from_heading(text_of(PdfReader(io.BytesIO(out.pdf))),
                                "Analysis 1: Contact frequency")
        assert analysis.index("Events read") < analysis.index("Data sessions") < \
            analysis.index("Contact events")
        assert "Withheld callers are counted together under WITHHELD." in analysis

    def test_long_tables_repeat_their_header_on_every_page(self, make_report_data):
        out = render_pdf(make_report_data(n_rows=400))
        pages = text_of(PdfReader(io.BytesIO(out.pdf)))
        table_pages = [p for p in pages if "+4477008" in p]
        assert "+447700800399" in table_pages[-1]
        assert len(table_pages) >= 5
        assert all("Other party" in p and "Source lines" in p for p in table_pages)

    def test_headings_become_bookmarks(self, make_report_data):
        out = render_pdf(make_report_data())
        titles = [o.title for o in PdfReader(io.BytesIO(out.pdf)).outline
                  if not isinstance(o, list)]
        assert titles[:3] == ["Contact analysis", "Exhibits", "Ingest summary"]
        assert "Analysis 1: Contact frequency" in titles

    def test_each_result_is_attached_byte_for_byte(self, make_report_data):
        data = make_report_data()
        attachments = PdfReader(io.BytesIO(render_pdf(data).pdf)).attachments
        [content] = attachments["analysis-a1.json"]
        assert hashlib.sha256(content).hexdigest() == data.analyses[0].result_sha256

    def test_the_pdf_dates_are_the_newest_inputs_time(self, make_report_data):
        meta = PdfReader(io.BytesIO(render_pdf(make_report_data()).pdf)).metadata
        assert meta["/CreationDate"].startswith("D:20240310093000")
        assert meta["/ModDate"].startswith("D:20240310093000")

    def test_the_same_data_renders_to_the_same_bytes_whatever_the_clock(
            self, make_report_data, monkeypatch):
        monkeypatch.setattr(time, "time", lambda: 1_700_000_000.0)
        first = render_pdf(make_report_data()).pdf
        monkeypatch.setattr(time, "time", lambda: 1_800_000_000.0)
        assert render_pdf(make_report_data()).pdf == first

    def test_rendering_leaves_source_date_epoch_as_it_found_it(self, make_report_data,
                                                               monkeypatch):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "12345")
        render_pdf(make_report_data())
        assert os.environ["SOURCE_DATE_EPOCH"] == "12345"

    def test_other_data_renders_to_other_bytes(self, make_report_data):
        data = make_report_data()
        assert render_pdf(data).pdf != render_pdf(replace(data, title="Another title")).pdf

    def test_text_from_the_data_is_escaped(self, make_report_data):
        html = render_html(replace(make_report_data(), title="<script>x</script>"))
        assert "<script>x" not in html and "&lt;script&gt;x" in html


def with_tables(section: AnalysisSection, *tables: ResultTable) -> AnalysisSection:
    """``section`` as a format /2 result with further ``tables`` and a cells input."""
    doc = json.loads(section.result_bytes)
    cells_input = AnalysisInputInfo(dataset_id="d2", exhibit_id="ex2", exhibit_reference="ABC/2",
                                    sha256="2b" * 32, rows=40, table="cells")
    doc.update(format="linesight.analysis-result/2", tables=[asdict(t) for t in tables],
               geojson=None, inputs=[*doc["inputs"], asdict(cells_input)])
    data = rfc8785.dumps(doc)
    return replace(section, tables=list(tables), inputs=[*section.inputs, cells_input],
                   result_bytes=data, result_sha256=hashlib.sha256(data).hexdigest())


def cells_table(n_rows: int) -> ResultTable:
    return ResultTable(
        name="cells", title="Cells used by the subject", columns=["cgi", "events", "source_rows"],
        definitions={"cgi": "The cell, as the exhibit names it.",
                     "events": "Events the cell served."},
        rows=[[f"234-30-{n:05d}", n, {"ex1": [10 + n]}] for n in range(n_rows)])


class TestFurtherTables:
    def test_further_tables_follow_the_main_one_with_their_titles_and_definitions(
            self, make_report_data):
        data = make_report_data()
        data = replace(data, analyses=[with_tables(data.analyses[0], cells_table(3))])
        text = from_heading(text_of(PdfReader(io.BytesIO(render_pdf(data).pdf))),
                            "Analysis 1: Contact frequency")
        assert "Cells used by the subject (3 rows)" in text
        main, further = text.index("+447700900002"), text.index("234-30-00002")
        assert main < text.index("Cells used by the subject", main) < further
        assert further < text.index("Events the cell served.")
        assert "ABC/1: 12" in text   # source lines carry their exhibit reference

    def test_the_inputs_name_the_table_each_dataset_is(self, make_report_data):
        data = make_report_data()
        data = replace(data, analyses=[with_tables(data.analyses[0], cells_table(1))])
        text = from_heading(text_of(PdfReader(io.BytesIO(render_pdf(data).pdf))), "Inputs")
        inputs = text[text.index("Inputs"):text.index("Summary")]
        assert "events" in inputs and "cells" in inputs and "2b" * 32 in squeezed(inputs)

    def test_a_long_further_table_shows_its_first_rows_and_says_where_the_rest_are(
            self, make_report_data):
        data = make_report_data()
        section = with_tables(data.analyses[0], cells_table(FURTHER_TABLE_ROWS + 50))
        html = render_html(replace(data, analyses=[section]))
        assert f"234-30-{FURTHER_TABLE_ROWS - 1:05d}" in html
        assert f"234-30-{FURTHER_TABLE_ROWS:05d}" not in html
        said = " ".join(html.split())
        assert (f"{FURTHER_TABLE_ROWS} of {FURTHER_TABLE_ROWS + 50} rows shown; the full "
                "table is in the result document") in said
        assert section.result_sha256 in said

    def test_the_main_table_is_shown_whole_up_to_its_own_limit(self, make_report_data):
        data = make_report_data(n_rows=FURTHER_TABLE_ROWS + 50)
        html = render_html(replace(data, analyses=[with_tables(data.analyses[0],
                                                               cells_table(1))]))
        assert f"+4477008{FURTHER_TABLE_ROWS + 49:05d}" in html
        assert "rows shown" not in html

    def test_a_very_long_main_table_says_where_the_rest_is(self, make_report_data):
        data = make_report_data(n_rows=MAIN_TABLE_ROWS + 5)
        html = " ".join(render_html(data).split())
        assert f"+4477008{MAIN_TABLE_ROWS - 1:05d}" in html
        assert f"+4477008{MAIN_TABLE_ROWS:05d}" not in html
        assert f"{MAIN_TABLE_ROWS} of {MAIN_TABLE_ROWS + 5} rows shown" in html

    def test_an_empty_further_table_says_so(self, make_report_data):
        data = make_report_data()
        html = render_html(replace(data, analyses=[with_tables(data.analyses[0],
                                                               cells_table(0))]))
        assert "The table has no rows." in html


class TestCells:
    def test_line_numbers_become_ranges(self):
        assert line_ranges([9, 2, 3, 4, 6, 10]) == "2–4, 6, 9–10"

    def test_a_very_long_value_is_cut_at_a_separator_and_says_so(self):
        text = cell({"ex1": list(range(2, 4000, 2))}, {"ex1": "ABC/1"})
        shown, _, note = text.partition(" … (")
        assert shown.startswith("ABC/1: 2, 4, 6") and len(shown) <= 400
        assert not shown.endswith(",") and note.endswith("more characters in the attached "
                                                         "result document)")

    def test_source_rows_name_the_exhibit_reference(self):
        assert cell({"ex1": [2, 3], "ex2": [7]}, {"ex1": "ABC/1"}) == "ABC/1: 2–3; ex2: 7"

    def test_missing_values_show_a_dash_and_exhibit_ids_their_reference(self):
        assert (cell(None, {}), cell(["ex1", "ex9"], {"ex1": "ABC/1"})) == ("—", "ABC/1, ex9")

    def test_column_names_are_spaced_and_acronyms_written_in_capitals(self):
        assert (humanise("first_cgi_utc"), humanise("events_read"), humanise("vrm")) == (
            "First CGI UTC", "Events read", "VRM")
