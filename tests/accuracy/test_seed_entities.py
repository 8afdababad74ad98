"""The seed story's entities (the AP story wirestream was specified from) as its editor read them:
``seed/ap-haniyeh-cairo.expected.json`` in the shared data.

A measurement on agency copy, so it lives here and skips without the shared data (tests/unit/ runs
on a clone without it); the rules behind it are held on fictional text in tests/unit/test_entities.py.
"""

from __future__ import annotations

import json
from pathlib import Path

from spacy.language import Language

from wirestream.transforms import formats
from wirestream.transforms.nlp.entities import entities_from_doc
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Source, Story


def test_the_seed_story_entities_hold(spacy_model: Language, shared_data: Path) -> None:
    expected = json.loads((shared_data / "seed" / "ap-haniyeh-cairo.expected.json").read_text())
    (item,) = formats.decode((shared_data / "seed" / "ap-haniyeh-cairo.txt").read_bytes())
    story: Story = parse_item(item, Source(path="seed"), pipeline_version="test")
    found = entities_from_doc(spacy_model(story.body), story.dateline)
    by_label: dict[str, set[str]] = {}
    for entity in found:
        by_label.setdefault(entity.label, set()).add(entity.text)
    for label, names in expected["entities"].items():
        assert set(names) <= by_label.get(label, set()), label
    mentions = {e.text: e.mentions for e in found}
    for name, count in expected["entity_mentions"].items():
        assert mentions[name] == count
    texts = {(e.text, e.label) for e in found} | {(a, e.label) for e in found for a in e.aliases}
    for wrong in expected["entities_must_not"]:
        if wrong["text"] == "ISRAEL":  # the subhead's capitals are not a second Israel
            assert sum(1 for e in found if e.text.casefold() == "israel") == 1
        else:
            assert (wrong["text"], wrong["label"]) not in texts, wrong["why"]
    for entity in found:
        for span in entity.spans:
            assert story.body[span.start : span.end] in {entity.text, *entity.aliases}
