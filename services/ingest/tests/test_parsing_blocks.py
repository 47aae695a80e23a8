"""The block reader: the same records and rejects as the line-by-line reader, faster."""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from linesight_ingest.parsing import blocks
from linesight_ingest.parsing.cdr_v1 import parse_v1_file
from linesight_ingest.parsing.reader import _block_batches, _line_batches, iter_records
from linesight_ingest.parsing.report import ReportBuilder

HEADER = b"h\n"


def read_both(tmp_path: Path, body: bytes, *, width: int, block_bytes: int = 64,
              batch_rows: int = 3) -> tuple[tuple, tuple]:
    """(batches, report facts) from the per-line reader and from the block reader."""
    src = tmp_path / "x.csv"
    src.write_bytes(HEADER + body)
    out = []
    for per_line in (True, False):
        report = ReportBuilder(parser="t", parser_version="0")
        with src.open("rb") as f:
            f.readline()
            size = src.stat().st_size
            batches = (_line_batches(f, report, width, batch_rows, None, size) if per_line
                       else _block_batches(f, report, width, batch_rows, None, size,
                                           block_bytes))
            got = [[(r.line, r.fields) for r in batch] for batch in batches]
        rejects = sorted((r.line, r.field, r.value, r.reason) for r in report.all_rejects)
        out.append((got, (report.rows_read, report.blank_lines, rejects)))
    return out[0], out[1]


def rejects(tmp_path: Path, body: bytes, **kw) -> list[tuple]:
    slow, fast = read_both(tmp_path, body, **kw)
    assert fast == slow
    return fast[1][2]


class TestBlockReaderMatchesTheLineReader:
    def test_a_bad_byte_in_a_block_names_its_own_line_and_file_offset(self, tmp_path):
        body = b"a,b\n" * 5 + b"caf\xe9,x\n" + b"c,d\n" * 5
        found = rejects(tmp_path, body, width=2, block_bytes=1 << 20)
        offset = len(HEADER) + body.index(b"\xe9")
        assert found == [(7, None, f"byte 0xE9 at byte offset {offset}",
                          "line is not valid UTF-8 (it may be Latin-1 or Windows-1252)")]

    def test_a_bad_byte_in_the_last_line_of_a_block_is_found_and_the_next_block_reads_on(
            self, tmp_path):
        body = b"a,b\n" * 3 + b"x\xff,y\n" + b"c,d\n" * 3
        block = body.index(b"\xff") + len(b"\xff,y\n")  # the first block ends on that line
        slow, fast = read_both(tmp_path, body, width=2, block_bytes=block)
        assert fast == slow
        offset = len(HEADER) + body.index(b"\xff")
        assert fast[1][2][0][:3] == (5, None, f"byte 0xFF at byte offset {offset}")
        assert [line for batch in fast[0] for line, _ in batch] == [2, 3, 4, 6, 7, 8]

    def test_a_block_of_mostly_bad_lines_still_rejects_each_with_its_own_offset(self, tmp_path):
        body = b"".join(b"r%d\xe9,x\n" % i for i in range(blocks.MAX_LOCATED_BAD_LINES + 10))
        found = rejects(tmp_path, body + b"ok,1\n", width=2, block_bytes=1 << 20)
        assert len(found) == blocks.MAX_LOCATED_BAD_LINES + 10
        assert len({value for _, _, value, _ in found}) == len(found)

    def test_quoted_lines_are_split_by_the_csv_rules(self, tmp_path):
        body = b'"a,1","say ""hi"""\nplain,2\n"x"y,3\n'
        slow, fast = read_both(tmp_path, body, width=2)
        assert fast == slow
        assert fast[0] == [[(2, ["a,1", 'say "hi"']), (3, ["plain", "2"])]]
        assert fast[1][2][0][0] == 4 and fast[1][2][0][3].startswith("malformed CSV quoting")

    def test_crlf_and_lf_files_give_the_same_records(self, tmp_path):
        lf, _ = read_both(tmp_path, b"a,b\nc,d\n", width=2)
        crlf, _ = read_both(tmp_path, b"a,b\r\nc,d\r\n", width=2)
        assert lf == crlf

    def test_a_last_line_without_a_line_break_is_read_with_its_number(self, tmp_path):
        slow, fast = read_both(tmp_path, b"a,b\n\nc,d", width=2, block_bytes=3)
        assert fast == slow
        assert fast[0] == [[(2, ["a", "b"]), (4, ["c", "d"])]]
        assert fast[1][:2] == (2, 1)

    def test_nul_bytes_inner_carriage_returns_and_wrong_widths_are_rejected_alike(
            self, tmp_path):
        body = b"a,\x00b\nc\rd,e\nf,g,h\n \t\r\ni,j\r\n"
        found = rejects(tmp_path, body, width=2)
        assert [(line, reason.split(":")[0]) for line, _, _, reason in found] == [
            (2, "line contains a NUL byte"), (3, "malformed CSV quoting"),
            (4, "wrong number of fields")]

    def test_batches_hold_exactly_batch_rows_records_whatever_the_block_size(self, tmp_path):
        body = b"".join(b"%d,x\n" % i for i in range(25))
        for block_bytes in (4, 17, 1 << 20):
            _, fast = read_both(tmp_path, body, width=2, block_bytes=block_bytes, batch_rows=7)
            assert [len(b) for b in fast[0]] == [7, 7, 7, 4]


TOKENS = st.sampled_from(["a", "bc", ",", ",", '"', '""', " ", "\t", "\r", "é", "\x00",
                          "\u2028", "x\xe9"])


@st.composite
def csv_bodies(draw) -> bytes:
    lines = draw(st.lists(st.lists(TOKENS, max_size=6).map("".join), max_size=12))
    raw = [line.encode("utf-8") for line in lines]
    if draw(st.booleans()):  # a Latin-1 byte somewhere
        raw = [r.replace(b"\xc3\xa9", b"\xe9", 1) if i % 2 else r for i, r in enumerate(raw)]
    ending = draw(st.sampled_from([b"\n", b"\r\n"]))
    body = ending.join(raw)
    return body + ending if draw(st.booleans()) else body


class TestProperty:
    @settings(max_examples=300, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(body=csv_bodies(), width=st.integers(1, 4), block_bytes=st.integers(1, 40),
           batch_rows=st.integers(1, 4))
    def test_the_block_reader_and_the_line_reader_agree_on_any_small_file(
            self, tmp_path, body, width, block_bytes, batch_rows):
        slow, fast = read_both(tmp_path, body, width=width, block_bytes=block_bytes,
                               batch_rows=batch_rows)
        assert fast == slow

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.lists(st.text(alphabet="ab ,\t", max_size=4), min_size=1,
                             max_size=4), min_size=1, max_size=8))
    def test_a_plain_line_splits_exactly_as_csv_reader_splits_it(self, rows):
        lines = [",".join(r) for r in rows]
        width = len(rows[0])
        part = blocks.split_block(("\n".join(lines) + "\n").encode(), first_line=2,
                                  first_offset=0, width=width)
        split = [(i + 2, line, next(csv.reader([line]))) for i, line in enumerate(lines)
                 if line.strip(" \t")]
        assert [(line, list(fields)) for line, *fields in part.good.iter_rows()] == [
            (n, f) for n, _, f in split if len(f) == width]
        assert part.wrong_width == [(n, text, len(f)) for n, text, f in split
                                    if len(f) != width]
        assert part.blank_lines == len(lines) - len(split) and not part.slow


class TestWholeFiles:
    def test_the_v1_parse_of_the_sample_matches_the_reference_line_reader_byte_for_byte(
            self, tmp_path):
        sample = Path(__file__).parents[3] / "samples" / "op-monza" / "ABC-1_deal-line_cdr.csv"
        outs = []
        for per_line in (False, True):
            out = tmp_path / f"{per_line}.parquet"
            result = parse_v1_file(sample, exhibit_id="e" * 32, out_path=out,
                                   batch_rows=1000, per_line=per_line)
            outs.append((out.read_bytes(), result.report.to_dict()))
        assert outs[0] == outs[1]

    def test_records_can_still_be_iterated_as_rows(self, tmp_path, make_cdr, make_row):
        src = tmp_path / "x.csv"
        src.write_bytes(make_cdr(make_row(1), make_row(2)))
        header, batches = iter_records(src, ReportBuilder(parser="t", parser_version="0"))
        (batch,) = list(batches)
        assert [(r.line, r.fields[0]) for r in batch] == [(2, "R1"), (3, "R2")]
        assert len(batch) == 2 and header.width == 14

