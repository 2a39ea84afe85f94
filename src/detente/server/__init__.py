"""The HTTP API and dashboard (FastAPI): ``create_app(db_path)`` and ``detente serve``."""

from detente.server.app import ShiftDetector, create_app
from detente.server.limits import ServerLimits

__all__ = ["ServerLimits", "ShiftDetector", "create_app"]
