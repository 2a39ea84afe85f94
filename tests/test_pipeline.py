import pytest

from detente.errors import PipelineError
from detente.pipeline import Pipeline
from detente.records import Story


class Upper:
    name = "upper"
    requires = ("text",)
    assigns = ("title",)

    def __call__(self, story: Story) -> Story:
        story.title = story.text.upper()
        return story


class NeedsSentences:
    name = "needs"
    requires = ("sentences",)
    assigns = ("events",)

    def __call__(self, story: Story) -> Story:
        return story


class CountingBatch:
    name = "batch"
    requires = ("text",)
    assigns = ("sentences",)

    def __init__(self) -> None:
        self.batches: list[int] = []

    def __call__(self, story: Story) -> Story:
        return next(self.pipe([story], 1))

    def pipe(self, stories, batch_size):
        stories = list(stories)
        self.batches.append(len(stories))
        yield from stories


def test_pipeline_refuses_a_stage_whose_inputs_nobody_assigns():
    with pytest.raises(PipelineError, match="requires sentences"):
        Pipeline([NeedsSentences()])


def test_pipeline_refuses_duplicate_stage_names():
    with pytest.raises(PipelineError, match="twice"):
        Pipeline([Upper(), Upper()])


def test_pipeline_runs_stages_in_order_and_accepts_satisfied_contracts():
    batch = CountingBatch()
    pipeline = Pipeline([batch, NeedsSentences(), Upper()])
    assert pipeline.names == ("batch", "needs", "upper")
    out = pipeline(Story(id="1", text="abc"))
    assert out.title == "ABC"


def test_pipe_batches_stories_and_keeps_order():
    batch = CountingBatch()
    pipeline = Pipeline([batch, Upper()])
    stories = [Story(id=str(i), text=f"t{i}") for i in range(7)]
    out = list(pipeline.pipe(iter(stories), batch_size=3))
    assert [s.id for s in out] == [str(i) for i in range(7)]
    assert batch.batches == [3, 3, 1]
    assert out[6].title == "T6"
