"""detente: news in, political event data out.

The public surface; everything else is an implementation detail that may change.
"""

__version__ = "0.1.0"

from .analysis import dyad_series  # noqa: E402
from .analysis.changepoints import Shift, detect_shifts  # noqa: E402
from .coder import Coder  # noqa: E402
from .config import Config  # noqa: E402
from .errors import (  # noqa: E402
    ConfigError,
    DetenteError,
    InputError,
    ModelError,
    PipelineError,
    StoreError,
)
from .ingest import IngestReport, read_stories  # noqa: E402
from .pipeline import Pipeline, Stage  # noqa: E402
from .records import (  # noqa: E402
    Actor,
    DyadPoint,
    Event,
    Mention,
    Place,
    Sentence,
    Span,
    Story,
    Token,
)
from .store import EventStore  # noqa: E402

__all__ = [
    "Actor",
    "Coder",
    "Config",
    "ConfigError",
    "DetenteError",
    "DyadPoint",
    "Event",
    "EventStore",
    "IngestReport",
    "InputError",
    "Mention",
    "ModelError",
    "Pipeline",
    "PipelineError",
    "Place",
    "Sentence",
    "Shift",
    "Span",
    "Stage",
    "StoreError",
    "Story",
    "Token",
    "__version__",
    "detect_shifts",
    "dyad_series",
    "read_stories",
]
