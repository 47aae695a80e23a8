"""CDR parsing: pure functions from a file's bytes to canonical ``events`` rows and a report.

No database, no object store, no clock: the ``exhibits.parse`` job calls
:func:`parse_cdr_file` and stores what it returns.
"""

from linesight_ingest.parsing.cdr import ParseResult, libraries, parse_cdr_file
from linesight_ingest.parsing.layout import COLUMNS, PARSER_NAME, PARSER_VERSION, SOURCE_TZ
from linesight_ingest.parsing.report import ReportBuilder

__all__ = [
    "COLUMNS",
    "PARSER_NAME",
    "PARSER_VERSION",
    "SOURCE_TZ",
    "ParseResult",
    "ReportBuilder",
    "libraries",
    "parse_cdr_file",
]
