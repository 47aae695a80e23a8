"""Ofcom's legacy Sitefinder mast list → ``cells`` rows (sites, not cells).

Sitefinder lists transmitters at masts (``operator, operator_ref, site_ngr, height,
type, band, power``) with no cell identities, so a row can never be matched to a CDR's
cell. It is kept in ``cells`` so masts can be drawn on a map and an analyst can ask which
operators had a mast near a place:

* ``cgi`` = ``SITE:<operator>:<operator_ref>``, a site key that cannot collide with a
  real CGI (which is all digits and dashes). Several rows share it when the operator
  listed several transmitters (bands, sectors) at one site; each keeps its own
  ``source_row``.
* ``radio`` from ``type`` (GSM, UMTS, LTE, TETRA; TETRA is Airwave, the emergency
  services' radio network, kept so the list is complete).
* ``lat``/``lon`` from ``site_ngr`` through pyproj (see :mod:`.grid`); ``grid_ref`` keeps
  the reference as written. ``beamwidth`` is 360 for an ``Omni`` antenna, else null;
  ``azimuth``, MCC/MNC, LAC and validity are unknown and stay null (Sitefinder is an
  undated snapshot, withdrawn in 2012). Height, band and power stay in the original.
"""

from __future__ import annotations

import polars as pl

from linesight_ingest.parsing.cell_sites.rows import (
    BLANK,
    chosen_position,
    grid_positions,
    position_checks,
)
from linesight_ingest.parsing.rowcheck import Check, blank, given_but, text

RADIOS = ("GSM", "UMTS", "LTE", "NR", "TETRA")
BAD_TYPE = "type is not GSM, UMTS, LTE, NR or TETRA"


def normalise(df: pl.DataFrame, p: dict[str, int]) -> tuple[pl.DataFrame, list[Check]]:
    df = grid_positions(df, "ngr")
    up = text("type").str.to_uppercase()
    df = df.with_columns(pl.when(up.is_in(RADIOS)).then(up).alias("_radio"))
    checks: list[Check] = [
        *((k, blank(k), BLANK) for k in ("operator", "operator_ref")),
        ("type", given_but("type", pl.col("_radio")), BAD_TYPE),
        *position_checks(False, True),
    ]
    return df, checks


def finish(ok: pl.DataFrame, p: dict[str, int]) -> pl.DataFrame:
    omni = text("antenna_type").str.to_uppercase() == "OMNI"
    return ok.with_columns(
        (pl.lit("SITE:") + text("operator") + pl.lit(":") + text("operator_ref")).alias("cgi"),
        pl.col("_radio").alias("radio"),
        *chosen_position(False, True),
        pl.when(omni).then(pl.lit(360.0)).otherwise(None).alias("beamwidth"),
    )
