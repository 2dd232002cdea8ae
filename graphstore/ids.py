"""OpenAlex ids: the graph's global ids, typed by their first letter.

Clients and data files use either the short key (``A925533110232``) or the full URL
(``https://openalex.org/A925533110232``); the graph stores the short key only.
"""

from __future__ import annotations

import re
from enum import StrEnum

OPENALEX_URL_PREFIXES = ("https://openalex.org/", "http://openalex.org/")
# The longest numbers of ids the API takes, and so the importer too (graphstore.ingest.openalex):
# OpenAlex's are 10 or 11 digits long today.
ENTITY_NUMBER_DIGITS = 15
TOPIC_LEVEL_NUMBER_DIGITS = 7
_SHORT_ID = re.compile(rf"[AWTIS][1-9][0-9]{{0,{ENTITY_NUMBER_DIGITS - 1}}}")
# Levels above topics in OpenAlex's hierarchy keep their path as id: numbers alone would collide.
_TOPIC_LEVEL_ID = re.compile(
    rf"(domains|fields|subfields)/[1-9][0-9]{{0,{TOPIC_LEVEL_NUMBER_DIGITS - 1}}}"
)
_MAX_ID_INPUT = 200


class NodeLabel(StrEnum):
    """The node labels of the graph. Cypher labels come from here, never from input."""

    RESEARCHER = "Researcher"
    WORK = "Work"
    TOPIC = "Topic"
    INSTITUTION = "Institution"


_LABEL_BY_PREFIX = {
    "A": NodeLabel.RESEARCHER,
    "W": NodeLabel.WORK,
    "T": NodeLabel.TOPIC,
    "I": NodeLabel.INSTITUTION,
}


class InvalidIdError(ValueError):
    """An id that is neither an OpenAlex short id nor an OpenAlex URL."""


def normalize_id(raw: str, expected: NodeLabel | None = None) -> str:
    """Return the short OpenAlex id of ``raw`` (short id or URL), checked against ``expected``.

    Raises InvalidIdError with a message safe to show to a client.
    """
    text = raw.strip()
    if len(text) > _MAX_ID_INPUT:
        raise InvalidIdError("id is too long to be an OpenAlex id")
    for prefix in OPENALEX_URL_PREFIXES:
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
            break
    if _TOPIC_LEVEL_ID.fullmatch(text.lower()):
        text = text.lower()
        label = NodeLabel.TOPIC
    else:
        text = text[:1].upper() + text[1:]
        if not _SHORT_ID.fullmatch(text) or text[0] == "S":
            raise InvalidIdError(
                "expected an OpenAlex id such as A925533110232 "
                "or https://openalex.org/A925533110232"
            )
        label = _LABEL_BY_PREFIX[text[0]]
    if expected is not None and label is not expected:
        article = "an" if expected.value[0] in "AEIOU" else "a"
        raise InvalidIdError(f"{text} is not the id of {article} {expected.value}")
    return text


def label_of(short_id: str) -> NodeLabel:
    """The node label an already normalised id belongs to."""
    return NodeLabel.TOPIC if "/" in short_id else _LABEL_BY_PREFIX[short_id[0]]


def short_key(raw: object) -> str | None:
    """The short key of an OpenAlex id in a data file, or None when it is not a usable id.

    Data files carry URLs (``https://openalex.org/W1``) and, for topic hierarchy levels,
    ``https://openalex.org/subfields/1702`` or plain ints; the last path segment is the key.
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return str(raw) if raw > 0 else None
    if not isinstance(raw, str) or not raw.strip():
        return None
    key = raw.strip().rstrip("/").rsplit("/", 1)[-1]
    return key or None
