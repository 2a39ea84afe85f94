"""Folding place names for lookup: case-, diacritics- and punctuation-insensitive."""

from __future__ import annotations

import re
import unicodedata

_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "ı": "i",
        "œ": "oe",
        "Œ": "oe",
        "\u2019": "'",
        "\u2018": "'",
        "`": "'",
        "ʼ": "'",
        "ʻ": "'",
    }
)
_NON_WORD = re.compile(r"[^a-z0-9']+")


def fold(name: str) -> str:
    """``"Séoul"`` → ``"seoul"``; ``"Gyeonggi-do"`` → ``"gyeonggi do"``;
    ``"St. Louis"`` → ``"saint louis"``; a leading "the" goes."""
    if name.isascii():
        text = name.lower()
    else:
        text = unicodedata.normalize("NFKD", name.translate(_SPECIAL))
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _NON_WORD.sub(" ", text).replace("'", "")
    words = text.split()
    if words and words[0] == "the":
        words = words[1:]
    if words and words[0] in ("st", "ste"):
        words[0] = "saint"
    return " ".join(words)
