"""The run's settings as a few typed, frozen objects: every default is defined here, once.

``wirestream run``'s options (``pipelines/options.py``) take their defaults from these classes and
build one ``Settings`` from what the user gave; the stages, the urgent lane and the releaser take
the parts they need. Plain (no Beam), so the stages' plain logic and the tests build them alone.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from wirestream.transforms.kafka.connection import ConnectionConfig
from wirestream.transforms.nlp.models import DEFAULT_MODELS

__all__ = ["Limits", "NlpSettings", "Settings", "Topics", "available_cores"]


@dataclass(frozen=True)
class Topics:
    """Where the pipeline reads and writes. ``latest`` and ``urgent`` None: that output is left out."""

    input: str = "wire.raw"
    stories: str = "wire.stories"
    quotes: str = "wire.quotes"
    entities: str = "wire.entities"
    latest: str | None = "wire.latest"
    urgent: str | None = "wire.urgent"
    held: str = "wire.held"
    deadletter: str = "wire.deadletter"

    def __post_init__(self) -> None:
        named = [t for t in (self.stories, self.quotes, self.entities, self.latest) if t]
        if len(set(named)) != len(named):
            raise ValueError(f"the stories, quotes, entities and latest topics must differ; got {named}")

    def plain_outputs(self) -> list[str]:
        """The output topics created with the broker's usual settings (the latest and held topics are
        compacted, each by its own policy: ``kafka/latest_topic.py``, ``kafka/held_topic.py``)."""
        return [self.stories, self.quotes, self.entities, self.deadletter] + ([self.urgent] if self.urgent else [])


@dataclass(frozen=True)
class Limits:
    """What one message may cost: larger ones are ``too-large``, slower ones ``too-slow`` dead letters.

    ``max_message_seconds`` is a message's time in one stage: far above any real story's (a second
    or two), far below Kafka's 60 s transaction timeout. None runs the stages in the worker, unbounded.
    """

    max_message_bytes: int = 2 * 1024 * 1024
    max_message_seconds: float | None = 20.0

    def __post_init__(self) -> None:
        if self.max_message_bytes < 1:
            raise ValueError(f"--max-message-bytes must be at least 1, not {self.max_message_bytes}")
        if self.max_message_seconds is not None and self.max_message_seconds < 0:
            raise ValueError(f"--max-message-seconds must be 0 (no limit) or more, not {self.max_message_seconds}")
        if self.max_message_seconds == 0:
            object.__setattr__(self, "max_message_seconds", None)

    def batch_seconds(self, size: int) -> float | None:
        """The limit for one call over ``size`` messages: each message's, added up."""
        return self.max_message_seconds * size if self.max_message_seconds else None


@dataclass(frozen=True)
class NlpSettings:
    """The language models: a spaCy pipeline per story language (``nlp.models``; a language without
    one gets a blank pipeline: sentences, no entities), how many stories per ``nlp.pipe`` call, how
    many model processes (each with its own copy of the models it has needed) per worker."""

    models: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_MODELS))
    batch_size: int = 32
    processes: int = 1

    def __post_init__(self) -> None:
        if self.batch_size < 1 or self.processes < 1:
            raise ValueError(
                f"--nlp-batch-size and --nlp-processes must be at least 1 (got {self.batch_size}, {self.processes})"
            )


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, which containers narrow), at least 1."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass(frozen=True)
class Settings:
    """One run's settings, built once from its options (``pipelines.options.settings_from``).

    ``schema_ids`` (schema name → registry id) is filled in at launch, when the schemas are
    registered or looked up; None writes Avro single-object messages.
    """

    connection: ConnectionConfig = field(default_factory=ConnectionConfig)
    topics: Topics = Topics()
    limits: Limits = Limits()
    nlp: NlpSettings = field(default_factory=NlpSettings)
    group_id: str = "wirestream"
    wire_format: str | None = None
    # Private agencies a dateline may name besides the world's (``places.agencies``): a member paper,
    # the samples' fictional ``FP``.
    agencies: tuple[str, ...] = ()
    until_end: bool = False
    exactly_once: bool = False
    transactional_id: str | None = None  # with exactly_once: the producer's, stable across restarts
    schema_ids: Mapping[str, int] | None = None
