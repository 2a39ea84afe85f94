"""What a story has said so far about its actors: the memory behind coreference."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..records import Actor


@dataclass(slots=True)
class StoryContext:
    """People introduced with a title, and countries in order of last mention."""

    people: dict[str, Actor] = field(default_factory=dict)  # name word (lower) → actor
    last_person: Actor | None = None
    country_order: list[str] = field(default_factory=list)  # ISO3, most recent last
    best_actor: dict[str, Actor] = field(default_factory=dict)  # ISO3 → most specific actor
    mentions: dict[str, int] = field(default_factory=dict)  # ISO3 → times named as an actor
    named_pair: tuple[str, str] | None = None  # last two countries named together ("X and Y")

    def remember_pair(self, first: Actor, second: Actor) -> None:
        if first.country and second.country and first.country != second.country:
            self.named_pair = (first.country, second.country)

    def remember_person(self, name: str, actor: Actor) -> None:
        for word in name.replace("'s", "").split():
            if len(word) > 1 and word[0].isupper():
                self.people[word.lower()] = actor
        self.last_person = actor

    def person(self, word: str) -> Actor | None:
        return self.people.get(word.lower().removesuffix("'s"))

    def remember(self, actor: Actor, *, as_actor: bool = True) -> None:
        if not actor.country:
            return
        if actor.country in self.country_order:
            self.country_order.remove(actor.country)
        self.country_order.append(actor.country)
        if as_actor:
            self.mentions[actor.country] = self.mentions.get(actor.country, 0) + 1
            known = self.best_actor.get(actor.country)
            if known is None or actor.sector or not known.sector:
                self.best_actor[actor.country] = actor
        elif actor.country not in self.best_actor:
            self.best_actor[actor.country] = actor

    def actor_for(self, iso3: str) -> Actor:
        return self.best_actor.get(iso3) or Actor(code=iso3, country=iso3)

    def pair(self) -> tuple[Actor, Actor] | None:
        """What "the two countries" or "both" refer to: the two countries the story is about.

        Two countries last named together ("Japan and South Korea") win; else the most
        named; recency breaks ties, so a pair named in the
        sentence before beats a third country named once in passing.
        """
        if self.named_pair is not None:
            return self.actor_for(self.named_pair[0]), self.actor_for(self.named_pair[1])
        if len(self.country_order) < 2:
            return None
        recency = {iso3: rank for rank, iso3 in enumerate(self.country_order)}
        ranked = sorted(
            self.country_order,
            key=lambda c: (self.mentions.get(c, 0) + 0.1 * recency[c], recency[c]),
            reverse=True,
        )
        first, second = sorted(ranked[:2], key=lambda c: recency[c])
        return self.actor_for(first), self.actor_for(second)

    def latest_country_except(self, excluded: set[str]) -> Actor | None:
        for iso3 in reversed(self.country_order):
            if iso3 not in excluded:
                return self.actor_for(iso3)
        return None
