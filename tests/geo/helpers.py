def index_of(sentence, word: str) -> int:
    """Index of the first token spelled ``word``."""
    return next(t.i for t in sentence.tokens if t.text == word)
