"""Find predicates in a parsed sentence and the actors that take part in them."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..actors.spans import phrase_span, text_of
from ..records import Actor, Mention, Sentence, Token
from .lexicon import PredicateLexicon, PredicateRule

TARGET_PREPS = (
    "with",
    "to",
    "against",
    "on",
    "toward",
    "towards",
    "for",
    "from",
    "over",
    "into",
    "upon",
    "about",
)
WEAK_TARGET_PREPS = ("at",)
NON_PARTY_ENTITIES = {
    "DATE",
    "TIME",
    "CARDINAL",
    "MONEY",
    "PERCENT",
    "QUANTITY",
    "ORDINAL",
}  # "fired at X", but also "a complaint at the WTO": tried last
NOUN_SOURCE_PREPS = ("by", "from")
NOUN_TARGET_PREPS = ("with", "to", "against", "on", "toward", "towards", "for", "of")
INTENT_WORDS = {
    "pledge",
    "promise",
    "vow",
    "commit",
    "plan",
    "intend",
    "agree",
    "offer",
    "seek",
    "propose",
    "announce",
    "aim",
    "hope",
    "want",
}
LIGHT_VERBS = {
    "hold",
    "have",
    "make",
    "give",
    "take",
    "conduct",
    "carry",
    "reach",
    "seek",
    "pursue",
    "begin",
    "start",
    "launch",
    "stage",
    "deepen",
    "strengthen",
    "expand",
    "boost",
    "enhance",
    "increase",
    "continue",
    "resume",
    "promote",
    "foster",
    "build",
}
STATEMENT_VERBS = {
    "announce",
    "emphasize",
    "emphasise",
    "stress",
    "reaffirm",
    "advocate",
    "underline",
    "underscore",
    "highlight",
    "declare",
    "express",
    "voice",
    "confirm",
    "affirm",
    "call",
    "support",
    "welcome",
    "back",
}
# Predicates whose plural or group subject acts on each other: "the two countries met".
RECIPROCAL_ROOTS = {"03", "04", "05", "06", "01"}
SUBJECT_DEPS = ("nsubj", "csubj")
# Roots whose target may be the subject of the clause that says what is asked or feared.
DIRECTIVE_ROOTS = ("02", "10", "11", "12", "13")
PASSIVE_SUBJECT_DEPS = ("nsubjpass",)


@dataclass(slots=True)
class Participant:
    mention: Mention
    actors: tuple[Actor, ...]
    implied: bool = False  # not named in the sentence: the story's other party


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
    # The object's words when no actor is named there ("condemned the ruling"): a weak target.
    fallback_target: Participant | None = None


def _unique(participants: list[Participant]) -> list[Participant]:
    seen: set[int] = set()
    kept = []
    for participant in participants:
        if id(participant.mention) not in seen:
            seen.add(id(participant.mention))
            kept.append(participant)
    return kept


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
            if (
                tok.pos in ("VERB", "AUX")
                and tok.lemma in self.lexicon.verbs
                or tok.lemma in STATEMENT_VERBS | LIGHT_VERBS
                and tok.pos == "VERB"
            ):
                cand = self._verb(sentence, tok, by_head, covered, used_nouns)
                if cand:
                    found.append(cand)
                    used_nouns.update(
                        c.i
                        for c in sentence.children(tok.i)
                        if c.dep in ("dobj", "nsubjpass", "attr")
                    )
        for tok in sentence.tokens:
            if (
                tok.pos in ("NOUN", "PROPN")
                and tok.i not in used_nouns
                and tok.lemma in self.lexicon.nouns
            ):
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
        if mention is None:
            # "South Korean ships": the country adjective stands for the party.
            mention = next(
                (
                    covered[c.i]
                    for c in sentence.children(i)
                    if c.dep in ("amod", "compound")
                    and c.i in covered
                    and covered[c.i].kind == "modifier"
                ),
                None,
            )
        result = []
        if mention is not None:
            result.append(Participant(mention, mention.actors))
        for child in sentence.children(i):
            if child.dep == "conj":
                result.extend(self._participants(sentence, child.i, by_head, covered))
        return result

    def _subject(
        self, sentence: Sentence, tok: Token, by_head, covered
    ) -> tuple[list[Participant], bool]:
        """The predicate's subject, or its governor's for 'plans to visit' and 'said it will'."""
        current: Token | None = tok
        inherited = False
        for _ in range(6):
            if current is None:
                break
            subjects = [c for c in sentence.children(current.i) if c.dep in SUBJECT_DEPS]
            subject = subjects[0] if subjects else None
            if subject is not None:
                # Two subjects without 'conj' are a parser slip for "X and Y signed".
                found = _unique(
                    [
                        p
                        for s in subjects
                        for p in self._participants(sentence, s.i, by_head, covered)
                    ]
                )
                reported_pronoun = (
                    subject.text.lower() in ("it", "they", "we") and current.dep == "ccomp"
                )
                if found or not reported_pronoun:
                    return found, inherited
                current = sentence.tokens[current.head]  # "X announced that it will ...": 'it' is X
            elif (
                current.dep in ("xcomp", "conj", "advcl", "acl", "pcomp")
                and current.head != current.i
            ):
                governor = sentence.tokens[current.head]
                controller = next(
                    (c for c in sentence.children(governor.i) if c.dep == "dobj"), None
                )
                if current.dep == "xcomp" and controller is not None:
                    # "Japan urged South Korea to release ...": the one urged releases.
                    return self._participants(sentence, controller.i, by_head, covered), True
                current = governor
            else:
                break
            inherited = True
        return [], inherited

    def _prep_objects(self, sentence: Sentence, i: int, preps: tuple[str, ...], by_head, covered):
        out = []
        for child in sentence.children(i):
            if child.dep in ("prep", "dative", "agent") and child.lemma in preps:
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
                nxt.extend(
                    c.i
                    for c in sentence.children(j)
                    if c.dep in ("prep", "pobj", "pcomp", "dobj", "conj", "acl", "amod")
                )
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
        if (
            rule is None
            or rule.specificity == 0
            and (tok.lemma in LIGHT_VERBS or rule.cameo.startswith("01"))
        ):
            nested = self._embedded_event(sentence, tok, objects)
            if nested is not None:
                embedded, rule = nested
                used_nouns.add(embedded.i)
        if rule is None:
            return None
        passive = any(c.dep == "auxpass" for c in children)
        fallback = None
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
                for start in self._object_heads(sentence, tok, objects):
                    targets = self._deep_target(sentence, start.i, by_head, covered)
                    if targets:
                        break
            if not targets:
                targets = self._clause_object(sentence, tok, by_head, covered)
            if not targets:
                targets = self._prep_objects(sentence, tok.i, WEAK_TARGET_PREPS, by_head, covered)
            if not targets:
                targets = self._modifier_target(sentence, tok, objects, covered)
            if not targets and rule.cameo[:2] in DIRECTIVE_ROOTS:
                targets = self._clause_subject(sentence, tok, by_head, covered)
            if not targets:
                fallback = self._object_phrase(sentence, tok, objects, rule.obj)
        if not sources:
            return None
        return Candidate(
            predicate=tok,
            rule=rule,
            sources=sources,
            targets=targets,
            fallback_target=None if targets or passive else fallback,
            embedded=embedded,
            inherited_source=inherited,
            kind="nested" if embedded is not None else "verb",
        )

    @staticmethod
    def _object_heads(sentence: Sentence, tok: Token, objects) -> list[Token]:
        heads = [o for o in objects if o.dep == "dobj"]
        for prep in sentence.children(tok.i):
            if prep.dep == "prep" and prep.lemma in TARGET_PREPS:
                heads += [p for p in sentence.children(prep.i) if p.dep == "pobj"]
        return heads

    def _object_phrase(
        self, sentence: Sentence, tok: Token, objects, rule_object: str | None
    ) -> Participant | None:
        for head in self._object_heads(sentence, tok, objects):
            if head.pos not in ("NOUN", "PROPN") or head.lemma in self.lexicon.nouns:
                continue
            if head.ent_type in NON_PARTY_ENTITIES or head.lemma == rule_object:
                continue  # "on Tuesday"; "expressed regret" (the object is the predicate's own)
            start, end = phrase_span(sentence, head.i)
            mention = Mention(
                sentence_index=sentence.index,
                start=start,
                end=end,
                text=text_of(sentence, start, end),
                char_start=sentence.tokens[start].idx,
                char_end=sentence.tokens[end - 1].end,
                actors=(Actor(code=""),),
                kind="object",
                head=head.i,
            )
            return Participant(mention, mention.actors)
        return None

    @staticmethod
    def _modifier_target(sentence: Sentence, tok: Token, objects, covered) -> list[Participant]:
        """'boycotting Japanese products', 'commented on the South Korean election':
        the country adjective on the object is the target."""
        nouns = [o for o in objects if o.dep == "dobj"]
        for prep in sentence.children(tok.i):
            if prep.dep == "prep" and prep.lemma in TARGET_PREPS:
                nouns += [p for p in sentence.children(prep.i) if p.dep == "pobj"]
        for obj in nouns:
            for child in sentence.children(obj.i):
                mention = covered.get(child.i)
                if mention is not None and mention.kind == "modifier":
                    return [Participant(mention, mention.actors)]
        return []

    def _clause_object(self, sentence, tok, by_head, covered) -> list[Participant]:
        """'Tokyo pledged to provide Seoul with grants': the party is in the infinitive."""
        for clause in sentence.children(tok.i):
            if clause.dep != "xcomp":
                continue
            for child in sentence.children(clause.i):
                if child.dep in ("dobj", "dative"):
                    found = self._participants(sentence, child.i, by_head, covered)
                    if found:
                        return found
                if child.dep == "ccomp":  # "pledged to help South Korea rebuild"
                    for grandchild in sentence.children(child.i):
                        if grandchild.dep in SUBJECT_DEPS:
                            found = self._participants(sentence, grandchild.i, by_head, covered)
                            if found:
                                return found
            found = self._prep_objects(sentence, clause.i, TARGET_PREPS, by_head, covered)
            if found:
                return found
        return []

    def _clause_subject(self, sentence, tok, by_head, covered) -> list[Participant]:
        """'Tokyo demanded that Seoul carry out ...': the one asked is the clause's subject."""
        for clause in sentence.children(tok.i):
            if clause.dep in ("ccomp", "xcomp"):
                for child in sentence.children(clause.i):
                    if child.dep in SUBJECT_DEPS:
                        return self._participants(sentence, child.i, by_head, covered)
        return []

    def _embedded_event(self, sentence, tok, objects) -> tuple[Token, PredicateRule] | None:
        """An event word under a statement or light verb: 'announced increased cooperation'."""
        frontier = [c.i for c in objects] + [
            c.i for c in sentence.children(tok.i) if c.dep == "xcomp"
        ]
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
                if (
                    t.pos == "VERB"
                    and t.lemma in self.lexicon.verbs
                    and t.dep in ("xcomp", "pcomp", "acl")
                ):
                    rule = self.lexicon.generic("VERB", t.lemma)
                    if rule:
                        return t, rule
                nxt.extend(
                    c.i
                    for c in sentence.children(j)
                    if c.dep
                    in ("prep", "pobj", "pcomp", "dobj", "conj", "xcomp", "acl", "compound")
                )
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
            if not self._anchored(sentence, tok):
                return None
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
        targets = self._prep_objects(sentence, tok.i, NOUN_TARGET_PREPS, by_head, covered)
        if not targets:
            targets = self._copula_target(sentence, tok, by_head, covered)
        kind = "noun"
        if not sources:
            sources = self._governor_subject(sentence, tok, by_head, covered)
            if sources and self._object_of_statement(sentence, tok):
                kind = "nested"
        if not sources or not targets:
            return None
        return Candidate(tok, rule, sources=sources, targets=targets, kind=kind)

    @staticmethod
    def _anchored(sentence: Sentence, tok: Token) -> bool:
        """An event noun the clause is about ('the meeting between X and Y marked ...'),
        not one buried in a modifier ('a change in security cooperation between ...')."""
        if tok.dep in ("nsubj", "nsubjpass", "dobj", "ROOT", "attr", "appos"):
            return True
        if tok.dep == "pobj":
            prep = sentence.tokens[tok.head]
            return sentence.tokens[prep.head].pos in ("VERB", "AUX")
        return False

    def _copula_target(self, sentence, tok, by_head, covered) -> list[Participant]:
        """'Lee's first visit ... was to Tokyo': the destination hangs on the copula."""
        copulas = [
            c
            for c in sentence.children(tok.i)
            if c.lemma == "be" and c.dep in ("advcl", "relcl", "acl")
        ]
        if tok.dep == "nsubj" and sentence.tokens[tok.head].lemma == "be":
            copulas.append(sentence.tokens[tok.head])
        for copula in copulas:
            found = self._prep_objects(sentence, copula.i, ("to", "with"), by_head, covered)
            if found:
                return found
        return []

    @staticmethod
    def _object_of_statement(sentence, tok) -> bool:
        """Is the event word what a statement is about ('reaffirmed a commitment to ...')?"""
        current = tok
        through_object = False
        for _ in range(6):
            if current.head == current.i:
                return False
            if current.dep in ("dobj", "xcomp", "ccomp", "attr") or (
                current.dep == "conj" and current.pos == "ADP"  # "... and to continued cooperation"
            ):
                through_object = True
            parent = sentence.tokens[current.head]
            if parent.pos in ("VERB", "AUX"):
                return through_object and parent.lemma in STATEMENT_VERBS | INTENT_WORDS
            current = parent
        return False

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
