"""Find the actors each sentence names and resolve them across the story."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..records import Actor, Mention, Sentence, Story, Token
from .context import StoryContext
from .knowledge import PARTICLES, KnowledgeBase, Resolution
from .lexicon import ActorLexicon, Entry, normalise
from .spans import Hit, find_hits, phrase_span, text_of

PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "himself", "herself"}
GROUP_PHRASES = {
    "both",
    "the two countries",
    "both countries",
    "the two nations",
    "both nations",
    "the countries",
    "the nations",
    "the two sides",
    "both sides",
    "the two neighbours",
    "the two neighbors",
    "the two governments",
    "both governments",
    "the ministers",
    "the two ministers",
    "the leaders",
    "the two leaders",
    "both leaders",
    "the two allies",
    "the neighbours",
    "the neighbors",
}
COUNTRY_ANAPHORS = {"the country", "the nation", "this country"}
PLACE_PREPOSITIONS = {
    "in",
    "at",
    "near",
    "inside",
    "outside",
    "across",
    "around",
    "throughout",
    "within",
}
PLACE_NOUNS = {
    "peninsula",
    "sea",
    "strait",
    "border",
    "island",
    "islands",
    "region",
    "coast",
    "territory",
    "waters",
    "mainland",
    "province",
    "city",
    "capital",
}
UNRESOLVED_ENTITY_TYPES = {"ORG", "PERSON", "NORP", "GPE", "FAC"}
SPLIT_NAME_KINDS = {"country", "igo", "metonym", "user", "known"}
# Entity types under which a capitalised word is not a person or group ("in May").
NAME_MODIFIER_DEPS = {"compound", "amod", "nmod", "npadvmod"}
NOT_NAME_ENTITIES = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
PLACE_BOUND_SECTORS = {"CVL", "COP", "LAB", "EDU", "REL", "BUS", "REF"}
HEAD_DEPS_SKIPPED = {"compound", "amod", "flat", "nmod", "det", "nummod", "case", "punct"}


@dataclass(frozen=True, slots=True)
class Candidate:
    head: int
    start: int
    end: int


def _cover_names(sentence: Sentence, start: int, end: int) -> tuple[int, int]:
    """Stretch a span over a whole PERSON name the parser broke up ('Han Min - koo')."""
    tokens = sentence.tokens
    if (
        end < len(tokens)
        and tokens[end].ent_iob == "B"
        and tokens[end].ent_type == "PERSON"
        and tokens[end - 1].pos == "PROPN"
        and tokens[end - 1].ent_type != "PERSON"
    ):
        end += 1  # "Japanese Ambassador | Yasumasa Nagamine": a title parsed apart from its name
    if tokens[end - 1].ent_type == "PERSON":
        while end < len(tokens) and tokens[end].ent_type == "PERSON" and tokens[end].ent_iob == "I":
            end += 1
    return start, end


def _drop_nested(candidates: list[Candidate]) -> list[Candidate]:
    """A head inside another candidate's span is part of that phrase, not a phrase of its own."""
    kept = []
    for cand in candidates:
        inside_other = any(
            other is not cand
            and other.start <= cand.start
            and cand.end <= other.end
            and (other.end - other.start) > (cand.end - cand.start)
            for other in candidates
        )
        if not inside_other:
            kept.append(cand)
    return kept


def _role_is_place(sentence: Sentence, head: Token) -> bool:
    """'talks in Seoul' names a place; 'Seoul said' names an actor."""
    if head.dep != "pobj":
        return False
    prep = sentence.tokens[head.head]
    return prep.lemma in PLACE_PREPOSITIONS


def _looks_like_name(sentence: Sentence, hit: Hit, lexicon: ActorLexicon) -> bool:
    """A knowledge-base form is a name only where it is written as one: a person's name
    capitalised, a group's name starting with a capital ("M23 rebels"), and one word a
    proper noun or a phrase's head outside a date ("in May" is no Theresa May)."""
    tokens = sentence.tokens[hit.start : hit.end]
    knowledge = lexicon.knowledge
    is_group = knowledge is not None and any(
        r.kind == "group" for r in knowledge.candidates(hit.text)
    )
    for index, token in enumerate(tokens):
        word = token.text
        if not word[:1].isalpha() or word[0].isupper() or word.lower() in PARTICLES:
            continue
        if is_group and index > 0:
            continue
        after_hyphen = index > 0 and tokens[index - 1].text == "-"  # "Jae-myung"
        if not after_hyphen and not any(word.lower().startswith(p + "-") for p in PARTICLES):
            return False
    before = sentence.tokens[hit.start - 1] if hit.start > 0 else None
    title_before = before is not None and _is_title_word(lexicon, before.text)
    if _name_goes_on(sentence, hit.end) or (
        not title_before and _name_goes_on(sentence, hit.start - 1)
    ):
        return False  # "Zhang Wei" is not Zhang Youxia: a longer name is someone else
    if len(tokens) == 1:
        # The small parser often tags a surname it has not seen as a common noun
        # ("Musharraf met ..."); as a phrase's head or argument it is still a name, while
        # a capitalised noun modifying another ("Rice prices") is not.
        token = tokens[0]
        if token.ent_type in NOT_NAME_ENTITIES or token.pos not in ("PROPN", "NOUN"):
            return False
        return token.pos == "PROPN" or token.dep not in NAME_MODIFIER_DEPS
    return True


def _name_goes_on(sentence: Sentence, i: int) -> bool:
    if not 0 <= i < len(sentence.tokens):
        return False
    token = sentence.tokens[i]
    return token.ent_type == "PERSON" and token.pos == "PROPN" and token.text[:1].isupper()


def _is_title_word(lexicon: ActorLexicon, word: str) -> bool:
    entry = lexicon.phrases.get(word.lower())
    return entry is not None and entry.kind == "agent"


def _known_code_actor(
    knowledge: KnowledgeBase, resolution: Resolution, title: Entry | None
) -> Actor:
    """The actor a resolved name stands for; a title in the sentence sets the sector."""
    code = resolution.code
    name = resolution.referent.name if resolution.referent.kind == "person" else None
    if code.startswith(("IGO", "NGO")):
        return Actor(code=code, sector="IGO" if code.startswith("IGO") else "NGO", name=name)
    country = knowledge.iso3_of.get(code[:3]) or resolution.referent.country
    sector = code[3:6] or None
    secondary = tuple(code[i : i + 3] for i in range(6, len(code), 3))
    if title is not None and title.sector:
        sector, secondary = title.sector, title.secondary
    return Actor(
        code=code[:3] + (sector or ""), country=country, sector=sector, name=name,
        secondary=secondary,
    )  # fmt: skip


def _actor_from_hits(hits: list[Hit], head: int, person: str | None) -> Actor | None:
    country: Entry | None = None
    igo: Entry | None = None
    agent: Entry | None = None
    for hit in hits:
        kind = hit.entry.kind
        if kind == "igo":
            igo = igo or hit.entry
        elif kind in ("country", "adjective", "capital", "metonym", "user"):
            country = country or hit.entry
        elif kind == "agent" and (agent is None or hit.start <= head < hit.end):
            agent = hit.entry
    if igo is not None:
        return Actor(code=igo.code or "IGO", sector="IGO", name=person)
    if country is None:
        return None
    sector = agent.sector if agent else country.sector
    secondary = agent.secondary if agent else country.secondary
    code = (country.code or "") + (sector or "")
    return Actor(
        code=code, country=country.country, sector=sector, name=person, secondary=secondary
    )


class ActorStage:
    """Sentences → mentions resolved to CAMEO actor codes, with in-story coreference."""

    name = "actors"
    requires = ("sentences",)
    assigns = ("mentions",)

    def __init__(self, lexicon: ActorLexicon | None = None) -> None:
        self.lexicon = lexicon if lexicon is not None else ActorLexicon.load()

    def __call__(self, story: Story) -> Story:
        context = StoryContext()
        mentions: list[Mention] = []
        for sentence in story.sentences:
            mentions.extend(self.sentence_mentions(sentence, context, story.date))
        story.mentions = mentions
        return story

    def candidates(self, sentence: Sentence, hits: list[Hit]) -> list[Candidate]:
        agent_heads = {i for h in hits if h.entry.kind == "agent" for i in range(h.start, h.end)}
        found = []
        for tok in sentence.tokens:
            if tok.pos not in ("NOUN", "PROPN", "PRON", "DET", "NUM", "ADJ"):
                continue
            if tok.dep in HEAD_DEPS_SKIPPED and tok.pos != "PRON":
                continue
            if tok.pos in ("DET", "NUM", "ADJ") and tok.lemma not in ("both",):
                if not any(h.start <= tok.i < h.end for h in hits):
                    continue
            if not any(ch.isalnum() for ch in tok.text):
                continue
            start, end = phrase_span(sentence, tok.i, keep_poss=tok.i in agent_heads)
            start, end = _cover_names(sentence, start, end)
            for hit in hits:
                # "The Democratic Republic | of the Congo": a name the parser split at "of".
                if start <= hit.start < end < hit.end and hit.entry.kind in SPLIT_NAME_KINDS:
                    end = hit.end
            found.append(Candidate(tok.i, start, end))
        return _drop_nested(found)

    def sentence_mentions(
        self, sentence: Sentence, context: StoryContext, date: dt.date | None = None
    ) -> list[Mention]:
        hits = [
            h
            for h in find_hits(sentence, self.lexicon, date)
            if h.entry.kind != "known" or _looks_like_name(sentence, h, self.lexicon)
        ]
        mentions: list[Mention] = []
        in_sentence: set[str] = set()
        for cand in self.candidates(sentence, hits):
            mention = self._resolve(sentence, cand, hits, context, in_sentence, date)
            if mention is None:
                continue
            mentions.append(mention)
            for actor in mention.actors:
                if actor.country:
                    in_sentence.add(actor.country)
        self._remember_pairs(sentence, mentions, context)
        mentions.extend(self._modifier_mentions(sentence, hits, mentions))
        return mentions

    @staticmethod
    def _remember_pairs(sentence: Sentence, mentions: list[Mention], context: StoryContext) -> None:
        """Countries joined by 'and' ('Japan and South Korea') form the pair groups refer to."""
        by_head = {m.head: m for m in mentions if len(m.actors) == 1}
        for mention in by_head.values():
            head = sentence.tokens[mention.head]
            if head.dep == "conj" and head.head in by_head:
                context.remember_pair(by_head[head.head].actors[0], mention.actors[0])

    def _resolve(
        self,
        sentence: Sentence,
        cand: Candidate,
        hits: list[Hit],
        context: StoryContext,
        in_sentence: set[str],
        date: dt.date | None = None,
    ) -> Mention | None:
        tokens = sentence.tokens
        head = tokens[cand.head]
        text = text_of(sentence, cand.start, cand.end)
        key = normalise(text)
        inside = [h for h in hits if h.start >= cand.start and h.end <= cand.end]

        def make(actors: tuple[Actor, ...], kind: str) -> Mention:
            return Mention(
                sentence_index=sentence.index,
                start=cand.start,
                end=cand.end,
                text=text,
                char_start=tokens[cand.start].idx,
                char_end=tokens[cand.end - 1].end,
                actors=actors,
                kind=kind,
                head=cand.head,
            )

        known = next((h for h in inside if h.entry.kind == "known"), None)
        if known is not None and self.lexicon.knowledge is not None:
            found = self._known_actor(sentence, known, inside, hits, context, date)
            if found is not None:
                actor, ambiguous = found
                context.remember(actor)
                return make((actor,), "ambiguous" if ambiguous else "known")
        person = self._person_name(sentence, cand)
        head_hit = next((h for h in inside if h.start <= cand.head < h.end), None)
        has_agent = any(h.entry.kind == "agent" for h in inside)
        if head_hit is None and person is None and not has_agent or head.lemma in PLACE_NOUNS:
            # "Japan-South Korea relations", "the Japanese occupation": not an actor.
            actor = None
        else:
            actor = _actor_from_hits(inside, cand.head, person)
        if (
            actor is not None
            and head_hit is not None
            and head_hit.entry.kind in ("capital", "country")
        ):
            if _role_is_place(sentence, head):
                context.remember(actor, as_actor=False)
                return None
            if head_hit.entry.kind == "capital":
                actor = Actor(code=actor.code + "GOV", country=actor.country, sector="GOV")
        if actor is None and head_hit is not None and head_hit.entry.kind == "agent":
            actor = self._agent_with_place(sentence, cand.head, head_hit, hits, person)
            if actor is None and head_hit.entry.sector in PLACE_BOUND_SECTORS:
                actor = self._agent_in_sentence_place(sentence, head_hit, hits, person)
        if actor is not None:
            if person:
                context.remember_person(person, actor)
            context.remember(actor)
            kind = "title" if person else head_hit.entry.kind if head_hit else "name"
            return make((actor,), kind)
        return self._corefer(sentence, cand, key, head, inside, person, context, in_sentence, make)

    def _known_actor(
        self,
        sentence: Sentence,
        known: Hit,
        inside: list[Hit],
        hits: list[Hit],
        context: StoryContext,
        date: dt.date | None,
    ) -> tuple[Actor, bool] | None:
        """A person or group the knowledge base names, resolved on the story's date.

        The story's own earlier mention of the person wins ("Lee Jae-myung ... Lee"); a
        title in the sentence decides the sector ("former President Trump" is ELI); a
        country named in the phrase beats the knowledge base's.
        """
        knowledge = self.lexicon.knowledge
        assert knowledge is not None
        words = known.text.split()
        if len(words) == 1:
            earlier = context.person(known.text)
            if earlier is not None:
                context.last_person = earlier
                return earlier, False
        title = next((h for h in inside if h.entry.kind == "agent" and h.end <= known.start), None)
        nearby = [h.entry.country for h in hits if h.entry.country]
        resolution = knowledge.resolve(
            known.text,
            date,
            countries=[*context.country_order, *nearby],
            title=title.text if title else None,
        )
        if resolution is None:
            return None
        actor = _known_code_actor(knowledge, resolution, title.entry if title else None)
        if resolution.referent.kind == "person":
            context.remember_person(known.text, actor)
            context.remember_person(resolution.referent.name, actor)
        return actor, resolution.ambiguous

    def _corefer(self, sentence, cand, key, head, inside, person, context, in_sentence, make):
        words = key.split()
        if key in GROUP_PHRASES or (words and words[-1] in ("both",) and len(words) == 1):
            pair = context.pair()
            return make(pair, "group") if pair else None
        if key in COUNTRY_ANAPHORS:
            actor = context.latest_country_except(in_sentence)
            return make((actor,), "coref") if actor else None
        if (
            head.pos == "PRON"
            and head.lemma in PERSON_PRONOUNS | {"-pron-"}
            and head.text.lower() in PERSON_PRONOUNS
        ):
            return make((context.last_person,), "pronoun") if context.last_person else None
        if person or head.pos == "PROPN":
            for word in (person or head.text).split():
                actor = context.person(word)
                if actor is not None:
                    context.last_person = actor
                    return make((actor,), "coref")
        agents = [h for h in inside if h.entry.kind == "agent"]
        if agents and words and words[0] in ("the", "this", "that") and context.last_person:
            wanted = agents[-1].entry.sector
            if context.last_person.sector == wanted:
                return make((context.last_person,), "coref")
        return self._unresolved(head, agents, person, make)

    @staticmethod
    def _unresolved(head: Token, agents: list[Hit], person: str | None, make) -> Mention | None:
        """A named party detente cannot place ("the ACLU", "Siemens", "rebels"): kept with
        what is known (a sector, a name) so events about it are not lost; no country."""
        agent = next((h for h in agents if h.start <= head.i < h.end), None)
        if agent is None and head.ent_type not in UNRESOLVED_ENTITY_TYPES:
            return None
        if head.pos == "PRON":
            return None
        sector = agent.entry.sector if agent else None
        return make((Actor(code=sector or "", sector=sector, name=person),), "unresolved")

    @staticmethod
    def _agent_with_place(sentence, head, head_hit, hits, person) -> Actor | None:
        """'protesters in Seoul', 'troops from Chad': the country comes from the place."""
        for prep in sentence.children(head):
            if prep.dep != "prep" or prep.lemma not in ("in", "from", "of"):
                continue
            for pobj in sentence.children(prep.i):
                place = next((h for h in hits if h.start <= pobj.i < h.end), None)
                if place and place.entry.kind in ("country", "capital"):
                    return _actor_from_hits([place, head_hit], head, person)
        return None

    @staticmethod
    def _agent_in_sentence_place(sentence, head_hit, hits, person) -> Actor | None:
        """'Protesters rallied ... in Seoul': crowds belong to where they gather."""
        for hit in hits:
            if hit.entry.kind not in ("capital", "country"):
                continue
            token = sentence.tokens[hit.end - 1]
            if _role_is_place(sentence, token):
                return _actor_from_hits([hit, head_hit], head_hit.start, person)
        return None

    @staticmethod
    def _person_name(sentence: Sentence, cand: Candidate) -> str | None:
        names = [
            t
            for t in sentence.tokens[cand.start : cand.end]
            if t.ent_type == "PERSON" and t.pos in ("PROPN", "NOUN", "PUNCT")
        ]
        if not names:
            return None
        return text_of(sentence, names[0].i, names[-1].i + 1).strip(" -")

    @staticmethod
    def _modifier_mentions(
        sentence: Sentence, hits: list[Hit], mentions: list[Mention]
    ) -> list[Mention]:
        """Country adjectives on non-actor nouns ('a Japanese proposal'), for nominal events."""
        covered = {i for m in mentions for i in range(m.start, m.end)}
        extra = []
        for hit in hits:
            if hit.entry.kind not in ("adjective", "country") or hit.start in covered:
                continue
            last = sentence.tokens[hit.end - 1]
            if last.dep not in ("amod", "compound", "poss"):
                continue
            actor = Actor(code=hit.entry.code or "", country=hit.entry.country)
            extra.append(
                Mention(
                    sentence_index=sentence.index,
                    start=hit.start,
                    end=hit.end,
                    text=hit.text,
                    char_start=sentence.tokens[hit.start].idx,
                    char_end=last.end,
                    actors=(actor,),
                    kind="modifier",
                    head=hit.end - 1,
                )
            )
        return extra
