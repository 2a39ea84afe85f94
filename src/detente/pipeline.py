"""Stages and the pipeline that runs them.

A stage is a small callable with a declared contract: the ``Story`` fields it
reads (``requires``) and the ones it sets (``assigns``). ``Pipeline`` checks the
contracts when it is built, so a mis-ordered pipeline fails before any text is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Protocol, runtime_checkable

from .errors import PipelineError
from .records import Story

# Fields a story has as soon as it is read.
INPUT_FIELDS = ("id", "text", "title", "date", "source", "url", "origin")


@runtime_checkable
class Stage(Protocol):
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def __call__(self, story: Story) -> Story: ...


@runtime_checkable
class BatchStage(Stage, Protocol):
    """A stage that is faster over many stories at once (the parser)."""

    def pipe(self, stories: Iterable[Story], batch_size: int) -> Iterator[Story]: ...


def batched(items: Iterable[Story], size: int) -> Iterator[list[Story]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class Pipeline:
    """Runs stages in order over stories, one at a time or in batches."""

    def __init__(self, stages: Sequence[Stage]) -> None:
        self.stages = tuple(stages)
        self._check_contracts()

    def _check_contracts(self) -> None:
        available = set(INPUT_FIELDS)
        names: set[str] = set()
        for stage in self.stages:
            if stage.name in names:
                raise PipelineError(f"stage {stage.name!r} appears twice")
            names.add(stage.name)
            missing = [field for field in stage.requires if field not in available]
            if missing:
                raise PipelineError(
                    f"stage {stage.name!r} requires {', '.join(missing)}, "
                    "which no earlier stage assigns"
                )
            available.update(stage.assigns)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(stage.name for stage in self.stages)

    def __call__(self, story: Story) -> Story:
        for stage in self.stages:
            story = stage(story)
        return story

    def pipe(self, stories: Iterable[Story], batch_size: int = 32) -> Iterator[Story]:
        """Run every stage over a stream of stories, keeping memory bounded by the batch."""
        for batch in batched(stories, batch_size):
            current: Iterable[Story] = batch
            for stage in self.stages:
                if isinstance(stage, BatchStage):
                    current = list(stage.pipe(current, batch_size))
                else:
                    current = [stage(story) for story in current]
            yield from current
