"""The main job: text in, coded events out. A library object the CLI and server share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path

from .actors import ActorLexicon, ActorStage
from .actors.dictionaries import extend_lexicon, load_any_dictionary
from .config import Config
from .errors import InputError
from .events import EventStage, Ontology, PredicateLexicon
from .events.calibration import Calibration, CalibrationStage
from .nlp import ParseStage
from .pipeline import Pipeline
from .records import Event, Story


class Coder:
    """Builds the parse → actors → events pipeline once and codes any number of stories."""

    def __init__(
        self,
        config: Config | None = None,
        nlp: object | None = None,
        classifier: object | None = None,
        penta: object | None = None,
        pair_model: object | None = None,
    ) -> None:
        self.config = config or Config()
        data = self.config.data_dir

        def table(name: str) -> Path | None:
            return data / name if data and (data / name).exists() else None

        self.actor_lexicon = ActorLexicon.load(
            data if table("countries.tsv") else None, knowledge=self.config.knowledge
        )
        self.dictionary_problems: list[InputError] = []
        for path in self.config.dictionaries:
            entries = load_any_dictionary(path, self.dictionary_problems)
            extend_lexicon(self.actor_lexicon, entries)
        self.ontology = Ontology.load(table("cameo.tsv"))
        self.predicates = PredicateLexicon.load(table("predicates.tsv"), table("contexts.tsv"))
        parse = ParseStage(nlp=nlp, model=self.config.model)
        if classifier is None and (self.config.refine or self.config.fallback):
            from .learn import DyadClassifier

            classifier = DyadClassifier.load(nlp=parse.nlp)
        if penta is None and self.config.fallback:
            from .learn import PentaClassifier

            penta = PentaClassifier.load(nlp=parse.nlp)
        stages = [
            parse,
            ActorStage(self.actor_lexicon),
            EventStage(
                self.ontology,
                self.predicates,
                self.actor_lexicon,
                goldstein_scale=self.config.goldstein_scale,
                classifier=classifier if self.config.refine or self.config.fallback else None,
                penta=penta if self.config.fallback else None,
                refine=self.config.refine,
            ),
        ]
        if self.config.learned:
            stages.append(self._learned_stage(classifier, pair_model, penta, parse.nlp))
        stages.append(CalibrationStage(Calibration.load(table("calibration.json"))))
        self.pipeline = Pipeline(stages)

    def _learned_stage(
        self, classifier: object | None, pair_model: object | None, penta: object | None, nlp
    ):
        from .events.learned import LearnedEventStage
        from .learn import DyadClassifier
        from .learn.pair_data import predicate_roots
        from .learn.pairs import PairModel

        return LearnedEventStage(
            pair_model or PairModel.load_packaged(),
            classifier or DyadClassifier.load(nlp=nlp),
            self.ontology,
            predicate_roots(self.predicates),
            goldstein_scale=self.config.goldstein_scale,
            penta=penta,
        )

    def code_stories(self, stories: Iterable[Story]) -> Iterator[Story]:
        return self.pipeline.pipe(stories, batch_size=self.config.batch_size)

    def code_text(
        self, text: str, date: dt.date | None = None, story_id: str = "text"
    ) -> list[Event]:
        story = next(self.code_stories([Story(id=story_id, text=text, date=date)]))
        return story.events
