"""The profile-driven CDR parse: choose a profile (forced or detected), read, normalise.

A pure function of the file, the profiles it may choose from and the exhibit id. The
report names the profile it used (``parser`` and ``parser_version`` are the profile's
name and version, ``profile`` holds its SHA-256, source, confidence, whether it was
forced, and every candidate with its score), so a past parse can be re-run with the very
same profile text. Datasets record ``linesight.parser`` = the profile's name and
``linesight.parser_version`` = its version, exactly as ``uk-operator-cdr-v1`` always has.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linesight_shared.tables import EVENTS_SCHEMA, EVENTS_TABLE

from linesight_ingest.parsing.cdr import ParseResult, libraries
from linesight_ingest.parsing.layout import PARSER_NAME, PARSER_VERSION
from linesight_ingest.parsing.numbers import E164, NumberBook, normalise_parties
from linesight_ingest.parsing.parquet import DatasetWriter, with_metadata
from linesight_ingest.parsing.profiles.detect import (
    THRESHOLD,
    Candidate,
    detect,
    header_block_target,
    open_table,
    score,
)
from linesight_ingest.parsing.profiles.loader import (
    BUILTIN,
    LoadedProfile,
    available,
    resolve,
)
from linesight_ingest.parsing.profiles.model import FileFormat
from linesight_ingest.parsing.profiles.rows import normalise_with_profile
from linesight_ingest.parsing.registry import ParseOutput, Progress
from linesight_ingest.parsing.report import ReportBuilder

#: names the report of a parse that could not choose any profile
UNCHOSEN = "cdr-mapping-profiles"
ENGINE_VERSION = "1.0.0"


@dataclass
class ProfileReport(ReportBuilder):
    """A report that also names the mapping profile used (the ``profile`` key)."""

    profile: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        if self.profile is not None:
            out["profile"] = self.profile
        return out


def _profile_record(loaded: LoadedProfile, cand: Candidate, forced: bool,
                    candidates: list[Candidate]) -> dict[str, Any]:
    return {"name": loaded.name, "version": loaded.profile.version, "sha256": loaded.sha256,
            "source": loaded.source, "confidence": cand.confidence, "forced": forced,
            "threshold": THRESHOLD, "candidates": [c.as_dict() for c in candidates]}


def choose(path: Path, *, forced: str | None = None,
           custom_profiles: dict[str, str] | None = None
           ) -> tuple[LoadedProfile | None, list[Candidate], str | None]:
    """The profile to parse with, the ranked candidates, and why none was chosen."""
    if forced:
        try:
            loaded = resolve(forced, custom_profiles)
        except KeyError:
            names = ", ".join(p.ref for p in available(custom_profiles))
            return None, [], f"no mapping profile is named {forced!r} (known: {names})"
        return loaded, [score(path, loaded)], None
    profiles = available(custom_profiles)
    ranked = detect(path, profiles)
    best = ranked[0] if ranked else None
    if best is None or best.confidence < THRESHOLD:
        listing = "; ".join(f"{c.name}@{c.version} {c.confidence:.2f} ({', '.join(c.reasons[:2])})"
                            for c in ranked)
        return None, ranked, (f"no mapping profile fits this file with confidence ≥ "
                              f"{THRESHOLD} (candidates: {listing}); force one with the "
                              "upload's 'profile' field, or add a profile that fits")
    loaded = next(p for p in profiles if p.name == best.name and p.sha256 == best.sha256)
    return loaded, ranked, None


def parse_with_profile(path: Path, loaded: LoadedProfile, *, exhibit_id: str, out_path: Path,
                       batch_rows: int = 100_000,
                       progress: Callable[[float], None] | None = None,
                       max_rows: int | None = None,
                       report: ProfileReport | None = None) -> ParseResult:
    """Read ``path`` as ``loaded`` says; the same contract as :func:`parse_cdr_file`.

    The built-in ``uk-operator-cdr-v1`` layout runs on the block reader and per-distinct
    normaliser of ``cdr_v1`` (3-4× faster); it writes the same bytes and report as the
    general profile engine (tested on the sample and on a generated 1M-row file)."""
    profile = loaded.profile
    report = report or ProfileReport(parser=profile.name, parser_version=profile.version)
    if (loaded.source == BUILTIN and profile.name == PARSER_NAME
            and profile.version == PARSER_VERSION and max_rows is None):
        from linesight_ingest.parsing.cdr_v1 import parse_v1_file

        return parse_v1_file(path, exhibit_id=exhibit_id, out_path=out_path,
                             batch_rows=batch_rows, progress=progress, report=report)
    table = open_table(path, profile, report, batch_rows=batch_rows, progress=progress,
                       max_rows=max_rows)
    if not table.usable:
        return ParseResult(report=report, dataset_path=None)
    header = table.header
    book = NumberBook()
    target = header_block_target(profile, header)
    if profile.target is not None:
        label = profile.target.from_header_block
        if target is None:
            report.file_error(f"the header block above line {header.line} has no "
                              f"{label!r} value (the profile takes the target from there)")
        elif normalise_parties(_series(target), book)["kind"][0] != E164:
            report.file_error(f"the header block's {label!r} ({target}) is not a valid phone "
                              "number", field=label)
        if report.failed:
            return ParseResult(report=report, dataset_path=None)
    meta = {"linesight.exhibit_id": exhibit_id, "linesight.parser": profile.name,
            "linesight.parser_version": profile.version,
            "linesight.source_tz": profile.times.source_tz,
            **{f"linesight.library.{k}": v for k, v in libraries().items()}}
    if profile.format is FileFormat.xlsx:
        meta["linesight.source_ref"] = table.sheet or ""
    with DatasetWriter(out_path, with_metadata(EVENTS_SCHEMA, meta)) as writer:
        for batch in table.batches:
            writer.write(normalise_with_profile(batch, header, profile, exhibit_id=exhibit_id,
                                                book=book, report=report, target=target))
    if report.rows_read and not report.rows_accepted:
        report.file_error(f"no row could be read: all {report.rows_read} data rows were "
                          "rejected (see rejects)")
    elif not report.rows_read and not report.failed:
        report.warn("the file has a header and no data rows (a nil return?)")
    if report.failed:
        out_path.unlink(missing_ok=True)
        return ParseResult(report=report, dataset_path=None)
    return ParseResult(report=report, dataset_path=out_path)


def _series(value: str):
    import polars as pl

    return pl.Series("target", [value], dtype=pl.String)


def parse_cdr(path: Path, *, exhibit_id: str, out_path: Path, batch_rows: int = 100_000,
              progress: Callable[[float], None] | None = None,
              options: dict[str, Any] | None = None,
              max_rows: int | None = None) -> ParseResult:
    """Choose the profile (``options['profile']`` forces one; ``options['custom_profiles']``
    is ``{name@version: yaml}`` of the profiles stored in the ingest database), then parse."""
    options = options or {}
    forced = options.get("profile")
    if path.stat().st_size == 0:  # no profile can fit nothing: say so plainly
        report = ProfileReport(parser=UNCHOSEN, parser_version=ENGINE_VERSION)
        report.file_error("the file is empty (0 bytes)")
        return ParseResult(report=report, dataset_path=None)
    loaded, ranked, why_not = choose(path, forced=forced,
                                     custom_profiles=options.get("custom_profiles"))
    if loaded is None:
        report = ProfileReport(parser=UNCHOSEN, parser_version=ENGINE_VERSION,
                               profile={"name": None, "forced": bool(forced),
                                        "threshold": THRESHOLD,
                                        "candidates": [c.as_dict() for c in ranked]})
        report.file_error(why_not or "no mapping profile was chosen")
        return ParseResult(report=report, dataset_path=None)
    report = ProfileReport(parser=loaded.name, parser_version=loaded.profile.version,
                           profile=_profile_record(loaded, ranked[0] if forced else
                                                   next(c for c in ranked
                                                        if c.sha256 == loaded.sha256),
                                                   bool(forced), ranked))
    if forced and ranked[0].confidence < THRESHOLD:
        report.warn(f"profile {loaded.ref} was forced although it fits this file with "
                    f"confidence {ranked[0].confidence:.2f} (< {THRESHOLD})")
    elif not forced:
        close = [c for c in ranked[1:] if c.confidence >= THRESHOLD
                 and ranked[0].confidence - c.confidence < 0.05]
        for c in close:
            report.warn(f"profile {c.name}@{c.version} also fits this file (confidence "
                        f"{c.confidence:.2f}); {loaded.ref} was chosen")
    return parse_with_profile(path, loaded, exhibit_id=exhibit_id, out_path=out_path,
                              batch_rows=batch_rows, progress=progress, max_rows=max_rows,
                              report=report)


class ProfileCdrParser:
    """The parser of exhibits of kind ``cdr``: any layout a mapping profile describes.

    ``name``/``version`` are those of the default profile, ``uk-operator-cdr-v1``; each
    parse's report and datasets name the profile actually used."""

    name = PARSER_NAME
    version = PARSER_VERSION

    def parse(self, path: Path, *, exhibit_id: str, out_dir: Path, batch_rows: int,
              progress: Progress | None = None,
              options: dict[str, Any] | None = None) -> ParseOutput:
        result = parse_cdr(path, exhibit_id=exhibit_id,
                           out_path=out_dir / f"{EVENTS_TABLE}.parquet",
                           batch_rows=batch_rows, progress=progress, options=options)
        tables = {EVENTS_TABLE: result.dataset_path} if result.dataset_path else {}
        return ParseOutput(report=result.report, tables=tables, libraries=libraries())
