import pytest

from detente.geo import EmbeddedGazetteer, Gazetteer
from detente.geo.names import fold


def test_fold_ignores_case_diacritics_and_punctuation():
    assert fold("Séoul") == fold("SEOUL") == "seoul"
    assert fold("Gyeonggi-do") == "gyeonggi do"
    assert fold("The Hague") == "hague"
    assert fold("St. Petersburg") == "saint petersburg"
    assert fold("Kraków") == "krakow"


def test_tables_load_on_first_lookup_not_on_construction():
    g = EmbeddedGazetteer()
    assert g._index is None
    assert isinstance(g, Gazetteer)


def test_seoul_is_the_city_with_its_coordinates(gazetteer):
    best = gazetteer.lookup("Seoul")[0]
    assert best.kind == "city"
    assert best.place.country == "KOR"
    assert best.place.lat == pytest.approx(37.57, abs=0.01)
    assert best.place.lon == pytest.approx(126.98, abs=0.01)
    assert best.place.fips == "KS"
    assert best.place.admin1 == "KS11"  # GDELT-style ADM1 code: FIPS country + admin1


def test_lookup_is_case_and_diacritics_insensitive(gazetteer):
    assert gazetteer.lookup("séoul")[0].place.name == "Seoul"
    assert gazetteer.lookup("SÃO PAULO".replace("Ã", "A"))[0].place.country == "BRA"


def test_exonym_alias(gazetteer):
    assert gazetteer.lookup("Kiev")[0].place.name == "Kyiv"
    assert gazetteer.lookup("Pusan")[0].place.name == "Busan"


def test_population_prior_and_country_hint(gazetteer):
    assert gazetteer.lookup("Paris")[0].place.country == "FRA"
    assert gazetteer.lookup("Paris", country_hint={"USA"})[0].place.admin1 == "USTX"
    assert gazetteer.lookup("Georgia")[0].place.country == "GEO"
    texas = gazetteer.lookup("Georgia", country_hint={"USA"})[0]
    assert (texas.kind, texas.place.country) == ("admin1", "USA")


def test_several_hinted_countries_only_tip_near_ties(gazetteer):
    assert gazetteer.lookup("Geneva", country_hint={"USA", "CHN"})[0].place.country == "CHE"


def test_city_beats_its_namesake_province_unless_asked(gazetteer):
    assert gazetteer.lookup("Idlib")[0].kind == "city"
    assert gazetteer.lookup("Idlib province")[0].kind == "admin1"
    assert gazetteer.lookup("Gyeonggi Province")[0].place.name == "Gyeonggi-do"
    assert gazetteer.lookup("South Hamgyong")[0].place.country == "PRK"


def test_countries_capitals_features_and_seats(gazetteer):
    korea = gazetteer.lookup("South Korea")[0]
    assert (korea.kind, korea.place.precision, korea.place.country) == ("country", "country", "KOR")
    assert gazetteer.lookup("Washington")[0].place.admin1 == "USDC"
    sea = gazetteer.lookup("Yellow Sea")[0]
    assert (sea.kind, sea.place.country) == ("feature", None)
    kremlin = gazetteer.lookup("the Kremlin")[0]
    assert kremlin.seat and kremlin.place.name == "Moscow"


def test_country_place_for_actor_fallback(gazetteer):
    place = gazetteer.country_place("JPN", "actor")
    assert place.country == "JPN" and place.precision == "actor"
    assert place.lat is not None
    assert gazetteer.country_place("XXX") is None


def test_unknown_name(gazetteer):
    assert gazetteer.lookup("Nowhere-on-Earth") == []
    assert gazetteer.lookup("") == []


def test_a_user_table_directory_replaces_the_shipped_one(tmp_path, actor_lexicon):
    (tmp_path / "cities.tsv").write_text(
        "geonameid\tname\taliases\tcountry\tadmin1\tlat\tlon\tpopulation\n"
        "1\tAtlantis\tAtlantida\tGRC\t\t36.4\t25.4\t20000\n",
        encoding="utf-8",
    )
    for name, header in (
        ("admin1.tsv", "country\tcode\tname\taliases\tiso3166_2\tlat\tlon\tpopulation"),
        ("countries.tsv", "iso3\tlat\tlon\tpopulation"),
        ("features.tsv", "name\taliases\tcountry\tprecision\tlat\tlon"),
    ):
        (tmp_path / name).write_text(header + "\n", encoding="utf-8")
    g = EmbeddedGazetteer(actor_lexicon, data_dir=tmp_path)
    assert g.lookup("Atlantida")[0].place.name == "Atlantis"
    assert g.lookup("Seoul")[0].place.country == "KOR"  # capitals still come from countries.tsv


def test_shipped_tables_stay_small():
    from detente.geo.gazetteer import _geo_data

    assert (
        sum(
            _geo_data(n).stat().st_size
            for n in ("cities.tsv", "admin1.tsv", "countries.tsv", "features.tsv")
        )
        < 5_000_000
    )
