import pytest


@pytest.fixture(scope="session")
def gazetteer(actor_lexicon):
    from detente.geo import EmbeddedGazetteer

    return EmbeddedGazetteer(actor_lexicon)


@pytest.fixture(scope="session")
def sentence_of(nlp):
    """Parse one sentence into detente's own records."""
    from detente.nlp.parse import doc_to_sentences

    def run(text: str):
        return doc_to_sentences(nlp(text))[0]

    return run
