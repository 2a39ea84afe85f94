"""Is a predicate asserted, negated, hypothetical, future/intended or reported?"""

from __future__ import annotations

from ..records import Sentence, Token

NEGATORS = {"not", "n't", "never", "no"}
HYPOTHETICAL_AUX = {"would", "could", "might", "may", "should", "can"}
FUTURE_AUX = {"will", "shall", "'ll"}
INTENT_VERBS = {
    "plan",
    "intend",
    "aim",
    "hope",
    "want",
    "seek",
    "expect",
    "pledge",
    "promise",
    "vow",
    "offer",
    "propose",
    "prepare",
    "agree",
    "decide",
    "wish",
    "commit",
    "vote",
    "resolve",
    "consider",
    "threaten",
    "try",
    "attempt",
    "prefer",
    "mean",
}
# What someone asks or demands has not happened: "demanded that Seoul carry out the deal".
DIRECTIVE_VERBS = {
    "demand",
    "urge",
    "ask",
    "request",
    "call",
    "appeal",
    "press",
    "want",
    "insist",
    "require",
    "order",
    "tell",
    "encourage",
    "invite",
}
SPEECH_VERBS = {
    "say",
    "tell",
    "report",
    "claim",
    "state",
    "add",
    "note",
    "announce",
    "insist",
    "allege",
    "warn",
    "write",
    "quote",
    "suggest",
}
CONDITION_MARKERS = {"if", "unless", "whether"}


def _children(sentence: Sentence, i: int) -> list[Token]:
    return sentence.children(i)


def is_negated(sentence: Sentence, tok: Token) -> bool:
    for child in _children(sentence, tok.i):
        if child.dep == "neg" or (child.dep == "advmod" and child.text.lower() == "never"):
            return True
        if child.dep in ("nsubj", "nsubjpass") and any(
            g.text.lower() == "no" and g.dep == "det" for g in _children(sentence, child.i)
        ):
            return True
    return False


def governing_chain(sentence: Sentence, tok: Token) -> list[Token]:
    """The predicate and the verbs that govern it through xcomp/ccomp/conj links."""
    chain = [tok]
    current = tok
    for _ in range(6):
        if (
            current.dep not in ("xcomp", "ccomp", "conj", "advcl", "pcomp", "acl")
            or current.head == current.i
        ):
            break
        current = sentence.tokens[current.head]
        chain.append(current)
    return chain


def modality_of(sentence: Sentence, tok: Token) -> str:
    """The modality label of the contract for the predicate token ``tok``."""
    if is_negated(sentence, tok):
        return "negated"
    aux = {c.text.lower() for c in _children(sentence, tok.i) if c.dep in ("aux", "auxpass")}
    marks = {c.text.lower() for c in _children(sentence, tok.i) if c.dep == "mark"}
    if marks & CONDITION_MARKERS:
        return "hypothetical"
    if aux & HYPOTHETICAL_AUX:
        return "hypothetical"
    if aux & FUTURE_AUX:
        return "future"
    chain = governing_chain(sentence, tok)
    for link, governor in zip(chain, chain[1:], strict=False):
        if link.dep == "xcomp" and governor.lemma in INTENT_VERBS:
            if is_negated(sentence, governor):
                return "negated"
            return "future"
        if link.dep in ("ccomp", "xcomp") and governor.lemma in DIRECTIVE_VERBS:
            return "hypothetical"
        if link.dep in ("ccomp",) and governor.lemma in SPEECH_VERBS:
            return "reported"
        if (
            link.dep == "advcl"
            and {c.text.lower() for c in _children(sentence, link.i) if c.dep == "mark"}
            & CONDITION_MARKERS
        ):
            return "hypothetical"
    if tok.pos == "NOUN" and tok.dep in ("dobj", "pobj"):
        governor = sentence.tokens[tok.head]
        if governor.dep == "prep":
            governor = sentence.tokens[governor.head]
        if governor.lemma in INTENT_VERBS and governor.pos == "VERB":
            return "future"
    return "asserted"
