"""The pipeline's own options, beside Beam's (``--runner`` and the rest pass straight through).

Their defaults are the settings' own (``transforms/settings.py``); ``settings_from`` turns the
parsed options into one ``Settings``, once, at launch.
"""

from __future__ import annotations

import argparse

from apache_beam.options.pipeline_options import PipelineOptions

from wirestream.transforms.kafka.connection import ConnectionConfig
from wirestream.transforms.kafka.transaction import transactional_id_for
from wirestream.transforms.nlp.models import check_models, parse_model_option
from wirestream.transforms.settings import Limits, NlpSettings, Settings, Topics, available_cores

TOPICS, LIMITS, NLP, SETTINGS = Topics(), Limits(), NlpSettings(), Settings()
_DEFAULT_MODELS = ", ".join(f"{language}={model}" for language, model in NLP.models.items())


class WirestreamOptions(PipelineOptions):
    """Options of ``wirestream run``; names are relied on by scripts and deployments."""

    @classmethod
    def _add_argparse_args(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--input-topic", default=TOPICS.input, help="topic of raw wire items (default: %(default)s)"
        )
        parser.add_argument(
            "--stories-topic",
            default=TOPICS.stories,
            help="topic for Avro Story records, keyed by story id (default: %(default)s)",
        )
        parser.add_argument(
            "--quotes-topic",
            default=TOPICS.quotes,
            help="topic for Avro QuoteRecord records, one per quote, keyed by story id (default: %(default)s)",
        )
        parser.add_argument(
            "--entities-topic",
            default=TOPICS.entities,
            help="topic for Avro EntityRecord records, one per entity, keyed by story id (default: %(default)s)",
        )
        parser.add_argument(
            "--latest-topic",
            default=TOPICS.latest,
            help="compacted topic of each story's latest usable version, keyed by family id; a kill or withdrawal "
            "writes a tombstone (created with cleanup.policy=compact; '' leaves it out) (default: %(default)s)",
        )
        parser.add_argument(
            "--urgent-topic",
            default=TOPICS.urgent,
            help="topic where stories of urgency 1-3 also go, through a fast lane that does not wait behind the "
            "backlog; '' leaves the lane out (default: %(default)s)",
        )
        parser.add_argument(
            "--held-topic",
            default=TOPICS.held,
            help="topic where input messages under embargo wait until their time, when they are put back on the "
            "input topic (default: %(default)s)",
        )
        parser.add_argument(
            "--deadletter-topic",
            default=TOPICS.deadletter,
            help="topic for messages that could not be processed (default: %(default)s)",
        )
        parser.add_argument(
            "--group-id",
            default=SETTINGS.group_id,
            help="consumer group whose committed offsets the run resumes from (default: %(default)s)",
        )
        parser.add_argument(
            "--until-end",
            action="store_true",
            default=False,
            help="stop at the end offsets seen at start instead of running continuously",
        )
        parser.add_argument(
            "--metrics-port",
            type=int,
            default=9108,
            help="port of the Prometheus /metrics endpoint; 0 picks a free one, -1 disables (default: %(default)s)",
        )
        parser.add_argument(
            "--launcher-metrics-port",
            type=int,
            default=9107,
            help="on Flink, the port where `wirestream run` itself serves the metrics of what runs beside the "
            "job (the urgent lane, the embargo releaser), since the workers serve theirs on --metrics-port; "
            "-1 disables. On the local runners the launcher is the worker and uses --metrics-port "
            "(default: %(default)s)",
        )
        parser.add_argument(
            "--format",
            dest="wire_format",
            default=None,
            help="force one wire format instead of detecting it (TEXT, NINJS, …)",
        )
        parser.add_argument(
            "--agency",
            dest="agencies",
            action="append",
            default=[],
            metavar="NAME",
            help="a private news agency a dateline may name, besides the world's agencies wirestream knows "
            "(a member paper's wire; the samples' fictional FP); repeat for several",
        )
        parser.add_argument(
            "--max-message-bytes",
            type=int,
            default=LIMITS.max_message_bytes,
            help="larger messages are dead-lettered as too-large (default: %(default)s)",
        )
        parser.add_argument(
            "--max-message-seconds",
            type=float,
            default=LIMITS.max_message_seconds,
            help="a message that takes a stage longer is stopped and dead-lettered as too-slow; 0 runs the "
            "stages in the worker with no limit (default: %(default)s)",
        )
        parser.add_argument(
            "--nlp-model",
            dest="nlp_models",
            action="append",
            default=[],
            metavar="LANG=MODEL",
            help="the spaCy pipeline (package name or path) that reads stories in language LANG; repeat for "
            f"several; LANG=none leaves a default out. Defaults: {_DEFAULT_MODELS}. "
            "A language with no model gets a blank pipeline (quotes by their marks, no entities); a model is "
            "loaded the first time a story in its language comes",
        )
        parser.add_argument(
            "--spacy-model",
            default=None,
            help="the English model: the same as --nlp-model en=MODEL (kept for scripts that use it)",
        )
        parser.add_argument(
            "--nlp-batch-size",
            type=int,
            default=NLP.batch_size,
            help="stories per nlp.pipe batch (default: %(default)s)",
        )
        parser.add_argument(
            "--nlp-processes",
            type=int,
            default=0,
            help="processes running the language model, each with its own copy (about 400 MB), per worker; "
            "0: one per core this machine gives us (default: %(default)s). With several workers on one "
            "machine (Flink task slots), give each its share of the cores",
        )
        parser.add_argument(
            "--exactly-once",
            action="store_true",
            default=False,
            help="write each bundle's outputs and input offsets in one Kafka transaction, so read_committed "
            "consumers see every story once even across crashes (one worker only)",
        )
        parser.add_argument(
            "--transactional-id",
            default=None,
            help="Kafka transactional id with --exactly-once; keep it stable across restarts "
            "(default: wirestream.<group id>)",
        )
        parser.add_argument(
            "--schema-registry-url",
            default=None,
            help="write every Avro record in the Confluent wire format (a 0 byte, the schema's 4-byte id), each "
            "schema registered at launch under <topic>-value with compatibility BACKWARD, at this schema "
            "registry's Confluent-compatible API (Apicurio: http://HOST:PORT/apis/ccompat/v7; `make registry-up` "
            "serves one on port 8085). Without it, records are Avro single-object messages (the default)",
        )
        parser.add_argument(
            "--no-auto-register-schemas",
            dest="auto_register_schemas",
            action="store_false",
            default=True,
            help="with --schema-registry-url, only look the schemas' ids up, register nothing: a schema not "
            "registered fails the launch (exit 2) and is named",
        )
        ConnectionConfig.add_args(parser)  # --bootstrap-servers and the connection's security


def settings_from(opts: WirestreamOptions) -> Settings:
    """The run's settings from its parsed options (``--nlp-processes 0``: one process per core)."""
    return Settings(
        connection=ConnectionConfig.from_options(opts),
        topics=Topics(
            input=opts.input_topic,
            stories=opts.stories_topic,
            quotes=opts.quotes_topic,
            entities=opts.entities_topic,
            latest=opts.latest_topic or None,
            urgent=opts.urgent_topic or None,
            held=opts.held_topic,
            deadletter=opts.deadletter_topic,
        ),
        limits=Limits(opts.max_message_bytes, opts.max_message_seconds),
        nlp=NlpSettings(nlp_models(opts), opts.nlp_batch_size, opts.nlp_processes or available_cores()),
        group_id=opts.group_id,
        wire_format=opts.wire_format,
        agencies=tuple(opts.agencies or ()),
        until_end=opts.until_end,
        exactly_once=opts.exactly_once,
        transactional_id=(opts.transactional_id or transactional_id_for(opts.group_id)) if opts.exactly_once else None,
    )


def nlp_models(opts: WirestreamOptions) -> dict[str, str]:
    """The model of each language, ``--spacy-model`` being the English one; ValueError for a bad value
    or a model not installed (exit 2 at launch, rather than on the first story that needs it)."""
    english = [f"en={opts.spacy_model}"] if opts.spacy_model else []
    models = parse_model_option([*english, *opts.nlp_models])
    check_models(models)
    return models
