"""A progress bar with rate and ETA on a terminal; silent when output is piped."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(
        self,
        label: str,
        total: int | None = None,
        stream: TextIO | None = None,
        enabled: bool | None = None,
        unit: str = "stories",
    ) -> None:
        self.label = label
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.unit = unit
        self.count = 0
        self.started = time.monotonic()
        self._last_draw = 0.0

    def advance(self, n: int = 1) -> None:
        self.count += n
        now = time.monotonic()
        if self.enabled and now - self._last_draw >= 0.1:
            self._last_draw = now
            self.stream.write("\r" + self.line(now))
            self.stream.flush()

    def line(self, now: float | None = None) -> str:
        elapsed = max((now or time.monotonic()) - self.started, 1e-9)
        rate = self.count / elapsed
        if self.total:
            share = min(self.count / self.total, 1.0)
            filled = int(share * 24)
            eta = (self.total - self.count) / rate if rate > 0 else 0.0
            return (
                f"{self.label} [{'#' * filled}{'.' * (24 - filled)}] {self.count}/{self.total} "
                f"{rate:.1f} {self.unit}/s ETA {eta:.0f}s"
            )
        return f"{self.label} {self.count} {self.unit} {rate:.1f} {self.unit}/s"

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + self.line() + "\n")
            self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
