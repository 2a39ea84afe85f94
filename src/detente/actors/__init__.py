"""Actors: who is acting, across the whole story."""

from .context import StoryContext
from .lexicon import ActorLexicon, Country, Entry
from .stage import ActorStage

__all__ = ["ActorLexicon", "ActorStage", "Country", "Entry", "StoryContext"]
