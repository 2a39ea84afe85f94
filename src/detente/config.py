"""Configuration is a value passed in, never module state."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError
from .events.ontology import GOLDSTEIN_SCALES


@dataclass(frozen=True, slots=True)
class Config:
    model: str | None = None  # spaCy package name; None = the first installed English model
    goldstein_scale: str = "gdelt"
    batch_size: int = 32
    data_dir: Path | None = None  # a folder that replaces the packaged tables
    # Extra actor dictionaries: PETRARCH/Phoenix actor or agent files, or user CSV/TOML.
    dictionaries: tuple[Path, ...] = ()
    # Resolve people and groups by name with the dated actor knowledge base (data/actors).
    knowledge: bool = True
    # Let the statistical dyad classifier re-type events from generic predicates.
    refine: bool = True
    # Let the sentence classifier add events the rules missed between two named parties.
    fallback: bool = True
    # Let the learned pair model add events between phrases the rules did not join.
    learned: bool = True

    def __post_init__(self) -> None:
        if self.goldstein_scale not in GOLDSTEIN_SCALES:
            raise ConfigError(
                f"goldstein scale must be one of {', '.join(GOLDSTEIN_SCALES)}, "
                f"not {self.goldstein_scale!r}"
            )
        if self.batch_size < 1:
            raise ConfigError(f"batch size must be at least 1, not {self.batch_size}")
