"""Turn predicate candidates into coded events: CAMEO, PLOVER, modality, confidence, place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..actors.lexicon import ActorLexicon
from ..geo import (
    EmbeddedGazetteer,
    Gazetteer,
    dateline_place,
    locate_event,
    resolve_event_date,
    story_date_from_text,
)
from ..records import Actor, Event, Mention, Place, Sentence, Span, Story
from .extract import RECIPROCAL_ROOTS, Candidate, Extractor, Participant
from .fallback import fallback_events
from .intent import intent_code
from .lexicon import PredicateLexicon
from .modality import modality_of
from .ontology import Ontology
from .refine import RefinePolicy, refine_events

BASE_CONFIDENCE = {"verb": 0.8, "nested": 0.65, "noun": 0.7}
MENTION_PENALTY = {
    "pronoun": 0.1,
    "coref": 0.05,
    "group": 0.05,
    "modifier": 0.1,
    "unresolved": 0.1,
    "object": 0.2,
    "ambiguous": 0.1,  # a name the knowledge base gives to several people
}
PLACE_PREPS = ("in", "at")
INTENT_ROOTS = ("04", "05", "06", "07", "08")
# Events without a target are kept only where CAMEO expects none: protests and force posture.
TARGETLESS_ROOTS = ("14", "15")
FORCE_POSTURE_ROOT = "15"
VISIT_CODE = "042"
# An event the text dates more than a year before its story is a reference to history.
HISTORY_DAYS = 366
# Pledges, meetings and visits are said in words no classifier should second-guess.
UNAMBIGUOUS_ROOTS = ("03", "04")
# In a story about two countries, intentions, criticism, rejection, threats and sanctions
# with no named target are aimed at the other one.
IMPLIED_TARGET_ROOTS = ("03", "11", "12", "13", "14", "16", "17")
# A government that "protests" lodges a complaint (114); street protest (14x) is for others.
STATE_PROTEST = "114"
NON_STATE_SECTORS = {"CVL", "OPP", "REB", "LAB", "EDU", "REL", "NGO", "MED", "BUS", "REF", "CRM"}


def _is_state(actor: Actor) -> bool:
    return bool(actor.country) and actor.sector not in NON_STATE_SECTORS


@dataclass(frozen=True, slots=True)
class StoryFrame:
    """What every event of a story shares: its date, dateline place and countries."""

    date: dt.date | None
    places: tuple[Place, ...]
    countries: frozenset[str]


def _intent(events: list[Event], cand: Candidate) -> bool:
    """Was the rule's code turned into a stated intention (03x/13x)?"""
    return any(e.cameo != cand.rule.cameo for e in events)


def _same_country(a: Actor, b: Actor) -> bool:
    return a.country is not None and a.country == b.country


def _has_object(sentence: Sentence, cand: Candidate) -> bool:
    return any(c.dep in ("dobj", "ccomp") for c in sentence.children(cand.predicate.i))


class EventStage:
    """Sentences with mentions → events in the public contract."""

    name = "events"
    requires = ("sentences", "mentions")
    assigns = ("events",)

    def __init__(
        self,
        ontology: Ontology | None = None,
        predicates: PredicateLexicon | None = None,
        actors: ActorLexicon | None = None,
        goldstein_scale: str = "gdelt",
        classifier: Any | None = None,
        gazetteer: Gazetteer | None = None,
        penta: Any | None = None,
        refine: bool = True,
    ) -> None:
        self.ontology = ontology or Ontology.load()
        self.predicates = predicates or PredicateLexicon.load()
        self.actors = actors
        self.extractor = Extractor(self.predicates)
        self.gazetteer = gazetteer or EmbeddedGazetteer(actors)
        self.goldstein_scale = goldstein_scale
        self.classifier = classifier  # a DyadClassifier: second opinion on generic predicates
        self.policy = RefinePolicy()
        self.refine = refine  # let the dyad classifier re-type generic predicates
        self.penta = penta  # a PentaClassifier: finds events the rules missed (see fallback.py)

    def __call__(self, story: Story) -> Story:
        by_sentence: dict[int, list[Mention]] = {}
        for mention in story.mentions:
            by_sentence.setdefault(mention.sentence_index, []).append(mention)
        frame = self._frame(story)
        events: list[Event] = []
        protected: set[int] = set()
        for sentence in story.sentences:
            mentions = by_sentence.get(sentence.index, [])
            if not mentions:
                continue
            for cand in self.extractor.candidates(sentence, mentions):
                found = self._events(story, sentence, cand, frame)
                if (
                    cand.rule.specificity
                    or cand.kind in ("nested", "noun")
                    or _intent(found, cand)
                    or any(e.modality in ("negated", "hypothetical") for e in found)
                    or cand.rule.cameo[:2] in UNAMBIGUOUS_ROOTS
                ):
                    protected.update(range(len(events), len(events) + len(found)))
                    for event in found:
                        event.precise = True
                events.extend(found)
        if self.refine and self.classifier is not None and events:
            events = refine_events(
                events, self.classifier, self.ontology, protected, self.policy,
                goldstein_scale=self.goldstein_scale,
                sentences={s.index: s for s in story.sentences},
            )  # fmt: skip
        if self.penta is not None and self.classifier is not None:
            events += self._fallback(story, by_sentence, {e.sentence_index for e in events}, frame)
        story.events = _dedupe(events)  # raw scores: the calibrate stage maps them
        return story

    def _fallback(self, story: Story, by_sentence, coded: set[int], frame) -> list[Event]:
        from ..learn.views import SentenceView

        quiet = [
            (s, by_sentence[s.index])
            for s in story.sentences
            if s.index not in coded and by_sentence.get(s.index)
        ]
        return fallback_events(
            story.id, quiet, self.penta, self.classifier, self.ontology,
            [SentenceView(s) for s, _ in quiet], frame.date,
            goldstein_scale=self.goldstein_scale,
        )  # fmt: skip

    def _events(
        self, story: Story, sentence: Sentence, cand: Candidate, frame: StoryFrame
    ) -> list[Event]:
        predicate = (
            cand.embedded if cand.embedded is not None and cand.kind == "nested" else cand.predicate
        )
        modality = modality_of(sentence, cand.predicate)
        code = cand.rule.cameo
        if cand.kind == "nested" and code[:2] in INTENT_ROOTS or modality == "future":
            intended = intent_code(code)
            if intended != code:
                # Stating an intention is itself an event that happened: "plans to visit" is 036.
                code, modality = intended, "asserted" if modality == "future" else modality
        try:
            cameo = self.ontology.get(code)
        except Exception:  # noqa: BLE001 - a lexicon row naming an unknown code is skipped
            return []
        pairs = self._pairs(cand, cameo.root)
        if cameo.root in IMPLIED_TARGET_ROOTS and (
            cand.kind == "nested" or _has_object(sentence, cand)
        ):
            pairs = [self._implied_partner(story, sentence, p) for p in pairs]
        if cand.fallback_target is not None:
            fallback = cand.fallback_target
            weak = (fallback, fallback.actors[0])
            pairs = [p if p[1][1] is not None else (p[0], weak) for p in pairs]
        pairs = [p for p in pairs if p[1][1] is not None or cameo.root in TARGETLESS_ROOTS]
        if cameo.root == "14" and pairs and all(_is_state(p[0][1]) for p in pairs):
            cameo = self.ontology.get(STATE_PROTEST)
        contexts = self._contexts(sentence, cand, cameo.plover_context)
        events = []
        date = resolve_event_date(sentence, cand.predicate.i, frame.date, modality=modality)
        if date and frame.date and (frame.date - date).days > HISTORY_DAYS:
            return []  # "the anniversary of the annexation in 1910": history, not news
        heads = [p.mention.head for p in cand.sources + cand.targets if p.mention.head >= 0]
        for (src, src_actor), (tgt, tgt_actor) in pairs:
            place = self._locate(
                sentence, predicate.i, heads, frame, src_actor, tgt_actor, cameo.code
            )
            confidence = BASE_CONFIDENCE[cand.kind]
            confidence -= MENTION_PENALTY.get(src.mention.kind, 0.0)
            if tgt is None:
                confidence -= 0.15
            elif tgt.implied:
                confidence -= 0.2
            else:
                confidence -= MENTION_PENALTY.get(tgt.mention.kind, 0.0)
            if cand.inherited_source:
                confidence -= 0.05
            if cand.rule.specificity:
                confidence += 0.05
            events.append(
                Event(
                    story_id=story.id,
                    sentence_index=sentence.index,
                    sentence=sentence.text,
                    source=src_actor,
                    target=tgt_actor,
                    source_text=src.mention.text,
                    target_text=tgt.mention.text if tgt and not tgt.implied else None,
                    **cameo.event_fields(self.goldstein_scale),
                    plover_context=contexts,
                    modality=modality,
                    confidence=max(0.05, min(0.99, confidence)),
                    date=date,
                    location=place,
                    source_span=Span(src.mention.char_start, src.mention.char_end),
                    predicate_span=Span(predicate.idx, predicate.end),
                    target_span=Span(tgt.mention.char_start, tgt.mention.char_end)
                    if tgt and not tgt.implied
                    else None,
                    predicate=predicate.lemma,
                )
            )
        return events

    @staticmethod
    def _pairs(cand: Candidate, root: str):
        """Every (source, target) actor pair; groups and 'between X and Y' act on each other."""
        sources = [(p, a) for p in cand.sources for a in p.actors]
        targets = [(p, a) for p in cand.targets for a in p.actors]
        placed_sources = [s for s in sources if s[1].country]
        reciprocal = cand.reciprocal or (
            all(not t[1].country for t in targets)
            and len(placed_sources) >= 2
            and root in RECIPROCAL_ROOTS
            and not cand.inherited_source
        )
        if reciprocal:
            if not cand.reciprocal:
                # "X and Y signed a security pact": what they signed is not a party.
                sources, targets = placed_sources, []
            pairs = [(s, t) for s in sources for t in sources if s[1] != t[1]]
            return [p for p in pairs if not _same_country(p[0][1], p[1][1])]
        if root == FORCE_POSTURE_ROOT:
            # "deployed troops near X": the forces are the means, not the target.
            targets = [t for t in targets if t[1].country or t[1].name]
        if not targets:
            return [(s, (None, None)) for s in sources]
        return [
            (s, t)
            for s in sources
            for t in targets
            if s[1] != t[1] and not _same_country(s[1], t[1])
        ]

    @staticmethod
    def _implied_partner(story: Story, sentence: Sentence, pair):
        """'he advocated closer cooperation': in a story about two countries, with the other one."""
        (src, src_actor), (tgt, tgt_actor) = pair
        if tgt_actor is not None or not src_actor.country or len(src.actors) > 1:
            return pair  # a group ("both countries") has no single other party
        counts: dict[str, int] = {}
        latest: dict[str, tuple[Mention, Actor]] = {}
        for mention in story.mentions:
            if mention.sentence_index > sentence.index or mention.kind == "modifier":
                continue
            for actor in mention.actors:
                if actor.country:
                    counts[actor.country] = counts.get(actor.country, 0) + 1
                    latest[actor.country] = (mention, actor)
        top = sorted(counts, key=lambda c: -counts[c])[:2]
        if len(top) < 2 or src_actor.country not in top:
            return pair
        other = top[1] if top[0] == src_actor.country else top[0]
        mention, actor = latest[other]
        return (src, src_actor), (Participant(mention, (actor,), implied=True), actor)

    def _frame(self, story: Story) -> StoryFrame:
        dateline = dateline_place(story.text, self.gazetteer)
        return StoryFrame(
            date=story.date or story_date_from_text(story.text),
            places=(dateline,) if dateline else (),
            countries=frozenset(a.country for m in story.mentions for a in m.actors if a.country),
        )

    def _locate(
        self,
        sentence: Sentence,
        predicate: int,
        heads: list[int],
        frame: StoryFrame,
        source: Actor,
        target: Actor | None,
        code: str = "",
    ) -> Place | None:
        parties = (source, target) if code != VISIT_CODE else (target, source)  # a visit is there
        countries = [a.country for a in parties if a is not None and a.country]
        return locate_event(
            sentence, predicate, heads, story_places=frame.places, actor_countries=countries,
            story_countries=frame.countries, gazetteer=self.gazetteer,
        )  # fmt: skip

    def _contexts(
        self, sentence: Sentence, cand: Candidate, base: tuple[str, ...]
    ) -> tuple[str, ...]:
        found = list(base)
        for tok in sentence.subtree(cand.predicate.i):
            context = self.predicates.contexts.get(tok.lemma)
            if context and context not in found:
                found.append(context)
        return tuple(found)


def _dedupe(events: list[Event]) -> list[Event]:
    """One event per sentence, dyad and code: a nested and a plain reading must not both count."""
    best: dict[tuple, Event] = {}
    for event in events:
        key = (
            event.sentence_index,
            event.source.code if event.source else None,
            event.target.code if event.target else None,
            event.root,
        )
        if key not in best or event.confidence > best[key].confidence:
            best[key] = event
    return sorted(
        best.values(),
        key=lambda e: (e.sentence_index, e.predicate_span.start if e.predicate_span else 0),
    )
