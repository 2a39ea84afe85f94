import pytest

from detente.geo import dateline_place, locate_event
from detente.records import Place

from .helpers import index_of

FLAGSHIP = (
    "This meeting between South Korean Defense Minister Ahn Gyu-back and Japanese Gen. "
    "Nakatani in Seoul marked an important milestone."
)


def locate(sentence_of, gazetteer, text, predicate, heads=(), **kw):
    s = sentence_of(text)
    return locate_event(
        s, index_of(s, predicate), [index_of(s, h) for h in heads], gazetteer=gazetteer, **kw
    )


def test_flagship_meeting_in_seoul(sentence_of, gazetteer):
    s = sentence_of(FLAGSHIP)
    heads = [index_of(s, "back"), index_of(s, "Nakatani")]
    place = locate_event(s, index_of(s, "meeting"), heads, gazetteer=gazetteer)
    assert (place.name, place.country, place.precision) == ("Seoul", "KOR", "city")
    assert place.lat == pytest.approx(37.57, abs=0.01)
    assert place.lon == pytest.approx(126.98, abs=0.01)


def test_a_capital_as_subject_is_an_actor_not_a_place(sentence_of, gazetteer):
    assert locate(sentence_of, gazetteer, "Seoul said it would respond.", "said", ["Seoul"]) is None
    place = locate(sentence_of, gazetteer, "The two sides held talks in Seoul.", "held")
    assert place.name == "Seoul"


@pytest.mark.parametrize(
    ("text", "predicate", "name", "country", "precision"),
    [
        ("Troops clashed with rebels in northern Syria.", "clashed", "Syria", "SYR", "country"),
        ("A vessel was spotted near Busan.", "spotted", "Busan", "KOR", "city"),
        ("A vessel was spotted in the Yellow Sea.", "spotted", "Yellow Sea", None, "feature"),
        ("The leaders met at the border with North Korea.", "met", "North Korea", "PRK", "country"),
        ("Rockets hit the northern city of Aleppo.", "hit", "Aleppo", "SYR", "city"),
        ("Abe visited Seoul.", "visited", "Seoul", "KOR", "city"),
        ("The ministers held talks at the Kremlin.", "held", "Moscow", "RUS", "city"),
        ("Police fired tear gas in Seoul's Jongno district.", "fired", "Seoul", "KOR", "city"),
        (
            "Pirates attacked a tanker off the coast of Somalia.",
            "attacked",
            "Somalia",
            "SOM",
            "country",
        ),
        ("Navies drilled in the Gulf of Tonkin.", "drilled", "Gulf of Tonkin", None, "feature"),
    ],
)
def test_places_in_the_sentence(sentence_of, gazetteer, text, predicate, name, country, precision):
    place = locate(sentence_of, gazetteer, text, predicate)
    assert (place.name, place.country, place.precision) == (name, country, precision)


def test_topic_is_not_a_place(sentence_of, gazetteer):
    assert (
        locate(sentence_of, gazetteer, "Washington imposed sanctions on Tehran.", "imposed") is None
    )


def test_ambiguous_city_follows_the_actors_country(sentence_of, gazetteer):
    text = "The governor held a rally in Paris."
    assert locate(sentence_of, gazetteer, text, "held").country == "FRA"
    texas = locate(sentence_of, gazetteer, text, "held", actor_countries=["USA"])
    assert (texas.name, texas.country, texas.admin1) == ("Paris", "USA", "USTX")


def test_appositive_state_narrows_the_city(sentence_of, gazetteer):
    place = locate(sentence_of, gazetteer, "Protesters rallied in Paris, Texas.", "rallied")
    assert (place.country, place.admin1) == ("USA", "USTX")


def test_dateline_then_actor_fallbacks(sentence_of, gazetteer):
    text = "South Korea protested to Japan."
    seoul = dateline_place("SEOUL, Sept 8 (Reuters) - " + text, gazetteer)
    assert (seoul.name, seoul.country) == ("Seoul", "KOR")
    assert locate(sentence_of, gazetteer, text, "protested", story_places=[seoul]) == seoul
    actor = locate(sentence_of, gazetteer, text, "protested", actor_countries=["KOR", "JPN"])
    assert (actor.country, actor.precision) == ("KOR", "actor")
    assert locate(sentence_of, gazetteer, text, "protested") is None


def test_the_sentence_beats_the_dateline(sentence_of, gazetteer):
    dateline = Place("Washington", "USA", 38.9, -77.0, "US", "USDC", "city")
    place = locate(
        sentence_of,
        gazetteer,
        "US and Chinese envoys held talks in Geneva.",
        "held",
        story_places=[dateline],
        actor_countries=["USA", "CHN"],
    )
    assert (place.name, place.country) == ("Geneva", "CHE")


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("SEOUL, Sept 8 (Reuters) - South Korea said", "Seoul", "KOR"),
        ("WASHINGTON (AP) \u2014 The president said", "Washington", "USA"),
        ("BEIRUT, Lebanon, Oct. 2 (AP) \u2014 Strikes", "Beirut", "LBN"),
        ("PARIS, Texas \u2014 Local leaders", "Paris", "USA"),
        ("Kyiv, Ukraine, Oct. 2 (Reuters) - Russia", "Kyiv", "UKR"),
    ],
)
def test_datelines(gazetteer, text, name, country):
    place = dateline_place(text, gazetteer)
    assert (place.name, place.country) == (name, country)


def test_no_dateline(gazetteer):
    assert dateline_place("Kim said - in a statement - that", gazetteer) is None
    assert dateline_place("South Korea and Japan agreed on Tuesday.", gazetteer) is None


def test_bad_predicate_index(sentence_of, gazetteer):
    s = sentence_of("Talks were held in Seoul.")
    assert locate_event(s, 99, [], gazetteer=gazetteer) is None
