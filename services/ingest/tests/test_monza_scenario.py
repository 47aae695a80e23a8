"""The Monza scenario generator: its exhibits ingest cleanly and its planted truth can be
recovered from them.

Every written file is parsed by the parser the ``exhibits.parse`` job uses for its kind
(``parsing.registry.parser_for``) and must be read without a single reject. The planted
truth is then recovered from the parsed tables with the simple, published methods an
analyst would use (written here in Polars, independently of the analytics service): the
most frequent night cell, overnight gaps, co-location on the same or neighbouring masts
within a time tolerance, journeys between two areas, ANPR reads near the line's cells at
matching times, and tower-dump intersection. Decoys must never outrank what was planted.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import re
from datetime import datetime, timedelta

import polars as pl
import pytest
from linesight_ingest.exhibits.schemas import EXHIBIT_REFERENCE, ExhibitKind
from linesight_ingest.parsing.registry import parser_for
from linesight_ingest.samples.monza import DEFAULT_SEED, generate
from linesight_ingest.samples.monza.__main__ import main

TABLE_OF = {"cdr": "events", "tower_dump": "events", "cell_sites": "cells", "anpr": "anpr_reads"}
UK = "Europe/London"


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    out = tmp_path_factory.mktemp("monza")
    manifest = generate(out, seed=DEFAULT_SEED)
    return out, manifest, json.loads((out / "truth.json").read_text())


@pytest.fixture(scope="module")
def parsed(scenario, tmp_path_factory):
    """reference → (exhibit file, parse report, table name → DataFrame)."""
    out, manifest, _ = scenario
    result = {}
    for f in manifest.files:
        parser = parser_for(f.kind)
        options = ({"options": {"profile": None, "custom_profiles": {}}}
                   if "options" in inspect.signature(parser.parse).parameters else {})
        work = tmp_path_factory.mktemp("parsed")
        done = parser.parse(out / f.filename, exhibit_id=f"{int(f.reference.split('/')[1]):032x}",
                            out_dir=work, batch_rows=50_000, **options)
        result[f.reference] = (f, done.report, {t: pl.read_parquet(p)
                                                for t, p in done.tables.items()})
    return result


def frames(parsed, kind: str) -> list[pl.DataFrame]:
    return [tables[TABLE_OF[kind]] for f, _, tables in parsed.values() if f.kind == kind]


@pytest.fixture(scope="module")
def cdr_events(parsed) -> pl.DataFrame:
    return pl.concat(frames(parsed, "cdr"))


@pytest.fixture(scope="module")
def positions(parsed) -> pl.DataFrame:
    """Mast position by the cell id an event writes (an LTE cell also by MCC-MNC-ECI)."""
    cells = frames(parsed, "cell_sites")[0]
    alias = cells.filter(pl.col("radio") == "LTE").with_columns(
        cgi=pl.format("{}-{}-{}", pl.col("mcc"), pl.col("mnc").cast(pl.String).str.zfill(2),
                      pl.col("cell_id")))
    return pl.concat([cells, alias]).select("cgi", "lat", "lon").unique("cgi")


def located(events: pl.DataFrame, positions: pl.DataFrame) -> pl.DataFrame:
    """One row per event: its subject, time (UTC and UK local) and first cell's mast."""
    return (events.filter(pl.col("first_cell").is_not_null())
            .join(positions, left_on="first_cell", right_on="cgi", how="left")
            .select("subject", "start_utc", "first_cell", "last_cell", "lat", "lon",
                    local=pl.col("start_utc").dt.convert_time_zone(UK)))


def metres(lat1, lon1, lat2, lon2) -> pl.Expr:
    """Haversine distance between two points given as expressions (degrees)."""
    p1, p2 = lat1.radians(), lat2.radians()
    dp, dl = p2 - p1, (lon2 - lon1).radians()
    a = (dp / 2).sin() ** 2 + p1.cos() * p2.cos() * (dl / 2).sin() ** 2
    return 2 * 6_371_000 * a.sqrt().arcsin()


def near_in_time(left: pl.DataFrame, right: pl.DataFrame, time_l: str, time_r: str,
                 tolerance_s: int) -> pl.DataFrame:
    """Every pair of rows whose times are within ``tolerance_s`` (a bucketed join); the
    right row's time is ``t_r`` and its clashing columns end in ``_r``."""
    size = tolerance_s * 1_000_000 or 1
    lb = left.with_columns(_b=pl.col(time_l).dt.epoch("us") // size)
    rb = (right.rename({time_r: "t_r"}).with_columns(_b=pl.col("t_r").dt.epoch("us") // size)
          .with_columns(_b=pl.concat_list(pl.col("_b") - 1, pl.col("_b"), pl.col("_b") + 1))
          .explode("_b"))
    return lb.join(rb, on="_b", suffix="_r").filter(
        (pl.col(time_l) - pl.col("t_r")).dt.total_seconds().abs() <= tolerance_s)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text)


def colocation(points: pl.DataFrame, target: str, tolerance_s: int, distance_m: int
               ) -> pl.DataFrame:
    """Per other subject: distinct UK days and event pairs with an event of ``target``
    within the tolerance on a mast within the distance; most days first."""
    mine = points.filter(pl.col("subject") == target).select("start_utc", "lat", "lon")
    others = points.filter(pl.col("subject") != target)
    pairs = near_in_time(others, mine, "start_utc", "start_utc", tolerance_s)
    pairs = pairs.filter(metres(pl.col("lat"), pl.col("lon"), pl.col("lat_r"),
                                pl.col("lon_r")) <= distance_m + 1)
    return (pairs.group_by("subject")
            .agg(days=pl.col("local").dt.date().n_unique(), pairs=pl.len())
            .sort(["days", "pairs", "subject"], descending=[True, True, False]))


class TestExhibits:
    def test_every_file_parses_with_no_reject_through_the_parser_registered_for_its_kind(
            self, parsed):
        for ref, (f, report, tables) in parsed.items():
            assert not report.failed, (ref, report.file_errors)
            assert report.rows_read == report.rows_accepted == f.rows, (ref, report.rejects[:3])
            assert list(tables) == [TABLE_OF[f.kind]], ref
            assert tables[TABLE_OF[f.kind]].height == f.rows, ref

    def test_the_manifest_names_forty_exhibits_the_ingest_api_would_accept(self, scenario):
        out, manifest, _ = scenario
        kinds = [f.kind for f in manifest.files]
        assert (kinds.count("cell_sites"), kinds.count("cdr"), kinds.count("anpr"),
                kinds.count("tower_dump")) == (1, 34, 2, 3)
        assert [f.reference for f in manifest.files] == [f"MONZA/{i}" for i in range(1, 41)]
        for f in manifest.files:
            assert re.fullmatch(EXHIBIT_REFERENCE, f.reference) and ExhibitKind(f.kind)
            assert hashlib.sha256((out / f.filename).read_bytes()).hexdigest() == f.sha256
        assert json.loads((out / "manifest.json").read_text())["files"][1]["reference"] == \
            "MONZA/2"

    def test_each_cdr_is_about_one_number_and_together_they_cover_every_planted_phone(
            self, parsed, scenario):
        truth = scenario[2]
        subjects = []
        for tables in (t for f, _, t in parsed.values() if f.kind == "cdr"):
            assert tables["events"]["subject"].n_unique() == 1
            subjects.append(tables["events"]["subject"][0])
        planted = {truth["deal_line"], truth["runner"], *truth["decoy_numbers"],
                   *(s["number"] for s in truth["suspects"])}
        assert sorted(subjects) == sorted(planted) and len(planted) == 34

    def test_the_deal_line_has_about_fifteen_thousand_events_over_two_months_across_bst(
            self, cdr_events, scenario):
        line = cdr_events.filter(pl.col("subject") == scenario[2]["deal_line"])
        assert 13_000 <= line.height <= 17_000
        local = line["start_utc"].dt.convert_time_zone(UK).dt.date()
        assert (str(local.min()), str(local.max())) == ("2024-09-16", "2024-11-15")
        assert set(line["time_flag"].drop_nulls()) == {"ambiguous"}  # 27/10 01:00-01:59
        bulk = (line.filter((pl.col("kind") == "sms") & (pl.col("direction") == "out"))
                .group_by(pl.col("start_utc").dt.truncate("10m")).len())
        assert bulk["len"].max() >= 35  # a "menu" text to dozens of customers
        assert line["imei"].n_unique() == 2  # the handset was changed, the number kept

    def test_a_call_between_two_phones_in_the_case_is_in_both_cdrs_at_the_same_second(
            self, cdr_events, scenario):
        truth = scenario[2]
        line, runner = truth["deal_line"], truth["runner"]
        mo = cdr_events.filter((pl.col("subject") == line) & (pl.col("b_party") == runner)
                               & (pl.col("direction") == "out") & (pl.col("time_flag").is_null()))
        mt = cdr_events.filter((pl.col("subject") == runner) & (pl.col("a_party") == line)
                               & (pl.col("direction") == "in") & (pl.col("time_flag").is_null()))
        assert mo.height > 300
        assert mo.select("start_utc", "kind", "duration_s").sort(pl.all()).equals(
            mt.select("start_utc", "kind", "duration_s").sort(pl.all()))

    def test_every_cell_an_event_names_is_in_the_cell_list_and_valid_at_that_time(
            self, parsed, cdr_events):
        cells = frames(parsed, "cell_sites")[0]
        alias = cells.filter(pl.col("radio") == "LTE").with_columns(
            cgi=pl.format("{}-{}-{}", pl.col("mcc"), pl.col("mnc").cast(pl.String).str.zfill(2),
                          pl.col("cell_id")))
        keyed = pl.concat([cells, alias]).select("cgi", "valid_from", "valid_to")
        used = pl.concat([
            cdr_events.select("event_id", "start_utc", cgi="first_cell"),
            cdr_events.select("event_id", "start_utc", cgi="last_cell"),
            *(f.select("event_id", "start_utc", cgi="first_cell") for f in
              frames(parsed, "tower_dump"))]).drop_nulls("cgi")
        valid = used.join(keyed, on="cgi", how="left").filter(
            (pl.col("valid_from") <= pl.col("start_utc"))
            & (pl.col("valid_to").is_null() | (pl.col("start_utc") < pl.col("valid_to"))))
        assert used.select("event_id", "cgi").unique().height == \
            valid.select("event_id", "cgi").unique().height

    def test_the_cell_list_has_sectors_omni_sites_ranges_and_a_3g_switch_off(self, parsed):
        cells = frames(parsed, "cell_sites")[0]
        assert set(cells["radio"]) == {"GSM", "UMTS", "LTE"}
        sectored = cells.filter(pl.col("azimuth").is_not_null())
        assert set(sectored["azimuth"].cast(pl.Int64)) >= {0, 120, 240}
        assert sectored["beamwidth"].is_between(65, 120).all()
        omni = cells.filter(pl.col("azimuth").is_null())
        assert omni.height > 0 and (omni["beamwidth"] == 360).all()
        assert cells["range_m"].is_between(500, 3000).all()
        umts = cells.filter(pl.col("radio") == "UMTS")
        assert str(umts["valid_to"].max()) < "2024-09-16"
        assert cells.group_by("cgi").len()["len"].max() == 2  # one cell was re-pointed

    def test_anpr_reads_carry_positions_and_both_time_forms(self, parsed):
        met, kent = frames(parsed, "anpr")
        assert met["lat"].null_count() == kent["lat"].null_count() == 0
        assert set(met["source_tz"]) == {UK}
        assert set(kent["source_tz"]) == {"+01:00", "+00:00"}


class TestPlantedTruth:
    def test_the_deal_line_sleeps_at_suspect_1s_home_by_night_cell_and_by_nights(
            self, cdr_events, scenario):
        truth = scenario[2]
        line = cdr_events.filter(pl.col("subject") == truth["deal_line"]).with_columns(
            local=pl.col("start_utc").dt.convert_time_zone(UK))
        night = line.filter((pl.col("local").dt.hour() >= 22) | (pl.col("local").dt.hour() < 7))
        by_events = night.group_by("first_cell").len().sort(["len", "first_cell"],
                                                             descending=[True, False])
        by_nights = (night.with_columns(n=(pl.col("local") - pl.duration(hours=12)).dt.date())
                     .group_by("first_cell").agg(pl.col("n").n_unique())
                     .sort(["n", "first_cell"], descending=[True, False]))
        assert by_events["first_cell"][0] == by_nights["first_cell"][0] == \
            truth["deal_line_home_cell"]

    def test_overnight_gaps_start_and_end_at_home_most_nights_and_at_the_trap_house_next(
            self, cdr_events, scenario):
        truth = scenario[2]
        line = (cdr_events.filter(pl.col("subject") == truth["deal_line"]).sort("start_utc")
                .with_columns(cell=pl.coalesce("last_cell", "first_cell"),
                              gap=pl.col("start_utc").shift(-1) - pl.col("start_utc"),
                              next_cell=pl.col("first_cell").shift(-1)))
        gaps = line.filter(pl.col("gap") >= pl.duration(hours=4))
        before = gaps.group_by("cell").len().sort(["len", "cell"], descending=[True, False])
        after = gaps.group_by("next_cell").len().sort(["len", "next_cell"],
                                                      descending=[True, False])
        assert before["cell"][0] == after["next_cell"][0] == truth["deal_line_home_cell"]
        assert before["cell"][1] == truth["trap_house_cell"]
        assert before["len"][0] >= 40 and truth["deal_line_nights"]["s1_home"] >= 40

    def test_each_suspect_and_the_runner_sleep_at_their_own_home_cell(self, cdr_events,
                                                                       scenario):
        truth = scenario[2]
        homes = {s["number"]: s["home_cell"] for s in truth["suspects"]}
        homes[truth["runner"]] = truth["runner_home_cell"]
        for number, cell in homes.items():
            night = cdr_events.filter((pl.col("subject") == number) & (
                (pl.col("start_utc").dt.convert_time_zone(UK).dt.hour() >= 22)
                | (pl.col("start_utc").dt.convert_time_zone(UK).dt.hour() < 7)))
            top = night.group_by("first_cell").len().sort(["len", "first_cell"],
                                                          descending=[True, False])
            assert top["first_cell"][0] == cell, number

    def test_suspect_1s_neighbours_sleep_on_his_home_cell_too(self, cdr_events, scenario):
        truth = scenario[2]
        neighbours = [d["number"] for d in truth["decoys"]
                      if d["label"].startswith("neighbour of suspect 1")]
        assert len(neighbours) == 4
        for number in neighbours:
            night = cdr_events.filter((pl.col("subject") == number) & (
                pl.col("start_utc").dt.convert_time_zone(UK).dt.hour().is_in([22, 23, 5, 6])))
            top = night.group_by("first_cell").len().sort(["len", "first_cell"],
                                                          descending=[True, False])
            assert top["first_cell"][0] == truth["suspects"][0]["home_cell"], number

    @pytest.mark.parametrize(("tolerance_s", "distance_m"),
                             [(900, 1500), (300, 1000), (1800, 1500), (900, 0)])
    def test_the_suspects_are_the_top_companions_and_no_decoy_comes_close(
            self, cdr_events, positions, scenario, tolerance_s, distance_m):
        truth = scenario[2]
        ranking = colocation(located(cdr_events, positions), truth["deal_line"], tolerance_s,
                             distance_m)
        s1, s2 = (c["number"] for c in truth["companions"])
        assert ranking["subject"].to_list()[:2] == [s1, s2]
        decoys = ranking.filter(pl.col("subject").is_in(truth["decoy_numbers"]))
        s2_row = ranking.filter(pl.col("subject") == s2).row(0, named=True)
        assert decoys["days"].max() * 1.5 <= s2_row["days"]
        assert decoys["pairs"].max() * 2 <= s2_row["pairs"]

    def test_each_companion_is_co_located_on_the_days_it_travelled(self, cdr_events, positions,
                                                                   scenario):
        truth = scenario[2]
        pts = located(cdr_events, positions)
        line = pts.filter(pl.col("subject") == truth["deal_line"]).select("start_utc", "lat", "lon")
        for c in truth["companions"]:
            mine = pts.filter(pl.col("subject") == c["number"])
            pairs = near_in_time(mine, line, "start_utc", "start_utc", 900).filter(
                metres(pl.col("lat"), pl.col("lon"), pl.col("lat_r"), pl.col("lon_r")) <= 1500)
            days = {str(d) for d in pairs["local"].dt.date().unique()}
            assert len(set(c["travel_days"]) & days) >= 0.8 * len(c["travel_days"]), c["key"]
        assert len(truth["companions"][0]["travel_days"]) > len(truth["companions"][1]["travel_days"])

    def test_the_line_makes_the_planted_journeys_between_london_and_margate(
            self, cdr_events, positions, scenario):
        truth = scenario[2]
        pts = located(cdr_events.filter(pl.col("subject") == truth["deal_line"]), positions)
        area = pl.lit(None, dtype=pl.String)
        for a in truth["areas"]:
            inside = metres(pl.col("lat"), pl.col("lon"), pl.lit(a["lat"]),
                            pl.lit(a["lon"])) <= a["radius_km"] * 1000
            area = pl.when(inside).then(pl.lit(a["name"])).otherwise(area)
        seq = (pts.sort("start_utc").with_columns(area=area).drop_nulls("area")
               .filter(pl.col("area") != pl.col("area").shift(1).fill_null("")))
        moves = list(zip(seq["area"][:-1], seq["area"][1:], seq["start_utc"][1:], strict=True))
        assert [(a, b) for a, b, _ in moves] == [(j["from"], j["to"]) for j in truth["journeys"]]
        for (_, _, seen), j in zip(moves, truth["journeys"], strict=True):
            # first event placed in the destination: near when the car crossed into it
            assert utc(j["enter_area_utc"]) - timedelta(minutes=20) <= seen, j
            assert seen <= utc(j["arrive_utc"]) + timedelta(hours=1), j
        assert len(truth["journeys"]) >= 2 * 16

    def test_the_car_is_the_vehicle_that_follows_the_line_and_no_decoy_comes_close(
            self, parsed, cdr_events, positions, scenario):
        truth = scenario[2]
        params = truth["parameters"]
        line = located(cdr_events.filter(pl.col("subject") == truth["deal_line"]), positions)
        reads = pl.concat(frames(parsed, "anpr")).select(
            "vrm", "read_utc", cam_lat="lat", cam_lon="lon")
        pairs = near_in_time(reads, line.select("start_utc", "lat", "lon"), "read_utc",
                             "start_utc", params["anpr_tolerance_s"])
        pairs = pairs.filter(metres(pl.col("cam_lat"), pl.col("cam_lon"), pl.col("lat"),
                                    pl.col("lon")) <= params["anpr_distance_m"])
        ranking = (pairs.group_by("vrm")
                   .agg(days=pl.col("read_utc").dt.convert_time_zone(UK).dt.date().n_unique(),
                        reads=pl.col("read_utc").n_unique())
                   .sort(["days", "reads", "vrm"], descending=[True, True, False]))
        car = truth["car"]["vrm"].replace(" ", "")
        assert ranking["vrm"][0] == car
        decoys = {v.replace(" ", "") for v in truth["decoy_vrms"]}
        assert ranking.filter(pl.col("vrm").is_in(decoys))["days"].max() * 3 <= ranking["days"][0]
        assert ranking.filter(pl.col("vrm").is_in(decoys))["reads"].max() * 5 <= ranking["reads"][0]
        journey_days = {j["depart_utc"][:10] for j in truth["journeys"]}
        car_days = {str(d) for d in pairs.filter(pl.col("vrm") == car)["read_utc"]
                    .dt.date().unique()}
        assert journey_days <= car_days

    def test_the_numbers_in_several_tower_dumps_are_the_planted_ones(self, parsed, scenario):
        truth = scenario[2]
        seen: dict[str, set[str]] = {}
        for ref, (f, _, tables) in parsed.items():
            if f.kind != "tower_dump":
                continue
            dump = next(d for d in truth["tower_dumps"] if d["reference"] == ref)
            ev = tables["events"]
            assert set(ev["first_cell"]) <= set(dump["cells"])
            assert utc(dump["from_utc"]) <= ev["start_utc"].min()
            assert ev["start_utc"].max() < utc(dump["to_utc"])
            for number in ev["subject"].drop_nulls().unique():
                seen.setdefault(number, set()).add(ref)
        multiple = sorted(n for n, refs in seen.items() if len(refs) >= 2)
        assert multiple == truth["numbers_in_multiple_dumps"]
        assert {truth["deal_line"], truth["runner"]} <= set(multiple)
        assert not set(multiple) & set(truth["decoy_numbers"])

    def test_the_runner_phone_is_silent_after_the_arrest_at_the_station(self, cdr_events,
                                                                        scenario):
        truth = scenario[2]
        runner = cdr_events.filter(pl.col("subject") == truth["runner"])
        last = runner["start_utc"].max().strftime("%Y-%m-%dT%H:%M:%SZ")
        assert "2024-11-15" in last and last <= truth["runner_arrest"]["utc"]

    def test_truth_json_is_written_with_sorted_keys_and_names_what_was_planted(self, scenario):
        out, _, truth = scenario
        text = (out / "truth.json").read_text()
        assert text == json.dumps(truth, indent=2, sort_keys=True) + "\n"
        assert {"deal_line", "runner", "suspects", "deal_line_home_cell", "trap_house_cell",
                "companions", "car", "decoy_numbers", "decoy_vrms", "journeys", "areas",
                "tower_dumps", "numbers_in_multiple_dumps", "parameters"} <= set(truth)
        assert len(truth["decoy_numbers"]) == 30 and len(truth["decoy_vrms"]) == 40
        assert truth["car"]["vrm"] not in truth["decoy_vrms"]


class TestGenerator:
    def test_the_same_seed_gives_byte_identical_files(self, scenario, tmp_path):
        out, manifest, _ = scenario
        again = generate(tmp_path, seed=DEFAULT_SEED)
        assert again == manifest
        names = sorted(p.name for p in out.iterdir())
        assert names == sorted(p.name for p in tmp_path.iterdir())
        for name in names:
            assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name

    def test_another_seed_gives_another_scenario(self, tmp_path):
        a = generate(tmp_path / "a", seed=1, scale=0.1)
        b = generate(tmp_path / "b", seed=2, scale=0.1)
        assert a.files[1].sha256 != b.files[1].sha256
        assert json.loads((tmp_path / "a" / "truth.json").read_text())["deal_line"] != \
            json.loads((tmp_path / "b" / "truth.json").read_text())["deal_line"]

    def test_scale_shrinks_the_volumes_and_keeps_the_people(self, scenario, tmp_path):
        small = generate(tmp_path, seed=DEFAULT_SEED, scale=0.1)
        full = scenario[1]
        assert small.files[1].rows < full.files[1].rows / 5
        truth = json.loads((tmp_path / "truth.json").read_text())
        assert truth["deal_line"] == scenario[2]["deal_line"]
        assert truth["car"]["vrm"] == scenario[2]["car"]["vrm"]

    def test_a_scale_that_is_not_positive_is_refused(self, tmp_path):
        with pytest.raises(ValueError, match="scale"):
            generate(tmp_path, scale=0)

    def test_the_command_line_writes_the_scenario_it_lists(self, tmp_path, capsys):
        main([str(tmp_path / "cli"), "--seed", "5", "--scale", "0.1"])
        printed = capsys.readouterr().out
        manifest = generate(tmp_path / "api", seed=5, scale=0.1)
        for f in manifest.files:
            assert f.filename in printed
            assert (tmp_path / "cli" / f.filename).read_bytes() == \
                (tmp_path / "api" / f.filename).read_bytes()
        assert (tmp_path / "cli" / "truth.json").exists()
