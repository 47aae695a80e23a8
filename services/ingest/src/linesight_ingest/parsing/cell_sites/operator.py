"""An operator's cell list (CSV or XLSX) → ``cells`` rows.

One row per cell and period of validity. The identity comes from a ``CGI``/``ECGI``
column (``MCC-MNC-LAC-CI``, numbers in decimal or ``0x`` hex) or from split ``MCC``,
``MNC``, ``LAC``/``TAC`` and ``CI``/``ECI`` columns; when both are present the CGI column
is used. Valid from/to are UK local (``dd/mm/yyyy``, ISO) unless an offset is written.
"""

from __future__ import annotations

import polars as pl

from linesight_ingest.parsing.cell_sites import ids
from linesight_ingest.parsing.cell_sites.rows import (
    BLANK,
    chosen_position,
    decimal,
    grid_positions,
    position_checks,
)
from linesight_ingest.parsing.rowcheck import Check, blank, given_but, text
from linesight_ingest.parsing.when import parse_when

BAD_CGI = ("not a CGI/ECGI in MCC-MNC-LAC-CI form (3-digit MCC, 2-3 digit MNC, LAC/TAC "
           "and CI/ECI in decimal or 0x hex)")
BAD_MCC = "MCC is not 3 digits"
BAD_MNC = "MNC is not 2 or 3 digits"
BAD_NUMBER = "not a whole number in decimal or 0x hex (hex needs the 0x prefix)"
BAD_RADIO = "unknown radio (expected GSM/2G, UMTS/3G, LTE/4G or NR/5G)"
TOO_BIG = "LAC/TAC or CI/ECI is larger than the radio's identity field allows"
BAD_AZIMUTH = "azimuth is not a bearing from 0 to 360 degrees (or 'omni')"
BAD_BEAMWIDTH = "beamwidth is not a number of degrees above 0 and up to 360"
BAD_RANGE = "range is not a non-negative number of metres"
BAD_WHEN = "not a date/time (dd/mm/yyyy [HH:MM[:SS]], or ISO 8601 with or without offset)"
BAD_PERIOD = "valid to is not after valid from"
OMNI = ("OMNI", "OMNIDIRECTIONAL")


def _identity(p: dict[str, int]) -> list[pl.Expr]:
    if "cgi" in p:
        parts = [text("cgi").str.extract(ids.CGI_SHAPE, i) for i in (1, 2, 3, 4)]
    else:
        parts = [text(k) for k in ("mcc", "mnc", "lac", "ci")]
    mcc, mnc, lac, ci = parts
    return [ids.mcc_text(mcc).alias("_mcc"), ids.mnc_text(mnc).alias("_mnc"),
            ids.number(lac).alias("_lac"), ids.number(ci).alias("_ci")]


def _identity_checks(p: dict[str, int]) -> list[Check]:
    if "cgi" in p:
        return [("cgi", blank("cgi"), BLANK),
                ("cgi", ~blank("cgi") & pl.any_horizontal(
                    pl.col(c).is_null() for c in ("_mcc", "_mnc", "_lac", "_ci")),
                 BAD_CGI)]
    checks: list[Check] = [(k, blank(k), BLANK) for k in ("mcc", "mnc", "lac", "ci")]
    return checks + [("mcc", given_but("mcc", pl.col("_mcc")), BAD_MCC),
                     ("mnc", given_but("mnc", pl.col("_mnc")), BAD_MNC),
                     ("lac", given_but("lac", pl.col("_lac")), BAD_NUMBER),
                     ("ci", given_but("ci", pl.col("_ci")), BAD_NUMBER)]


def _azimuth(p: dict[str, int]) -> pl.Expr:
    if "azimuth" not in p:
        return pl.lit(None, dtype=pl.Float64)
    v = decimal("azimuth")
    return pl.when((v >= 0) & (v <= 360)).then(v % 360)


def _omni(p: dict[str, int]) -> pl.Expr:
    if "azimuth" not in p:
        return pl.lit(False)
    return text("azimuth").str.to_uppercase().is_in(OMNI).fill_null(False)


def normalise(df: pl.DataFrame, p: dict[str, int]) -> tuple[pl.DataFrame, list[Check]]:
    """Parsed columns beside the raw ones, and the checks that reject a row."""
    latlon, ngr = {"lat", "lon"} <= p.keys(), "ngr" in p
    if ngr:
        df = grid_positions(df, "ngr")
    valid_from = parse_when(df["valid_from"])
    valid_to = parse_when(df["valid_to"])
    df = df.with_columns(*_identity(p),
                         (ids.radio(pl.col("radio")) if "radio" in p
                          else pl.lit(None, dtype=pl.String)).alias("_radio"),
                         valid_from["utc"].alias("_valid_from"),
                         valid_to["utc"].alias("_valid_to"))
    beam = decimal("beamwidth")
    rng = decimal("range_m")
    checks = _identity_checks(p) + [
        ("radio", given_but("radio", pl.col("_radio")), BAD_RADIO),
        ("cgi" if "cgi" in p else "ci",
         ~ids.in_limits("_radio", pl.col("_lac"), pl.col("_ci")), TOO_BIG),
        *position_checks(latlon, ngr),
        ("azimuth", given_but("azimuth", _azimuth(p)) & ~_omni(p), BAD_AZIMUTH),
        ("beamwidth", given_but("beamwidth", pl.when((beam > 0) & (beam <= 360)).then(beam)),
         BAD_BEAMWIDTH),
        ("range_m", given_but("range_m", pl.when(rng >= 0).then(rng)), BAD_RANGE),
        ("valid_from", given_but("valid_from", pl.col("_valid_from")), BAD_WHEN),
        ("valid_to", given_but("valid_to", pl.col("_valid_to")), BAD_WHEN),
        ("valid_to", pl.col("_valid_to") <= pl.col("_valid_from"), BAD_PERIOD),
    ]
    return df, checks


def finish(ok: pl.DataFrame, p: dict[str, int]) -> pl.DataFrame:
    """Accepted rows → the ``cells`` columns (see :func:`.rows.to_cells_table`)."""
    latlon, ngr = {"lat", "lon"} <= p.keys(), "ngr" in p
    enb, sector = ids.enodeb("_radio", pl.col("_ci"))
    return ok.with_columns(
        ids.cgi(pl.col("_mcc"), pl.col("_mnc"), pl.col("_lac"), pl.col("_ci")).alias("cgi"),
        pl.col("_radio").alias("radio"), pl.col("_lac").alias("lac"),
        pl.col("_ci").alias("cell_id"), pl.col("_valid_from").alias("valid_from"),
        pl.col("_valid_to").alias("valid_to"),
        pl.col("_mcc").cast(pl.Int32).alias("mcc"), pl.col("_mnc").cast(pl.Int32).alias("mnc"),
        enb.alias("enodeb_id"), sector.alias("sector"),
        *chosen_position(latlon, ngr),
        _azimuth(p).alias("azimuth"),
        pl.when(_omni(p)).then(pl.lit(360.0)).otherwise(decimal("beamwidth"))
        .alias("beamwidth"),
        decimal("range_m").alias("range_m"),
        text("site_name").alias("site_name"),
        text("postcode").str.to_uppercase().str.replace_all(r"\s+", " ").alias("postcode"),
    )
