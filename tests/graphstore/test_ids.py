from __future__ import annotations

import pytest

from graphstore.ids import InvalidIdError, NodeLabel, label_of, normalize_id, short_key


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("A925533110232", "A925533110232"),
        ("https://openalex.org/A925533110232", "A925533110232"),
        ("  https://openalex.org/W2741809807 ", "W2741809807"),
        ("a925533110232", "A925533110232"),
        ("https://openalex.org/subfields/1707", "subfields/1707"),
    ],
)
def test_normalize_accepts_short_ids_and_urls(raw: str, expected: str) -> None:
    assert normalize_id(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "' OR 1=1",
        "",
        "A",
        "A0123",
        "X123",
        "S123",
        "A12x",
        "https://example.org/A1",
        "A" + "1" * 300,
    ],
)
def test_normalize_refuses_what_is_not_an_openalex_id(raw: str) -> None:
    with pytest.raises(InvalidIdError):
        normalize_id(raw)


def test_normalize_checks_the_expected_kind() -> None:
    assert normalize_id("W1", NodeLabel.WORK) == "W1"
    with pytest.raises(InvalidIdError, match="not the id of a Researcher"):
        normalize_id("W1", NodeLabel.RESEARCHER)
    with pytest.raises(InvalidIdError, match="not the id of an Institution"):
        normalize_id("W1", NodeLabel.INSTITUTION)


def test_label_of_reads_the_prefix() -> None:
    assert label_of("A1") is NodeLabel.RESEARCHER
    assert label_of("I5") is NodeLabel.INSTITUTION
    assert label_of("fields/17") is NodeLabel.TOPIC


def test_short_key_of_data_file_ids() -> None:
    assert short_key("https://openalex.org/W1") == "W1"
    assert short_key(1702) == "1702"
    assert short_key(None) is None
    assert short_key(True) is None
    assert short_key("  ") is None
