"""Party strings → E.164, withheld, short code, invalid or absent (GB default).

The common shapes are rewritten with Polars string expressions to a ``+<digits>``
candidate; ``phonenumbers`` then checks each *distinct* candidate once (a
:class:`NumberBook` remembers the answers across batches), never once per row. Nothing
is guessed: a string that is not a valid number stays ``invalid`` with its raw text kept,
letters are never read as a keypad, and digits are never padded or trimmed to fit.

Shapes read as numbers (after removing spaces, ``-``, ``.``, ``/`` and brackets):

==========================  =============================  ===========================
written                      example                        read as
==========================  =============================  ===========================
national, trunk ``0``        ``07700 900123``, ``020 7946``  ``+44`` + digits after 0
``+44`` (optional ``(0)``)   ``+44 (0)7700 900123``         ``+44`` + digits
``0044`` (optional ``0``)    ``00447700900123``             ``+44`` + digits
``+`` international          ``+33 6 12 34 56 78``          as written
``00`` international         ``0033612345678``              ``+`` + digits after 00
7-15 digits, no ``0``        ``447700900123``               ``+`` + digits (E.164
                                                            without the plus, as
                                                            operators write it)
==========================  =============================  ===========================

2-6 digits not starting with 0 (``999``, ``112``, ``101``, ``150``, ``118118``, ``901``)
are short codes.
"""

from __future__ import annotations

import phonenumbers
import polars as pl

#: lower-cased strings an operator writes for a caller line identity that was not given
WITHHELD_WORDS = (
    "withheld", "number withheld", "cli withheld", "private", "private number",
    "unknown", "restricted", "anonymous", "unavailable", "not available", "no cli",
    "cli not available",
)

E164 = "e164"
WITHHELD = "withheld"
SHORT_CODE = "short_code"
INVALID = "invalid"
ABSENT = "absent"

_STRIP = r"[\s\-\./()\[\]]"
_NSN = r"[1-9]\d{8,9}"  # a UK national significant number: 9 or 10 digits


def _candidate(cleaned: pl.Expr) -> pl.Expr:
    """``+<digits>`` for the shapes in the module docstring, else null."""
    return (
        pl.when(cleaned.str.contains(rf"^0{_NSN}$"))
        .then(pl.lit("+44") + cleaned.str.slice(1))
        .when(cleaned.str.contains(rf"^\+440?{_NSN}$"))
        .then(pl.lit("+44") + cleaned.str.replace(r"^\+440?", ""))
        .when(cleaned.str.contains(rf"^00440?{_NSN}$"))
        .then(pl.lit("+44") + cleaned.str.replace(r"^00440?", ""))
        .when(cleaned.str.contains(r"^\+[1-9]\d{6,14}$"))
        .then(cleaned)
        .when(cleaned.str.contains(r"^00[1-9]\d{6,14}$"))
        .then(pl.lit("+") + cleaned.str.slice(2))
        .when(cleaned.str.contains(r"^[1-9]\d{6,14}$"))
        .then(pl.lit("+") + cleaned)
        .otherwise(None)
    )


class NumberBook:
    """Validity of each distinct candidate, asked of ``phonenumbers`` once per process run."""

    def __init__(self) -> None:
        self._known: dict[str, str | None] = {}
        self.lookups = 0

    def resolve(self, candidates: pl.Series) -> pl.Series:
        """E.164 for each ``+<digits>`` candidate that is a valid number, else null."""
        for c in candidates.drop_nulls().unique().to_list():
            if c not in self._known:
                self._known[c] = _e164_or_none(c)
                self.lookups += 1
        if not self._known:
            return pl.Series(candidates.name, [None] * len(candidates), dtype=pl.String)
        return candidates.replace_strict(self._known, default=None, return_dtype=pl.String)


def _e164_or_none(candidate: str) -> str | None:
    try:
        parsed = phonenumbers.parse(candidate, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalise_parties(raw: pl.Series, book: NumberBook) -> pl.DataFrame:
    """For each raw party string: ``number`` (E.164 or null) and ``kind``.

    ``kind`` is one of ``e164``, ``withheld``, ``short_code``, ``invalid`` or ``absent``
    (blank). Whether a blank means *withheld* depends on the call's direction, which the
    caller decides. Each distinct string is worked out once and the answers joined back
    (a CDR repeats the same few thousand numbers), so the cost follows the distinct
    strings, not the rows.
    """
    keys = pl.DataFrame({"raw": raw.cast(pl.String)})
    answers = _normalise_distinct(keys.unique(), book)
    return keys.join(answers, on="raw", how="left", nulls_equal=True,
                     maintain_order="left").select("number", "kind")


def _normalise_distinct(df: pl.DataFrame, book: NumberBook) -> pl.DataFrame:
    trimmed = pl.col("raw").fill_null("").str.strip_chars()
    df = df.with_columns(
        trimmed.alias("_trim"),
        trimmed.str.replace_all(_STRIP, "").alias("_clean"),
    ).with_columns(_candidate(pl.col("_clean")).alias("_cand"))
    df = df.with_columns(book.resolve(df["_cand"]).alias("number"))
    kind = (
        pl.when(pl.col("_trim") == "").then(pl.lit(ABSENT))
        .when(pl.col("_trim").str.to_lowercase().str.replace_all(r"\s+", " ")
              .is_in(WITHHELD_WORDS)).then(pl.lit(WITHHELD))
        .when(pl.col("_clean").str.contains(r"^[1-9]\d{1,5}$")).then(pl.lit(SHORT_CODE))
        .when(pl.col("number").is_not_null()).then(pl.lit(E164))
        .otherwise(pl.lit(INVALID))
    )
    return df.select("raw", pl.col("number"), kind.alias("kind"))
