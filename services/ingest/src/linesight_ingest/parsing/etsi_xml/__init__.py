"""ETSI TS 102 657 retained-data XML (kind ``retained_data_xml``) → ``events`` and ``cells``.

Importing the package registers the parser. See ``services/ingest/docs/etsi-ts-102-657.md``.
"""

from linesight_ingest.parsing.etsi_xml.parser import (
    KIND,
    PARSER_NAME,
    PARSER_VERSION,
    RetainedDataXmlParser,
    parse_retained_data,
)

__all__ = ["KIND", "PARSER_NAME", "PARSER_VERSION", "RetainedDataXmlParser",
           "parse_retained_data"]
