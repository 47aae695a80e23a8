"""The parse job runs the parser registered for the exhibit's kind and keeps every table
it writes as its own dataset."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from linesight_ingest.parsing.parquet import DatasetWriter
from linesight_ingest.parsing.registry import ParseOutput, kinds, parser_for
from linesight_ingest.parsing.report import ReportBuilder
from linesight_shared.tables import TABLES

from .test_parse_job import parsed, report_of

pytestmark = pytest.mark.anyio


class TwoTableParser:
    """Writes one ``contacts`` row and one ``handsets`` row for each line of the file."""

    name = "test-two-tables"
    version = "1.0.0"

    def parse(self, path: Path, *, exhibit_id: str, out_dir: Path, batch_rows: int,
              progress=None) -> ParseOutput:
        report = ReportBuilder(parser=self.name, parser_version=self.version)
        lines = path.read_text().splitlines()
        tables = {}
        for table in ("contacts", "handsets"):
            schema = TABLES[table]
            cols = {f.name: [None] * len(lines) for f in schema}
            cols["exhibit_id"] = [exhibit_id] * len(lines)
            cols["source_row"] = list(range(1, len(lines) + 1))
            if table == "handsets":
                cols["handset_id"] = ["h1"] * len(lines)
            writer = DatasetWriter(out_dir / f"{table}.parquet", schema)
            writer.write(pa.Table.from_pydict(cols, schema=schema))
            writer.close()
            tables[table] = writer.path
        report.rows_read = report.rows_accepted = len(lines)
        return ParseOutput(report=report, tables=tables, libraries={"pyarrow": pa.__version__})


@pytest.fixture
def two_tables(monkeypatch):
    parser = TwoTableParser()
    pick = lambda kind: parser if kind == "handset_download" else parser_for(kind)
    monkeypatch.setattr("linesight_ingest.exhibits.service.parser_for", pick)
    monkeypatch.setattr("linesight_ingest.exhibits.tasks.parser_for", pick)
    return parser


class TestRegistry:
    def test_the_cdr_parser_is_registered_for_kind_cdr(self):
        assert "cdr" in kinds() and parser_for("cdr").name == "uk-operator-cdr-v1"

    def test_a_kind_without_a_parser_has_none(self):
        assert parser_for("no-such-kind") is None


class TestMultiTableParse:
    async def test_each_table_becomes_a_dataset_named_in_the_report_and_the_audit(
            self, api, ingest, audit, two_tables):
        await api.open_case()
        exhibit, job = await parsed(api, ingest, b"a\nb\nc\n", kind="handset_download")
        assert job["status"] == "succeeded", job["message"]
        datasets = (await api.get("/v1/cases/OP-MONZA/datasets")).json()["datasets"]
        assert sorted((d["table"], d["rows"]) for d in datasets) == [("contacts", 3),
                                                                    ("handsets", 3)]
        report = await report_of(api, exhibit)
        assert report["tables"] == {"contacts": 3, "handsets": 3}
        assert sorted(report["dataset_ids"]) == sorted(d["id"] for d in datasets)
        entry = next(e for e in audit.entries("OP-MONZA")
                     if e["parameters"].get("action") == "exhibit.parse")
        assert sorted(o["id"] for o in entry["objects"] if o["type"] == "dataset") == \
            sorted(d["id"] for d in datasets)
