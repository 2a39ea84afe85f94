"""The one exception hierarchy of detente. Only the CLI turns these into exit codes."""

from __future__ import annotations


class DetenteError(Exception):
    """Base class of every error detente raises on purpose."""


class InputError(DetenteError):
    """A file, line or field of the input could not be read.

    ``location`` names where: ``path``, ``path:line`` or ``path:line:field``.
    """

    def __init__(self, message: str, location: str | None = None) -> None:
        self.location = location
        self.detail = message
        super().__init__(f"{location}: {message}" if location else message)


class ConfigError(DetenteError):
    """An option or configuration value is invalid."""


class ModelError(DetenteError):
    """A language model or trained artefact is missing or unusable."""


class PipelineError(DetenteError):
    """Stages were put together in a way that cannot work."""


class StoreError(DetenteError):
    """The event store could not be opened, read or written."""
