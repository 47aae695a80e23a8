"""Cell identities: numbers written in decimal or ``0x`` hex, radios, and the canonical CGI.

Canonical ``cgi`` (what ``cells.cgi`` holds and :mod:`.lookup` matches):

* 2G/3G: ``MCC-MNC-LAC-CI``; 4G: ``MCC-MNC-TAC-ECI``; 5G: ``MCC-MNC-TAC-NCI``.
* MCC three digits; LAC/TAC and CI/ECI/NCI in decimal without leading zeros, however
  they were written (``0x295B`` → ``10587``).
* MNC: two or three digits **as written**, because ``03`` and ``003`` are different
  networks under 3GPP. A one-digit MNC (a spreadsheet or an integer export such as
  OpenCelliD's ``net`` dropped its leading zero) is padded to two digits. So a
  three-digit MNC with a leading zero that a source stored as an integer (``310-010``
  written as ``10``) comes out as ``310-10``: the source has lost the distinction and
  the report cannot restore it. All UK MNCs (MCC 234/235) are two digits.
"""

from __future__ import annotations

import polars as pl

RADIOS = {"GSM": "GSM", "2G": "GSM", "UMTS": "UMTS", "3G": "UMTS", "WCDMA": "UMTS",
          "LTE": "LTE", "4G": "LTE", "NR": "NR", "5G": "NR", "5GNR": "NR"}
#: largest LAC/TAC and CI/ECI/NCI for each radio (3GPP field widths)
LIMITS = {"GSM": (0xFFFF, 0xFFFF), "UMTS": (0xFFFF, 0x0FFFFFFF),
          "LTE": (0xFFFF, 0x0FFFFFFF), "NR": (0xFFFFFF, 0xFFFFFFFFF),
          None: (0xFFFFFF, 0xFFFFFFFFF)}

_NUM = r"(?:0[xX][0-9A-Fa-f]{1,9}|\d{1,12})"
CGI_SHAPE = rf"^(\d{{3}})-(\d{{1,3}})-({_NUM})-({_NUM})$"


def number(raw: pl.Expr) -> pl.Expr:
    """Decimal or ``0x`` hex → Int64; anything else (hex without ``0x``, signs) → null."""
    s = raw.str.strip_chars()
    hexa = s.str.contains(r"^0[xX][0-9A-Fa-f]{1,9}$")
    dec = s.str.contains(r"^\d{1,12}$")
    return (pl.when(hexa).then(s.str.slice(2).str.to_integer(base=16, strict=False))
            .when(dec).then(s.str.to_integer(base=10, strict=False))
            .otherwise(None).cast(pl.Int64))


def whole(raw: pl.Expr) -> pl.Expr:
    """Decimal digits, allowing a ``.0`` a spreadsheet adds → Int64, else null."""
    s = raw.str.strip_chars().str.replace(r"\.0+$", "")
    return pl.when(s.str.contains(r"^\d{1,12}$")).then(s.cast(pl.Int64, strict=False))


def radio(raw: pl.Expr) -> pl.Expr:
    key = raw.str.strip_chars().str.to_uppercase().str.replace_all(r"[\s\-]", "")
    return key.replace_strict(RADIOS, default=None, return_dtype=pl.String)


def mnc_text(raw: pl.Expr) -> pl.Expr:
    """MNC as written (2-3 digits), a lone digit padded to two; else null."""
    s = raw.str.strip_chars().str.replace(r"\.0+$", "")
    return (pl.when(s.str.contains(r"^\d{2,3}$")).then(s)
            .when(s.str.contains(r"^\d$")).then(pl.lit("0") + s).otherwise(None))


def mcc_text(raw: pl.Expr) -> pl.Expr:
    s = raw.str.strip_chars().str.replace(r"\.0+$", "")
    return pl.when(s.str.contains(r"^\d{3}$")).then(s).otherwise(None)


def cgi(mcc: pl.Expr, mnc: pl.Expr, lac: pl.Expr, ci: pl.Expr) -> pl.Expr:
    return pl.concat_str([mcc, mnc, lac.cast(pl.String), ci.cast(pl.String)], separator="-")


def in_limits(radio_col: str, lac: pl.Expr, ci: pl.Expr) -> pl.Expr:
    """True where LAC/TAC and CI fit the radio's field widths (unknown radio: widest)."""
    ok = pl.lit(False)
    for r, (max_lac, max_ci) in LIMITS.items():
        is_r = pl.col(radio_col).is_null() if r is None else pl.col(radio_col) == r
        ok = pl.when(is_r).then((lac <= max_lac) & (ci <= max_ci)).otherwise(ok)
    return ok


def enodeb(radio_col: str, ci: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """LTE only: eNodeB id (ECI >> 8) and sector (ECI & 0xFF); null for other radios."""
    lte = pl.col(radio_col) == "LTE"
    return (pl.when(lte).then(ci // 256).otherwise(None).cast(pl.Int64),
            pl.when(lte).then(ci % 256).otherwise(None).cast(pl.Int32))
