"""The Confluent wire format: a 0 byte, the writer schema's registry id (4 bytes, big endian), the Avro binary.

It is what the Kafka ecosystem reads without our code (confluent-kafka's AvroDeserializer, Kafka
Connect's AvroConverter, Flink's ``avro-confluent``, ksqlDB): the message names its schema by an id
that a schema registry resolves. The Avro binary is the same as in the single-object encoding
(``avro.py``); only the header differs. This module only frames; which id is whose is the registry's
business (``registry.py``).
"""

from __future__ import annotations

import io
import struct
from typing import Any

import fastavro

from wirestream.transforms.deadletters.errors import EncodeError

MAGIC = 0
HEADER = struct.Struct(">BI")  # magic byte, schema id


def encode(record: dict[str, Any], schema: dict[str, Any], schema_id: int) -> bytes:
    """``record`` in the Confluent wire format under ``schema_id``, written with ``schema`` (parsed);
    EncodeError when it does not fit the schema."""
    out = io.BytesIO()
    out.write(HEADER.pack(MAGIC, schema_id))
    try:
        fastavro.schemaless_writer(out, schema, record, strict=True)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise EncodeError(f"record does not fit schema {schema.get('name')!r} (id {schema_id}): {exc}") from exc
    return out.getvalue()


def is_framed(data: bytes) -> bool:
    """Whether ``data`` starts like a Confluent wire-format message (our single-object ones start C3 01)."""
    return len(data) >= HEADER.size and data[0] == MAGIC


def split(data: bytes) -> tuple[int, bytes]:
    """The schema id and the Avro binary of a Confluent wire-format message; ValueError if it is not one."""
    if not is_framed(data):
        raise ValueError(
            f"not a Confluent wire-format message (a 0 byte, then a 4-byte id): starts with {data[:5].hex()}"
        )
    _magic, schema_id = HEADER.unpack_from(data)
    return schema_id, data[HEADER.size :]


def with_schema_id(data: bytes, schema_id: int) -> bytes:
    """The same Confluent wire-format message under another schema id (one schema, two subjects)."""
    return HEADER.pack(MAGIC, schema_id) + split(data)[1]
