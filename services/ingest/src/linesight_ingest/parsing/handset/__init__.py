"""Handset downloads (kind ``handset_download``): Cellebrite UFED report.xml / .ufdr and
MSAB XRY text reports → ``events``, ``messages``, ``contacts``, ``handsets``, ``cells``.

Importing the package registers the parser. See ``services/ingest/docs/handset-*.md``.
"""

from linesight_ingest.parsing.handset.parser import (
    KIND,
    PARSER_NAME,
    PARSER_VERSION,
    HandsetDownloadParser,
    detect,
    parse_handset,
)

__all__ = ["KIND", "PARSER_NAME", "PARSER_VERSION", "HandsetDownloadParser", "detect",
           "parse_handset"]
