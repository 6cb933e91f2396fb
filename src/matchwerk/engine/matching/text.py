"""German (and English) text handling for the lexical model.

A text becomes a bag of *terms*: Snowball stems of its words, after folding case, umlauts
and ß (``Größe``, ``Groesse`` and ``GROSSE`` meet), splitting hyphenated words
(``Online-Buchung`` → ``online``, ``buchung`` and ``onlinebuchung``), decompounding
(``Buchungsanfrage`` → ``buchung`` + ``anfrage``) and dropping stop words. A small
glossary maps common English business words onto their German stems so that mixed
texts (``Predictive Maintenance`` / ``vorausschauende Wartung``) share terms.

Every term remembers the surface words it came from, so explanations can name the
words that carried a match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[^\W_]+(?:[-‐‑][^\W_]+)*")

# Function words (German and English): never terms.
FUNCTION_WORDS = frozenset("""
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes auch auf aus
bei beim bin bis bisher bist da dabei dadurch dafür damit dann darauf darum das dass dein deine dem den denn der
des deshalb dessen deren die dies diese diesem diesen dieser dieses doch dort du durch ein eine einem einen
einer eines einige etwa etwas euch euer für gegen gibt hab habe haben hat hatte hier hin hinter ich ihm ihn
ihnen ihr ihre ihrem ihren ihrer im immer in ins ist ja jede jedem jeden jeder jedes jetzt kann kaum kein keine
können könnte machen man manche manchem mehr mein meine mit muss müssen nach nicht nichts noch nun nur ob oder
ohne sehr sein seine seit sich sie sind so solche soll sollen sondern sowie statt über um und uns unser unsere
unter viel viele vom von vor wann war waren warum was weil welche welchem welchen welcher welches wenn wer werden
wie wieder will wir wird wo wollen wurde würde zu zum zur zwar zwischen etc bzw z b ca usw sodass dazu sowohl
a an and are as at be been by for from has have in into is it its of on or our that the their them they this
to was we were which will with you your can all any also more new not per via je
""".split())

# Filler of profile texts: words that appear in needs and offers of every trade and say
# nothing about what is needed or offered ("online", "inklusive", "laufen", the verbs of
# looking for and offering), and gender endings left over from ``*innen`` & co.
FILLER = frozenset("""
online offline inklusive inkl inclusive including incl laufen läuft laufend lief gern gerne bitte neu neue neuen
neuer neues neuem gut gute guten guter gutes einfach schnell direkt bereits schon heute täglich derzeit
aktuell möglich möglichst besonders insbesondere ganz rund suchen sucht suche gesucht bieten bietet biete
anbieten brauchen braucht benötigen benötigt möchten möchte wünschen wünscht fehlt fehlen helfen hilft
innen in
""".split())

STOPWORDS = FUNCTION_WORDS | FILLER

# Gender-inclusive forms: Designer*innen, Kund:innen, Bürger/innen, Mitarbeiter_innen,
# Lehrer·innen, Bürger/-innen, DesignerInnen (binnen-I) → the stem word; the ending never
# becomes a term of its own.
_GENDER_MARKED = re.compile(r"(?<=[^\W\d_])[*:/_·'’](?:-)?(?:innen|in)(?![^\W_])", re.IGNORECASE)
_BINNEN_I = re.compile(r"(?<=[a-zäöüß])(?:Innen|In)(?![^\W_])")


def degender(text: str) -> str:
    """Drop gender endings (``Designer*innen`` → ``Designer``), see ``_GENDER_MARKED``."""
    return _BINNEN_I.sub("", _GENDER_MARKED.sub("", text))

# English business words → German stems (surface forms are kept for explanations).
GLOSSARY = {
    "booking": "buchung", "bookings": "buchung", "book": "buchung", "maintenance": "wartung",
    "predictive": "vorausschau", "data": "dat", "software": "softwar", "training": "schulung",
    "marketing": "marketing", "design": "design", "shop": "shop", "online": "onlin", "sensor": "sensor",
    "sensors": "sensor", "logistics": "logist", "energy": "energi", "heat": "warm", "pump": "pump",
    "health": "gesund", "care": "pfleg", "nursing": "pfleg", "scheduling": "planung", "planning": "planung",
    "appointment": "termin", "appointments": "termin", "customer": "kund", "customers": "kund",
    "security": "sicher", "video": "video", "videos": "video", "photo": "foto", "photos": "foto",
    "photography": "fotograf", "recycling": "recycling", "waste": "abfall", "forecast": "prognos",
    "forecasting": "prognos", "route": "rout", "routing": "rout", "tourism": "tourism", "craft": "handwerk",
    "crafts": "handwerk", "administration": "verwalt", "public": "offent", "machine": "maschin",
    "machines": "maschin", "learning": "lern", "app": "app", "apps": "app", "website": "webseit",
}

# Frequent German words of business texts that compounds are built from; a corpus adds
# its own words on top (decompounding only splits into parts known here or in the corpus).
BASE_WORDS = """
abfall abholung absatz angebot anfrage anlage anlagen anwendung arbeit auftrag ausbildung auswertung auto
bahn bank bau bedarf beratung bestellung betrieb bewerbung bild bildung boden buchung buch burger buro
daten dienst dienstleistung digital druck energie entwicklung erfahrung ernte fach fahrt fahrzeug fertigung
film firma fläche forschung foto fracht führung garten gast gebäude geld gerät geschäft gesundheit glas
haus handel handwerk heizung hilfe holz hotel idee industrie information ingenieur innovation inspektion
kalender karte kasse kauf kette klima kommune kontakt kosten kraft kultur kunde kunst lager land last
leistung lern licht lieferung logistik luft management markt marke maschine material medizin mensch metall
miete mitarbeiter mobil mode modell müll musik nachfrage netz netzwerk nutzung online ort papier partner
personal pflege plan planung platz politik portal praxis preis produkt produktion projekt prozess prüfung
rad rat raum rechnung recht region reise rest rohstoff route sache schule schulung schutz service sicherheit
software sonne spiel sprache stadt stand steuer stoff strom system tag technik telefon termin text textil
tour tourismus transport umwelt unternehmen verkauf verkehr verwaltung video wagen wald ware wärme wartung
wasser web weg welt werk werkstatt werkzeug wert wirtschaft wissen wohnung zahlung zeit zentrum zug
""".split()

_MIN_PART = 4  # shortest compound part (in letters) that counts as a word of its own
_LINKS = ("es", "en", "er", "s", "n", "e", "")  # Fugenelemente between compound parts, longest first

_stemmer = snowballstemmer.stemmer("german")


def fold(text: str) -> str:
    """Unicode-normalise and case-fold (``ß`` → ``ss``); umlauts stay for the stemmer."""
    return unicodedata.normalize("NFKC", text).casefold()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball German stem of a folded word (maps ``ä``/``ae`` → ``a`` etc.)."""
    if word in GLOSSARY:
        return GLOSSARY[word]
    return _stemmer.stemWord(word)


def words(text: str) -> list[str]:
    """Folded words of a text without gender endings; hyphenated words stay whole
    (``online-buchung``)."""
    return _WORD.findall(fold(degender(text)))


@dataclass
class Vocabulary:
    """Stems of words seen on their own in a corpus: what decompounding may split into."""

    stems: set[str] = field(default_factory=lambda: {stem(w) for w in BASE_WORDS if len(w) >= _MIN_PART})
    splits: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)  # cache

    def add_text(self, text: str) -> None:
        for word in words(text):
            for part in re.split(r"[-‐‑]", word):
                if len(part) >= _MIN_PART and part not in STOPWORDS and part.isalpha():
                    term = stem(part)
                    if term not in self.stems:
                        self.stems.add(term)
                        self.splits.clear()

    def add_texts(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.add_text(text)


def split_compound(word: str, vocabulary: Vocabulary) -> list[str]:
    """Split a folded word into known parts, head last (``buchungsanfrage`` →
    ``["buchung", "anfrage"]``); a word that cannot be split is returned alone."""
    return list(_cached_split(word, vocabulary))


def _split(word: str, vocabulary: Vocabulary) -> tuple[str, ...]:
    known = vocabulary.stems
    if len(word) < 2 * _MIN_PART:
        return (word,)
    best: tuple[str, ...] | None = None
    best_len = 0
    # The head (last part) carries the meaning: prefer the longest known head.
    for cut in range(_MIN_PART, len(word) - _MIN_PART + 1):
        head = word[cut:]
        if head in STOPWORDS or stem(head) not in known:
            continue
        modifier = word[:cut]
        for link in _LINKS:
            if link and not modifier.endswith(link):
                continue
            base = modifier[: len(modifier) - len(link)] if link else modifier
            if len(base) < _MIN_PART or base in STOPWORDS:
                continue
            if stem(base) in known:
                parts = (base, head)
            else:
                sub = _split(base, vocabulary)
                if len(sub) == 1:
                    continue
                parts = sub + (head,)
            if len(head) > best_len:
                best, best_len = parts, len(head)
            break
    return best or (word,)


@dataclass(frozen=True)
class Analysis:
    """The terms of one text with the surface words behind each term."""

    terms: dict[str, float]  # term → weight in this text (whole words 1.0, compound parts 0.5)
    surfaces: dict[str, str]  # term → first surface word it came from


def analyse(text: str, vocabulary: Vocabulary | None = None) -> Analysis:
    """Terms of a text for the lexical model (see the module docstring)."""
    terms: dict[str, float] = {}
    surfaces: dict[str, str] = {}
    surface_words = _WORD.findall(unicodedata.normalize("NFKC", degender(text)))

    def add(term: str, weight: float, surface: str) -> None:
        if len(term) < 2:
            return
        terms[term] = terms.get(term, 0.0) + weight
        surfaces.setdefault(term, surface)

    for surface in surface_words:
        word = fold(surface)
        pieces = [p for p in re.split(r"[-‐‑]", word) if p]
        if len(pieces) > 1:  # hyphenated: the pieces and the joined form
            piece_surfaces = [p for p in re.split(r"[-‐‑]", surface) if p]
            for piece, piece_surface in zip(pieces, piece_surfaces):
                if piece not in STOPWORDS and not piece.isdigit():
                    _add_word(piece, piece_surface, add, vocabulary, 1.0)
            joined = "".join(pieces)
            if joined not in STOPWORDS:
                add(stem(joined), 0.5, surface)
            continue
        if word in STOPWORDS or word.isdigit():
            continue
        _add_word(word, surface, add, vocabulary, 1.0)
    return Analysis(terms, surfaces)


def _add_word(word: str, surface: str, add, vocabulary: Vocabulary | None, weight: float) -> None:
    add(stem(word), weight, surface)
    if vocabulary is not None and len(word) >= 2 * _MIN_PART:
        parts = _cached_split(word, vocabulary)
        if len(parts) > 1:
            for part in parts:
                add(stem(part), 0.5 * weight, surface)


def _cached_split(word: str, vocabulary: Vocabulary) -> tuple[str, ...]:
    parts = vocabulary.splits.get(word)
    if parts is None:
        parts = vocabulary.splits[word] = _split(word, vocabulary)
    return parts
