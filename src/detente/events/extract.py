"""Find predicates in a parsed sentence and the actors that take part in them."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..records import Actor, Mention, Sentence, Token
from .lexicon import PredicateLexicon, PredicateRule

TARGET_PREPS = ("with", "to", "against", "on", "toward", "towards", "at", "for", "from", "over",
                "into", "upon", "about")
NOUN_SOURCE_PREPS = ("by", "from")
LIGHT_VERBS = {"hold", "have", "make", "give", "take", "conduct", "carry", "reach", "seek",
               "pursue", "begin", "start", "launch", "stage", "deepen", "strengthen", "expand",
               "boost", "enhance", "increase", "continue", "resume", "promote", "foster", "build"}
STATEMENT_VERBS = {"announce", "emphasize", "emphasise", "stress", "reaffirm", "advocate",
                   "underline", "underscore", "highlight", "declare", "express", "voice",
                   "confirm", "affirm", "call", "stress", "support", "welcome", "back"}
# Predicates whose plural or group subject acts on each other: "the two countries met".
RECIPROCAL_ROOTS = {"03", "04", "05", "06", "01"}
SUBJECT_DEPS = ("nsubj", "csubj")
PASSIVE_SUBJECT_DEPS = ("nsubjpass",)


@dataclass(slots=True)
class Participant:
    mention: Mention
    actors: tuple[Actor, ...]


@dataclass(slots=True)
class Candidate:
    """A predicate with its rule and participants, before ontology lookup."""

    predicate: Token
    rule: PredicateRule
    sources: list[Participant] = field(default_factory=list)
    targets: list[Participant] = field(default_factory=list)
    reciprocal: bool = False  # "a meeting between X and Y": every ordered pair
    embedded: Token | None = None  # the event word inside a statement ("announced cooperation")
    inherited_source: bool = False
    kind: str = "verb"  # verb | noun | nested


class Extractor:
    """Dependency patterns from predicates to participants."""

    def __init__(self, lexicon: PredicateLexicon) -> None:
        self.lexicon = lexicon

    def candidates(self, sentence: Sentence, mentions: list[Mention]) -> list[Candidate]:
        by_head = {m.head: m for m in mentions}
        covered = {}
        for m in mentions:
            for i in range(m.start, m.end):
                covered.setdefault(i, m)
        found: list[Candidate] = []
        used_nouns: set[int] = set()
        for tok in sentence.tokens:
            if tok.pos in ("VERB", "AUX") and tok.lemma in self.lexicon.verbs or tok.lemma in STATEMENT_VERBS | LIGHT_VERBS and tok.pos == "VERB":
                cand = self._verb(sentence, tok, by_head, covered, used_nouns)
                if cand:
                    found.append(cand)
        for tok in sentence.tokens:
            if tok.pos in ("NOUN", "PROPN") and tok.i not in used_nouns and tok.lemma in self.lexicon.nouns:
                if tok.i in covered and covered[tok.i].head == tok.i:
                    continue  # the noun names an actor ("the Foreign Ministry")
                cand = self._noun(sentence, tok, by_head, covered)
                if cand:
                    found.append(cand)
        return found

    # -- participants -------------------------------------------------------

    def _participants(self, sentence: Sentence, i: int, by_head, covered) -> list[Participant]:
        """The mention at token ``i`` plus those joined to it by 'and'."""
        mention = by_head.get(i) or covered.get(i)
        result = []
        if mention is not None:
            result.append(Participant(mention, mention.actors))
        for child in sentence.children(i):
            if child.dep == "conj":
                result.extend(self._participants(sentence, child.i, by_head, covered))
        return result

    def _subject(self, sentence: Sentence, tok: Token, by_head, covered) -> tuple[list[Participant], bool]:
        current = tok
        inherited = False
        for _ in range(5):
            for child in sentence.children(current.i):
                if child.dep in SUBJECT_DEPS:
                    return self._participants(sentence, child.i, by_head, covered), inherited
            if current.dep in ("xcomp", "conj", "advcl", "acl", "pcomp") and current.head != current.i:
                current = sentence.tokens[current.head]
                inherited = True
                continue
            break
        return [], inherited

    def _prep_objects(self, sentence: Sentence, i: int, preps: tuple[str, ...], by_head, covered):
        out = []
        for child in sentence.children(i):
            if child.dep in ("prep", "dative") and child.lemma in preps:
                for pobj in sentence.children(child.i):
                    if pobj.dep == "pobj":
                        out.extend(self._participants(sentence, pobj.i, by_head, covered))
            elif child.dep == "dative":
                out.extend(self._participants(sentence, child.i, by_head, covered))
        return out

    def _deep_target(self, sentence: Sentence, i: int, by_head, covered, depth: int = 4):
        """'signed agreements with the United States': look under the object for its partner."""
        frontier = [i]
        for _ in range(depth):
            nxt = []
            for j in frontier:
                found = self._prep_objects(sentence, j, TARGET_PREPS, by_head, covered)
                if found:
                    return found
                nxt.extend(c.i for c in sentence.children(j) if c.dep in ("prep", "pobj", "pcomp", "dobj", "conj", "acl", "amod"))
            frontier = nxt
        return []

    # -- verbs --------------------------------------------------------------

    def _verb(self, sentence, tok, by_head, covered, used_nouns) -> Candidate | None:
        children = sentence.children(tok.i)
        objects = {c for c in children if c.dep in ("dobj", "prt", "attr", "nsubjpass", "oprd")}
        object_lemmas = {c.lemma for c in objects}
        for c in objects:
            object_lemmas.update(g.lemma for g in sentence.children(c.i) if g.dep == "compound")
        preps = {c.lemma for c in children if c.dep in ("prep", "agent", "dative")}
        rule = self.lexicon.match("VERB", tok.lemma, object_lemmas, preps)
        embedded = None
        if rule is None or rule.specificity == 0 and (tok.lemma in LIGHT_VERBS or rule.cameo.startswith("01")):
            nested = self._embedded_event(sentence, tok, objects)
            if nested is not None:
                embedded, rule = nested
                used_nouns.add(embedded.i)
        if rule is None:
            return None
        passive = any(c.dep == "auxpass" for c in children)
        if passive:
            sources = self._prep_objects(sentence, tok.i, ("by",), by_head, covered)
            targets = []
            for c in children:
                if c.dep in PASSIVE_SUBJECT_DEPS:
                    targets = self._participants(sentence, c.i, by_head, covered)
            inherited = False
        else:
            sources, inherited = self._subject(sentence, tok, by_head, covered)
            targets = []
            for c in objects:
                if c.dep in ("dobj", "attr", "oprd"):
                    targets.extend(self._participants(sentence, c.i, by_head, covered))
            if not targets:
                targets = self._prep_objects(sentence, tok.i, TARGET_PREPS, by_head, covered)
            if not targets and embedded is not None:
                targets = self._deep_target(sentence, embedded.i, by_head, covered)
            if not targets:
                for c in objects:
                    if c.dep == "dobj":
                        targets = self._deep_target(sentence, c.i, by_head, covered)
        if not sources:
            return None
        return Candidate(
            predicate=tok,
            rule=rule,
            sources=sources,
            targets=targets,
            embedded=embedded,
            inherited_source=inherited,
            kind="nested" if embedded is not None else "verb",
        )

    def _embedded_event(self, sentence, tok, objects) -> tuple[Token, PredicateRule] | None:
        """An event noun or verb under a statement or light verb: 'announced increased cooperation'."""
        frontier = [c.i for c in objects] + [c.i for c in sentence.children(tok.i) if c.dep in ("xcomp", "prep")]
        seen = set()
        for _ in range(4):
            nxt = []
            for j in frontier:
                if j in seen:
                    continue
                seen.add(j)
                t = sentence.tokens[j]
                if t.pos == "NOUN" and t.lemma in self.lexicon.nouns:
                    rule = self.lexicon.generic("NOUN", t.lemma)
                    if rule:
                        return t, rule
                if t.pos == "VERB" and t.lemma in self.lexicon.verbs and t.dep in ("xcomp", "pcomp", "acl"):
                    rule = self.lexicon.generic("VERB", t.lemma)
                    if rule:
                        return t, rule
                nxt.extend(c.i for c in sentence.children(j) if c.dep in ("prep", "pobj", "pcomp", "dobj", "conj", "xcomp", "acl", "compound"))
            frontier = nxt
        return None

    # -- nouns --------------------------------------------------------------

    def _noun(self, sentence, tok, by_head, covered) -> Candidate | None:
        rule = self.lexicon.generic("NOUN", tok.lemma)
        if rule is None:
            return None
        children = sentence.children(tok.i)
        between = self._prep_objects(sentence, tok.i, ("between", "among"), by_head, covered)
        if len(between) >= 2 or (len(between) == 1 and len(between[0].actors) >= 2):
            return Candidate(tok, rule, sources=between, targets=[], reciprocal=True, kind="noun")
        sources: list[Participant] = []
        for c in children:
            if c.dep in ("poss", "amod", "compound") and (c.i in by_head or c.i in covered):
                mention = by_head.get(c.i) or covered[c.i]
                if mention.kind == "pronoun" and c.dep == "poss":
                    governor_subject = self._governor_subject(sentence, tok, by_head, covered)
                    if governor_subject:
                        sources = governor_subject
                        continue
                sources.append(Participant(mention, mention.actors))
        if not sources:
            sources = self._prep_objects(sentence, tok.i, NOUN_SOURCE_PREPS, by_head, covered)
        targets = self._prep_objects(sentence, tok.i, ("with", "to", "against", "on", "toward", "towards", "for", "of"), by_head, covered)
        if not targets and tok.dep in ("nsubj",):
            copula = sentence.tokens[tok.head]
            if copula.lemma == "be":
                targets = self._prep_objects(sentence, copula.i, ("to", "with", "in"), by_head, covered)
        if not sources:
            sources = self._governor_subject(sentence, tok, by_head, covered)
        if not sources or not targets:
            return None
        return Candidate(tok, rule, sources=sources, targets=targets, kind="noun")

    def _governor_subject(self, sentence, tok, by_head, covered) -> list[Participant]:
        current = tok
        for _ in range(4):
            if current.head == current.i:
                return []
            current = sentence.tokens[current.head]
            if current.pos in ("VERB", "AUX"):
                subject, _ = self._subject(sentence, current, by_head, covered)
                return subject
        return []
