"""The only part of detente that imports spaCy."""

from .parse import ParseStage, load_language_model

__all__ = ["ParseStage", "load_language_model"]
