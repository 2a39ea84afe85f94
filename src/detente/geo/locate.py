"""Where an event happened: its own sentence first, then the story's dateline, then its actors."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from ..actors.lexicon import ActorLexicon
from ..records import Place, Sentence, Token
from .gazetteer import Gazetteer, PlaceCandidate
from .names import fold

# Prepositions whose object is where something happens. "on" and "over" usually name a topic
# ("talks on Ukraine", "a dispute over Crimea") and count only before seas and regions.
LOCATIVE_PREPS = {
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "within",
    "across",
    "along",
    "off",
    "into",
    "around",
    "throughout",
    "nearby",
    "beside",
    "aboard",
    "through",
}
WEAK_PREPS = {"on", "over"}
# Movement: "visited Seoul", "a trip to Tokyo", "sent troops into Syria" — the destination.
MOTION_LEMMAS = {
    "visit",
    "travel",
    "trip",
    "fly",
    "arrive",
    "go",
    "come",
    "head",
    "return",
    "tour",
    "journey",
    "land",
    "deploy",
    "send",
    "dispatch",
    "move",
    "march",
    "sail",
    "invade",
    "enter",
    "cross",
    "withdraw",
    "evacuate",
    "relocate",
}
MOTION_PREPS = {"to", "into"}
# Verbs whose direct object is a place when it names one: "shelled Aleppo", "visited Seoul".
PLACE_OBJECT_LEMMAS = MOTION_LEMMAS | {
    "hit",
    "strike",
    "shell",
    "bomb",
    "attack",
    "bombard",
    "raid",
    "storm",
    "capture",
    "seize",
    "besiege",
    "target",
    "occupy",
    "pound",
    "overrun",
    "liberate",
    "recapture",
    "patrol",
    "blockade",
    "surround",
    "encircle",
    "rock",
    "flood",
}
# "the city of Aleppo", "the coast of Somalia", "the border with North Korea".
CONTAINER_LEMMAS = {
    "city",
    "town",
    "port",
    "province",
    "region",
    "capital",
    "village",
    "district",
    "state",
    "area",
    "outskirts",
    "suburb",
    "suburbs",
    "coast",
    "waters",
    "island",
    "islands",
    "border",
    "frontier",
    "prefecture",
    "governorate",
    "county",
    "territory",
    "north",
    "south",
    "east",
    "west",
    "centre",
    "center",
    "part",
    "heart",
    "streets",
    "street",
    "vicinity",
    "shores",
}
CONTAINER_PREPS = {"of", "with", "between", "near", "off", "outside"}
PLACE_ENTS = {"GPE", "LOC", "FAC"}
NOT_PLACE_ENTS = {
    "PERSON",
    "ORG",
    "NORP",
    "DATE",
    "TIME",
    "CARDINAL",
    "ORDINAL",
    "MONEY",
    "PERCENT",
    "QUANTITY",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
    "PRODUCT",
}
MISLABELLED_MIN_POPULATION = 30_000
# Whether a locative phrase anywhere in the sentence (outside relative clauses) may place an
# event whose own clause names none.
SENTENCE_WIDE = True
CLAUSE_EDGES = {"ccomp", "advcl", "relcl", "parataxis", "csubj", "acl"}
PHRASE_DEPS = {"compound", "amod", "nmod", "det", "punct"}

# "SEOUL, Sept 8 (Reuters) -", "WASHINGTON (AP) —", "Kyiv, Ukraine, Oct. 2 (Reuters) -"
DATELINE = re.compile(
    r"""^\s*(?:\(?[A-Z]{2,}[^\n]{0,40}?\)?\s*:\s*)?     # an optional wire tag
    (?P<place>[A-Z][A-Za-z\u00C0-\u024F.'\- ]{1,40}?)
    (?:,\s*(?P<region>[A-Z][A-Za-z\u00C0-\u024F.'\- ]{1,30}?))?
    (?:,\s*(?P<date>[A-Za-z]{3,9}\.?\s+\d{1,2}(?:,?\s+\d{4})?|\d{1,2}\s+[A-Za-z]{3,9}\.?(?:\s+\d{4})?))?
    \s*(?:\((?P<agency>[A-Za-z][A-Za-z .&-]{0,30})\))?
    \s*(?:--|[-\u2013\u2014:])\s""",
    re.X,
)


def _objects(sentence: Sentence, prep: Token) -> list[Token]:
    objs = [t for t in sentence.children(prep.i) if t.dep in ("pobj", "pcomp")]
    out = []
    for obj in objs:
        out.append(obj)
        # "in Seoul and Tokyo": the first one counts; conjuncts follow as fallbacks.
        out.extend(t for t in sentence.children(obj.i) if t.dep == "conj")
    return out


def _phrase(sentence: Sentence, head: Token) -> str:
    """The name a head noun ends: "the Yellow Sea" → "Yellow Sea", "northern Syria" → "Syria"."""
    tokens = sentence.tokens
    start = head.i
    while start > 0:
        prev = tokens[start - 1]
        if prev.head not in range(start - 1, head.i + 1) and prev.head != head.i:
            break
        if prev.dep not in PHRASE_DEPS:
            break
        if prev.dep == "det" or (prev.dep == "amod" and prev.text[:1].islower()):
            break
        if prev.dep == "punct" and prev.text != "-":
            break
        start -= 1
    end = head.i + 1
    # Hyphenated names split by the tokenizer: "Gyu-back", "Nagorno-Karabakh".
    while (
        end + 1 < len(tokens) and tokens[end].text == "-" and tokens[end].head in (head.i, end + 1)
    ):
        end += 2
    text = sentence.text[tokens[start].idx : tokens[end - 1].end]
    return text


def _of_phrase(sentence: Sentence, head: Token, phrase: str) -> str | None:
    """ "Gulf of Tonkin": a proper-noun head followed by "of" and another proper noun."""
    if head.pos != "PROPN":
        return None
    for prep in sentence.children(head.i):
        if prep.dep == "prep" and prep.text.lower() == "of" and prep.i == head.i + 1:
            for obj in sentence.children(prep.i):
                if obj.dep == "pobj" and obj.pos == "PROPN":
                    return f"{phrase} of {_phrase(sentence, obj)}"
    return None


def _entity_span(sentence: Sentence, tok: Token) -> str | None:
    if not tok.ent_type:
        return None
    start = tok.i
    while start > 0 and sentence.tokens[start].ent_iob == "I":
        start -= 1
    end = tok.i + 1
    while end < len(sentence.tokens) and sentence.tokens[end].ent_iob == "I":
        end += 1
    text = sentence.text[sentence.tokens[start].idx : sentence.tokens[end - 1].end]
    return re.sub(r"^(?:the|The)\s+", "", text)


class _Resolver:
    def __init__(
        self,
        sentence: Sentence,
        gazetteer: Gazetteer,
        hint: set[str],
        actors: ActorLexicon | None,
    ) -> None:
        self.sentence = sentence
        self.gazetteer = gazetteer
        self.hint = hint
        self.actors = actors

    def names(self, obj: Token, depth: int = 0) -> list[tuple[str, Token]]:
        """Candidate names for a prepositional object, most specific reading first."""
        s = self.sentence
        out: list[tuple[str, Token]] = []
        if obj.ent_type not in ("DATE", "TIME"):
            phrase = _phrase(s, obj)
            ent = _entity_span(s, obj)
            if ent and obj.ent_type in PLACE_ENTS and len(ent) > len(phrase):
                out.append((ent, obj))  # "the Sea of Japan": the whole entity first
            of = _of_phrase(s, obj, phrase)
            if of:
                out.append((of, obj))  # "Gulf of Tonkin", "Strait of Hormuz"
            out.append((phrase, obj))
            if ent and obj.ent_type in PLACE_ENTS and len(ent) <= len(phrase):
                out.append((ent, obj))
        if depth < 2 and (obj.lemma.lower() in CONTAINER_LEMMAS or obj.pos == "PROPN"):
            for prep in s.children(obj.i):
                if prep.dep == "prep" and prep.text.lower() in CONTAINER_PREPS:
                    if prep.text.lower() in ("near", "off", "outside") and obj.ent_type:
                        continue  # "the Yellow Sea near Busan": the sea is the place
                    for inner in _objects(s, prep):
                        out.extend(self.names(inner, depth + 1))
            for child in s.children(obj.i):
                if child.dep == "poss":
                    out.extend(self.names(child, depth + 1))
        return out

    def qualifier(self, obj: Token) -> set[str]:
        """ "Paris, Texas" / "Springfield, Illinois": the appositive narrows the reading."""
        codes: set[str] = set()
        for child in self.sentence.children(obj.i):
            if child.dep in ("appos", "npadvmod", "conj") and child.pos == "PROPN":
                for cand in self.gazetteer.lookup(_phrase(self.sentence, child)):
                    if cand.kind in ("admin1", "country"):
                        codes.add(cand.place.admin1 or cand.place.country or "")
                        break
        return {c for c in codes if c}

    def resolve(self, obj: Token, *, weak: bool = False) -> Place | None:
        qual = self.qualifier(obj)
        for name, tok in self.names(obj):
            if not name or not name[:1].isupper() and not name[:1].isdigit():
                if not name or name.split()[-1][:1].islower():
                    continue
            place = self._pick(name, tok, qual, weak=weak)
            if place is not None:
                return place
        return None

    def _pick(self, name: str, tok: Token, qual: set[str], *, weak: bool) -> Place | None:
        hint = set(self.hint)
        cands: list[PlaceCandidate] = self.gazetteer.lookup(name, country_hint=hint or None)
        if not cands and self.actors is not None:
            entry = self.actors.lookup(name)
            if entry is not None and entry.kind == "metonym" and entry.country:
                # "talks at the Kremlin": the seat of government stands in its capital.
                country = self.actors.country(entry.country)
                if country and country.capital:
                    cands = [
                        c
                        for c in self.gazetteer.lookup(country.capital, country_hint={country.iso3})
                        if c.place.country == country.iso3
                    ][:1]
        if not cands:
            return None
        if qual:
            narrowed = [c for c in cands if c.place.admin1 in qual or c.place.country in qual]
            cands = narrowed or cands
        best = cands[0]
        # The small model often calls a town a PERSON or ORG ("near Darwin", "Manbij"); a
        # real place of some size after a locative preposition still counts.
        if tok.ent_type in NOT_PLACE_ENTS and not (
            best.kind != "city" or best.seat or best.population >= MISLABELLED_MIN_POPULATION
        ):
            return None
        if weak and best.kind not in ("feature",) and tok.ent_type != "LOC":
            return None
        if not any(w[:1].isupper() for w in name.split()) and best.kind != "feature":
            return None
        return best.place

    def border_partner(self, obj: Token) -> Place | None:
        """ "at the border with North Korea" where the parser hung "with ..." on the verb."""
        if obj.lemma not in ("border", "frontier", "boundary"):
            return None
        end = max(t.i for t in self.sentence.subtree(obj.i)) + 1
        tokens = self.sentence.tokens
        if end < len(tokens) and tokens[end].text.lower() in ("with", "between"):
            for inner in _objects(self.sentence, tokens[end]):
                place = self.resolve(inner)
                if place is not None:
                    return place
        return None


def _anchor_chain(sentence: Sentence, predicate_index: int) -> list[int]:
    """The predicate and the heads above it inside its own clause ("held talks in Seoul")."""
    chain = [predicate_index]
    tok = sentence.tokens[predicate_index]
    seen = {predicate_index}
    while tok.head != tok.i and tok.dep not in CLAUSE_EDGES and tok.head not in seen:
        tok = sentence.tokens[tok.head]
        seen.add(tok.i)
        chain.append(tok.i)
        if tok.pos in ("VERB", "AUX"):
            break
    return chain


def _clause_tokens(sentence: Sentence, root: int) -> list[Token]:
    """The subtree of ``root`` without embedded clauses that have their own verb."""
    blocked = {
        t.i
        for t in sentence.tokens
        if t.i != root and t.dep in ("relcl", "ccomp", "advcl", "parataxis")
    }
    inside = {root}
    changed = True
    while changed:
        changed = False
        for t in sentence.tokens:
            if t.i not in inside and t.head in inside and t.i not in blocked and t.head != t.i:
                inside.add(t.i)
                changed = True
    return [t for t in sentence.tokens if t.i in inside]


def locate_in_sentence(
    sentence: Sentence,
    predicate_index: int,
    participant_heads: Sequence[int] = (),
    *,
    gazetteer: Gazetteer,
    country_hint: Collection[str] = (),
    actors: ActorLexicon | None = None,
    sentence_wide: bool = SENTENCE_WIDE,
) -> Place | None:
    """The place the sentence gives for the event at ``predicate_index``, or None."""
    if not sentence.tokens or not 0 <= predicate_index < len(sentence.tokens):
        return None
    resolver = _Resolver(sentence, gazetteer, set(country_hint), actors)
    tokens = sentence.tokens
    predicate = tokens[predicate_index]

    anchors: list[int] = []
    for i in _anchor_chain(sentence, predicate_index):
        anchors.append(i)
    for head in participant_heads:
        if 0 <= head < len(tokens):
            anchors.append(head)
            anchors.extend(t.i for t in sentence.children(head) if t.dep in ("conj", "appos"))
    # Everything else in the predicate's clause, then in the sentence, in order.
    anchors.extend(t.i for t in _clause_tokens(sentence, anchors[min(1, len(anchors) - 1)]))
    if sentence_wide:
        anchors.extend(t.i for t in tokens)
    seen: set[int] = set()
    ordered = [a for a in anchors if not (a in seen or seen.add(a))]

    chain = _anchor_chain(sentence, predicate_index)
    motion = predicate.lemma in MOTION_LEMMAS or any(
        tokens[i].lemma in MOTION_LEMMAS for i in chain
    )
    # "Abe visited Seoul", "rockets hit the city of Aleppo": the object is where it happened.
    for i in chain:
        if tokens[i].lemma in PLACE_OBJECT_LEMMAS:
            for obj in sentence.children(i):
                if obj.dep == "dobj" and (
                    obj.pos == "PROPN"
                    or obj.ent_type in PLACE_ENTS
                    or obj.lemma in CONTAINER_LEMMAS
                ):
                    place = resolver.resolve(obj)
                    if place is not None:
                        return place
    for anchor in ordered:
        for prep in sentence.children(anchor):
            if prep.dep not in ("prep", "dative"):
                continue
            word = prep.text.lower()
            weak = word in WEAK_PREPS
            if not (
                word in LOCATIVE_PREPS
                or weak
                or (motion and word in MOTION_PREPS and anchor in seen)
            ):
                continue
            if _inside_relative(sentence, prep.i, predicate_index):
                continue
            for obj in _objects(sentence, prep):
                place = resolver.resolve(obj, weak=weak) or resolver.border_partner(obj)
                if place is not None:
                    return place
    return None


def _inside_relative(sentence: Sentence, i: int, predicate_index: int) -> bool:
    """Whether token ``i`` sits in a relative clause that does not hold the predicate."""
    tokens = sentence.tokens
    seen = set()
    while tokens[i].head != i and i not in seen:
        seen.add(i)
        if i == predicate_index:
            return False
        if tokens[i].dep in ("relcl",):
            return True
        i = tokens[i].head
    return False


def dateline_place(
    text: str, gazetteer: Gazetteer, *, country_hint: Collection[str] = ()
) -> Place | None:
    """The place a story's dateline names: "SEOUL, Sept 8 (Reuters) –" → Seoul."""
    match = DATELINE.match(text[:200])
    if not match:
        return None
    name = match.group("place").strip()
    region = (match.group("region") or "").strip()
    if not (name.isupper() or match.group("agency") or match.group("date")):
        return None  # "Kim said - ..." is not a dateline
    hint = set(country_hint)
    narrow: set[str] = set()
    if region:
        for cand in gazetteer.lookup(region):
            if cand.kind in ("country", "admin1"):
                narrow.add(cand.place.admin1 or cand.place.country or "")
                hint.add(cand.place.country or "")
                break
    cands = gazetteer.lookup(name, country_hint=hint or None)
    if narrow:
        cands = [c for c in cands if c.place.admin1 in narrow or c.place.country in narrow] or cands
    return cands[0].place if cands else None


def locate_event(
    sentence: Sentence,
    predicate_index: int,
    participant_heads: Sequence[int] = (),
    *,
    story_places: Sequence[Place] = (),
    actor_countries: Sequence[str] = (),
    story_countries: Collection[str] = (),
    gazetteer: Gazetteer,
    actors: ActorLexicon | None = None,
) -> Place | None:
    """Where the event at ``predicate_index`` happened.

    1. a place in its own sentence: a locative phrase ("in Seoul", "near Busan", "in northern
       Syria", "at the border with North Korea", "off the coast of Somalia") attached to the
       predicate, its clause or its participants, or the destination of a visit; a place that
       is only the subject or object ("Seoul said") is an actor, not a location;
    2. else the story's place (``story_places[0]``, usually the dateline);
    3. else the first actor country, with precision "actor".

    Ambiguous names prefer the countries of ``actor_countries``, ``story_countries`` and
    ``story_places`` ("Paris" in a story about Texas).
    """
    # The event's own actors speak first; the story's countries and places only when the
    # event has none (a story's list of countries can include the place name itself).
    hint = {c for c in actor_countries if c}
    if not hint:
        hint = {c for c in story_countries if c} | {p.country for p in story_places if p.country}
    place = locate_in_sentence(
        sentence,
        predicate_index,
        participant_heads,
        gazetteer=gazetteer,
        country_hint=hint,
        actors=actors,
    )
    if place is not None:
        return place
    if story_places:
        return story_places[0]
    for iso3 in actor_countries:
        if iso3:
            found = gazetteer.country_place(iso3, "actor")
            if found is not None:
                return found
    return None


def same_place(a: Place | None, b_name: str | None, b_country: str | None) -> bool:
    """Loose equality used by the benchmark: folded name and country both agree."""
    if a is None or b_name is None:
        return a is None and b_name is None
    return fold(a.name) == fold(b_name) and a.country == b_country
