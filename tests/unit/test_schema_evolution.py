"""Schemas evolve safely: a record written with any released version is read by the current one.

The rule is BACKWARD compatibility (the current schema reads everything released before it), which
is what lets consumers upgrade first and keeps the records already on a topic readable.
Each released version lives unchanged in ``schemas/released/<name>.v<N>.avsc``; before changing a
schema, copy it there as the next version. Random records of each released version, written with
it, must resolve into the current schema (fastavro's schema resolution, as a registry's BACKWARD
check would); a change that breaks that fails here. The schema the pipeline writes must itself
be the newest release, so the records being written today are among those read.
"""

from __future__ import annotations

import copy
import io
import json
import struct
from datetime import UTC, datetime

import fastavro
import pytest
from fastavro.utils import generate_many

from wirestream.transforms.encoding import avro

NAMES = sorted(path.stem for path in avro.SCHEMA_DIR.glob("*.avsc"))
RELEASED = [(name, n) for name in NAMES for n in range(len(avro.released_schemas(name)))]


def written_with(writer: dict, record: dict) -> bytes:
    """``record`` as a single-object message written with ``writer``, as that release wrote it."""
    out = io.BytesIO()
    out.write(avro.MAGIC + avro.fingerprint_of(writer))
    fastavro.schemaless_writer(out, writer, record)
    return out.getvalue()


def test_every_schema_has_a_released_version() -> None:
    assert all(avro.released_schemas(name) for name in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_the_schema_the_pipeline_writes_is_the_newest_released_one(name: str) -> None:
    """What the pipeline writes today must already be released, so that the test above reads its
    records too and a later change that breaks them fails there."""
    newest = max(avro.RELEASED_DIR.glob(f"{name}.v*.avsc"), key=lambda p: int(p.stem.rsplit(".v", 1)[1]))
    written = json.loads((avro.SCHEMA_DIR / f"{name}.avsc").read_text(encoding="utf-8"))
    assert written == json.loads(newest.read_text(encoding="utf-8")), (
        f"schemas/{name}.avsc differs from the newest release, {newest.name}: copy it to "
        f"schemas/released/{name}.v{int(newest.stem.rsplit('.v', 1)[1]) + 1}.avsc when it is released"
    )
    assert avro.fingerprint_of(avro.released_schemas(name)[-1]) == avro.schema_fingerprint(name)


@pytest.mark.parametrize(("name", "version"), RELEASED, ids=[f"{n}.v{v + 1}" for n, v in RELEASED])
def test_records_of_every_released_version_are_read_by_the_current_schema(name: str, version: int) -> None:
    writer = avro.released_schemas(name)[version]
    current = {field["name"] for field in avro.load_schema(name)["fields"]}
    for record in generate_many(writer, 25):
        decoded = avro.decode(written_with(writer, record), name)
        assert set(decoded) == current


def test_a_story_of_the_first_release_keeps_its_processing_time_under_the_new_name() -> None:
    first = avro.released_schemas("story")[0]
    record = next(iter(generate_many(first, 1)))
    record["processed_at_ms"] = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
    decoded = avro.decode(written_with(first, record), "story")
    assert decoded["processed_at"] == datetime(2026, 3, 1, 12, 30, tzinfo=UTC)


def test_an_incompatible_change_is_caught() -> None:
    """A new field without a default cannot be read from older records: resolution refuses it."""
    released = avro.released_schemas("story")[-1]
    broken = copy.deepcopy(avro.load_schema("story"))
    broken["fields"].append({"name": "desk", "type": "string", "doc": "No default: old records have none."})
    data = written_with(released, next(iter(generate_many(released, 1))))
    with pytest.raises(fastavro.read.SchemaResolutionError):
        fastavro.schemaless_reader(io.BytesIO(data[10:]), released, reader_schema=fastavro.parse_schema(broken))


def test_a_fingerprint_of_no_version_of_ours_is_refused() -> None:
    data = avro.MAGIC + struct.pack("<Q", 12345) + b"\x00"
    with pytest.raises(ValueError, match="any version of our schemas"):
        avro.decode(data)
