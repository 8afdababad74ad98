"""Avro encoding of records with fastavro, in Avro's single-object encoding.

A single-object message is ``C3 01`` + the schema's 8-byte CRC-64-AVRO fingerprint (little endian) +
the binary record, so a consumer can tell which schema wrote it without a registry. Records are
written with the current ``schemas/<name>.avsc``; every earlier version is kept in
``schemas/released/<name>.v<N>.avsc``, so a record written by any release is read too, resolved to
the current schema (new fields take their defaults). The readers take records in the Confluent wire
format too (``confluent.py``), their writer schema fetched by id from a schema registry and resolved
the same way.
"""

from __future__ import annotations

import io
import struct
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import fastavro
from fastavro.schema import fingerprint, to_parsing_canonical_form

from wirestream import schemas
from wirestream.transforms.deadletters.errors import EncodeError
from wirestream.transforms.encoding import confluent

SCHEMA_DIR = Path(schemas.__file__).resolve().parent
RELEASED_DIR = SCHEMA_DIR / "released"
MAGIC = b"\xc3\x01"


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The parsed schema ``schemas/<name>.avsc``, loaded once per process."""
    return fastavro.schema.load_schema(str(SCHEMA_DIR / f"{name}.avsc"))


def released_schemas(name: str) -> list[dict[str, Any]]:
    """Every released version of schema ``name``, oldest first (``story.v1.avsc``, ``story.v2.avsc``…)."""
    paths = sorted(RELEASED_DIR.glob(f"{name}.v*.avsc"), key=lambda p: int(p.stem.rsplit(".v", 1)[1]))
    return [fastavro.schema.load_schema(str(path)) for path in paths]


def fingerprint_of(schema: dict[str, Any]) -> bytes:
    """The 8 bytes that mark a single-object message written with ``schema``."""
    return struct.pack("<Q", int(fingerprint(to_parsing_canonical_form(schema), "CRC-64-AVRO"), 16))


@cache
def schema_fingerprint(name: str) -> bytes:
    """The 8 bytes that mark a single-object message written with the current schema ``name``."""
    return fingerprint_of(load_schema(name))


def encode(record: dict[str, Any], schema: str = "story") -> bytes:
    """``record`` as an Avro single-object message; EncodeError when it does not fit the schema."""
    out = io.BytesIO()
    out.write(MAGIC + schema_fingerprint(schema))
    try:
        fastavro.schemaless_writer(out, load_schema(schema), record, strict=True)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise EncodeError(f"record does not fit schema {schema!r}: {exc}") from exc
    return out.getvalue()


class WriterSchemas(Protocol):
    """Where a Confluent wire-format message's writer schema is found by its id: a schema registry
    (``registry.SchemaRegistry``). ValueError when it has none."""

    def writer_schema(self, schema_id: int) -> dict[str, Any]: ...


def decode(data: bytes, schema: str = "story", registry: WriterSchemas | None = None) -> dict[str, Any]:
    """The record, as the current ``schema`` reads it, in a single-object message written with any
    version of it, or (with ``registry``) in a Confluent wire-format message; ValueError if it was not."""
    name, writer, body = _writer_of(data, registry)
    if name != schema:
        encoding = "Confluent wire-format" if confluent.is_framed(data) else "single-object"
        raise ValueError(f"a {encoding} message of schema {name!r}, not {schema!r}")
    return _read(body, writer, schema)


def decode_any(data: bytes, registry: WriterSchemas | None = None) -> tuple[str, dict[str, Any]]:
    """The schema name and record of a message written with any version of our schemas: single-object,
    or (with ``registry``) the Confluent wire format."""
    name, writer, body = _writer_of(data, registry)
    return name, _read(body, writer, name)


def _read(body: bytes, writer: dict[str, Any], name: str) -> dict[str, Any]:
    return fastavro.schemaless_reader(io.BytesIO(body), writer, reader_schema=load_schema(name))


@cache
def _writers_by_fingerprint() -> dict[bytes, tuple[str, dict[str, Any]]]:
    """Fingerprint → (name, writer schema) for every current and released schema of ours."""
    writers = {}
    for path in sorted(SCHEMA_DIR.glob("*.avsc")):
        for schema in [*released_schemas(path.stem), load_schema(path.stem)]:
            writers[fingerprint_of(schema)] = (path.stem, schema)
    return writers


@cache
def _names_by_full_name() -> dict[str, str]:
    """Full name (``wirestream.Story``) → our schema's name (``story``): every version keeps the full name."""
    return {load_schema(path.stem)["name"]: path.stem for path in sorted(SCHEMA_DIR.glob("*.avsc"))}


def _writer_of(data: bytes, registry: WriterSchemas | None) -> tuple[str, dict[str, Any], bytes]:
    """Our schema's name, the writer schema and the Avro binary of a message in either encoding."""
    if confluent.is_framed(data):
        return _registered_writer_of(data, registry)
    fingerprint_bytes = data[len(MAGIC) : len(MAGIC) + 8] if data.startswith(MAGIC) else b""
    found = _writers_by_fingerprint().get(fingerprint_bytes)
    if found is None:
        known = ", ".join(sorted({name for name, _ in _writers_by_fingerprint().values()}))
        raise ValueError(
            f"not an Avro single-object message of any version of our schemas ({known}): starts with {data[:10].hex()}"
        )
    return *found, data[len(MAGIC) + 8 :]


def _registered_writer_of(data: bytes, registry: WriterSchemas | None) -> tuple[str, dict[str, Any], bytes]:
    schema_id, body = confluent.split(data)
    if registry is None:
        raise ValueError(
            f"a message in the Confluent wire format (schema id {schema_id}): its writer schema is in the schema "
            "registry it was written with; give that registry's URL (--schema-registry-url) to read it"
        )
    writer = registry.writer_schema(schema_id)
    name = _names_by_full_name().get(writer.get("name", ""))
    if name is None:
        known = ", ".join(sorted(_names_by_full_name()))
        raise ValueError(f"schema id {schema_id} is {writer.get('name')!r}, none of ours ({known})")
    return name, writer, body
