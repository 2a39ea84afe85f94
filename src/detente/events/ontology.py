"""The CAMEO code table with Goldstein values, quad classes and the PLOVER mapping."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..data_files import data_path, read_tsv, split_cell
from ..errors import ConfigError

GOLDSTEIN_SCALES = ("gdelt", "icews")

# The CAMEO code that best stands for a whole PLOVER type when nothing finer is known.
PLOVER_DEFAULT_CAMEO = {
    "AGREE": "030",
    "CONSULT": "040",
    "SUPPORT": "050",
    "COOPERATE": "060",
    "AID": "070",
    "YIELD": "080",
    "CONCEDE": "080",
    "RETREAT": "084",
    "ACCUSE": "112",
    "REQUEST": "100",
    "REJECT": "120",
    "THREATEN": "130",
    "PROTEST": "140",
    "MOBILIZE": "150",
    "SANCTION": "160",
    "COERCE": "170",
    "ASSAULT": "190",
}


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    name: str
    goldstein_gdelt: float
    goldstein_icews: float
    quad_class: int
    plover: str | None
    plover_mode: str | None
    plover_context: tuple[str, ...]

    @property
    def root(self) -> str:
        return self.code[:2]

    def goldstein(self, scale: str = "gdelt") -> float:
        return self.goldstein_icews if scale == "icews" else self.goldstein_gdelt

    def event_fields(self, scale: str = "gdelt") -> dict[str, Any]:
        """The code's part of an event record: ``Event(**code.event_fields(scale), ...)``."""
        return {
            "cameo": self.code,
            "cameo_name": self.name,
            "goldstein": self.goldstein(scale),
            "quad_class": self.quad_class,
            "plover": self.plover,
            "plover_mode": self.plover_mode,
        }


class Ontology:
    """Look up CAMEO codes; unknown fine codes fall back to their parent."""

    def __init__(self, codes: dict[str, CameoCode]) -> None:
        self.codes = codes

    @classmethod
    def load(cls, path: Path | None = None) -> Ontology:
        rows = read_tsv(
            path or data_path("cameo.tsv"),
            ("code", "name", "goldstein_gdelt", "goldstein_icews", "quad_class", "plover"),
        )
        codes = {}
        for row in rows:
            codes[row["code"]] = CameoCode(
                code=row["code"],
                name=row["name"],
                goldstein_gdelt=float(row["goldstein_gdelt"] or 0),
                goldstein_icews=float(row["goldstein_icews"] or 0),
                quad_class=int(row["quad_class"]),
                plover=row["plover"].upper() or None,
                plover_mode=row.get("plover_mode") or None,
                plover_context=tuple(split_cell(row.get("plover_context", ""))),
            )
        return cls(codes)

    def __contains__(self, code: str) -> bool:
        return code in self.codes

    def get(self, code: str) -> CameoCode:
        probe = code
        while probe:
            if probe in self.codes:
                return self.codes[probe]
            probe = probe[:-1]
        raise ConfigError(f"unknown CAMEO code {code!r}")

    def default_for_plover(self, plover: str) -> CameoCode:
        """The most general CAMEO code that maps to a PLOVER type (for the dyad classifier)."""
        code = PLOVER_DEFAULT_CAMEO.get(plover.upper())
        if code is None:
            raise ConfigError(f"no CAMEO code stands for PLOVER {plover!r}")
        return self.get(code)
