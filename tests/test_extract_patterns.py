"""Relation patterns, typing, modality, attribution, coreference and dates
on invented sentences, through the real spaCy pipeline (``kg.nlp.load_nlp``).

Each test states what a reader of the sentence would extract; none of the
names occur in the seed articles.
"""

from __future__ import annotations

import pytest

from kgtest import _root, events, extract, mention_classes, relations, triples

from kg.extract.dates import ground_date
from kg.nlp import load_nlp
from kg.build import build_graph, extract_articles
from kg.graph import union_graph
from kg.ingest import article_from_text
from kg.ontology import KG
from rdflib.namespace import RDF


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


# helpers: tests/kgtest.py


HOLLOWAY, TANAKA = "Marcus Holloway", "Hiroshi Tanaka"


# ---------------------------------------------------------------- voice


def test_active_voice_meeting(nlp):
    text = "General Marcus Holloway met Foreign Minister Hiroshi Tanaka."
    assert (HOLLOWAY, "met", TANAKA) in triples(nlp, text)
    classes = mention_classes(nlp, text)
    assert classes[HOLLOWAY] == "Person" and classes[TANAKA] == "Person"
    ev = [e for e in events(nlp, text) if e["cls"] == "Meeting"]
    assert len(ev) == 1
    assert ev[0]["agent_names"] == {HOLLOWAY} and ev[0]["participant_names"] == {TANAKA}


def test_titles_become_positions_not_names(nlp):
    data = extract(nlp, "General Marcus Holloway met Foreign Minister Hiroshi Tanaka.")
    by_name = {m["name"]: m for m in data["mentions"]}
    assert by_name[HOLLOWAY]["position"] == "General"
    assert by_name[TANAKA]["position"] == "Foreign Minister"


def test_passive_voice_briefing_keeps_direction(nlp):
    found = triples(nlp, "Foreign Minister Hiroshi Tanaka was briefed by General Marcus Holloway.")
    assert (HOLLOWAY, "briefed", TANAKA) in found
    assert (TANAKA, "briefed", HOLLOWAY) not in found


def test_passive_with_conjoined_agents(nlp):
    found = triples(nlp, "Minister Hiroshi Tanaka was briefed by General Marcus Holloway "
                         "and Admiral Viktor Sokolenko.")
    assert {(HOLLOWAY, "briefed", TANAKA), ("Viktor Sokolenko", "briefed", TANAKA)} <= found


def test_passive_inspection_with_conjoined_objects(nlp):
    found = triples(nlp, "The Su-57 and the MiG-31 were inspected by General Marcus Holloway.")
    assert {(HOLLOWAY, "inspected", "Su-57"), (HOLLOWAY, "inspected", "MiG-31")} <= found


# ---------------------------------------------------------------- conjunctions


def test_conjoined_subjects_and_objects(nlp):
    found = triples(nlp, "Putin and Lukashenko inspected the Su-57 and the MiG-31.")
    want = {(s, "inspected", o) for s in ("Putin", "Lukashenko") for o in ("Su-57", "MiG-31")}
    assert want <= found, want - found


def test_conjoined_objects_of_met(nlp):
    found = triples(nlp, "General Marcus Holloway met Minister Hiroshi Tanaka and Governor Maria Fernandez.")
    assert {(HOLLOWAY, "met", TANAKA), (HOLLOWAY, "met", "Maria Fernandez")} <= found
    assert (TANAKA, "met", "Maria Fernandez") not in found


def test_conjoined_subjects_and_prepositional_objects(nlp):
    found = triples(nlp, "Minister Hiroshi Tanaka and General Marcus Holloway met with "
                         "President Ebrahim Raisi and Governor Maria Fernandez.")
    want = {(s, "met", o) for s in (TANAKA, HOLLOWAY) for o in ("Ebrahim Raisi", "Maria Fernandez")}
    assert want <= found, want - found


# ---------------------------------------------------------------- prepositional / phrasal verbs


@pytest.mark.parametrize("text, expected", [
    ("President Emmanuel Macron met with Chancellor Olaf Scholz in Berlin.",
     ("Emmanuel Macron", "met", "Olaf Scholz")),
    ("General Marcus Holloway held talks with Foreign Minister Hiroshi Tanaka.",
     (HOLLOWAY, "met", TANAKA)),
    ("General Marcus Holloway paid a visit to the cruiser Pyotr Velikiy.",
     (HOLLOWAY, "visited", "Pyotr Velikiy")),
    ("General Marcus Holloway conducted a tour of the Plesetsk cosmodrome.",
     (HOLLOWAY, "visited", "Plesetsk cosmodrome")),
    ("General Marcus Holloway was introduced to Ambassador Lena Okafor.",
     (HOLLOWAY, "met", "Lena Okafor")),
])
def test_prepositional_and_phrasal_verbs(nlp, text, expected):
    found = triples(nlp, text)
    assert expected in found, found


def test_met_with_event_place(nlp):
    ev = [e for e in events(nlp, "President Emmanuel Macron met with Chancellor Olaf Scholz in Berlin.")
          if e["cls"] == "Meeting"]
    assert ev and ev[0]["place_names"] == {"Berlin"}


def test_visit_event_puts_facility_in_places(nlp):
    ev = [e for e in events(nlp, "General Marcus Holloway conducted a tour of the Plesetsk cosmodrome.")
          if e["cls"] == "Visit"]
    assert ev and ev[0]["place_names"] == {"Plesetsk cosmodrome"}
    assert "Plesetsk cosmodrome" not in ev[0]["participant_names"]


# ---------------------------------------------------------------- light verbs and lists


def test_light_verb_nominalisation(nlp):
    found = triples(nlp, "General Marcus Holloway conducted inspections of the Su-57 and the MiG-31.")
    assert {(HOLLOWAY, "inspected", "Su-57"), (HOLLOWAY, "inspected", "MiG-31")} <= found


@pytest.mark.parametrize("text, members", [
    ("General Marcus Holloway inspected aircraft such as the Su-57, the MiG-31 and the Tu-22M3.",
     ("Su-57", "MiG-31", "Tu-22M3")),
    ("General Marcus Holloway inspected several aircraft, including the Su-57 and the MiG-31.",
     ("Su-57", "MiG-31")),
    ("General Marcus Holloway inspected jets which include the Su-57 and the MiG-31.",
     ("Su-57", "MiG-31")),
    ("General Marcus Holloway inspected new weapons, which include the Iskander and the Kinzhal.",
     ("Iskander", "Kinzhal")),
])
def test_list_members_are_arguments(nlp, text, members):
    found = triples(nlp, text)
    want = {(HOLLOWAY, "inspected", m) for m in members}
    assert want <= found, want - found


def test_generic_head_of_list_is_not_an_argument(nlp):
    found = triples(nlp, "General Marcus Holloway inspected aircraft such as the Su-57 and the MiG-31.")
    assert all(o in ("Su-57", "MiG-31") for s, p, o in found if p == "inspected")


# ---------------------------------------------------------------- relative clauses


def test_relative_clause_subject_is_antecedent(nlp):
    found = triples(nlp, "The delegation was greeted by Minister Hiroshi Tanaka, "
                         "who later met General Marcus Holloway.")
    assert (TANAKA, "met", HOLLOWAY) in found


def test_relative_clause_on_object(nlp):
    found = triples(nlp, "General Marcus Holloway met Minister Hiroshi Tanaka, who had inspected the Su-57.")
    assert (HOLLOWAY, "met", TANAKA) in found
    assert (TANAKA, "inspected", "Su-57") in found
    assert (HOLLOWAY, "inspected", "Su-57") not in found


def test_relative_clause_and_main_clause_share_subject(nlp):
    found = triples(nlp, "General Marcus Holloway, who met Foreign Minister Hiroshi Tanaka on Monday, "
                         "inspected the Su-57.")
    assert {(HOLLOWAY, "met", TANAKA), (HOLLOWAY, "inspected", "Su-57")} <= found
    assert (TANAKA, "inspected", "Su-57") not in found


# ---------------------------------------------------------------- apposition, titles, places


def test_apposition_commander_of(nlp):
    text = "Admiral Viktor Sokolenko, the commander of the Northern Fleet, met Minister Hiroshi Tanaka."
    found = triples(nlp, text)
    assert ("Viktor Sokolenko", "commands", "Northern Fleet") in found
    assert ("Viktor Sokolenko", "met", TANAKA) in found


def test_apposition_without_article(nlp):
    found = triples(nlp, "Admiral Viktor Sokolenko, commander of the Northern Fleet, inspected the Su-57.")
    assert ("Viktor Sokolenko", "commands", "Northern Fleet") in found
    assert ("Viktor Sokolenko", "inspected", "Su-57") in found


def test_command_verb(nlp):
    assert ("Viktor Sokolenko", "commands", "Northern Fleet") in triples(
        nlp, "Viktor Sokolenko commands the Northern Fleet.")


@pytest.mark.parametrize("text, leader, country", [
    ("Kenyan President Samuel Otieno met General Marcus Holloway.", "Samuel Otieno", "Kenya"),
    ("Iranian President Ebrahim Raisi met Foreign Minister Hiroshi Tanaka.", "Ebrahim Raisi", "Iran"),
    ("General Marcus Holloway met with Chinese Premier Li Qiang.", "Li Qiang", "China"),
])
def test_demonym_leader_title_gives_leads(nlp, text, leader, country):
    found = triples(nlp, text)
    assert (leader, "leads", country) in found
    assert (leader, "affiliatedWith", country) in found


def test_demonym_with_non_leader_title_gives_no_leads(nlp):
    found = triples(nlp, "Japanese Foreign Minister Hiroshi Tanaka met General Marcus Holloway.")
    assert (TANAKA, "affiliatedWith", "Japan") in found
    assert (TANAKA, "leads", "Japan") not in found


def test_leader_of_apposition(nlp):
    found = triples(nlp, "Ebrahim Raisi, the president of Iran, met Hiroshi Tanaka.")
    assert ("Ebrahim Raisi", "leads", "Iran") in found
    assert ("Ebrahim Raisi", "met", "Hiroshi Tanaka") in found


def test_possessive_place(nlp):
    text = "Minister Hiroshi Tanaka arrived at Moscow's Vnukovo airport."
    assert ("Vnukovo airport", "locatedIn", "Moscow") in triples(nlp, text)
    classes = mention_classes(nlp, text)
    assert classes["Vnukovo airport"] == "Facility"
    assert classes["Moscow"] == "City"


# ---------------------------------------------------------------- typing


@pytest.mark.parametrize("text, name, cls", [
    ("General Marcus Holloway inspected the Su-57.", "Su-57", "Aircraft"),
    ("General Marcus Holloway inspected Iskander missiles.", "Iskander", "Weapon"),
    ("The Northern Fleet conducted drills.", "Northern Fleet", "MilitaryUnit"),
    ("Governor Maria Fernandez visited the Plesetsk cosmodrome.", "Plesetsk cosmodrome", "Facility"),
    ("Minister Hiroshi Tanaka visited the cruiser Pyotr Velikiy.", "Pyotr Velikiy", "Vessel"),
    ("Putin and Lukashenko inspected the MiG-31.", "Lukashenko", "Person"),
])
def test_typing(nlp, text, name, cls):
    classes = mention_classes(nlp, text)
    assert classes.get(name) == cls, classes


def test_weapon_heads_are_not_part_of_the_name(nlp):
    names = {m["name"] for m in extract(nlp, "General Marcus Holloway inspected Iskander missiles.")["mentions"]}
    assert "Iskander" in names and "Iskander missiles" not in names


def test_inspected_named_weapon_before_generic_head(nlp):
    found = triples(nlp, "General Marcus Holloway inspected Iskander missiles.")
    assert (HOLLOWAY, "inspected", "Iskander") in found


# ---------------------------------------------------------------- modality and attribution


def _rel(nlp, text, s, p, o):
    rs = [r for r in relations(nlp, text) if (r["s"], r["pred"], r["o"]) == (s, p, o)]
    assert rs, f"no {s} {p} {o} in {text!r}"
    return rs[0]


@pytest.mark.parametrize("text", [
    "General Marcus Holloway did not meet Foreign Minister Hiroshi Tanaka.",
    "General Marcus Holloway never met Foreign Minister Hiroshi Tanaka.",
])
def test_negation(nlp, text):
    assert _rel(nlp, text, HOLLOWAY, "met", TANAKA)["modality"] == "negated"
    assert (HOLLOWAY, "met", TANAKA) not in triples(nlp, text)
    assert all(e["modality"] == "negated" for e in events(nlp, text))


@pytest.mark.parametrize("text, pred", [
    ("General Marcus Holloway may visit the Plesetsk cosmodrome.", "visited"),
    ("General Marcus Holloway may meet Foreign Minister Hiroshi Tanaka next week.", "met"),
    ("General Marcus Holloway reportedly met Foreign Minister Hiroshi Tanaka.", "met"),
])
def test_hedging(nlp, text, pred):
    rs = [r for r in relations(nlp, text) if r["s"] == HOLLOWAY and r["pred"] == pred]
    assert rs and all(r["modality"] == "hedged" for r in rs)
    assert not any(p == pred for s, p, o in triples(nlp, text))


def test_future_is_not_asserted(nlp):
    text = "General Marcus Holloway will meet Foreign Minister Hiroshi Tanaka on Monday."
    r = _rel(nlp, text, HOLLOWAY, "met", TANAKA)
    assert r["modality"] not in ("asserted", "negated")
    ev = [e for e in events(nlp, text) if e["cls"] == "Meeting"]
    assert ev and ev[0]["date_tense"] == "future" and ev[0]["date_text"] == "Monday"


def test_plain_statement_is_asserted_without_attribution(nlp):
    r = _rel(nlp, "General Marcus Holloway met Foreign Minister Hiroshi Tanaka.", HOLLOWAY, "met", TANAKA)
    assert r["modality"] == "asserted"
    assert r["attribution"] is None


@pytest.mark.parametrize("text", [
    "According to state media, General Marcus Holloway met Foreign Minister Hiroshi Tanaka.",
    "State media said that General Marcus Holloway met Foreign Minister Hiroshi Tanaka.",
])
def test_attribution(nlp, text):
    r = _rel(nlp, text, HOLLOWAY, "met", TANAKA)
    assert r["attribution"] is not None and "state media" in r["attribution"].lower()
    assert r["modality"] == "asserted"


# ---------------------------------------------------------------- coreference


def test_pronoun_resolves_to_previous_person(nlp):
    text = "Governor Maria Fernandez arrived in Minsk on Tuesday. She met General Marcus Holloway on Wednesday."
    found = triples(nlp, text)
    assert ("Maria Fernandez", "met", HOLLOWAY) in found
    data = extract(nlp, text)
    she = [m for m in data["mentions"] if m["text"] == "She"]
    assert she and she[0]["kind"] == "pronoun"
    assert _root(data["mentions"], she[0])["name"] == "Maria Fernandez"


def test_pronoun_subject_of_inspection(nlp):
    found = triples(nlp, "Putin arrived in Minsk on Tuesday. He inspected the MiG-29.")
    assert ("Putin", "inspected", "MiG-29") in found


def test_pronoun_in_an_adverbial_clause_is_the_one_person_of_the_clause_above(nlp):
    # the subject of the sentence is a person too, but "after he was shot" hangs on "found Tom Hale"
    for text in ("Carl Benson said the guards found Tom Hale after he was shot by Ross Derwin .",
                 "Carl Benson saw the ambulance that took Tom Hale away after he was stabbed by Ross Derwin ."):
        assert ("Ross Derwin", "attacked", "Tom Hale") in triples(nlp, text), text
    # two people in the clause above: the pronoun keeps the subject rule
    assert ("Carl Benson", "visited", "Denver") in triples(nlp, "Carl Benson met Tom Hale after he arrived in Denver .")


def test_relative_clause_on_an_apposition_describes_the_name(nlp):
    text = "Ross Derwin , a Republican from Chicago who served 24 years in Congress , denied the report ."
    assert ("Ross Derwin", "memberOf", "Congress") in triples(nlp, text)


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize("text, article_date, tense, expected", [
    ("On Tuesday", "2024-03-07", "past", "2024-03-05"),     # Thursday article, Tuesday before
    ("Thursday", "2024-03-07", "past", "2024-03-07"),       # same weekday, past: that day
    ("on Friday", "2024-03-07", "past", "2024-03-01"),      # later weekday, past: previous week
    ("Monday", "2024-03-07", "future", "2024-03-11"),       # next Monday
    ("on Thursday", "2024-03-07", "future", "2024-03-14"),  # same weekday, future: a week on
    ("Friday", "2024-03-07", "future", "2024-03-08"),
    ("Sunday", "2023-12-29", "future", "2023-12-31"),
    ("Tuesday", "2024-01-01", "past", "2023-12-26"),        # across a year boundary
])
def test_ground_weekday(text, article_date, tense, expected):
    assert ground_date(text, article_date, tense) == expected


def test_ground_weekday_phrase():
    assert ground_date("Wednesday, days", "2025-03-12") == "2025-03-12"
    assert ground_date("Tuesday night", "2023-09-16") == "2023-09-12"
    assert ground_date("Tuesday, Sept. 12", "2023-09-16") == "2023-09-12"


def test_ground_weekday_without_article_date_is_none():
    assert ground_date("Tuesday", None) is None
    assert ground_date("Tuesday", None, "future") is None


def test_ground_explicit_dates():
    assert ground_date("March 2", "2024-03-07") == "2024-03-02"
    assert ground_date("December 30", "2024-01-02") == "2023-12-30"  # past text, no year: last year
    assert ground_date("14 September 2023", None) == "2023-09-14"


def test_event_date_text_and_tense_ground(nlp):
    past = [e for e in events(nlp, "Governor Maria Fernandez arrived in Minsk on Tuesday.") if e["cls"] == "Visit"]
    assert past and past[0]["date_text"] == "Tuesday" and past[0]["date_tense"] == "past"
    assert ground_date(past[0]["date_text"], "2024-03-07", past[0]["date_tense"]) == "2024-03-05"
    fut = [e for e in events(nlp, "General Marcus Holloway will meet Foreign Minister Hiroshi Tanaka on Monday.")
           if e["cls"] == "Meeting"]
    assert ground_date(fut[0]["date_text"], "2024-03-07", fut[0]["date_tense"]) == "2024-03-11"


# ---------------------------------------------------------------- open relations


def test_open_relation_for_unmapped_verb(nlp):
    text = "Foreign Minister Hiroshi Tanaka praised General Marcus Holloway."
    rs = [r for r in relations(nlp, text) if r["s"] == TANAKA and r["o"] == HOLLOWAY]
    assert rs, relations(nlp, text)
    assert all(r["open"] is True for r in rs)
    assert "praise" in {r["pred"] for r in rs}
    assert not triples(nlp, text)


def test_mapped_verb_is_not_open(nlp):
    rs = relations(nlp, "Foreign Minister Hiroshi Tanaka met General Marcus Holloway.")
    assert rs and all(r["open"] is False for r in rs if r["pred"] == "met")
    assert not any(r["open"] and r["pred"] == "meet" for r in rs)


def test_open_relation_needs_two_named_entities(nlp):
    rs = relations(nlp, "Foreign Minister Hiroshi Tanaka praised the weather.")
    assert not [r for r in rs if r["open"]]


def test_output_is_json_serialisable_with_consistent_offsets(nlp):
    import json

    from kg.types import Article, ArticleExtraction

    text = "General Marcus Holloway met Foreign Minister Hiroshi Tanaka in Geneva on Tuesday."
    data = json.loads(json.dumps(extract(nlp, text)))
    ex = ArticleExtraction.from_dict({"article": {"id": "x", "text": text, "source": "x.txt"}, **data})
    assert isinstance(ex.article, Article)
    assert ex.mentions and ex.relations
    for m in ex.mentions:
        assert text[m.start:m.end] == m.text
        start, end = ex.sentences[m.sent]
        assert start <= m.start and m.end <= end
    for r in ex.relations:
        assert 0 <= r.subj < len(ex.mentions) and 0 <= r.obj < len(ex.mentions)


# --- regressions found by review (each failed before its fix) ---

def test_short_name_typed_org_links_to_full_person_name(nlp):
    text = "General Marcus Holloway arrived in Minsk. Holloway then met Foreign Minister Hiroshi Tanaka."
    assert (HOLLOWAY, "met", TANAKA) in triples(nlp, text)


def test_carries_named_weapon_with_generic_head(nlp):
    assert ("Pyotr Velikiy", "carries", "Zircon") in triples(nlp, "The cruiser Pyotr Velikiy carries Zircon missiles.")


def test_which_include_named_weapons_with_generic_head(nlp):
    found = triples(nlp, "General Marcus Holloway inspected new weapons, which include Iskander missiles and Kinzhal missiles.")
    assert {(HOLLOWAY, "inspected", "Iskander"), (HOLLOWAY, "inspected", "Kinzhal")} <= found


def test_passive_named_weapon_with_generic_head(nlp):
    assert (HOLLOWAY, "inspected", "Iskander") in triples(nlp, "The Iskander missiles were inspected by General Marcus Holloway.")


def test_object_relative_clause(nlp):
    assert (HOLLOWAY, "inspected", "Su-57") in triples(nlp, "The Su-57, which General Marcus Holloway inspected on Monday, is a fighter jet.")


def test_frigate_with_honorific_name_is_vessel(nlp):
    classes = mention_classes(nlp, "Minister Hiroshi Tanaka toured the frigate Admiral Gorshkov.")
    assert classes.get("Admiral Gorshkov") == "Vessel", classes


def test_demonym_prime_minister_leads(nlp):
    found = triples(nlp, "Dutch Prime Minister Pieter Claes met General Marcus Holloway.")
    assert ("Pieter Claes", "leads", "Netherlands") in found, found


def test_paragraph_break_is_sentence_boundary(nlp):
    a = article_from_text("date 2024-03-05 - Envoys meet in Geneva\nGeneral Marcus Holloway met Foreign Minister Hiroshi Tanaka in Geneva on Tuesday.\n", "x.txt")
    doc = nlp(a.text)
    sents = [s.text.strip() for s in doc.sents]
    assert "Envoys meet in Geneva" in sents, sents


def test_no_inspection_event_with_person_object(nlp):
    a = article_from_text("General Marcus Holloway was introduced to Ambassador Lena Okafor on Tuesday.\n", "x.txt")
    ex = list(extract_articles(nlp, [a]))
    _, ds = build_graph(ex)
    g = union_graph(ds)
    assert not list(g.subjects(RDF.type, KG.Inspection))


def test_list_member_named_compound_of_generic_noun(nlp):
    found = triples(nlp, "General Marcus Holloway inspected jets such as the Su-57, the MiG-31 and the Tu-22M3 long-range bomber.")
    assert (HOLLOWAY, "inspected", "Tu-22M3") in found, found


# ---------------------------------------------------------------- news conventions (CoNLL04 issue)


def test_city_comma_state_abbreviation(nlp):
    text = "Marta Lind, 52, of Brookfield, Conn., said the bridge was closed."
    classes = mention_classes(nlp, text)
    assert classes.get("Brookfield") == "City"
    assert classes.get("Connecticut") == "Region"
    assert ("Brookfield", "locatedIn", "Connecticut") in triples(nlp, text)


def test_state_abbreviation_before_the_final_full_stop(nlp):
    # "N.C." at the end of a sentence: the tokenizer may split the full stop off
    classes = mention_classes(nlp, "The storm hit Greenfield , N.C .")
    assert classes.get("North Carolina") == "Region"


def test_state_abbreviation_only_after_a_city(nlp):
    # "Miss." elsewhere is not Mississippi
    assert "Mississippi" not in mention_classes(nlp, "Miss. Perkins taught the class.")


def test_dateline_city_state_and_agency(nlp):
    text = "TULSORA, Thailand (AP) - Police closed the border on Monday."
    classes = mention_classes(nlp, text)
    assert classes.get("TULSORA") == "City"
    assert classes.get("Thailand") == "Country"
    assert classes.get("AP") == "Organization"
    assert ("TULSORA", "locatedIn", "Thailand") in triples(nlp, text)


def test_washington_dc_is_one_city(nlp):
    classes = mention_classes(nlp, "The treaty was signed in Washington, D.C., in 1921.")
    assert classes.get("Washington, D.C.") == "City"
    assert "District of Columbia" not in classes


def test_known_capital_overrides_a_person_tag(nlp):
    text = "The report came from Yerevan, the capital of Armenia."
    assert mention_classes(nlp, text).get("Yerevan") == "City"
    assert ("Yerevan", "locatedIn", "Armenia") in triples(nlp, text)


def test_monitoring_source_line(nlp):
    text = "AB1234567890 Lisbon Radio Norte Sul in Portuguese 1400 GMT 3 Mar 95"
    classes = mention_classes(nlp, text)
    assert classes.get("Lisbon") == "City"
    assert ("Radio Norte Sul", "basedIn", "Lisbon") in triples(nlp, text)


def test_born_in_and_native_of(nlp):
    assert ("Tom Baker", "bornIn", "Fort Worth") in triples(
        nlp, "Tom Baker, 50, born in Fort Worth, Texas, was a painter.")
    assert ("Anna", "bornIn", "Bath") in triples(nlp, "His wife, Anna, is a native of Bath, Maine.")


def test_born_under_another_name_and_in_a_fact_box(nlp):
    got = triples(nlp, "Tom Baxter was born Thomas Bax in Omaha , Neb. , in 1913 .")
    assert {("Tom Baxter", "bornIn", "Omaha"), ("Thomas Bax", "bornIn", "Omaha")} <= got
    got = triples(nlp, "Tom Baxter ( 38th President ) : Born July 14 , 1913 , in Omaha , Neb .")
    assert ("Tom Baxter", "bornIn", "Omaha") in got


def test_a_native_in_a_second_apposition(nlp):
    assert ("Ray Hill", "bornIn", "Dayton") in triples(nlp, "Ray Hill , a lawyer and a Dayton native , said no .")


def test_hometown_apposition(nlp):
    text = "Richard Stone, a Dallas lawyer, said the city of Austin, Stone's hometown, would pay."
    got = {(s, o) for s, p, o in triples(nlp, text) if p == "livesIn"}
    assert {("Richard Stone", "Dallas")} <= got
    assert any(o == "Austin" and s.endswith("Stone") for s, o in got)


def test_place_and_job_noun_before_a_person(nlp):
    assert ("Jim Peck", "livesIn", "Houston") in triples(nlp, "Houston oilman Jim Peck said.")
    assert ("Richard Stone", "livesIn", "Dallas") in triples(nlp, "Richard Stone, a Dallas lawyer, said it.")
    assert ("Dana Whitfield", "livesIn", "Omaha") in triples(
        nlp, "Dana Whitfield , a Democrat from Omaha who served in the Senate , denied it.")


def test_an_acronym_before_a_title_is_the_organisation(nlp):
    got = triples(nlp, "In a statement signed by FNTR Secretary Ana Ruiz , the group said it would strike .")
    assert ("Ana Ruiz", "memberOf", "FNTR") in got
    # a country's abbreviation stays a country
    assert mention_classes(nlp, "UK Ambassador John Smith left on Monday .").get("United Kingdom") == "Country"


def test_the_organisation_before_a_job_is_one(nlp):
    # "X president Y": the model took the company for a city; a place's own head word stays
    text = "Halliburton president Alan Moss said he did not know ."
    assert mention_classes(nlp, text).get("Halliburton") == "Organization"
    assert ("Alan Moss", "memberOf", "Halliburton") in triples(nlp, text)


def test_organisation_job_noun_person(nlp):
    assert ("Tom Hale", "memberOf", "Exxon") in triples(nlp, "Exxon spokesman Tom Hale said it.")
    assert ("Mary Lu", "memberOf", "Pfizer") in triples(nlp, "Mary Lu, a Pfizer chemist, said it.")
    assert ("Mark Doe", "memberOf", "Intel") in triples(nlp, "Mark Doe, Intel 's chairman, said it.")


def test_person_of_organisation_and_conjoined_titles(nlp):
    text = "Carl Bates , leader of the Blue Party and vice-president of the Union of Writers , said it."
    got = triples(nlp, text)
    assert ("Carl Bates", "leads", "Blue Party") in got
    assert ("Carl Bates", "memberOf", "Union of Writers") in got


def test_title_country_already_a_mention_is_the_affiliation(nlp):
    got = triples(nlp, "US President Laura Kingsley spoke on Monday.")
    assert ("Laura Kingsley", "affiliatedWith", "United States") in got


def test_killer_nouns(nlp):
    assert ("Ray Black", "killed", "Bill Smith") in triples(nlp, "Ray Black, the assassin of Governor Bill Smith, died.")
    assert ("Ray Black", "killed", "Bill Smith") in triples(nlp, "Governor Bill Smith assassin Ray Black died.")
    assert ("Ray Black", "killed", "Smith") in triples(nlp, "Smith 's killer , Ray Black , died.")
    # a relative is someone else: "her husband 's killer" did not kill her
    for text in ("Her husband 's assassin , Ray Black , said he was sorry.",
                 "Ann Lee said her brother 's killer , Ray Black , was freed."):
        assert not any(p == "killed" for s, p, o in triples(nlp, text)), text


def test_relative_clause_subject_excludes_later_conjuncts(nlp):
    got = triples(nlp, "Sam Ortega, who killed Paul Brandt, and Rita and Leo Marsh were clients.")
    assert ("Sam Ortega", "killed", "Paul Brandt") in got
    assert not any(p == "killed" and s != "Sam Ortega" for s, p, o in got)


def test_conjuncts_with_their_own_preposition(nlp):
    text = "The reserve lies between Kora District in Varo Province and Melu District in Tasan Province."
    got = {(s, o) for s, p, o in triples(nlp, text) if p == "locatedIn"}
    assert ("Melu District", "Varo Province") not in got


def test_organisations_apposed_to_a_group_noun(nlp):
    text = "The two main political forces in Bulgaria, the Blue Party and the Union of Red Forces, agreed."
    got = triples(nlp, text)
    assert ("Blue Party", "basedIn", "Bulgaria") in got


def test_company_apposition_with_a_place(nlp):
    assert ("Brightwater Holdings", "basedIn", "Singapore") in triples(
        nlp, "Brightwater Holdings, a Singapore shipping firm, said.")


def test_unclosed_bracket_splits_an_organisation(nlp):
    classes = mention_classes(nlp, "Today the Alliance of Progressive Workers ( APW ) met in the capital.")
    assert "Alliance of Progressive Workers" in classes
    assert not any("(" in name for name in classes)


def test_founder(nlp):
    assert ("Ruth Calder", "leads", "Civic Renewal Alliance") in triples(nlp, "Ruth Calder set up the Civic Renewal Alliance.")


# ---------------------------------------------------------------- news typing and demonyms (CoNLL04 step 4)


@pytest.mark.parametrize("text, name", [
    ("Retired National Hockey League goalie Pete Varga signed books.", "National Hockey League"),
    ("Brun, a senior Finance Ministry official, declined to comment.", "Finance Ministry"),
    ("National Assembly Speaker Tomas Oliva opened the session.", "National Assembly"),
])
def test_organisation_head_beats_title_words(nlp, text, name):
    classes = mention_classes(nlp, text)
    assert classes.get(name) == "Organization", classes


@pytest.mark.parametrize("text, person, country", [
    ("The essay was written by Hungarian historian Laszlo Bartok.", "Laszlo Bartok", "Hungary"),
    ("Pierre Dubois, a French diplomat, arrived in Cairo on Monday.", "Pierre Dubois", "France"),
])
def test_demonym_before_or_apposed_to_an_occupation(nlp, text, person, country):
    ms = extract(nlp, text)["mentions"]
    assert any(m["name"] == person and m["affiliation"] == country for m in ms), ms
    assert any(s == person and p == "affiliatedWith" for s, p, o in triples(nlp, text))


def test_reduced_participle_after_a_name_takes_the_name_as_subject(nlp):
    text = "The court upheld the sentence of Carl Dorsey, convicted of murdering shopkeeper Ann Fry in 1990."
    assert ("Carl Dorsey", "killed", "Ann Fry") in triples(nlp, text)


def test_birth_pattern_types_a_name_the_model_called_an_organisation(nlp):
    text = "Delmore Quigley Baxter was born on March 3, 1911, in Fresno, Calif., and studied law."
    got = triples(nlp, text)
    assert ("Delmore Quigley Baxter", "bornIn", "Fresno") in got, got
    assert mention_classes(nlp, text)["Delmore Quigley Baxter"] == "Person"


def test_kill_pattern_types_its_victim_but_not_a_place(nlp):
    got = triples(nlp, "Omar Castel, the assassin of Bellweather, died in 1950.")
    assert ("Omar Castel", "killed", "Bellweather") in got, got


def test_place_born_person(nlp):
    assert ("Tom Baker", "bornIn", "Ohio") in triples(nlp, "Ohio born Tom Baker was a young actor then.")


def test_place_then_persons_hometown(nlp):
    text = "The museum in Tulsa , Oklahoma , Marvin Gale 's hometown , plans a statue."
    assert ("Marvin Gale", "livesIn", "Oklahoma") in triples(nlp, text)


def test_organisation_headquarters_in_place(nlp):
    text = "At a briefing at NASA headquarters in nearby Greenbelt, Carla Ruiz said the launch slipped."
    got = triples(nlp, text)
    assert ("NASA", "basedIn", "Greenbelt") in got, got
    assert mention_classes(nlp, text).get("NASA") == "Organization"


@pytest.mark.parametrize("text", [
    "A Boston man, Peter Hale, was charged.",
    "Peter Hale, a Boston man, was charged.",
])
def test_place_man_apposed_to_a_person(nlp, text):
    assert ("Peter Hale", "livesIn", "Boston") in triples(nlp, text)


@pytest.mark.parametrize("text, triple", [
    ("Ivo Brandt, a resident of Springfield, said the plan failed.", ("Ivo Brandt", "livesIn", "Springfield")),
    ("Ivo Brandt, a citizen of Chile, said the plan failed.", ("Ivo Brandt", "livesIn", "Chile")),
    ("Agents arrived at Ivo Brandt's New Jersey home on Friday.", ("Ivo Brandt", "livesIn", "New Jersey")),
    ("He worked closely with President Ivo Brandt of Zimbabwe for years.", ("Ivo Brandt", "livesIn", "Zimbabwe")),
    ("Agents searched Ivo Brandt 's home in the Dayton suburb of Kettering on Friday .",
     ("Ivo Brandt", "livesIn", "Kettering")),
])
def test_residence_noun_forms(nlp, text, triple):
    got = triples(nlp, text)
    assert triple in got, got


@pytest.mark.parametrize("text", [
    "Rudd Olsen's assassination of Lyle Perrin shocked the nation.",
    "The murder of Lyle Perrin by Rudd Olsen shocked the nation.",
    "Rudd Olsen, convicted in the slaying of Lyle Perrin, died in prison.",
    "Police said Rudd Olsen fired the shot that killed Lyle Perrin.",
])
def test_kill_noun_and_shot_forms(nlp, text):
    got = triples(nlp, text)
    assert ("Rudd Olsen", "killed", "Lyle Perrin") in got, got


def test_organisation_possessive_person(nlp):
    got = triples(nlp, "Acme Corp.'s Tom Vierra said the plan failed.")
    assert ("Tom Vierra", "memberOf", "Acme Corp.") in got, got


def test_opening_participle_is_not_part_of_a_name(nlp):
    # the model tags "Praising Vasko 's" as one PERSON span
    classes = mention_classes(nlp, "Praising Vasko 's visit , Olin said the talks went well .")
    assert "Vasko" in classes, classes
    assert "Praising Vasko" not in classes


@pytest.mark.parametrize("text, name", [
    ("After Ivo Brandt was arrested, police said Brandt had fled to Ohio.", "Brandt"),
    ("Kessler, 45, of Denver, was arrested.", "Kessler"),
])
def test_bare_surname_typed_person_from_context(nlp, text, name):
    classes = mention_classes(nlp, text)
    assert classes.get(name) == "Person", classes


def test_person_with_age_of_place(nlp):
    got = triples(nlp, "Kessler, 45, of Denver, was arrested.")
    assert ("Kessler", "livesIn", "Denver") in got, got


@pytest.mark.parametrize("text, place", [
    ("Ivo Brandt, a lawyer in Denver, said the plan failed.", "Denver"),
    ("Ivo Brandt, one of the top military strategists in Israel, said the plan failed.", "Israel"),
])
def test_apposed_occupation_in_place(nlp, text, place):
    got = triples(nlp, text)
    assert ("Ivo Brandt", "livesIn", place) in got, got
    assert mention_classes(nlp, text)["Ivo Brandt"] == "Person"


@pytest.mark.parametrize("text, org", [
    ("Tom Vierra is the president of Acme Corp.", "Acme Corp."),
    ("Tom Vierra was named president of Acme Corp. in May.", "Acme Corp."),
    ("Tom Vierra was elected chairman of the Blue Party on Friday.", "Blue Party"),
    ("Tom Vierra resigned as chairman of Acme Corp. on Friday.", "Acme Corp."),
    ("Tom Vierra, who is a professor at Boston University, said the plan failed.", "Boston University"),
    ("Acme Corp.'s chairman, Tom Vierra, said the plan failed.", "Acme Corp."),
])
def test_job_of_organisation_predicative_forms(nlp, text, org):
    got = triples(nlp, text)
    assert ("Tom Vierra", "memberOf", org) in got, got


@pytest.mark.parametrize("text, org, place", [
    ("The Tokyo newspaper Asahi Shimbun said the plan failed.", "Asahi Shimbun", "Tokyo"),
    ("The Denver company, Acme Corp., said it would close.", "Acme Corp.", "Denver"),
    ("Acme Corp., Denver's largest bank, said it would close.", "Acme Corp.", "Denver"),
])
def test_place_and_organisation_noun_apposed_to_organisation(nlp, text, org, place):
    got = triples(nlp, text)
    assert (org, "basedIn", place) in got, got


@pytest.mark.parametrize("text", [
    "Lyle Perrin was gunned down by Rudd Olsen.",
    "Rudd Olsen gunned down Lyle Perrin.",
    "Rudd Olsen pleaded guilty to killing Lyle Perrin.",
    "Rudd Olsen pleaded guilty to the murder of Lyle Perrin.",
    "Lyle Perrin died at the hands of Rudd Olsen.",
])
def test_kill_court_and_idiom_forms(nlp, text):
    got = triples(nlp, text)
    assert ("Rudd Olsen", "killed", "Lyle Perrin") in got, got


@pytest.mark.parametrize("text, place", [
    ("Tom Hale was raised in Denver.", "Denver"),
    ("Tom Hale moved to Denver in 1970.", "Denver"),
    ("Tom Hale returned home to Denver.", "Denver"),
    ("Police searched Tom Hale's home in Springfield.", "Springfield"),
    ("Tom Hale, an Ohio Democrat, said the plan failed.", "Ohio"),
])
def test_residence_verb_and_party_forms(nlp, text, place):
    got = triples(nlp, text)
    assert ("Tom Hale", "livesIn", place) in got, got


@pytest.mark.parametrize("text, triple", [
    # the small model tags "Ivo Brandt" here as an organisation; the apposed job says person
    ("Ivo Brandt, a Denver lawyer, said the plan failed.", ("Ivo Brandt", "livesIn", "Denver")),
    ("Ivo Brandt, an Acme Corp. lawyer, said the plan failed.", ("Ivo Brandt", "memberOf", "Acme Corp.")),
])
def test_apposed_person_noun_types_a_name_the_model_took_for_an_organisation(nlp, text, triple):
    got = triples(nlp, text)
    assert triple in got, got
    assert mention_classes(nlp, text)["Ivo Brandt"] == "Person"


def test_place_job_noun_is_not_an_organisation_base(nlp):
    got = triples(nlp, "Ivo Brandt, a Denver lawyer, said the plan failed.")
    assert not any(p == "basedIn" for _, p, _ in got), got


@pytest.mark.parametrize("text, city, country", [
    ("Fighting broke out in the northern Iraq city of Mosul.", "Mosul", "Iraq"),
    ("Fighting broke out in the town of Zarqa in Jordan.", "Zarqa", "Jordan"),
])
def test_place_noun_of_name(nlp, text, city, country):
    got = triples(nlp, text)
    assert (city, "locatedIn", country) in got, got


def test_city_in_direction_region_when_the_parser_hangs_in_elsewhere(nlp):
    got = triples(nlp, "The plane crashed during a flight to Khartoum from Kassala in eastern Sudan near the border.")
    assert ("Kassala", "locatedIn", "Sudan") in got, got


@pytest.mark.parametrize("text, person, org", [
    ("Tom Hale, considered by police to be a top leader of the Blue Party, was arrested.", "Tom Hale", "Blue Party"),
    ("Ann Hale, 37, who is a major in the Marine Corps, said the plan failed.", "Ann Hale", "Marine Corps"),
    ("Ann Hale, an activist in the Blue Party, was arrested.", "Ann Hale", "Blue Party"),
])
def test_member_of_controlled_and_in_forms(nlp, text, person, org):
    got = triples(nlp, text)
    assert any(s == person and p in ("memberOf", "leads") and o == org for s, p, o in got), got


def test_kill_noun_types_a_victim_the_model_took_for_a_place(nlp):
    text = "Two days later, Hale operated on Perrin's assassin, Rudd Olsen, who had just been shot by Jack Brill."
    got = triples(nlp, text)
    assert ("Rudd Olsen", "killed", "Perrin") in got, got
    assert ("Jack Brill", "attacked", "Rudd Olsen") in got, got  # shot, not said to have died


def test_a_description_with_its_own_owner_is_not_the_last_organisation_named(nlp):
    text = ("BOGOTA , Colombia ( AP ) _ The suspect , Jhon Jairo Arias , a former employee of the city 's water "
            "company , was arrested in Medellin .")
    data = extract(nlp, text)
    company = [m for m in data["mentions"] if m["text"].endswith("company")]
    assert company and company[0]["refers_to"] == [], company
    assert ("Jhon Jairo Arias", "memberOf", "AP") not in triples(nlp, text)


def test_a_description_named_by_its_word_skips_organisations_without_it(nlp):
    # "the university" is not the last organisation named (Vantel), and no university is named
    text = "Ada Lund joined Vantel Systems in 2019 after she taught at the university for ten years ."
    data = extract(nlp, text)
    university = [m for m in data["mentions"] if m["text"].endswith("university")]
    assert university and university[0]["refers_to"] == [], university


def test_two_passive_subjects_and_a_year_before_the_era(nlp):
    # the parser gives "assassinated" two passive subjects ("Highlight", "B.C."): the nearer one
    # is the victim, and "312 B.C." is a year whose apposition names the victim
    text = ("Today 's Highlight in History : On the Ides of May , 312 B.C. , Roman Emperor Titus Varro was "
            "assassinated by a group of nobles that included Gaius and Lucius .")
    got = triples(nlp, text)
    assert {("Gaius", "killed", "Titus Varro"), ("Lucius", "killed", "Titus Varro")} <= got
    classes = mention_classes(nlp, text)
    assert "Highlight" not in classes and "B.C." not in classes, classes


def test_a_native_place_is_a_place(nlp):
    # the model takes the town for a person; "X 's native Y" makes it a place
    text = "The museum stands in Ivo Brandt 's native Tralee , 30 miles north ."
    assert ("Ivo Brandt", "bornIn", "Tralee") in triples(nlp, text)
    assert mention_classes(nlp, text).get("Tralee") not in (None, "Person", "Organization")


@pytest.mark.parametrize("text, name", [
    # a party, or an acronym in brackets, that the parser hangs on a candidate noun is no person
    ("Ruiz , candidate of the PNR ( Party of National Renewal ) , said no.", "Party of National Renewal"),
    ("Diego Ruiz is ahead of Ana Lopez , candidate of the National Renewal Party ( PNR ) by only 5 percent .", "PNR"),
])
def test_a_pattern_makes_no_party_or_acronym_a_person(nlp, text, name):
    assert mention_classes(nlp, text).get(name) == "Organization"


def test_the_one_shot_and_the_one_charged_with_a_killing_are_people(nlp):
    # the model takes "Mendes" for a product; only people are shot in a bar
    assert mention_classes(nlp, "Witnesses told police that he shot Mendes outside the bar on Friday .").get(
        "Mendes") == "Person"
    # the model takes "Vasquez" for an organisation; one convicted of a murder is a person
    assert mention_classes(nlp, "Vasquez was convicted of the murder of Ann Lee in 1990 .").get("Vasquez") == "Person"
