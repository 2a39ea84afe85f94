"""Event extraction on hand-written sentences: one per CAMEO root, patterns, modality."""

import pytest

ONE_PER_ROOT = [
    ("01", "Japan commented on the South Korean election results."),
    ("02", "Japan urged South Korea to release the detained fishermen."),
    ("03", "Japan pledged to help South Korea rebuild the port."),
    ("04", "Japanese Prime Minister Fumio Kishida met South Korean President Yoon Suk Yeol."),
    ("05", "Japan praised South Korea for its handling of the crisis."),
    ("06", "Japan shared intelligence with South Korea about the missile launch."),
    ("07", "Japan sent humanitarian aid to South Korea after the floods."),
    ("08", "Japan lifted export restrictions on South Korea."),
    ("09", "Japan investigated South Korea over the radar incident."),
    ("10", "Japan demanded an apology from South Korea."),
    ("11", "Japan criticized South Korea over the court ruling."),
    ("12", "Japan rejected South Korea's proposal."),
    ("13", "Japan threatened South Korea with sanctions."),
    ("14", "Protesters in Seoul demonstrated against Japan."),
    ("15", "Japan deployed troops near South Korea."),
    ("16", "Japan expelled South Korean diplomats."),
    ("17", "Japan arrested South Korean fishermen."),
    ("18", "Japanese soldiers assaulted South Korean civilians."),
    ("19", "Japan attacked South Korea."),
    ("20", "Japan massacred South Korean civilians."),
]


def coded(coder, text):
    return [
        (
            e.source.code if e.source else None,
            e.target.code if e.target else None,
            e.cameo,
            e.modality,
        )
        for e in coder.code_text(text)
    ]


@pytest.mark.parametrize(("root", "text"), ONE_PER_ROOT)
def test_each_cameo_root(coder, root, text):
    events = coder.code_text(text)
    assert events, text
    assert events[0].root == root
    assert events[0].source.country == "JPN" or events[0].source.code.startswith("KOR")


def test_passive_agent_is_the_source(coder):
    assert coded(coder, "South Korea was criticized by Japan.") == [
        ("JPN", "KOR", "111", "asserted")
    ]


def test_compound_subject_with_reciprocal_predicate_gives_both_directions(coder):
    found = {
        (s, t)
        for s, t, code, _ in coded(coder, "Japan and South Korea signed a fisheries agreement.")
    }
    assert found == {("JPN", "KOR"), ("KOR", "JPN")}


def test_meeting_between_two_parties(coder):
    found = coded(
        coder,
        "A meeting between Japanese officials and South Korean diplomats took place in Busan.",
    )
    assert {(s, t) for s, t, _, _ in found} == {("JPNGOV", "KORGOV"), ("KORGOV", "JPNGOV")}
    assert all(code.startswith("04") for _, _, code, _ in found)


def test_visit_by_x_to_y(coder):
    found = coded(
        coder, "The visit by the Japanese foreign minister to South Korea ended on Friday."
    )
    assert found == [("JPNGOV", "KOR", "042", "asserted")]


def test_attack_on_y_by_x(coder):
    events = coder.code_text(
        "The attack on South Korean ships by North Korean forces killed three sailors."
    )
    pairs = {(e.source.country, e.target.country, e.root) for e in events}
    assert ("PRK", "KOR", "19") in pairs


def test_negated_event_is_kept_and_marked(coder):
    assert coded(coder, "Japan did not criticize South Korea.") == [
        ("JPN", "KOR", "111", "negated")
    ]


def test_hypothetical_event(coder):
    found = coded(coder, "Japan would impose sanctions on South Korea if the talks failed.")
    assert [m for *_, m in found] == ["hypothetical"]


def test_stated_intention_is_coded_as_intent_not_as_the_act(coder):
    found = coded(coder, "Japan plans to visit South Korea next month.")
    assert found == [("JPN", "KOR", "036", "asserted")]


def test_reported_event(coder):
    found = coded(coder, "Officials said Japan criticized South Korea.")
    assert found == [("JPN", "KOR", "111", "reported")]


def test_demanded_action_has_not_happened(coder):
    found = coded(coder, "Tokyo demanded that Seoul carry out the 2015 agreement.")
    assert ("JPNGOV", "KORGOV", "100", "asserted") in found
    assert all(m != "asserted" for s, _, _, m in found if s == "KORGOV")


def test_sentences_without_actors_or_predicates_give_nothing(coder):
    assert coded(coder, "The weather in the capital was mild for the season.") == []
    assert coded(coder, "Relations between the two neighbours have a long history.") == []


def test_event_place_and_relative_date(coder):
    import datetime as dt

    events = coder.code_text(
        "Japanese Prime Minister Shigeru Ishiba visited Seoul on Tuesday.", dt.date(2025, 10, 2)
    )
    assert [(e.cameo, e.date, e.location.name, e.location.country) for e in events] == [
        ("042", dt.date(2025, 9, 30), "Seoul", "KOR")
    ]


def test_a_visit_without_a_named_city_is_placed_in_the_host_country(coder):
    events = coder.code_text(
        "South Korean officials met Japanese diplomats in Seoul. "
        "It was the first visit by a Japanese minister to the country in years."
    )
    visit = [e for e in events if e.cameo == "042"]
    assert [(e.location.country, e.location.precision) for e in visit] == [("KOR", "actor")]


def test_events_dated_long_before_the_story_are_history_not_news(coder):
    import datetime as dt

    text = "The ceremony marked the anniversary of Japan's annexation of Korea in 1910."
    assert coder.code_text(text, dt.date(2010, 8, 10)) == []
    recent = coder.code_text("Japan criticized South Korea on Monday.", dt.date(2010, 8, 10))
    assert [e.date for e in recent] == [dt.date(2010, 8, 9)]
