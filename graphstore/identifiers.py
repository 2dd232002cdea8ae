"""External identifiers (DOI, ORCID, ROR) and title keys, as the graph's Identifier keys.

LadybugDB indexes nothing but primary keys, so a look-up by DOI, ORCID or ROR, and the works
sharing a title, go through Identifier nodes keyed by these strings (``doi:10.1016/...``,
``orcid:0000-0002-5793-3042``, ``ror:02mhbdp94``, ``title:3d visualisations should ...``),
each linked to the nodes it identifies (engines/README.md). Both the importer (the keys it
writes) and the look-ups (the keys clients give) make them here, so they always meet.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import NamedTuple
from urllib.parse import unquote

from graphstore.ids import InvalidIdError, NodeLabel, normalize_id
from graphstore.text import normalise


class Scheme(StrEnum):
    """The kinds of Identifier key, by the prefix of the key."""

    DOI = "doi"
    ORCID = "orcid"
    ROR = "ror"
    TITLE = "title"


# What each scheme identifies.
SCHEME_LABELS = {
    Scheme.DOI: NodeLabel.WORK,
    Scheme.ORCID: NodeLabel.RESEARCHER,
    Scheme.ROR: NodeLabel.INSTITUTION,
    Scheme.TITLE: NodeLabel.WORK,
}

_DOI = re.compile(r"10\.\d{4,9}/\S+")
_DOI_PREFIXES = (
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
    "doi.org/",
    "doi:",
)
_ORCID = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]")
_ORCID_PREFIXES = ("https://orcid.org/", "http://orcid.org/", "orcid.org/", "orcid:")
# ROR ids: 0, six characters of Crockford's base 32 (no i, l, o, u), two check digits.
_ROR = re.compile(r"0[0-9a-hjkmnp-tv-z]{6}\d{2}")
_ROR_PREFIXES = ("https://ror.org/", "http://ror.org/", "ror.org/", "ror:")
_MARKUP = re.compile(r"<[^>]{0,40}>")
# A title of fewer words (Introduction, Editorial, Reply) says nothing about two works being
# one paper.
MIN_TITLE_WORDS = 3
_MAX_INPUT = 300


def key(scheme: Scheme, value: str) -> str:
    """The Identifier key of an already normalised value."""
    return f"{scheme.value}:{value}"


def scheme_of(identifier: str) -> Scheme:
    """The scheme of an Identifier key."""
    return Scheme(identifier.split(":", 1)[0])


def _without_prefix(text: str, prefixes: tuple[str, ...]) -> tuple[str, bool]:
    lowered = text.lower()
    for prefix in prefixes:
        if lowered.startswith(prefix):
            return text[len(prefix) :].strip(), True
    return text, False


def doi(raw: str) -> str | None:
    """The DOI in ``raw`` (bare, ``doi:``-prefixed or a doi.org URL), lower-cased as DOIs
    compare; None when it is not one."""
    text, was_url = _without_prefix(raw.strip(), _DOI_PREFIXES)
    if was_url and "%" in text:
        text = unquote(text)
    text = text.lower()
    return text if _DOI.fullmatch(text) else None


def orcid(raw: str) -> str | None:
    """The ORCID iD in ``raw`` (bare or URL) with its check character verified; None when it
    is not one."""
    text = _without_prefix(raw.strip(), _ORCID_PREFIXES)[0].rstrip("/").upper()
    if not _ORCID.fullmatch(text):
        return None
    digits = text.replace("-", "")
    total = 0
    for digit in digits[:-1]:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return text if digits[-1] == ("X" if check == 10 else str(check)) else None


def ror(raw: str) -> str | None:
    """The ROR id in ``raw`` (bare or https://ror.org/ URL); None when it is not one."""
    text = _without_prefix(raw.strip(), _ROR_PREFIXES)[0].rstrip("/").lower()
    return text if _ROR.fullmatch(text) else None


def title_key(title: str) -> str | None:
    """The Identifier key two versions of one paper share: the title's words as search folds
    them (graphstore.text), markup (``<i>...</i>``) dropped; None for titles of fewer than
    MIN_TITLE_WORDS words."""
    words = normalise(_MARKUP.sub(" ", title)).split()
    if len(words) < MIN_TITLE_WORDS:
        return None
    return key(Scheme.TITLE, " ".join(words))


def doi_key(value: str | None) -> str | None:
    """The Identifier key of a stored or record DOI, None when there is none."""
    found = doi(value) if value else None
    return key(Scheme.DOI, found) if found else None


def orcid_key(value: str | None) -> str | None:
    """The Identifier key of a stored or record ORCID, None when there is none."""
    found = orcid(value) if value else None
    return key(Scheme.ORCID, found) if found else None


def ror_key(value: str | None) -> str | None:
    """The Identifier key of a stored or record ROR id, None when there is none."""
    found = ror(value) if value else None
    return key(Scheme.ROR, found) if found else None


class ExternalId(NamedTuple):
    """A client's DOI, ORCID or ROR: the Identifier key to look up."""

    key: str


# What a client may give for each kind besides an OpenAlex id, and how it is read.
_CLIENT_SCHEMES = {
    NodeLabel.WORK: (Scheme.DOI, doi, "a DOI (10.1016/..., doi:10... or https://doi.org/10...)"),
    NodeLabel.RESEARCHER: (
        Scheme.ORCID,
        orcid,
        "an ORCID iD (0000-0002-1825-0097 or https://orcid.org/0000-0002-1825-0097)",
    ),
    NodeLabel.INSTITUTION: (
        Scheme.ROR,
        ror,
        "a ROR id (02mhbdp94 or https://ror.org/02mhbdp94)",
    ),
}
# What makes an input look like an attempt at each scheme, so a malformed one is named as such.
_LOOKS_LIKE = {
    Scheme.DOI: re.compile(r"(?i)^(https?://(dx\.)?doi\.org/|doi\.org/|doi:|10\.)"),
    Scheme.ORCID: re.compile(r"(?i)^(https?://orcid\.org/|orcid\.org/|orcid:|\d{4}-)"),
    Scheme.ROR: re.compile(r"(?i)^(https?://ror\.org/|ror\.org/|ror:|0[0-9a-z]{8}$)"),
}


def client_reference(raw: str, expected: NodeLabel) -> str | ExternalId:
    """The node a client names: an OpenAlex short id, or for works, researchers and
    institutions a DOI, ORCID or ROR to look up. Raises InvalidIdError with a message safe to
    show to a client."""
    text = raw.strip()
    if len(text) > _MAX_INPUT:
        raise InvalidIdError("id is too long to be an id")
    try:
        return normalize_id(text, expected)
    except InvalidIdError as error:
        accepted = _CLIENT_SCHEMES.get(expected)
        if accepted is None:
            raise
        scheme, parse, described = accepted
        value = parse(text)
        if value is not None:
            return ExternalId(key(scheme, value))
        if _LOOKS_LIKE[scheme].match(text):
            raise InvalidIdError(f"{text!r} is not a valid {scheme.value.upper()}") from error
        if "is not the id of" in str(error):
            raise
        raise InvalidIdError(
            f"expected an OpenAlex id (such as {_EXAMPLES[expected]} or its URL) or {described}"
        ) from error


_EXAMPLES = {
    NodeLabel.WORK: "W2741809807",
    NodeLabel.RESEARCHER: "A925533110232",
    NodeLabel.INSTITUTION: "I4210090411",
}
