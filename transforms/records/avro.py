"""Avro encoding of records with fastavro, in Avro's single-object encoding.

A single-object message is ``C3 01`` + the schema's 8-byte CRC-64-AVRO fingerprint (little endian) +
the binary record, so a consumer can tell which schema wrote it without a registry.
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
MAGIC = b"\xc3\x01"


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The parsed schema ``schemas/<name>.avsc``, loaded once per process."""
    return fastavro.schema.load_schema(str(SCHEMA_DIR / f"{name}.avsc"))


@cache
def schema_fingerprint(name: str) -> bytes:
    """The 8 bytes that mark a single-object message written with schema ``name``."""
    canonical = to_parsing_canonical_form(load_schema(name))
    return struct.pack("<Q", int(fingerprint(canonical, "CRC-64-AVRO"), 16))


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
    """The record in a single-object message written with ``schema``; ValueError if it was not."""
    header = MAGIC + schema_fingerprint(schema)
    if not data.startswith(header):
        raise ValueError(
            f"not an Avro single-object message of schema {schema!r} "
            f"(starts with {data[:10].hex()}, expected {header.hex()})"
        )
    return fastavro.schemaless_reader(io.BytesIO(data[len(header) :]), load_schema(schema))


@cache
def _schemas_by_fingerprint() -> dict[bytes, str]:
    return {schema_fingerprint(path.stem): path.stem for path in sorted(SCHEMA_DIR.glob("*.avsc"))}


def decode_any(data: bytes) -> tuple[str, dict[str, Any]]:
    """The schema name and record of a single-object message written with any of our schemas.

    The schema is the one whose fingerprint the message carries; ValueError if it is none of ours.
    """
    fingerprint_bytes = data[len(MAGIC) : len(MAGIC) + 8] if data.startswith(MAGIC) else b""
    name = _schemas_by_fingerprint().get(fingerprint_bytes)
    if name is None:
        known = ", ".join(sorted(_schemas_by_fingerprint().values()))
        raise ValueError(
            f"not an Avro single-object message of any schema of ours ({known}): starts with {data[:10].hex()}"
        )
    return name, decode(data, name)
