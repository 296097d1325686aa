"""Content YAML: the direct construction of plain nodes gives what PyYAML's SafeConstructor gives, errors included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from graph.pipeline.corpus import BUNDLED_CONTENT
from loaders import content_yaml
from ontology.records import Entity, Source

PLAIN_AND_NOT = """\
merged:
  <<: {kind: book}
  title: Attachment
values: [~, 1907, "0055", 2.5, yes, 2020-01-01, !!str 1990, "tab\\there"]
1990: a number as a key
nested: {a: [x, {b: c}], d: ''}
"""


def _both(text: str) -> tuple[Any, Any]:
    """(SafeConstructor's document, the direct construction's document) of one YAML text."""
    loader = content_yaml._LineLoader(text)
    expected = loader.construct_document(loader.get_single_node())
    loader.dispose()
    loader = content_yaml._LineLoader(text)
    try:
        return expected, content_yaml._plain_value(loader, loader.get_single_node())
    finally:
        loader.dispose()


@pytest.mark.parametrize("path", sorted(BUNDLED_CONTENT.glob("*.yaml")), ids=lambda p: p.name)
def test_bundled_files_construct_alike(path: Path) -> None:
    expected, direct = _both(path.read_text(encoding="utf-8"))
    assert direct == expected
    assert isinstance(direct, dict) and "__line__" in direct and {"sources", "entities"} & set(direct)


def test_numbers_dates_merge_keys_and_number_keys_construct_alike() -> None:
    expected, direct = _both(PLAIN_AND_NOT)
    assert direct == expected
    assert direct["merged"] == {"kind": "book", "title": "Attachment", "__line__": 2}
    assert direct["values"][:5] == [None, 1907, "0055", 2.5, True]
    assert direct["values"][6:] == ["1990", "tab\there"]
    assert direct[1990] == "a number as a key"
    assert direct["nested"]["a"][1] == {"b": "c", "__line__": 6}


def test_a_document_with_an_alias_goes_through_safe_constructor() -> None:
    records = list(content_yaml.parse(
        "sources:\n  - &s {id: a-source, title: A title}\nentities:\n"
        "  - {id: modality/x, type: Modality, label: X, source: a-source}\n", "x.yaml"))
    source, entity = records
    assert isinstance(source, Source) and source.id == "a-source"
    assert isinstance(entity, Entity) and entity.where == "x.yaml:4 (modality/x)"


def test_an_unhashable_key_is_the_same_error() -> None:
    text = "a: 1\nx: {p: q, ? [k]\n : v}\n"
    with pytest.raises(yaml.YAMLError) as expected:
        loader = content_yaml._LineLoader(text)
        loader.construct_document(loader.get_single_node())
    with pytest.raises(yaml.YAMLError) as direct:
        loader = content_yaml._LineLoader(text)
        content_yaml._plain_value(loader, loader.get_single_node())
    assert str(direct.value) == str(expected.value)
    assert "found unhashable key" in str(direct.value)
