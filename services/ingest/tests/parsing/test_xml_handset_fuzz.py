"""Property-based fuzzing of the ETSI and handset parsers: whatever the bytes, the parse
ends in a report (rows, rejects, file errors), never an exception, and the counts add up.

Inputs that once broke a parser are kept under ``corpus/etsi_xml/`` and
``corpus/handset/`` and replayed on every run.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from linesight_ingest.parsing.etsi_xml import parse_retained_data
from linesight_ingest.parsing.handset import parse_handset
from linesight_ingest.samples import handset_generator as hgen
from linesight_ingest.samples.etsi_xml_generator import generate

CORPUS = Path(__file__).parent / "corpus"
SEEDS = {"etsi_xml": generate(3, 6, True), "handset": hgen.ufed_xml(3, 4)}
XRY_SEED = hgen.xry_text(3, 4)
PARSERS = {"etsi_xml": parse_retained_data, "handset": parse_handset}


def parse_ok(parser, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src, out_dir = Path(tmp) / "in", Path(tmp) / "out"
        src.write_bytes(data)
        out_dir.mkdir()
        out = parser(src, exhibit_id="FZ", out_dir=out_dir, batch_rows=3)
        r = out.report
        assert r.rows_read == r.rows_accepted + r.rows_rejected
        assert out.tables or r.file_errors


@st.composite
def mutated(draw, seed: bytes) -> bytes:
    """The seed with a few byte-level cuts, flips and splices."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["cut", "flip", "insert", "delete"]))
        i = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "cut":
            del data[i:]
        elif op == "flip" and data:
            data[i] = draw(st.integers(0, 255))
        elif op == "insert":
            data[i:i] = draw(st.sampled_from([b"<", b"&", b"]]>", b"\x00", b"<!DOCTYPE x>",
                                              b"</model>", b"<model type=\"Call\">", b"\xff"]))
        elif data:
            del data[i:i + draw(st.integers(1, 64))]
    return bytes(data)


FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


class TestFuzz:
    @FUZZ
    @given(data=mutated(SEEDS["etsi_xml"]))
    def test_mutated_retained_data_never_crashes(self, data):
        parse_ok(parse_retained_data, data)

    @FUZZ
    @given(data=mutated(SEEDS["handset"]))
    def test_mutated_ufed_reports_never_crash(self, data):
        parse_ok(parse_handset, data)

    @FUZZ
    @given(data=mutated(XRY_SEED))
    def test_mutated_xry_reports_never_crash(self, data):
        parse_ok(parse_handset, data)

    @FUZZ
    @given(data=st.binary(max_size=2048))
    def test_arbitrary_bytes_never_crash_either_parser(self, data):
        parse_ok(parse_retained_data, data)
        parse_ok(parse_handset, data)


@pytest.mark.parametrize("path", sorted(p for d in PARSERS for p in (CORPUS / d).glob("*")
                                        if p.is_file()), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_regression_corpus(path: Path):
    parse_ok(PARSERS[path.parent.name], path.read_bytes())
