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
    nonspacing: list[int] = []
    spacing: list[int] = []
    for code in range(sys.maxunicode + 1):
        category = unicodedata.category(chr(code))
        if category == "Mn":
            nonspacing.append(code)
        elif category in ("Mc", "Me"):
            spacing.append(code)

    def char_class(codes: list[int]) -> str:
        # As ranges of consecutive code points: a class of thousands of single characters
        # is tested one by one, a class of ranges by a lookup (bench/README.md, imports).
        ranges: list[list[int]] = []
        for code in codes:
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
        return "".join(
            re.escape(chr(first)) + ("" if first == last else "-" + re.escape(chr(last)))
            for first, last in ranges
        )

    return (
        re.compile(f"[{char_class(nonspacing)}]+"),
        re.compile(f"(?:[^\\w{char_class(spacing)}]|_)+"),
    )


# ASCII text has no marks and nothing NFKD or NFKC changes: its separators are what is not
# a letter or digit, and folding it is lower-casing (most titles and abstracts take this way).
_ASCII_SEPARATORS = re.compile(r"[\W_]+")


def folded(text: str) -> str:
    """``text`` folded, with a space wherever a separator was (runs kept, ends kept)."""
    if text.isascii():
        return _ASCII_SEPARATORS.sub(" ", text.lower())
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
