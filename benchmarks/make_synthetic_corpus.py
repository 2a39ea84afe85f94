"""Write N synthetic news stories as JSON Lines, deterministically (same N and seed → same bytes).

    python benchmarks/make_synthetic_corpus.py 1000 out/synthetic_1k.jsonl [--seed 7]

Stories use real country names, adjectives and capitals from detente's packaged
``countries.tsv``, leaders with titles, a spread of event verbs (cooperation and
conflict, verbal and material, negated and future forms) and dated datelines. The
text is nonsense as news, but it exercises the parser, the actor resolver and the
event extractor the way real wire copy does: 4–9 sentences of 15–30 words each.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

COUNTRIES_TSV = Path(__file__).resolve().parents[1] / "src" / "detente" / "data" / "countries.tsv"

TITLES = (
    "President",
    "Prime Minister",
    "Foreign Minister",
    "Defence Minister",
    "Trade Minister",
    "Interior Minister",
    "Finance Minister",
    "Chancellor",
    "King",
    "Army chief",
)
FIRST = (
    "Ana", "Boris", "Chen", "Dmitri", "Elena", "Farid", "Grace", "Hiroshi", "Ines", "Jamal",
    "Kwame", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Rafael", "Sofia", "Tomas", "Yusuf",
)  # fmt: skip
LAST = (
    "Alvarez", "Bakr", "Castillo", "Demir", "Eriksen", "Fujita", "Gupta", "Haddad", "Ivanov",
    "Jansen", "Kowalski", "Lindqvist", "Mensah", "Novak", "Okafor", "Petrov", "Quinn",
    "Rossi", "Sato", "Tanaka",
)  # fmt: skip
SOURCES = ("Synthetic Wire", "Daily Bench", "Example Post", "Test Herald")

# {a}/{b}: an actor phrase; {cap}: a capital; {adj}: an adjective; {day}: a weekday.
SENTENCES = (
    "{a} met {b} in {cap} on {day} to discuss trade and security.",
    "{a} signed an agreement with {b} on energy cooperation in {cap}.",
    "{a} accused {b} of violating the ceasefire along the border.",
    "{a} condemned {b} for the missile test, calling it a grave provocation.",
    "{a} praised {b} for its help after the earthquake.",
    "{a} threatened {b} with new sanctions if the talks fail.",
    "{a} imposed sanctions on {b} over its nuclear programme on {day}.",
    "{a} criticized {b} for detaining journalists in {cap}.",
    "{a} offered humanitarian aid to {b} after the floods.",
    "{a} called for talks with {b} to end the dispute over fishing rights.",
    "{a} rejected a proposal from {b} to reopen the embassy in {cap}.",
    "{a} will visit {b} next month, officials in {cap} said.",
    "{a} did not meet {b} during the summit, the {adj} news agency reported.",
    "{a} expelled diplomats of {b} on {day}, citing espionage.",
    "{a} apologized to {b} for the incident at sea.",
    "{a} deployed troops near the border with {b}, according to {adj} officials.",
    "{a} urged {b} to release the detained sailors.",
    "{a} welcomed the decision of {b} to lift the travel ban.",
    "{a} hosted {b} for a state dinner in {cap} on {day}.",
    "{a} denied that {b} had been invited to the talks.",
    "{a} protested to {b} over the seizure of a fishing boat.",
    "{a} agreed with {b} to exchange prisoners before the end of the year.",
    "Protesters in {cap} rallied against the policies of {b} on {day}.",
    "The {adj} government said it would consider the offer from {b}.",
)
FILLERS = (
    "The talks lasted several hours and ended without a joint statement.",
    "Markets in the region were little changed after the news.",
    "Analysts said the move reflected growing tension in the region.",
    "The two sides have a long history of disputes over territory and trade.",
    "Officials declined to give further details about the meeting.",
)
HEADLINES = (
    "{A} and {B} hold talks in {cap}",
    "{A} accuses {B} of border violations",
    "{A} signs energy deal with {B}",
    "Tension rises between {A} and {B}",
    "{A} offers aid to {B}",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def load_countries(path: Path = COUNTRIES_TSV) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    # Keep countries with an adjective and a capital: the templates need both.
    return [r for r in rows if r["adjectives"] and r["capital"]]


def _actor(rng: random.Random, country: dict[str, str]) -> str:
    adjective = country["adjectives"].split("|")[0]
    form = rng.randrange(5)
    if form == 0:
        return country["name"]
    if form == 1:
        return f"the {adjective} government"
    if form == 2:
        return f"{adjective} {rng.choice(TITLES)} {rng.choice(FIRST)} {rng.choice(LAST)}"
    if form == 3:
        return f"{country['name']}'s {rng.choice(TITLES).lower()}"
    return country["capital"]


def story(rng: random.Random, number: int, countries: list[dict[str, str]]) -> dict[str, str]:
    a, b = rng.sample(countries, 2)
    date = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(9000))
    sentences = []
    for _ in range(rng.randint(4, 9)):
        if rng.random() < 0.2:
            sentences.append(rng.choice(FILLERS))
            continue
        first, second = (a, b) if rng.random() < 0.6 else (b, a)
        template = rng.choice(SENTENCES)
        text = template.format(
            a=_actor(rng, first),
            b=_actor(rng, second),
            cap=rng.choice((first, second))["capital"],
            adj=first["adjectives"].split("|")[0],
            day=rng.choice(WEEKDAYS),
        )
        sentences.append(text[0].upper() + text[1:])
    title = rng.choice(HEADLINES).format(A=a["name"], B=b["name"], cap=a["capital"])
    return {
        "id": f"syn-{number:07d}",
        "date": date.isoformat(),
        "title": title,
        "source": rng.choice(SOURCES),
        "text": title + "\n" + " ".join(sentences),
    }


def stories(n: int, seed: int = 7) -> Iterator[dict[str, str]]:
    """The first ``n`` synthetic stories for ``seed`` (a prefix of any longer run)."""
    rng = random.Random(seed)
    countries = load_countries()
    for number in range(n):
        yield story(rng, number, countries)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of stories")
    parser.add_argument("out", type=Path, help="output .jsonl file (- for standard output)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if str(args.out) == "-":
        for record in stories(args.n, args.seed):
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as handle:
        for record in stories(args.n, args.seed):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
