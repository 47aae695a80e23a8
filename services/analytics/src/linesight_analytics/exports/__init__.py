"""Exports of a result: its GeoJSON as KML (Google Earth), a table as CSV, the whole
document as XLSX. Each is deterministic: the same result gives the same bytes."""

from linesight_analytics.exports.csv import FORMULA_NOTE, table_csv
from linesight_analytics.exports.kml import geojson_kml
from linesight_analytics.exports.xlsx import document_xlsx

__all__ = ["FORMULA_NOTE", "document_xlsx", "geojson_kml", "table_csv"]
