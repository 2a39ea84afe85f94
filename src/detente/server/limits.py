"""The bounds a server keeps: body size, text length, page size, query time."""

from __future__ import annotations

from dataclasses import dataclass

from detente.errors import ConfigError


@dataclass(frozen=True, slots=True)
class ServerLimits:
    max_body_bytes: int = 256 * 1024  # any request body
    max_text_chars: int = 20_000  # text given to POST /api/code
    max_page: int = 500  # largest `limit` of a list
    default_page: int = 50
    max_offset: int = 10_000_000
    max_top: int = 100  # largest `limit` of /api/dyads/top
    query_timeout_s: float = 10.0  # a request's queries are interrupted after this
    code_wait_s: float = 30.0  # how long a coding request waits for the (single) coder

    def __post_init__(self) -> None:
        for name in ("max_body_bytes", "max_text_chars", "max_page", "default_page", "max_top"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(f"{name} must be a positive integer, got {value!r}")
        if self.default_page > self.max_page:
            raise ConfigError("default_page must not exceed max_page")
        for name in ("query_timeout_s", "code_wait_s"):
            if not getattr(self, name) > 0:
                raise ConfigError(f"{name} must be positive")
