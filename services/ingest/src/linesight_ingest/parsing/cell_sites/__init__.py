"""Cell-site lists → the ``cells`` table; registers the parser for exhibits of kind
``cell_sites``. Formats and choices: ``services/ingest/docs/cell-sites.md``."""

from __future__ import annotations

from linesight_ingest.parsing.cell_sites.parser import PARSER_NAME, PARSER_VERSION, CellSitesParser
from linesight_ingest.parsing.registry import register

KIND = "cell_sites"
register(KIND, CellSitesParser())

__all__ = ["KIND", "PARSER_NAME", "PARSER_VERSION", "CellSitesParser"]
