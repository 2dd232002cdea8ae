"""Text as the graph compares it: one folding for search (both engines' indexes) and for the
keys that find two versions of one paper by their titles (graphstore.identifiers)."""

from __future__ import annotations

import functools
import re
import sys
import unicodedata


@functools.cache
def _mark_classes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Patterns for the nonspacing marks (diacritics, dropped) and for everything that
    separates words: not a letter, digit or other mark (spacing marks continue a word in
    scripts such as Devanagari), and the underscore that ``\\w`` lets through."""
    nonspacing: list[str] = []
    spacing: list[str] = []
    for code in range(sys.maxunicode + 1):
        category = unicodedata.category(chr(code))
        if category == "Mn":
            nonspacing.append(chr(code))
        elif category in ("Mc", "Me"):
            spacing.append(chr(code))

    def char_class(chars: list[str]) -> str:
        return "".join(re.escape(c) for c in chars)

    return (
        re.compile(f"[{char_class(nonspacing)}]+"),
        re.compile(f"(?:[^\\w{char_class(spacing)}]|_)+"),
    )


def folded(text: str) -> str:
    """``text`` folded, with a space wherever a separator was (runs kept, ends kept)."""
    nonspacing, separators = _mark_classes()
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    # Compatibility forms (ligatures, full-width letters) are split by NFKD; the marks it
    # splits off accented letters are dropped, and NFKC puts the rest back together.
    letters = unicodedata.normalize("NFKC", nonspacing.sub("", decomposed))
    return separators.sub(" ", letters)


def normalise(text: str | None) -> str:
    """The words of ``text`` as both indexes hold them, separated by single spaces:
    NFKC, case folded, diacritics dropped ("Müller" and "Mu\\u0308ller" are "muller"), every
    other character that is not a letter, digit or mark a separator ("O'Brien" is "o brien")."""
    return " ".join(folded(text or "").split())
