"""Employment and headquarters forms common in wire copy, on invented sentences."""

from __future__ import annotations

import pytest
from kgtest import facts

from kg.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.mark.parametrize("text, fact", [
    ("The World Bank hired Carl Benson in 1990.", ("Carl Benson", "memberOf", "World Bank", "org-hires-person")),
    ("Carl Benson resigned from Chrysler on Monday.", ("Carl Benson", "memberOf", "Chrysler", "resign-from-org")),
    ("Carl Benson teaches at Harvard University.", ("Carl Benson", "memberOf", "Harvard University", "work-for")),
    ("Carl Benson, leader of the Solidarity union, was arrested.",
     ("Carl Benson", "leads", "Solidarity", "leader-of")),
    ("The Denver-based Acme Corp. approved the plan.", ("Acme Corp.", "basedIn", "Denver", "place-based-org")),
    ("Denver's Acme Corp. approved the plan.", ("Acme Corp.", "basedIn", "Denver", "possessive-place-org")),
    ("Carl Benson was hired by IBM in 1985.", ("Carl Benson", "memberOf", "IBM", "person-hired-by-org")),
    ("A spokesman for IBM, Peter Kline, declined to comment.",
     ("Peter Kline", "memberOf", "IBM", "job-of-org-appos-person-on-org")),
    ("Mary Jones works for General Motors.", ("Mary Jones", "memberOf", "General Motors", "work-for")),
    # party and state after a US politician's name
    ("Sen. Howard Metzenbaum, D-Ohio, called for hearings.",
     ("Howard Metzenbaum", "livesIn", "Ohio", "person-party-state")),
    ("Sen. Robert Dole, R-Kan., said the bill would pass.", ("Robert Dole", "livesIn", "Kansas", "person-party-state")),
    ("Anna Kowal's native Poland welcomed her.", ("Anna Kowal", "bornIn", "Poland", "native-place-poss")),
    ("Carl Benson served on the board of Acme Corp. until 1990.",
     ("Carl Benson", "memberOf", "Acme Corp.", "serve-on-board-of")),
    ("Carl Benson was elected to the Senate in 1980.", ("Carl Benson", "memberOf", "Senate", "elected-to-org")),
    ("Voters in Ohio elected Carl Benson to the Senate.", ("Carl Benson", "memberOf", "Senate", "elect-to-org")),
    ("Carl Benson belongs to the Communist Party.", ("Carl Benson", "memberOf", "Communist Party", "belong-to-org")),
    # where people live
    ("The Houston home of Carl Benson was searched.", ("Carl Benson", "livesIn", "Houston", "place-home-of-person")),
    ("Carl Benson returned to his hometown of Houston.", ("Carl Benson", "livesIn", "Houston", "hometown-of-place")),
    ("Carl Benson , from Houston , won the race .", ("Carl Benson", "livesIn", "Houston", "person-comma-from-place")),
    ("Carl Benson, an American living in Paris, wrote the book.", ("Carl Benson", "livesIn", "Paris", "live-in")),
    # "one of the ..." in apposition; a place called a town in another; a place's headquarters
    ("Carl Benson , one of the founders of Greenpeace , died .",
     ("Carl Benson", "memberOf", "Greenpeace", "member-appos-one-of")),
    ("Tulsora is a small town in South Carolina .",
     ("Tulsora", "locatedIn", "South Carolina", "place-is-settlement-in-place")),
    ("Aiken is a city in South Carolina .", ("Aiken", "locatedIn", "South Carolina", "place-is-settlement-in-place")),
    ("Officials at the Dallas headquarters of Texas Instruments declined to comment .",
     ("Texas Instruments", "basedIn", "Dallas", "place-headquarters-of-org")),
    ("Carl Benson , 45 , a Denver plumber , won the lottery .",
     ("Carl Benson", "livesIn", "Denver", "person-appos-place-job")),
    ("Carl Benson was born and raised in Denver .", ("Carl Benson", "bornIn", "Denver", "born-and-raised-in")),
    ("Acme Corp. named Carl Benson president .", ("Carl Benson", "memberOf", "Acme Corp.", "org-names-person-job")),
    ("Kosovo is one of Serbia 's provinces .", ("Kosovo", "locatedIn", "Serbia", "place-is-one-of-poss-places")),
    ("Authorities in Hebron , a West Bank town , imposed a curfew .",
     ("Hebron", "locatedIn", "West Bank", "place-comma-place-settlement")),
    ("Maria Lopez was shot and killed by Carl Benson on Friday .",
     ("Carl Benson", "killed", "Maria Lopez", "kill-passive-conj")),
    ("Aiken , one of South Carolina 's oldest towns , grew .",
     ("Aiken", "locatedIn", "South Carolina", "place-appos-one-of-poss-places")),
    # a job word between the organisation and the name
    ("NBC anchorman Tom Lusk read the bulletin .", ("Tom Lusk", "memberOf", "NBC", "org-job-person")),
    ("Likud floor leader Avi Dror told reporters the vote was close .",
     ("Avi Dror", "memberOf", "Likud", "org-compound-job-person")),
    # killings told through the killer's conviction, a predicate noun, an adverb
    ("Records show that Ray Black was the gunman who killed Bill Ames in 1971 .",
     ("Ray Black", "killed", "Bill Ames", "kill-active")),
    ("A jury convicted Ray Black of murdering Bill Ames .", ("Ray Black", "killed", "Bill Ames", "kill-active")),
    ("Ray Black was convicted of Bill Ames 's murder in 1972 .",
     ("Ray Black", "killed", "Bill Ames", "accused-of-kill-noun")),
    ("Ray Black fatally stabbed Bill Ames outside a bar .", ("Ray Black", "killed", "Bill Ames", "kill-fatally")),
    ("Bill Ames was fatally shot by Ray Black on Friday .",
     ("Ray Black", "killed", "Bill Ames", "kill-fatally-passive")),
    ("Anna Kowal is from Gdansk .", ("Anna Kowal", "livesIn", "Gdansk", "be-from-place")),
    ("Carl Benson is returning to his Ohio hometown to get married .",
     ("Carl Benson", "livesIn", "Ohio", "home-poss-place-noun")),
    # a title the model ran into the organisation's name, and the parser broke off
    ("The boat sank quickly , said Coast Guard Lt. Carl Benson , but nobody was hurt .",
     ("Carl Benson", "memberOf", "Coast Guard", "org-title-person-surface")),
    ("FAA Administrator Carl Benson issued the order on Monday .",
     ("Carl Benson", "memberOf", "FAA", "org-job-person")),
    # an office of a country or a state before the name
    ("U.S. Attorney Carl Benson said the inquiry is continuing .",
     ("Carl Benson", "affiliatedWith", "United States", "country-job-person")),
    ("Quebec Premier Paul Roux said the vote would be held in June .",
     ("Paul Roux", "livesIn", "Quebec", "place-job-person")),
    # the tagger makes "assassin" a verb here
    ("Carl Benson , an attorney who defended Ames assassin Sirhan B. Sirhan , has died at age 87.",
     ("Sirhan B. Sirhan", "killed", "Ames", "killer-title-person-surface")),
    # a killing named by a noun, with the doer found through the verb that governs it
    ("Ray Black pleaded guilty to the murder of Bill Ames .",
     ("Ray Black", "killed", "Bill Ames", "accused-of-kill-noun-of")),
    ("Ray Black was found guilty of the murder of Bill Ames .",
     ("Ray Black", "killed", "Bill Ames", "accused-of-kill-noun-of")),
    ("Ray Black ordered the killing of Bill Ames .", ("Ray Black", "killed", "Bill Ames", "kill-noun-of-by-verb")),
    ("Officials believe Ray Black acted alone in the slaying of Bill Ames .",
     ("Ray Black", "killed", "Bill Ames", "take-part-in-kill-noun-of")),
    # a job with a noun between it and the organisation; a title hung on a party-state tag
    ("' ' We lost power , ' ' said Tom Lusk , an Acme operations manager .",
     ("Tom Lusk", "memberOf", "Acme", "person-appos-org-compound-job")),
    ("Another plan , first advocated by Sen. Ann Hale , D-Ohio , chairman of the Senate Banking Committee , failed .",
     ("Ann Hale", "memberOf", "Senate Banking Committee", "member-appos-of-party-state")),
    # places: a copula, an area noun after the name, a surface "X , in the Y", an ordinal
    ("Perugia is in Umbria .", ("Perugia", "locatedIn", "Umbria", "place-be-in-place")),
    ("Officials in Perugia in Umbria province said five people were arrested .",
     ("Perugia", "locatedIn", "Umbria", "place-in-place")),
    ("Surveys showed that Mount Blanc , in the western Alps , stands at 15 , 774 feet .",
     ("Mount Blanc", "locatedIn", "Alps", "place-comma-in-place")),
    ("The meeting in Cuenca , third most important city in Ecuador , was held on Monday .",
     ("Cuenca", "locatedIn", "Ecuador", "place-comma-place-noun-of")),
    ("Snow fell from 4 inches in St. Louis County in northeastern Minnesota to 9 inches in Duluth .",
     ("St. Louis County", "locatedIn", "Minnesota", "city-in-region-surface")),
    # "based" after the organisation a job noun names is the organisation's seat
    ("Ann Hale , a lawyer for Acme Corp. based in Dayton , said the company would appeal .",
     ("Acme Corp.", "basedIn", "Dayton", "based-in")),
    # an organisation whose name begins with a demonym, where the text names the country
    ("The budget , approved by the Japanese Government , sets goals for growth in Japan .",
     ("Japanese Government", "basedIn", "Japan", "org-demonym")),
    # a person's organisation, with or without an adjective between
    ("Ann Hale 's allegedly corrupt Acme Workers Union signed the contract .",
     ("Ann Hale", "affiliatedWith", "Acme Workers Union", "person-poss-org")),
])
def test_news_forms(nlp, text, fact):
    found = facts(nlp, text)
    assert fact in found, found


def test_a_group_for_or_against_a_country_is_not_based_there(nlp):
    found = facts(nlp, "Hezbollah , a pro-Iranian group , holds hostages .")
    assert not any(f[1] == "basedIn" for f in found), found
    assert ("Tass", "basedIn", "Soviet Union", "org-demonym") in facts(nlp, "The Soviet news agency Tass said it .")


def test_born_in_one_place_and_raised_in_another(nlp):
    found = facts(nlp, "Mary Jones was born in Denver and raised in Boston .")
    assert ("Mary Jones", "bornIn", "Boston") not in {f[:3] for f in found}, found


def test_a_nationality_noun_is_not_a_person(nlp):
    from kgtest import records

    text = "Carl Benson , a Briton , was arrested ."
    assert "Briton" not in records(nlp, text)
    assert ("Carl Benson", "affiliatedWith", "United Kingdom", "title-affiliation") in facts(nlp, text)


def test_a_vice_president_does_not_lead(nlp):
    found = facts(nlp, "Carl Benson, vice president of Acme Corp., spoke.")
    assert ("Carl Benson", "memberOf", "Acme Corp.", "member-appos-of") in found
    assert not {f for f in found if f[1] == "leads"}, found
    assert ("Carl Benson", "leads", "Acme Corp.", "leader-of") in facts(nlp, "Carl Benson, president of Acme Corp., spoke.")


@pytest.mark.parametrize("text", [
    "Carl Benson wrote songs for the Ritz Brothers.",      # writing something for someone
    "Claude Lantier , a relative of the Macquarts , appears .",  # kin, not a member
])
def test_not_membership(nlp, text):
    assert not {f for f in facts(nlp, text) if f[1] == "memberOf"}


def test_writing_for_a_paper_is_membership(nlp):
    assert ("Carl Benson", "memberOf", "Reuters", "write-for") in facts(nlp, "Carl Benson writes for Reuters.")


def test_named_by_a_magazine_is_not_employment(nlp):
    found = facts(nlp, "Carl Benson was named by Time magazine as its man of the year.")
    assert not {f for f in found if f[1] == "memberOf"}, found


@pytest.mark.parametrize("text, name", [("General Electric said profits rose.", "General Electric"),
                                        ("She joined General Dynamics in 1990.", "General Dynamics")])
def test_a_title_and_one_word_tagged_org_is_a_company(nlp, text, name):
    from kgtest import records

    assert records(nlp, text).get(name, ("",))[0] == "Organization"


def test_a_person_hiring_a_person_is_not_employment(nlp):
    found = facts(nlp, "Mayor Tom Hale hired Carl Benson in 1990.")
    assert not {f for f in found if f[1] == "memberOf"}, found


@pytest.mark.parametrize("text, fact", [
    # killer through an apposition
    ("Ruby fired at Lee Harvey Oswald, the man who had assassinated President John F. Kennedy.",
     ("Lee Harvey Oswald", "killed", "John F. Kennedy")),
    ("Two days later, Perry operated on Kennedy's assassin, Lee Harvey Oswald, who had been shot by Jack Ruby.",
     ("Lee Harvey Oswald", "killed", "Kennedy")),
    # a title word in a pattern also matches its abbreviation
    ("Texas Gov. Bill Clements signed the bill.", ("Bill Clements", "livesIn", "Texas")),
    ("Ohio Sen. John Glenn opposed the bill.", ("John Glenn", "livesIn", "Ohio")),
    # nationality; the demonym's mention is named after its country
    ("The Italian designer Gianni Versace was shot outside his home.", ("Gianni Versace", "affiliatedWith", "Italy")),
    ("Hector Ramos, a Salvadoran, was arrested on Tuesday.", ("Hector Ramos", "affiliatedWith", "El Salvador")),
    ("John Smith, an American, was arrested on Tuesday.", ("John Smith", "affiliatedWith", "United States")),
    # an organisation with a demonym is based in that country
    ("The Soviet news agency Tass said the plan failed.", ("Tass", "basedIn", "Soviet Union")),
    ("Tass, the official Soviet news agency, said the plan failed.", ("Tass", "basedIn", "Soviet Union")),
    # ships travel too
    ("The frigate Admiral Gorshkov docked in Havana on Wednesday.", ("Admiral Gorshkov", "visited", "Havana")),
])
def test_news_facts(nlp, text, fact):
    found = {f[:3] for f in facts(nlp, text)}
    assert fact in found, found


def test_demonym_of_a_person_is_not_a_base(nlp):
    found = {f[:3] for f in facts(nlp, "Soviet dissident Andrei Sakharov was freed on Tuesday.")}
    assert ("Andrei Sakharov", "affiliatedWith", "Soviet Union") in found
    assert not {f for f in found if f[1] == "basedIn"}


ARTICLE = ("Russian Foreign Minister Sergei Lavrov met his Chinese counterpart Wang Yi in Beijing on Tuesday. "
           "Wang, a veteran diplomat, told reporters that China and Russia would deepen cooperation. "
           "Lavrov may visit Pyongyang next month to meet North Korean leader Kim Jong Un. "
           "He did not meet Ukrainian officials.")


def test_family_name_first_keeps_a_chinese_name_a_person(nlp):
    data = nlp(ARTICLE)._.kg
    wang = [m for m in data["mentions"] if m["kind"] == "name" and m["text"].startswith("Wang")]
    assert len(wang) == 2 and {m["cls"] for m in wang} == {"Person"}


def test_counterpart_with_a_demonym_gives_affiliation(nlp):
    assert ("Wang Yi", "affiliatedWith", "China") in {f[:3] for f in facts(nlp, ARTICLE)}


def test_purpose_clause_takes_the_main_clause_modality(nlp):
    data = nlp(ARTICLE)._.kg
    ms = data["mentions"]
    meet_kim = [r for r in data["relations"] if r["pred"] == "met" and ms[r["obj"]]["name"] == "Kim Jong Un"]
    assert meet_kim and {r["modality"] for r in meet_kim} == {"hedged"}
    plain = "Sergei Lavrov flew to Pyongyang to meet Kim Jong Un."
    data = nlp(plain)._.kg
    assert {r["modality"] for r in data["relations"] if r["pred"] == "met"} == {"planned"}


def test_demonym_tagged_as_place_is_the_country(nlp):
    names = {(m["name"], m["cls"]) for m in nlp(ARTICLE)._.kg["mentions"] if m["kind"] == "name"}
    assert ("Ukraine", "Country") in names and not any(n == "Ukrainian" for n, _ in names)


def test_event_date_from_its_own_clause_only(nlp):
    text = ("Sergei Lavrov met his Chinese counterpart Wang Yi in Beijing on Tuesday. "
            "Sergei Lavrov, who arrived on Monday, also held talks with Chinese President Xi Jinping.")
    events = nlp(text)._.kg["events"]
    by_trigger = {e["trigger"]: e["date_text"] for e in events}
    assert by_trigger.get("met") == "Tuesday" and by_trigger.get("held") is None, by_trigger


@pytest.mark.parametrize("text, fact", [
    ("Ali Agca, who shot Pope John Paul II in 1981, was pardoned.", ("Ali Agca", "attacked", "John Paul II", "attack-active")),
    ("Tom Hale was stabbed by Carl Benson outside the bar.", ("Carl Benson", "attacked", "Tom Hale", "attack-passive")),
    ("Jack Brill fired at Rudd Olsen in the basement.", ("Jack Brill", "attacked", "Rudd Olsen", "fire-at")),
    ("Jack Brill, firing his pistol at Rudd Olsen, shouted.", ("Jack Brill", "attacked", "Rudd Olsen", "fire-at")),
    ("Carl Benson opened fire on Tom Hale outside his home.", ("Carl Benson", "attacked", "Tom Hale", "open-fire-on")),
])
def test_shooting_or_stabbing_is_an_attack_not_a_killing(nlp, text, fact):
    found = facts(nlp, text)
    assert fact in found, found
    assert not {f for f in found if f[1] == "killed"}, found


def test_the_assassinated_are_people(nlp):
    from kgtest import records

    text = "Caesar was assassinated by Brutus and Cassius."
    assert records(nlp, text).get("Caesar") == ("Person", "context")
    assert {("Brutus", "killed", "Caesar", "kill-passive"), ("Cassius", "killed", "Caesar", "kill-passive")} <= facts(nlp, text)


def _meetings(nlp, text):
    from kgtest import events

    return [(e["modality"], e["agent_names"] | e["participant_names"], e["place_names"])
            for e in events(nlp, text) if e["cls"] == "Meeting"]


@pytest.mark.parametrize("text, modality, people, places", [
    ("Kim and Putin met in Vostochny on Wednesday.", "asserted", {"Kim", "Putin"}, {"Vostochny"}),
    ("Kim and Putin held talks in Vostochny.", "asserted", {"Kim", "Putin"}, {"Vostochny"}),
    ("Modi and Sharif did not meet during the summit in Astana.", "negated", {"Modi", "Sharif"}, {"Astana"}),
    ("President Biden met with Chinese leader Xi Jinping in San Francisco on Wednesday.", "asserted",
     {"Biden", "Xi Jinping"}, {"San Francisco"}),
    ("Blinken held talks with Wang Yi in Beijing on Monday.", "asserted", {"Blinken", "Wang Yi"}, {"Beijing"}),
    ("Scholz hosted Erdogan at the Chancellery in Berlin on Friday.", "asserted", {"Scholz", "Erdogan"}, {"Berlin"}),
    ("Erdogan welcomed Zelensky in Istanbul on Friday.", "asserted", {"Erdogan", "Zelensky"}, {"Istanbul"}),
    ("Blinken agreed to meet Netanyahu in Jerusalem.", "planned", {"Blinken", "Netanyahu"}, {"Jerusalem"}),
])
def test_meetings_with_who_and_where(nlp, text, modality, people, places):
    assert (modality, people, places) in _meetings(nlp, text)


def test_both_sides_of_a_reciprocal_meeting_are_agents(nlp):
    from kgtest import events

    ev = next(e for e in events(nlp, "Kim and Putin met in Vostochny.") if e["cls"] == "Meeting")
    assert ev["agent_names"] == {"Kim", "Putin"} and not ev["participants"]
    assert {("Kim", "met", "Putin"), ("Putin", "met", "Kim")} <= {f[:3] for f in facts(nlp, "Kim and Putin met in Vostochny.")}


def test_an_expected_visit_is_not_a_visit(nlp):
    from kgtest import events

    ev = [e for e in events(nlp, "Blinken is expected to visit Israel next week.") if e["cls"] == "Visit"]
    assert ev and all(e["modality"] == "planned" for e in ev)
    assert not {f for f in facts(nlp, "Blinken is expected to visit Israel next week.") if f[1] == "visited"}


@pytest.mark.parametrize("text, cls, agent, place", [
    ("Kim toured a tank factory in Pyongyang with his daughter.", "Visit", "Kim", "Pyongyang"),
    ("Austin visited troops at Fort Bragg on Monday.", "Visit", "Austin", "Fort Bragg"),
    ("Kim inspected a new missile factory in Hamhung, state media reported.", "Inspection", "Kim", "Hamhung"),
])
def test_a_visit_to_something_unnamed_still_has_who_and_where(nlp, text, cls, agent, place):
    from kgtest import events

    ev = [e for e in events(nlp, text) if e["cls"] == cls]
    assert ev and ev[0]["agent_names"] == {agent} and ev[0]["place_names"] == {place}
    assert not ev[0]["participants"]
    assert (agent, "visited", place) in {f[:3] for f in facts(nlp, text)}


@pytest.mark.parametrize("text, modality", [
    ("Ray Black was charged with the murder of Bill Ames .", "hedged"),
    ("Police accused Ray Black of killing Bill Ames .", "hedged"),
    ("Ray Black was arrested after the killing of Bill Ames .", "hedged"),
    ("Ray Black was convicted of the murder of Bill Ames .", "asserted"),
])
def test_an_accusation_is_not_a_finding(nlp, text, modality):
    from kgtest import relations

    got = {r["modality"] for r in relations(nlp, text) if (r["s"], r["pred"], r["o"]) == ("Ray Black", "killed", "Bill Ames")}
    assert got == {modality}, relations(nlp, text)


@pytest.mark.parametrize("text", [
    "Senator Carl Benson spoke about the murder of Bill Ames .",
    "Detective Ann Cole investigated the killing of Bill Ames .",
])
def test_talking_about_a_killing_is_not_killing(nlp, text):
    from kgtest import triples

    assert not any(t[1] == "killed" for t in triples(nlp, text, modality=None)), triples(nlp, text, modality=None)


def test_heading_an_organisation_is_not_travel(nlp):
    from kgtest import triples

    found = triples(nlp, "Mason , who headed the Centers for Disease Control in Atlanta , said he faces a dilemma .")
    assert not any(t[1] == "visited" for t in found), found


@pytest.mark.parametrize("text, wrong", [
    # a gapped clause: Naples is not in Lazio's list of places
    ("Rome is in Lazio and Naples in Campania .", ("Rome", "locatedIn", "Naples")),
    # a clause or a singular apposition describes one conjunct
    ("Ray Black , convicted of killing Bill Ames ; and Tom Lusk , a former Acme reporter convicted of fraud , were freed .",
     ("Tom Lusk", "killed", "Bill Ames")),
    ("Ray Black , convicted of killing Bill Ames ; and Tom Lusk , a former Acme reporter convicted of fraud , were freed .",
     ("Ray Black", "memberOf", "Acme")),
    # an alumnus is not a member
    ("Ann Hale graduated from Brigham Young University in 1980 .", ("Ann Hale", "memberOf", "Brigham Young University")),
])
def test_what_one_part_of_a_sentence_says_stays_there(nlp, text, wrong):
    from kgtest import triples

    assert wrong not in triples(nlp, text, modality=None), triples(nlp, text, modality=None)


def test_an_alumnus_is_affiliated(nlp):
    from kgtest import triples

    assert ("Ann Hale", "affiliatedWith", "Brigham Young University") in \
        triples(nlp, "Ann Hale graduated from Brigham Young University in 1980 .")


def test_a_demonym_in_a_name_alone_links_no_country(nlp):
    from kgtest import triples

    found = triples(nlp, "The Chinese Government said the plan would be ready soon .")
    assert not any(t[1] == "basedIn" for t in found), found


@pytest.mark.parametrize("text, owner, place", [
    # the model takes the owner for an organisation: owning a home says person
    ("Agents arrived at Kessler 's New Jersey home and took him away .", "Kessler", "New Jersey"),
    # the parser hangs the owner on the place, not on "home"
    ("Agents arrived at Dowd 's Ohio home on Monday .", "Dowd", "Ohio"),
])
def test_the_owner_of_a_home_lives_there(nlp, text, owner, place):
    from kgtest import mention_classes, triples

    assert (owner, "livesIn", place) in triples(nlp, text)
    assert mention_classes(nlp, text)[owner] == "Person"


@pytest.mark.parametrize("text, fact", [
    # a native of a place named before the noun
    ("Ms. Lund , a Fargo native , wrote the letter .", ("Lund", "bornIn", "Fargo")),
    ("Nolan is a Wilmington native who joined the Navy in 1970 .", ("Nolan", "bornIn", "Wilmington")),
    # the object of "named / elected" is the one the job is said of, not the clause subject
    ("Acme said that it has named Ann Hale publisher of the Dayton Daily Herald .",
     ("Ann Hale", "memberOf", "Dayton Daily Herald")),
    ("The Democrats elected Tom Reed to be chairman of the Farmers Association .",
     ("Tom Reed", "memberOf", "Farmers Association")),
    # a job noun with the organisation before it, after "is"
    ("Kessler , 61 , is a former Duke University professor of chemistry .",
     ("Kessler", "memberOf", "Duke University")),
    # led or founded by, as a passive or a participle after the name
    ("The Freedom Party was founded by Ann Hale in 1990 .", ("Ann Hale", "leads", "Freedom Party")),
    ("A report by the Halvorsen Foundation headed by Juan Novara found costs rose .",
     ("Juan Novara", "leads", "Halvorsen Foundation")),
    # a person based somewhere lives there
    ("Ann Hale , a correspondent based in Moscow , wrote the story .", ("Ann Hale", "livesIn", "Moscow")),
    # the parser may take "home" for an adverb
    ("Ms. Toth commuted about 60 miles from her Germantown home every day .", ("Toth", "livesIn", "Germantown")),
    # killings
    ("In one scene , Senator Bill Ames 's assassin Ray Black climbs the stairs .", ("Ray Black", "killed", "Bill Ames")),
    ("Police concluded that Ray Black acted alone in the Ames slaying .", ("Ray Black", "killed", "Ames")),
    ("Mayor Bill Ames , who was cut down by assassin Ray Black in 1968 , is buried here .",
     ("Ray Black", "killed", "Bill Ames")),
    ("Bill Ames was shot and mortally wounded by Ray Black in 1865 .", ("Ray Black", "killed", "Bill Ames")),
    ("Ray Black , 60 , is serving 99 years in prison for the murder of Bill Ames in Memphis .",
     ("Ray Black", "killed", "Bill Ames")),
    # a lone title word that is done to is a surname
    ("Ray Black is serving 99 years in prison for the murder of King .", ("Ray Black", "killed", "King")),
    # two names the model missed, one shooting the other
    ("Ruby fatally shot Oswald two days after the trial .", ("Ruby", "killed", "Oswald")),
    # "the foundation", "the party": the name with that word named before
    ("The Halvorsen Foundation opened a clinic in May , said Ada Lund , a spokeswoman for the foundation .",
     ("Ada Lund", "memberOf", "Halvorsen Foundation")),
    ("The Green Unity Party won two seats on Sunday . Ana Ruiz , the leader of the party , thanked the voters .",
     ("Ana Ruiz", "leads", "Green Unity Party")),
])
def test_relation_forms(nlp, text, fact):
    from kgtest import triples

    assert fact in triples(nlp, text)


def test_who_says_or_thinks_he_of_himself_is_a_person(nlp):
    from kgtest import mention_classes

    for text, name in [("Okonkwo told reporters he would resign .", "Okonkwo"),
                       ("Kravchuk said he would sign the treaty .", "Kravchuk"),
                       ("Okafor thought he could save the bank , said Lind .", "Okafor")]:
        assert mention_classes(nlp, text)[name] == "Person", text


def test_asked_to_visit_is_not_a_visit(nlp):
    from kgtest import triples

    found = triples(nlp, "Kim invited Putin to visit Pyongyang .", modality=None)
    assert ("Putin", "visited", "Pyongyang") in found
    assert ("Putin", "visited", "Pyongyang") not in triples(nlp, "Kim invited Putin to visit Pyongyang .")
    assert not any(s == "Kim" and p == "visited" for s, p, o in found)


def test_the_object_of_use_is_an_instrument_not_the_doer(nlp):
    from kgtest import triples

    found = triples(nlp, "Ray Black bought a revolver and used it to shoot Bill Ames .")
    assert ("Ray Black", "attacked", "Bill Ames") in found
    assert not any(s == "it" for s, _, _ in found), found


@pytest.mark.parametrize("text, fact", [
    ("Reporters waited outside Acme 's Dayton headquarters on Monday .", ("Acme", "basedIn", "Dayton")),
    ("The beef was processed by Cox Packing Co. in Devine , near San Antonio .", ("Cox Packing Co.", "basedIn", "Devine")),
])
def test_an_organisation_s_seat(nlp, text, fact):
    from kgtest import mention_classes, triples

    assert fact in triples(nlp, text)
    assert mention_classes(nlp, text)[fact[2]] == "City"


def test_an_organisation_named_after_a_place_the_text_names(nlp):
    from kgtest import triples

    text = "The singers left the Shanghai Opera while the company was in San Francisco en route to Shanghai ."
    assert ("Shanghai Opera", "basedIn", "Shanghai") in triples(nlp, text)
    # the place only inside the name links nothing
    assert not any(p == "basedIn" for _, p, _ in triples(nlp, "The Shanghai Opera toured last year ."))


def test_a_national_body_in_the_country_its_sentence_names(nlp):
    from kgtest import triples

    text = "Car thefts in the United States fell 4 percent last year , the FBI said on Monday ."
    assert ("FBI", "basedIn", "United States") in triples(nlp, text)
    # a country named in another sentence, or another country, links nothing
    text = "The FBI said on Monday that thefts fell . The United States has fifty states ."
    assert not any(p == "basedIn" for _, p, _ in triples(nlp, text))
    assert not any(p == "basedIn" for _, p, _ in triples(nlp, "The FBI sent two agents to Kenya on Monday ."))


def test_a_city_government_is_an_organisation_in_its_country(nlp):
    from kgtest import mention_classes, triples

    text = "Officials said the Kabul government will court foreign investors in Afghanistan next year ."
    assert mention_classes(nlp, text).get("Kabul government") == "Organization"
    assert ("Kabul government", "basedIn", "Afghanistan") in triples(nlp, text)
    # a country's or a state's government is not named after a city
    classes = mention_classes(nlp, "The Texas government and the Iraqi government met on Monday .")
    assert "Texas government" not in classes and "Iraqi government" not in classes
