"""Typing from place nouns, the GeoNames city list, and organisation names the model cuts short."""

from __future__ import annotations

import pytest
from kgtest import records, triples

from kg.extract.geo import gazetteer
from kg.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.mark.parametrize("text, name, cls", [
    ("Bakeries in the town of Mola are famous for their bread.", "Mola", "City"),
    ("Mola is a small town on the Adriatic coast.", "Mola", "City"),
    ("Rebels attacked the province of Loei last week.", "Loei", "Region"),
    ("Important towns are Buchach, Khotyn and Lutsk.", "Khotyn", "City"),
])
def test_place_noun_gives_the_class(nlp, text, name, cls):
    assert records(nlp, text).get(name) == (cls, "context")


@pytest.mark.parametrize("text", [
    "The troops came from Salamanca on Tuesday.",
    "The plant is 70 miles northeast of Boise.",
])
def test_known_city_after_a_place_preposition(nlp, text):
    found = records(nlp, text)
    name = next(n for n in found if n in text and gazetteer().population(n))
    assert found[name] == ("City", "gazetteer")


@pytest.mark.parametrize("text, name", [
    ("Sales at Toyota rose sharply.", "Toyota"),          # a city too, but no place context
    ("Salamanca said the plan had failed.", "Salamanca"),  # a speaker
])
def test_city_name_without_place_context_keeps_the_model_label(nlp, text, name):
    cls, typed_by = records(nlp, text)[name]
    assert cls != "City" and typed_by == "ner"


def test_capital_of_does_not_make_the_country_a_city(nlp):
    assert records(nlp, "Paris is the capital of France.").get("France", ("",))[0] == "Country"


@pytest.mark.parametrize("text, name", [
    ("A grant from the United States Agency for International Development paid for it.",
     "United States Agency for International Development"),
    ("He heads the Federal Service for Television and Radio Broadcasting.",
     "Federal Service for Television and Radio Broadcasting"),
    ("Officials of the Ministry of Trade and Industry said so.", "Ministry of Trade and Industry"),
])
def test_organisation_names_cut_short_are_rejoined(nlp, text, name):
    assert records(nlp, text).get(name, ("",))[0] == "Organization"


def test_and_between_two_organisations_is_not_joined(nlp):
    found = records(nlp, "The Ministry of Defense and NATO agreed on Tuesday.")
    assert "Ministry of Defense" in found and "NATO" in found


def test_gazetteer_lookup():
    geo = gazetteer()
    assert geo.lookup("Kyoto")[0].country == "Japan"
    paris = geo.lookup("Paris")
    assert paris[0].country == "France" and any(c.state == "Texas" for c in paris)  # most populous first
    assert geo.population("São Paulo") == geo.population("Sao Paulo") > 1_000_000
    assert geo.lookup("Xyzzyville") == []


# ---------------------------------------------------------------- a person's tie to a place


@pytest.mark.parametrize("text, fact", [
    ("Iraq's Saddam Hussein rejected the offer.", ("Saddam Hussein", "affiliatedWith", "Iraq")),
    ("Saddam Hussein, Iraq's president, rejected the offer.", ("Saddam Hussein", "affiliatedWith", "Iraq")),
    ("The mayor of Monterrey, Jorge Ramirez, said the plan would fail.",
     ("Jorge Ramirez", "affiliatedWith", "Monterrey")),
    ("The chairman of Boeing, Carl Benson, declined to comment.", ("Carl Benson", "memberOf", "Boeing")),
    ("Bill Clements, the governor of Texas, signed the bill.", ("Bill Clements", "affiliatedWith", "Texas")),
])
def test_title_patterns_give_affiliation_with_a_place(nlp, text, fact):
    found = triples(nlp, text)
    assert fact in found, found
    # a person is never "located in" or "a member of" a place
    assert not {f for f in found if f[0] == fact[0] and f[1] in ("locatedIn", "memberOf", "partOf")
                and f[2] in ("Iraq", "Monterrey", "Texas")}, found


def test_person_comma_country_possessive_is_not_a_city(nlp):
    assert records(nlp, "Saddam Hussein, Iraq's president, rejected the offer.")["Saddam Hussein"][0] == "Person"


# ---------------------------------------------------------------- document and list consistency


def test_surname_of_a_person_named_in_full_earlier_in_the_document(nlp):
    # the model alone calls the second "Ulrich" an organisation
    text = ("Thomas Ulrich was born in Vienna. "
            "After a brief return to Vienna, Ulrich moved to the Deutsche Eishockey Liga.")
    found = [(r["name"], r["cls"]) for r in nlp(text)._.kg_entities]
    assert ("Ulrich", "Person") in found, found


def test_a_list_of_known_places_types_its_odd_member(nlp):
    found = records(nlp, "The newspaper has offices in Harrogate, Hull, Scarborough, Sheffield and Leeds.")
    assert {found[n][0] for n in ("Hull", "Sheffield", "Leeds")} == {"City"}, found


def test_a_list_of_people_stays_people(nlp):
    found = records(nlp, "The brothers were John D. Rockefeller III, Nelson, Laurance, Winthrop and David.")
    # Nelson and David are also GeoNames cities; the list is a list of people
    assert found["Nelson"][0] == "Person" and found["David"][0] == "Person", found


def test_small_countries_are_countries(nlp):
    assert records(nlp, "In Vanuatu the new law took effect on Monday.").get("Vanuatu", ("",))[0] == "Country"


def test_title_before_a_name_the_model_calls_an_organisation(nlp):
    # after a header line the model tags "Marcus Holloway" ORG and leaves "General" out
    text = "date: 2024-03-02\n\nGeneral Marcus Holloway met Foreign Minister Hiroshi Tanaka in Geneva on Tuesday."
    data = nlp(text)._.kg
    ms = data["mentions"]
    holloway = next(m for m in ms if m["name"] == "Marcus Holloway")
    assert (holloway["cls"], holloway["position"]) == ("Person", "General")
    assert any(r["pred"] == "met" and ms[r["subj"]]["name"] == "Marcus Holloway" for r in data["relations"])


def test_apposed_title_with_possessive_country_leaves_the_person_a_person(nlp):
    found = records(nlp, "Sergei Lavrov, Russia's foreign minister, met Wang Yi in Beijing on Monday.")
    assert found["Sergei Lavrov"][0] == "Person" and found["Russia"][0] == "Country"


@pytest.mark.parametrize("text, name, cls", [
    ("The field lies between Dan Sai District in Loei Province and the Mekong River.", "Dan Sai District", "Region"),
    ("The field lies between Dan Sai District in Loei Province and the Mekong River.", "Loei Province", "Region"),
    ("Fires burned in Orange County on Tuesday.", "Orange County", "Region"),
    # natural features, buildings and roads
    ("Two boats sank in the Marwick Reservoir last year .", "Marwick Reservoir", "Region"),
    ("Climbers crossed the Tolva Glacier in June .", "Tolva Glacier", "Region"),
    ("Tourists crowded the Aldmoor Palace on Sunday .", "Aldmoor Palace", "Facility"),
    ("The arena lies west of Wayne Gretzky Drive .", "Wayne Gretzky Drive", "Facility"),
    # the place word ending a pair names both
    ("It is bordered by the Pwani and Lindi Regions to the east .", "Pwani", "Region"),
    # a facility word after a name the model missed, or tagged as a verb ("airfield")
    ("Kim inspected the Knevichi airfield.", "Knevichi airfield", "Facility"),
    ("Kim inspected the Knevichi airfield on Saturday.", "Knevichi airfield", "Facility"),
    ("Putin visited the Vostochny cosmodrome.", "Vostochny cosmodrome", "Facility"),
])
def test_place_word_at_the_end_of_a_name(nlp, text, name, cls):
    assert records(nlp, text).get(name) == (cls, "context")


def test_ship_named_after_a_city(nlp):
    assert records(nlp, "The frigate was accompanied by the nuclear-powered submarine Kazan.")["Kazan"][0] == "Vessel"
    assert records(nlp, "The frigate docked in Kazan on Monday.")["Kazan"][0] == "City"


@pytest.mark.parametrize("text, fact", [
    ("Kassala , in eastern Sudan , was shelled .", ("Kassala", "locatedIn", "Sudan")),
    ("Tokyo , the capital of Japan , was quiet .", ("Tokyo", "locatedIn", "Japan")),
    ("Rebels attacked Tuzla in northern Bosnia .", ("Tuzla", "locatedIn", "Bosnia and Herzegovina")),
    ("Rebels shelled Tuzla , northern Bosnia , on Monday .", ("Tuzla", "locatedIn", "Bosnia and Herzegovina")),
    ("The mayor of Mohammadia , south-east Algeria , was killed .", ("Mohammadia", "locatedIn", "Algeria")),
])
def test_a_place_in_part_of_a_country(nlp, text, fact):
    assert fact in triples(nlp, text)


def test_a_city_before_a_comma_and_in_is_not_always_a_place_fact(nlp):
    assert not triples(nlp, "Paris, in a statement, denied it.")


def test_city_state_pairs_in_a_list_stay_pairs(nlp):
    text = ("He was educated at Lakefield College School in Lakefield , Ontario , McGill University in "
            "Montreal , Quebec , and at INSEAD in Fontainebleau , France .")
    found = triples(nlp, text)
    assert {("Lakefield", "locatedIn", "Ontario"), ("Montreal", "locatedIn", "Quebec")} <= found
    assert not {("Montreal", "locatedIn", "Ontario"), ("Lakefield", "locatedIn", "Quebec"),
                ("Montreal", "locatedIn", "Lakefield")} & found


def test_a_headquarters_city_and_its_state(nlp):
    found = triples(nlp, "At a briefing at NRC headquarters in nearby Rockville , Md. , Bernero spoke .")
    assert {("NRC", "basedIn", "Rockville"), ("NRC", "basedIn", "Maryland")} <= found


def test_a_name_ending_in_a_known_place_is_a_building_in_that_place(nlp):
    text = "Xi received Putin at the Great Hall of the People in Beijing on Tuesday ."
    found = records(nlp, text)
    assert found.get("Great Hall of the People", ("",))[0] == "Facility" and found.get("Beijing", ("",))[0] == "City"
    assert ("Great Hall of the People", "locatedIn", "Beijing") in triples(nlp, text)


def test_no_state_is_in_another(nlp):
    found = triples(nlp, "The company has offices in both Los Angeles , California and Detroit , Michigan .")
    assert {("Los Angeles", "locatedIn", "California"), ("Detroit", "locatedIn", "Michigan")} <= found
    assert ("California", "locatedIn", "Michigan") not in found


def test_districts_in_provinces(nlp):
    text = ("They destroyed a poppy field along the border between Dan Sai District in Loei Province , "
            "Nakhon Thai District in Phitsanulok Province , and Lomsak District in Phetchabun Province .")
    assert {("Dan Sai District", "locatedIn", "Loei Province"),
            ("Nakhon Thai District", "locatedIn", "Phitsanulok Province"),
            ("Lomsak District", "locatedIn", "Phetchabun Province")} <= triples(nlp, text)
    assert ("Dan Sai District", "locatedIn", "Phitsanulok Province") not in triples(nlp, text)


@pytest.mark.parametrize("text, fact", [
    ("It borders the Town of Maniwaki in the Outaouais region of Quebec .", ("Outaouais", "locatedIn", "Quebec")),
    ("Floods hit the Sichuan province of China .", ("Sichuan", "locatedIn", "China")),
    ("He moved to the US state of Ohio .", ("Ohio", "locatedIn", "United States")),
    ("Rebels seized the northern Iraq city of Mosul .", ("Mosul", "locatedIn", "Iraq")),
])
def test_the_name_region_of_place_and_the_country_state_of_name(nlp, text, fact):
    assert fact in triples(nlp, text)


def test_a_name_in_a_direction_of_something_is_a_place(nlp):
    found = records(nlp, "The village lies two miles east of Marwick and north of Dellby .")
    assert found.get("Marwick") == ("City", "context") and found.get("Dellby") == ("City", "context")


@pytest.mark.parametrize("text, name, cls", [
    # a name the model calls a person, ending in a word only places end in
    ("The smaller airport , Pierre Vauclin Airport , handles regional flights .",
     "Pierre Vauclin Airport", "Facility"),
    ("The road runs over Hunter Pass to the east .", "Hunter Pass", "Region"),
    # the head first: a polity or a place word, "of", a name
    ("Albert ruled the Duchy of Prussia until his death .", "Duchy of Prussia", "Region"),
    ("He bought the Castle of Crupet in 1890 .", "Castle of Crupet", "Facility"),
    # Fort, Mount ... first; a first name and a surname that is also a place word stay a person
    ("Fort Loring , Brooklyn , N.Y. ;", "Fort Loring", "Facility"),
    ("Mount Corvin , the range 's highest peak , is shorter than reported .", "Mount Corvin", "Region"),
    ("Ricki Lake said she would leave the show .", "Ricki Lake", "Person"),
    # an organisation noun right before the name, unless the name is the subject of a clause on
    # the noun or the noun is also a job
    ("Pappo created the band Riff in 1980 .", "Riff", "Organization"),
    ("Angell was admitted to the skiing club SK Ull in 1898 .", "SK Ull", "Organization"),
    ("The company John Smith founded went bankrupt .", "John Smith", "Person"),
    ("Big Tractor is owned by producer Scott Hendricks .", "Scott Hendricks", "Person"),
    # a company's or a person's home town
    ("Acme Paving Co. of Randolph won the contract on Monday .", "Randolph", "City"),
    ("Tom Hale , 41 , of Boothbay , was hurt in the crash .", "Boothbay", "City"),
    ("Ms. Lund , a Fargo native , wrote the letter .", "Fargo", "City"),
    # "leader of" in apposition makes a person; a company is a leader in something
    ("Hrynko , leader of the Farmers Union , intends to run .", "Hrynko", "Person"),
    ("Intel , a leader in chips , said profits rose .", "Intel", "Organization"),
])
def test_what_the_words_around_a_name_say_of_its_class(nlp, text, name, cls):
    assert records(nlp, text).get(name, (None,))[0] == cls


def test_a_plural_area_noun_names_every_member_of_the_list(nlp):
    found = records(nlp, "The region includes Shizuoka , Aichi , Gifu and Mie prefectures .")
    assert [found.get(n, (None,))[0] for n in ("Aichi", "Gifu", "Mie")] == ["Region"] * 3


def test_an_organisation_then_its_city_and_state(nlp):
    assert ("Acme Corp.", "basedIn", "Dayton") in triples(nlp, "Acme Corp. , Dayton , Ohio , said profits rose .")


def test_a_place_noun_of_a_name_the_model_took_for_a_product(nlp):
    found = records(nlp, "Aid reached Tolvan in the southern department of Quelara last week .")
    assert found.get("Quelara", (None,))[0] == "Region"


def test_a_nationality_in_apposition_makes_a_person(nlp):
    found = records(nlp, "Tolvek , a Christian Arab , was sentenced to death for the murder .")
    assert found.get("Tolvek", (None,))[0] == "Person"


@pytest.mark.parametrize("text", [
    "The region includes Shizuoka , Aichi , Gifu and Mie prefectures .",
    "Relevant map quadrangles are Davenport Hill , White Horse Lake , May Tank Pocket , Perkinsville , and Clarkdale .",
])
def test_a_list_of_places_is_not_a_chain(nlp, text):
    assert not any(p == "locatedIn" for _, p, _ in triples(nlp, text))


def test_a_chain_of_places_in_a_list_of_chains(nlp):
    found = triples(nlp, "Offices in Dayton , Ohio , and Detroit , Michigan closed .")
    assert {("Dayton", "locatedIn", "Ohio"), ("Detroit", "locatedIn", "Michigan")} <= found


def test_an_organisation_s_purpose_is_part_of_its_name(nlp):
    text = "Ann Hale , president of the Holloway Foundation for the Study of Rivers , spoke ."
    assert records(nlp, text).get("Holloway Foundation for the Study of Rivers", (None,))[0] == "Organization"


@pytest.mark.parametrize("text, fact", [
    ("The children were found in Tolvan in the northwestern department of Quelara .",
     ("Tolvan", "locatedIn", "Quelara")),
    ("Vardia 's northern province of Ostrava is mostly rural .", ("Ostrava", "locatedIn", "Vardia")),
    ("Czechoslovakia then consisted of Bohemia , Moravia and Slovakia .", ("Slovakia", "locatedIn", "Czechoslovakia")),
    ("She lives in the Marble Hill section of Manhattan .", ("Marble Hill", "locatedIn", "Manhattan")),
])
def test_area_and_part_forms(nlp, text, fact):
    assert fact in triples(nlp, text)


def test_a_suburb_of_is_not_a_part_of_the_city_named_first(nlp):
    found = triples(nlp, "The studios are in the Wellington suburb of Miramar .")
    assert ("Wellington", "locatedIn", "Miramar") not in found
