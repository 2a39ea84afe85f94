import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.geo import parse_date_expression, resolve_event_date, story_date_from_text
from detente.records import Sentence, Token

from .helpers import index_of

THURSDAY = dt.date(2025, 10, 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on Tuesday", "2025-09-30"),
        ("Thursday", "2025-10-02"),  # the story's own weekday is that day
        ("last Tuesday", "2025-09-30"),
        ("last Thursday", "2025-09-25"),
        ("yesterday", "2025-10-01"),
        ("last night", "2025-10-01"),
        ("the day before yesterday", "2025-09-30"),
        ("today", "2025-10-02"),
        ("two days ago", "2025-09-30"),
        ("3 weeks ago", "2025-09-11"),
        ("last week", "2025-09-25"),
        ("last month", "2025-09-02"),
        ("last year", "2024-10-02"),
        ("earlier this week", "2025-09-29"),
        ("earlier this month", "2025-10-01"),
        ("earlier this year", "2025-01-01"),
        ("over the weekend", "2025-09-27"),
        ("on 8 September 2025", "2025-09-08"),
        ("September 8, 2025", "2025-09-08"),
        ("Sept. 8", "2025-09-08"),
        ("on July 4", "2025-07-04"),
        ("in September", "2025-09-01"),
        ("in mid-December", "2024-12-01"),
        ("in March 2024", "2024-03-01"),
        ("2025-09-08", "2025-09-08"),
        ("the 30th", "2025-09-30"),
        ("on Christmas Day", "2024-12-25"),
        ("in 2019", "2019-01-01"),
    ],
)
def test_expressions_against_the_story_date(text, expected):
    assert parse_date_expression(text, THURSDAY).isoformat() == expected


def test_future_direction():
    assert parse_date_expression("next Tuesday", THURSDAY) == dt.date(2025, 10, 7)
    assert parse_date_expression("on Tuesday", THURSDAY, direction="future") == dt.date(2025, 10, 7)
    assert parse_date_expression("tomorrow", THURSDAY) == dt.date(2025, 10, 3)


def test_no_reference_only_full_dates():
    assert parse_date_expression("on Tuesday", None) is None
    assert parse_date_expression("8 September 2025", None) == dt.date(2025, 9, 8)
    assert parse_date_expression("the talks", THURSDAY) is None


def test_on_tuesday_in_a_thursday_story(sentence_of):
    s = sentence_of("South Korean and Japanese officials held talks in Tokyo on Tuesday.")
    assert resolve_event_date(s, index_of(s, "held"), THURSDAY, modality="asserted") == dt.date(
        2025, 9, 30
    )
    # a noun predicate takes the date of the verb that governs it
    assert resolve_event_date(s, index_of(s, "talks"), THURSDAY, modality="asserted") == dt.date(
        2025, 9, 30
    )


def test_the_date_of_the_right_clause(sentence_of):
    s = sentence_of("Kim said on Monday that the troops had withdrawn last week.")
    assert resolve_event_date(s, index_of(s, "said"), THURSDAY) == dt.date(2025, 9, 29)
    assert resolve_event_date(s, index_of(s, "withdrawn"), THURSDAY) == dt.date(2025, 9, 25)


def test_no_expression_is_the_story_date(sentence_of):
    s = sentence_of("Japan and South Korea agreed to resume talks.")
    assert resolve_event_date(s, index_of(s, "agreed"), THURSDAY) == THURSDAY
    assert resolve_event_date(s, index_of(s, "agreed"), None) is None


def test_future_and_hypothetical_have_no_date(sentence_of):
    s = sentence_of("Japan will host the summit in Hiroshima next month.")
    assert resolve_event_date(s, index_of(s, "host"), THURSDAY, modality="future") is None
    assert resolve_event_date(s, index_of(s, "host"), THURSDAY, modality="hypothetical") is None


def test_an_asserted_intention_is_dated_no_later_than_the_story(sentence_of):
    s = sentence_of("Japan announced that its minister will visit Seoul next week.")
    assert resolve_event_date(s, index_of(s, "visit"), THURSDAY) == THURSDAY


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("SEOUL, Sept 8, 2025 (Reuters) - South Korea", None, "2025-09-08"),
        ("SEOUL, Sept 8 (Reuters) - South Korea", THURSDAY, "2025-09-08"),
        ("NAIROBI, Kenya, Jan. 5 (AP) \u2014 Police", dt.date(2026, 1, 6), "2026-01-05"),
        ("TOKYO, 2 October 2025 - Japan", None, "2025-10-02"),
        ("Published 2025-10-02. Japan said", None, "2025-10-02"),
    ],
)
def test_story_date_from_text(text, reference, expected):
    assert story_date_from_text(text, reference=reference).isoformat() == expected


def test_story_date_needs_a_year_or_a_reference():
    assert story_date_from_text("SEOUL, Sept 8 (Reuters) - South Korea") is None
    assert story_date_from_text("South Korea and Japan agreed on Sept 8 - a first") is None


# -- property: what happened never happens after the story is written ------------------------

WORDS = st.sampled_from(
    [
        "on Tuesday",
        "next Friday",
        "last Sunday",
        "tomorrow",
        "yesterday",
        "today",
        "in two weeks",
        "next month",
        "next year",
        "three days ago",
        "on December 31",
        "on January 1",
        "Sept. 8",
        "on 8 September 2031",
        "on 1 March 1999",
        "later this month",
        "over the weekend",
        "next weekend",
        "the 31st",
        "the 1st",
        "in February",
        "2040",
        "on Christmas Day",
        "the day after tomorrow",
        "earlier this year",
        "last week",
    ]
)


def _sentence(expression: str) -> Sentence:
    """ "They met <expression> ." built by hand: the expression is a DATE entity on the verb."""
    words = ["They", "met", *expression.split(), "."]
    tokens, idx = [], 0
    for i, w in enumerate(words):
        in_date = 2 <= i < len(words) - 1
        tokens.append(
            Token(
                i,
                w,
                w.lower(),
                "VERB" if i == 1 else "NOUN",
                "",
                "ROOT" if i == 1 else "dep",
                1 if i != 2 else 1,
                idx,
                "DATE" if in_date else "",
                ("B" if i == 2 else "I") if in_date else "O",
            )
        )
        idx += len(w) + 1
    tokens = [
        t
        if not (2 < t.i < len(words) - 1)
        else Token(t.i, t.text, t.lemma, t.pos, t.tag, t.dep, 2, t.idx, t.ent_type, t.ent_iob)
        for t in tokens
    ]
    return Sentence(0, " ".join(words), 0, tokens)


@settings(max_examples=300, deadline=None)
@given(
    story=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31)),
    expression=WORDS,
    modality=st.sampled_from(["asserted", "reported", "negated"]),
)
def test_past_events_are_never_dated_after_the_story(story, expression, modality):
    found = resolve_event_date(_sentence(expression), 1, story, modality=modality)
    assert found is not None and found <= story


@settings(max_examples=200, deadline=None)
@given(
    story=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31)),
    weekday=st.sampled_from(
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    ),
)
def test_a_bare_weekday_is_within_the_last_week(story, weekday):
    found = parse_date_expression(f"on {weekday}", story)
    assert 0 <= (story - found).days <= 6
    assert found.strftime("%A") == weekday


def test_hand_built_sentence_reads_its_expression():
    assert resolve_event_date(_sentence("two days ago"), 1, THURSDAY) == dt.date(2025, 9, 30)
