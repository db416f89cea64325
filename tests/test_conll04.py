"""The CoNLL04 adapter in kg.evaluate: scoring and end-to-end predictions, on hand-made records.

None of the sentences are CoNLL04 sentences.
"""

from __future__ import annotations

import json

import pytest

from kgtest import relations, triples

from kg.evaluate import conll_span, predict_conll04, score_conll04
from kg.nlp import load_nlp


def _record(tokens, entities, relations, orig_id=1):
    return {"tokens": tokens.split(), "entities": [{"type": t, "start": s, "end": e} for t, s, e in entities],
            "relations": [{"type": t, "head": h, "tail": o} for t, h, o in relations], "orig_id": orig_id}


REC = _record("Exxon spokesman Tom Hale said it .", [("Org", 0, 1), ("Peop", 2, 4)], [("Work_For", 1, 0)])


def test_perfect_prediction_scores_one():
    pred = {"orig_id": 1, "relations": [{"type": "Work_For", "head": [2, 4], "tail": [0, 1]}]}
    s = score_conll04([REC], [pred])
    assert (s["micro"].precision, s["micro"].recall, s["micro"].f1) == (1.0, 1.0, 1.0)
    assert s["Work_For"].tp == 1


def test_wrong_span_scores_zero():
    pred = {"orig_id": 1, "relations": [{"type": "Work_For", "head": [1, 4], "tail": [0, 1]}]}
    s = score_conll04([REC], [pred])
    assert s["micro"].f1 == 0.0
    assert (s["micro"].tp, s["micro"].fp, s["micro"].fn) == (0, 1, 1)


def test_wrong_type_scores_zero():
    pred = {"orig_id": 1, "relations": [{"type": "Live_In", "head": [2, 4], "tail": [0, 1]}]}
    assert score_conll04([REC], [pred])["micro"].f1 == 0.0


def test_empty_prediction_has_no_precision_and_no_recall():
    s = score_conll04([REC], [{"orig_id": 1, "relations": []}])
    assert (s["micro"].precision, s["micro"].recall, s["micro"].fn) == (0.0, 0.0, 1)


def _span(sentence, cls, name, titles=frozenset({"president", "spokesman", "mr."})):
    toks = sentence.split()
    starts, pos = [], 0
    for t in toks:
        starts.append(pos)
        pos += len(t) + 1
    start = sentence.index(name)
    return conll_span({"start": start, "end": start + len(name), "cls": cls}, toks, starts, titles)


def test_conll_span_titles_convention():
    # CoNLL04 keeps a bare leading title and honorifics inside a person span ...
    assert _span("when President Lincoln spoke", "Person", "Lincoln") == (1, 3)
    assert _span("said Mr. Hale", "Person", "Hale") == (1, 3)
    # ... but not a job noun, nor a title after an organisation or a country
    assert _span("Acme spokesman Tom Hale spoke", "Person", "Tom Hale") == (2, 4)
    assert _span("US President Laura Kingsley spoke", "Person", "Laura Kingsley") == (2, 4)
    # other classes are untouched
    assert _span("when President Lincoln spoke", "City", "Lincoln") == (2, 3)


@pytest.fixture(scope="module")
def predictions():
    records = [
        _record("Exxon spokesman Tom Hale said it .", [("Org", 0, 1), ("Peop", 2, 4)], [("Work_For", 1, 0)], 10),
        _record("In 1850 , the author Mary Jones was born in Springfield , Ill .",
                [("Peop", 5, 7), ("Loc", 10, 13)], [("Live_In", 0, 1)], 11),
        _record("TULSORA , Thailand ( AP )", [("Loc", 0, 1), ("Loc", 2, 3), ("Org", 4, 5)],
                [("Located_In", 0, 1), ("OrgBased_In", 2, 0), ("OrgBased_In", 2, 1)], 12),
        _record("Nothing happened here .", [], [], 13),
    ]
    return records, list(predict_conll04(records))


def test_predictions_one_line_per_sentence_with_orig_id(predictions):
    records, preds = predictions
    assert [p["orig_id"] for p in preds] == [10, 11, 12, 13]
    for p in preds:
        json.loads(json.dumps(p))  # JSONL-serialisable
        for r in p["relations"]:
            assert set(r) == {"type", "head", "tail"}
    assert preds[3]["relations"] == []


def test_end_to_end_conventions(predictions):
    records, preds = predictions
    # job title outside the person span; born in "City , State" as one place; dateline agency
    assert score_conll04(records, preds)["micro"].f1 == 1.0


def test_a_relation_is_repeated_for_every_mention_of_a_name():
    # CoNLL04 annotates the relation with each mention of a name said twice in the sentence
    rec = _record("Tom Hale , a lawyer in Denver , said Denver is safe .",
                  [("Peop", 0, 2), ("Loc", 6, 7), ("Loc", 9, 10)], [("Live_In", 0, 1), ("Live_In", 0, 2)])
    (pred,) = predict_conll04([rec])
    assert score_conll04([rec], [pred])["micro"].f1 == 1.0, pred


def test_a_bare_dateline_keeps_the_split_off_period_of_its_state():
    # "MEMPHIS , Tenn ." as a whole record: CoNLL04's state span is "Tenn ."
    assert _span("MEMPHIS , Tenn .", "Region", "Tenn") == (2, 4)
    # in a sentence the final period is the sentence's own
    assert _span("He was born in Tulsora , Tenn .", "Region", "Tenn") == (6, 7)


def test_relations_to_a_place_reach_every_place_that_contains_it():
    # CoNLL04 gives a person, an organisation or a place every place above its place
    rec = _record("Tom Hale , a plumber from Marlow in Grady County , said it rained .",
                  [("Peop", 0, 2), ("Loc", 6, 7), ("Loc", 8, 10)],
                  [("Live_In", 0, 1), ("Live_In", 0, 2), ("Located_In", 1, 2)])
    (pred,) = predict_conll04([rec])
    assert score_conll04([rec], [pred])["micro"].f1 == 1.0, pred


@pytest.mark.parametrize("tokens, home", [
    # a state that is also a city's name ("Delaware , Ohio" has two states), and the
    # tokeniser's ",Ohio"
    ("In 1822 , the lawyer Amos Ward was born in Delaware , Ohio .", (10, 13)),
    ("Mrs. Vogt was born in Akron ,Ohio , in 1890 .", (5, 7)),
])
def test_a_persons_city_and_state_are_one_place(tokens, home):
    toks = tokens.split()
    person = (toks.index("Amos"), toks.index("Amos") + 2) if "Amos" in toks else (0, 2)
    rec = _record(tokens, [("Peop", *person), ("Loc", *home)], [("Live_In", 0, 1)])
    (pred,) = predict_conll04([rec])
    assert score_conll04([rec], [pred])["micro"].f1 == 1.0, pred


def test_conll_span_keeps_some_titles_and_not_others():
    # CoNLL04 mostly keeps "President" and "Gen." in the span, and leaves "Sen." and "Judge" out
    assert _span("after Gen. Tom Hale spoke", "Person", "Tom Hale", titles=frozenset({"gen.", "sen.", "judge"})) == (1, 4)
    assert _span("said Sen. Tom Hale", "Person", "Tom Hale", titles=frozenset({"gen.", "sen.", "judge"})) == (2, 4)
    assert _span("before Judge Tom Hale", "Person", "Tom Hale", titles=frozenset({"gen.", "sen.", "judge"})) == (2, 4)


@pytest.mark.parametrize("tokens, entities, relations", [
    # a country's office before the name, or with a possessive, reads as Live_In ...
    ("Venezuela 's chief negotiator , Carl Benson , said the talks failed .",
     [("Loc", 0, 1), ("Peop", 5, 7)], [("Live_In", 1, 0)]),
    # ... but not "the president of" a country
    ("In 1790 , the 10th president of the United States , Carl Benson , was born .",
     [("Loc", 8, 10), ("Peop", 11, 13)], []),
])
def test_a_countrys_office_and_live_in(tokens, entities, relations):
    rec = _record(tokens, entities, relations)
    (pred,) = predict_conll04([rec])
    assert [r for r in pred["relations"] if r["type"] == "Live_In"] == \
        [{"type": "Live_In", "head": [s, e], "tail": [s2, e2]}
         for _, h, t in relations for (_, s, e), (_, s2, e2) in [(entities[h], entities[t])]], pred


def test_no_relation_to_a_name_inside_a_token():
    # "R-S.C." is one CoNLL04 token: the state the product reads inside it is no entity there
    rec = _record("Sen. Tom Hale , R-S.C. , said the bill would pass .", [("Peop", 1, 3)], [])
    assert ("Tom Hale", "livesIn", "South Carolina") in triples(load_nlp(), " ".join(rec["tokens"]))
    (pred,) = predict_conll04([rec])
    assert pred["relations"] == [], pred


def test_a_hedged_relation_counts_and_a_name_keeps_its_own_span():
    # "allegedly" still states the killing; "Booth" is related, not the fuller name said before
    rec = _record("Surratt had met John Wilkes Booth before Booth allegedly shot Lincoln in the theater .",
                  [("Peop", 0, 1), ("Peop", 3, 6), ("Peop", 7, 8), ("Peop", 10, 11)], [("Kill", 2, 3)])
    rels = {(r["s"], r["pred"], r["o"], r["modality"]) for r in relations(load_nlp(), " ".join(rec["tokens"]))}
    assert ("John Wilkes Booth", "attacked", "Lincoln", "hedged") in rels, rels
    (pred,) = predict_conll04([rec])
    assert {"type": "Kill", "head": [7, 8], "tail": [10, 11]} in pred["relations"], pred


def test_a_victim_keeps_its_whole_title_and_a_speaker_does_not():
    rec = _record("Ray Black was convicted of killing Dallas Police Officer Tom Hale , said Sen. Ann Cole .",
                  [("Peop", 0, 2), ("Peop", 6, 11), ("Peop", 14, 16)], [("Kill", 0, 1)])
    (pred,) = predict_conll04([rec])
    assert {"type": "Kill", "head": [0, 2], "tail": [6, 11]} in pred["relations"], pred
    titles = frozenset({"sen.", "officer"})
    starts = [0]
    for tok in rec["tokens"][:-1]:
        starts.append(starts[-1] + len(tok) + 1)
    ann = {"cls": "Person", "start": starts[14], "end": starts[15] + len("Cole")}
    assert conll_span(ann, rec["tokens"], starts, titles) == (14, 16)
    assert conll_span(ann, rec["tokens"], starts, titles, victim=True) == (13, 16)


def test_an_organisation_is_based_in_the_country_named_not_in_its_adjective():
    rec = _record("The Soviet news agency Tass said the Soviet Union would sign .",
                  [("Org", 4, 5), ("Loc", 7, 9)], [("OrgBased_In", 0, 1)])
    (pred,) = predict_conll04([rec])
    assert pred["relations"] == [{"type": "OrgBased_In", "head": [4, 5], "tail": [7, 9]}], pred


def test_a_nationality_adjective_is_no_place_but_soviet_is():
    rec = _record("He met Haitian President Jean Bertrand Aristide in Paris .", [("Peop", 4, 7)], [])
    (pred,) = predict_conll04([rec])
    assert not any(r["tail"] == [2, 3] for r in pred["relations"]), pred
    rec = _record("Soviet leader Mikhail Gorbachev said prices rose .", [("Loc", 0, 1), ("Peop", 2, 4)], [])
    (pred,) = predict_conll04([rec])
    assert {"type": "Live_In", "head": [2, 4], "tail": [0, 1]} in pred["relations"], pred


def test_a_centre_or_plant_in_a_place_is_located_there():
    # CoNLL04 annotates a named centre, plant or station as a place, not an organisation
    rec = _record("Crews trained at the Dorvan Space Flight Center in Huntsville on Monday .",
                  [("Loc", 4, 8), ("Loc", 9, 10)], [("Located_In", 0, 1)])
    (pred,) = predict_conll04([rec])
    assert {"type": "Located_In", "head": [4, 8], "tail": [9, 10]} in pred["relations"], pred
    assert not any(r["type"] == "OrgBased_In" for r in pred["relations"]), pred


def test_a_victim_keeps_an_emperor_title():
    text = ("Today 's Highlight in History : On the Ides of May , 312 B.C. , Roman Emperor Titus Varro was "
            "assassinated by a group of nobles that included Gaius and Lucius .")
    rec = _record(text, [("Peop", 15, 19), ("Peop", 28, 29)], [("Kill", 1, 0)])
    (pred,) = predict_conll04([rec])
    assert {"type": "Kill", "head": [28, 29], "tail": [15, 19]} in pred["relations"], pred
