"""Analyses over the event store."""

from detente.analysis.dyad import FREQUENCIES, dyad_series, format_series_table

__all__ = ["FREQUENCIES", "dyad_series", "format_series_table"]
