"""Avro encoding of records with fastavro, in Avro's single-object encoding.

A single-object message is ``C3 01`` + the schema's 8-byte CRC-64-AVRO fingerprint (little endian) +
the binary record, so a consumer can tell which schema wrote it without a registry. Records are
written with the current ``schemas/<name>.avsc``; every earlier version is kept in
``schemas/released/<name>.v<N>.avsc``, so a record written by any release is read too, resolved to
the current schema (new fields take their defaults).
"""

from __future__ import annotations

import io
import struct
from functools import cache
from pathlib import Path
from typing import Any

import fastavro
from fastavro.schema import fingerprint, to_parsing_canonical_form

from wirestream import schemas
from wirestream.transforms.deadletters.errors import EncodeError

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


def decode(data: bytes, schema: str = "story") -> dict[str, Any]:
    """The record, as the current ``schema`` reads it, in a single-object message written with any
    version of it; ValueError if it was not."""
    name, writer = _writer_of(data)
    if name != schema:
        raise ValueError(f"a single-object message of schema {name!r}, not {schema!r}")
    return _read(data, writer, schema)


def decode_any(data: bytes) -> tuple[str, dict[str, Any]]:
    """The schema name and record of a single-object message written with any version of our schemas."""
    name, writer = _writer_of(data)
    return name, _read(data, writer, name)


def _read(data: bytes, writer: dict[str, Any], name: str) -> dict[str, Any]:
    body = io.BytesIO(data[len(MAGIC) + 8 :])
    return fastavro.schemaless_reader(body, writer, reader_schema=load_schema(name))


@cache
def _writers_by_fingerprint() -> dict[bytes, tuple[str, dict[str, Any]]]:
    """Fingerprint → (name, writer schema) for every current and released schema of ours."""
    writers = {}
    for path in sorted(SCHEMA_DIR.glob("*.avsc")):
        for schema in [*released_schemas(path.stem), load_schema(path.stem)]:
            writers[fingerprint_of(schema)] = (path.stem, schema)
    return writers


def _writer_of(data: bytes) -> tuple[str, dict[str, Any]]:
    fingerprint_bytes = data[len(MAGIC) : len(MAGIC) + 8] if data.startswith(MAGIC) else b""
    found = _writers_by_fingerprint().get(fingerprint_bytes)
    if found is None:
        known = ", ".join(sorted({name for name, _ in _writers_by_fingerprint().values()}))
        raise ValueError(
            f"not an Avro single-object message of any version of our schemas ({known}): starts with {data[:10].hex()}"
        )
    return found
