"""An OpenCelliD CSV export → ``cells`` rows.

Columns: ``radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,
averageSignal``. ``area`` is the LAC (GSM/UMTS) or TAC (LTE/NR); ``cell`` the CI, the
28-bit ECI (LTE: eNodeB = ECI >> 8, sector = ECI & 0xFF) or the NCI (NR). ``range`` is
OpenCelliD's estimate in metres → ``range_m``. There is no azimuth or beamwidth.

``created`` (Unix seconds, when OpenCelliD first recorded the cell) becomes
``valid_from``: before it the source holds no evidence that the cell existed.
``updated`` is when it was last measured, not an end of service, so ``valid_to`` stays
open; it must still be a valid time no earlier than ``created``. ``unit`` (PSC/PCI),
``samples``, ``changeable`` and ``averageSignal`` describe the crowd-sourced estimate
and are not stored. CDMA rows have no GSM-family cell identity and are rejected.
"""

from __future__ import annotations

import polars as pl

from linesight_ingest.parsing.cell_sites import ids
from linesight_ingest.parsing.cell_sites.rows import (
    BLANK,
    chosen_position,
    decimal,
    position_checks,
)
from linesight_ingest.parsing.rowcheck import Check, blank, given_but, text

BAD_RADIO = "radio is not GSM, UMTS, LTE or NR"
CDMA = "CDMA cell: no GSM-family cell global identity (CDMA is not used in the UK)"
BAD_MCC = "mcc is not 3 digits"
BAD_NET = "net (MNC) is not a number from 0 to 999"
BAD_NUMBER = "not a whole number"
TOO_BIG = "area or cell is larger than the radio's identity field allows"
BAD_RANGE = "range is not a non-negative number of metres"
BAD_EPOCH = "not a Unix time in seconds between 1970 and 2100"
BAD_ORDER = "updated is before created"
_MAX_EPOCH = 4_102_444_800  # 2100-01-01


def _epoch(key: str) -> pl.Expr:
    v = ids.whole(text(key))
    return pl.when(v <= _MAX_EPOCH).then(v)


def normalise(df: pl.DataFrame, p: dict[str, int]) -> tuple[pl.DataFrame, list[Check]]:
    radio_up = text("radio").str.to_uppercase()
    df = df.with_columns(
        pl.when(radio_up.is_in(["GSM", "UMTS", "LTE", "NR"])).then(radio_up).alias("_radio"),
        ids.mcc_text(text("mcc")).alias("_mcc"),
        ids.whole(text("net")).alias("_net"),
        ids.whole(text("area")).alias("_lac"),
        ids.whole(text("cell")).alias("_ci"),
        _epoch("created").alias("_created"), _epoch("updated").alias("_updated"),
    )
    rng = decimal("range")
    checks: list[Check] = [
        *((k, blank(k), BLANK) for k in ("radio", "mcc", "net", "area", "cell", "created")),
        ("radio", radio_up == "CDMA", CDMA),
        ("radio", ~blank("radio") & (radio_up != "CDMA") & pl.col("_radio").is_null(),
         BAD_RADIO),
        ("mcc", given_but("mcc", pl.col("_mcc")), BAD_MCC),
        ("net", given_but("net", pl.when(pl.col("_net") <= 999).then(pl.col("_net"))),
         BAD_NET),
        ("area", given_but("area", pl.col("_lac")), BAD_NUMBER),
        ("cell", given_but("cell", pl.col("_ci")), BAD_NUMBER),
        ("cell", pl.col("_radio").is_not_null()
         & ~ids.in_limits("_radio", pl.col("_lac"), pl.col("_ci")), TOO_BIG),
        *position_checks(True, False),
        ("range", given_but("range", pl.when(rng >= 0).then(rng)), BAD_RANGE),
        ("created", given_but("created", pl.col("_created")), BAD_EPOCH),
        ("updated", given_but("updated", pl.col("_updated")), BAD_EPOCH),
        ("updated", pl.col("_updated") < pl.col("_created"), BAD_ORDER),
    ]
    return df, checks


def finish(ok: pl.DataFrame, p: dict[str, int]) -> pl.DataFrame:
    mnc = ok["_net"].cast(pl.String).str.zfill(2)
    enb, sector = ids.enodeb("_radio", pl.col("_ci"))
    return ok.with_columns(mnc.alias("_mnc")).with_columns(
        ids.cgi(pl.col("_mcc"), pl.col("_mnc"), pl.col("_lac"), pl.col("_ci")).alias("cgi"),
        pl.col("_radio").alias("radio"), pl.col("_lac").alias("lac"),
        pl.col("_ci").alias("cell_id"),
        pl.col("_mcc").cast(pl.Int32).alias("mcc"), pl.col("_net").cast(pl.Int32).alias("mnc"),
        enb.alias("enodeb_id"), sector.alias("sector"),
        *chosen_position(True, False),
        decimal("range").alias("range_m"),
        pl.from_epoch(pl.col("_created"), time_unit="s").dt.cast_time_unit("us")
        .dt.replace_time_zone("UTC").alias("valid_from"),
        pl.lit(None, dtype=pl.Datetime("us", "UTC")).alias("valid_to"),
    )
