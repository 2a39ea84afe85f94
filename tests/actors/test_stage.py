def codes_for(mentions, text):
    return [codes for words, codes in mentions if words == text]


def test_titled_person_gets_country_and_sector(mentions_of):
    found = mentions_of("South Korean Defense Minister Ahn Gyu-back met Japanese troops.")
    assert codes_for(found, "South Korean Defense Minister Ahn Gyu-back") == [["KORGOV"]]
    assert codes_for(found, "Japanese troops") == [["JPNMIL"]]


def test_capital_is_an_actor_as_subject_and_a_place_after_in(mentions_of):
    found = mentions_of("Seoul criticised the plan during talks in Pyongyang.")
    assert codes_for(found, "Seoul") == [["KORGOV"]]
    assert not any("Pyongyang" in words for words, _ in found)


def test_north_and_south_korea_are_never_confused(mentions_of):
    found = mentions_of(
        "North Korea fired two missiles toward South Korea, and the DPRK later blamed the ROK."
    )
    assert codes_for(found, "North Korea") == [["PRK"]]
    assert codes_for(found, "South Korea") == [["KOR"]]
    assert codes_for(found, "the DPRK") == [["PRK"]]
    assert codes_for(found, "the ROK") == [["KOR"]]


def test_sector_nouns_take_their_country_from_a_place(mentions_of):
    found = mentions_of("Protesters in Seoul burned a flag.")
    assert codes_for(found, "Protesters") == [["KORCVL"]]


def test_surname_and_pronoun_resolve_to_the_titled_person(mentions_of):
    found = mentions_of(
        "Japanese Prime Minister Shigeru Ishiba arrived in Busan on Monday. "
        "Ishiba praised the talks. He then left for Tokyo."
    )
    assert codes_for(found, "Ishiba") == [["JPNGOV"]]
    assert codes_for(found, "He") == [["JPNGOV"]]


def test_group_phrases_resolve_to_the_pair_the_story_is_about(mentions_of):
    found = mentions_of(
        "Japan and South Korea held talks. The United States welcomed them. "
        "Both countries signed an accord on Friday."
    )
    assert sorted(codes_for(found, "Both countries")[0]) == ["JPN", "KOR"]


def test_international_organisations(mentions_of):
    found = mentions_of(
        "The United Nations Security Council condemned the launch, and NATO agreed."
    )
    assert codes_for(found, "The United Nations Security Council") == [["IGOUNO"]]
    assert [c for w, c in found if w == "NATO"][0][0].startswith("IGO")


def test_the_country_resolves_to_the_other_party(mentions_of):
    found = mentions_of(
        "South Korean officials met Japanese diplomats in Seoul. "
        "It was the first visit by a Japanese minister to the country in years."
    )
    assert codes_for(found, "the country") == [["KORGOV"]]


def test_relations_and_history_nouns_are_not_actors(mentions_of):
    found = mentions_of("Japan-South Korea relations improved after the Japanese occupation ended.")
    assert not codes_for(found, "Japan-South Korea relations")
    assert not codes_for(found, "the Japanese occupation")


def test_the_two_congos_are_never_confused(mentions_of):
    found = mentions_of(
        "The Democratic Republic of the Congo accused the Republic of the Congo of "
        "sheltering rebels, and Kinshasa recalled its envoy from Brazzaville."
    )
    assert codes_for(found, "The Democratic Republic of the Congo") == [["COD"]]
    assert codes_for(found, "the Republic of the Congo") == [["COG"]]
    assert codes_for(found, "Kinshasa") == [["CODGOV"]]


def test_the_minister_resolves_to_the_titled_minister(mentions_of):
    found = mentions_of(
        "Japanese Foreign Minister Takeshi Iwaya arrived in Seoul. "
        "The minister then criticized the court ruling."
    )
    assert codes_for(found, "The minister") == [["JPNGOV"]]
