"""Exchange formats: export stored events (GDELT 2.0, PLOVER, CSV, JSONL, Parquet) and
import GDELT 2.0 and ICEWS event files into the store."""

from detente.exchange.export import EXPORT_FORMATS, PLOVER_FIELDS, ExportReport, export_events
from detente.exchange.gdelt import GDELT_COLUMNS
from detente.exchange.importer import IMPORT_FORMATS, ImportReport, import_events

__all__ = [
    "EXPORT_FORMATS",
    "GDELT_COLUMNS",
    "IMPORT_FORMATS",
    "PLOVER_FIELDS",
    "ExportReport",
    "ImportReport",
    "export_events",
    "import_events",
]
