"""German text handling of the matching engine: folding, hyphens, compounds, stop words."""

import pytest

from matchwerk.engine.matching.lexical import CharGramModel, LexicalModel
from matchwerk.engine.matching.text import Vocabulary, analyse, split_compound, stem


def terms(text, vocabulary=None):
    return set(analyse(text, vocabulary).terms)


@pytest.mark.parametrize("a, b", [
    ("Größe", "Groesse"), ("Größe", "GRÖSSE"), ("Straße", "Strasse"), ("Bäckereien", "Baeckereien"),
    ("Mülltrennung", "Muelltrennung"), ("Übersetzungen", "übersetzung"),
])
def test_fold_umlaut_and_sharp_s_variants_meet(a, b):
    assert terms(a) == terms(b)


def test_hyphenated_word_yields_parts_and_joined_form():
    found = terms("Daten-Analyse")
    assert {stem("daten"), stem("analyse"), stem("datenanalyse")} <= found
    found = terms("Online-Buchung")  # "online" is filler: only the other part and the whole word
    assert {stem("buchung"), stem("onlinebuchung")} <= found and stem("online") not in found


def test_compound_split_with_linking_s():
    vocabulary = Vocabulary()
    vocabulary.add_texts(["Die Buchung und die Anfrage", "Die Wartung der Maschinen"])
    assert split_compound("buchungsanfrage", vocabulary) == ["buchung", "anfrage"]
    assert split_compound("maschinenwartung", vocabulary) == ["maschin", "wartung"] or \
        split_compound("maschinenwartung", vocabulary)[-1] == "wartung"


def test_unknown_or_short_word_is_not_split():
    vocabulary = Vocabulary()
    vocabulary.add_texts(["Werk und Statt"])
    assert split_compound("werkstatt", vocabulary) == ["werkstatt"]
    assert split_compound("haus", vocabulary) == ["haus"]


def test_compound_meets_hyphenated_word_in_bm25():
    model = LexicalModel()
    model.add(["Wir beantworten jede Buchungsanfrage per Telefon",
               "Online-Buchung für kleine Anbieter",
               "Geführte Radtouren im Elbtal"])
    scores = model.scores([0], None)[0]
    assert scores[1] > 0 and scores[2] == 0
    assert "Buchungsanfrage" in model.shared_terms(0, 1)


def test_stop_words_are_dropped():
    assert terms("und der die das für mit wir the and of") == set()


def test_english_and_german_mix_share_terms():
    assert "wartung" in terms("Predictive Maintenance") & terms("vorausschauende Wartung")
    assert "buchung" in terms("Booking software") & terms("Buchung")


def test_char_grams_link_derivations():
    model = CharGramModel()
    model.add(["Überwachung von Wertpapieren", "Wertpapierüberwacher", "Geführte Radtouren"])
    scores = model.scores([0])[0]
    assert scores[1] > scores[2]


def test_surface_words_are_kept_for_explanations():
    analysis = analyse("Online-Buchungssysteme")
    assert set(analysis.surfaces.values()) <= {"Online", "Buchungssysteme", "Online-Buchungssysteme"}
