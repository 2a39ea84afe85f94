import pytest


@pytest.fixture(scope="session")
def nlp():
    from detente.nlp import load_language_model

    return load_language_model()


@pytest.fixture(scope="session")
def coder(nlp):
    from detente.coder import Coder

    return Coder(nlp=nlp)


@pytest.fixture(scope="session")
def actor_lexicon():
    from detente.actors import ActorLexicon

    return ActorLexicon.load()


@pytest.fixture(scope="session")
def mentions_of(nlp, actor_lexicon):
    """Parse and resolve actors in a text; returns [(text, [codes])] per mention."""
    from detente.actors import ActorStage
    from detente.nlp import ParseStage
    from detente.records import Story

    parse, actors = ParseStage(nlp=nlp), ActorStage(actor_lexicon)

    def run(text: str):
        story = actors(parse(Story(id="t", text=text)))
        return [(m.text, [a.code for a in m.actors]) for m in story.mentions]

    return run
