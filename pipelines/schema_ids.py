"""The schemas' registry ids, settled at launch: the workers carry them and never call the registry.

With ``--schema-registry-url`` every record is in the Confluent wire format. Each schema is
registered (``--no-auto-register-schemas``: only looked up) under ``<topic>-value`` before anything
runs, so that a schema missing or refused fails the launch with a ``RegistryError`` (a ValueError:
exit 2) that says what to do.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from wirestream.transforms.encoding import registry
from wirestream.transforms.encoding.outputs import LATEST_SCHEMA
from wirestream.transforms.settings import Topics

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class RegistrySettings:
    """``--schema-registry-url`` (None: Avro single-object messages) and whether to register schemas."""

    url: str | None = None
    auto_register: bool = True

    def __post_init__(self) -> None:
        if not self.url and not self.auto_register:
            raise ValueError(
                "--no-auto-register-schemas needs --schema-registry-url: without a registry the records are Avro "
                "single-object messages and no schema is registered"
            )


@dataclass(frozen=True)
class SchemaIds:
    """The ids the stages write with (``pipeline``: story, quote, entity and ``latest``, the story schema
    under the latest topic's subject) and the urgent lane's (the story schema under the urgent topic)."""

    pipeline: dict[str, int] | None = None
    urgent: dict[str, int] | None = None


def settle_schema_ids(settings: RegistrySettings, topics: Topics) -> SchemaIds:
    """Register or look up every schema the run writes; no registry: no ids."""
    if not settings.url:
        return SchemaIds()
    client = registry.SchemaRegistry(settings.url)
    named = {"story": topics.stories, "quote": topics.quotes, "entity": topics.entities}
    if topics.latest:
        named[LATEST_SCHEMA] = topics.latest
    ids = registry.output_schema_ids(
        client, named, auto_register=settings.auto_register, schemas={LATEST_SCHEMA: "story"}
    )
    _LOGGER.info(
        "writing the Confluent wire format; schema ids at %s: %s",
        settings.url,
        ", ".join(f"{registry.subject_for(named[name])}={schema_id}" for name, schema_id in ids.items()),
    )
    urgent = None
    if topics.urgent:
        urgent = registry.output_schema_ids(client, {"story": topics.urgent}, auto_register=settings.auto_register)
    return SchemaIds(ids, urgent)
