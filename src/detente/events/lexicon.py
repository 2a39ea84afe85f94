"""Predicate lexicon: verbs and event nouns with the CAMEO codes they express."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..data_files import data_path, read_tsv


@dataclass(frozen=True, slots=True)
class PredicateRule:
    pos: str
    lemma: str
    obj: str | None
    prep: str | None
    cameo: str

    @property
    def specificity(self) -> int:
        return (self.obj is not None) + (self.prep is not None)


@dataclass(slots=True)
class PredicateLexicon:
    verbs: dict[str, list[PredicateRule]] = field(default_factory=lambda: defaultdict(list))
    nouns: dict[str, list[PredicateRule]] = field(default_factory=lambda: defaultdict(list))
    contexts: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None, contexts: Path | None = None) -> PredicateLexicon:
        lexicon = cls()
        for row in read_tsv(
            path or data_path("predicates.tsv"), ("pos", "lemma", "obj", "prep", "cameo")
        ):
            rule = PredicateRule(
                pos=row["pos"].upper(),
                lemma=row["lemma"].lower(),
                obj=None if row["obj"] in ("-", "") else row["obj"].lower(),
                prep=None if row["prep"] in ("-", "") else row["prep"].lower(),
                cameo=row["cameo"],
            )
            table = lexicon.nouns if rule.pos == "NOUN" else lexicon.verbs
            table[rule.lemma].append(rule)
        for rules in (*lexicon.verbs.values(), *lexicon.nouns.values()):
            rules.sort(key=lambda r: -r.specificity)
        for row in read_tsv(contexts or data_path("contexts.tsv"), ("lemma", "context")):
            lexicon.contexts[row["lemma"].lower()] = row["context"]
        return lexicon

    def match(
        self, pos: str, lemma: str, objects: set[str], preps: set[str]
    ) -> PredicateRule | None:
        table = self.nouns if pos == "NOUN" else self.verbs
        for rule in table.get(lemma, ()):
            if rule.obj is not None and rule.obj not in objects:
                continue
            if rule.prep is not None and rule.prep not in preps:
                continue
            return rule
        return None

    def generic(self, pos: str, lemma: str) -> PredicateRule | None:
        """The rule that needs neither object nor preposition, if any."""
        table = self.nouns if pos == "NOUN" else self.verbs
        return next((r for r in table.get(lemma, ()) if r.specificity == 0), None)
