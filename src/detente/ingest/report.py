"""The account of one ingest run: what was read and what went wrong."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from detente.errors import InputError

logger = logging.getLogger(__name__)

DEFAULT_MAX_PROBLEMS = 10_000


@dataclass(slots=True)
class IngestReport:
    """Counts and problems of one :func:`~detente.ingest.read_stories` run.

    Every problem is an :class:`~detente.errors.InputError` whose ``location`` is
    ``path``, ``path:line`` or ``path:line:field``; each one is also logged as a
    warning. Only the first ``max_problems`` are kept (``dropped_problems`` counts
    the rest) so that a corpus full of bad lines cannot fill memory.
    """

    problems: list[InputError] = field(default_factory=list)
    stories: int = 0  # stories yielded
    files: int = 0  # inputs (files, standard input) read or tried
    skipped: int = 0  # records or files dropped because of a problem
    dropped_problems: int = 0
    max_problems: int = DEFAULT_MAX_PROBLEMS

    @property
    def skipped_any(self) -> bool:
        """Whether any record or file was left out (problems that only warn do not count)."""
        return self.skipped > 0

    @property
    def problem_count(self) -> int:
        """All problems met, including those not kept in ``problems``."""
        return len(self.problems) + self.dropped_problems

    @property
    def ok(self) -> bool:
        """True when the run met no problem at all."""
        return self.problem_count == 0

    def add(self, message: str, location: str | None, *, skipped: bool = True) -> InputError:
        """Record (and log) one problem; ``skipped`` says whether input was dropped."""
        problem = InputError(message, location)
        if skipped:
            self.skipped += 1
        if len(self.problems) < self.max_problems:
            self.problems.append(problem)
        else:
            self.dropped_problems += 1
        logger.warning("%s", problem)
        return problem
