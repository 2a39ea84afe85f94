"""What the predicate lexicon says about a word, as features for the classifiers.

The lexicon was written from the CAMEO codebook, not from the development sentences, so its
verdict on a verb ("accuse" → ACCUSE, "pledge" → AGREE) generalises to text the classifier
has never seen.
"""

from __future__ import annotations

from ..events.lexicon import PredicateLexicon
from ..events.ontology import Ontology

ROOT_NAMES = {"01": "STATEMENT", "02": "APPEAL"}
YIELD = {"CONCEDE": "YIELD", "RETREAT": "YIELD"}


def lexicon_types(
    predicates: PredicateLexicon | None = None, ontology: Ontology | None = None
) -> dict[str, str]:
    """Lemma → event type of its generic lexicon row (verbs before nouns)."""
    predicates = predicates or PredicateLexicon.load()
    ontology = ontology or Ontology.load()
    types: dict[str, str] = {}
    for table in (predicates.nouns, predicates.verbs):  # verbs last: they win
        for lemma, rules in table.items():
            rule = next((r for r in rules if r.specificity == 0), None)
            if rule is None:
                continue
            code = ontology.get(rule.cameo)
            label = code.plover or ROOT_NAMES.get(code.root, code.root)
            types[lemma] = YIELD.get(label, label)
    return types
