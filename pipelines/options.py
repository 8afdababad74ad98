"""The pipeline's own options, beside Beam's (``--runner`` and the rest pass straight through)."""

from __future__ import annotations

import argparse

from apache_beam.options.pipeline_options import PipelineOptions

from wirestream.transforms.nlp.model import DEFAULT_MODEL
from wirestream.transforms.step2_decode import DEFAULT_MAX_BYTES


class WirestreamOptions(PipelineOptions):
    """Options of ``wirestream run``; names are relied on by scripts and deployments."""

    @classmethod
    def _add_argparse_args(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--bootstrap-servers",
            default="localhost:9092",
            help="Kafka bootstrap servers, comma-separated (default: %(default)s)",
        )
        parser.add_argument("--input-topic", default="wire.raw", help="topic of raw wire items (default: %(default)s)")
        parser.add_argument(
            "--stories-topic",
            default="wire.stories",
            help="topic for Avro Story records, keyed by story id (default: %(default)s)",
        )
        parser.add_argument(
            "--quotes-topic",
            default="wire.quotes",
            help="topic for Avro QuoteRecord records, one per quote, keyed by story id (default: %(default)s)",
        )
        parser.add_argument(
            "--entities-topic",
            default="wire.entities",
            help="topic for Avro EntityRecord records, one per entity, keyed by story id (default: %(default)s)",
        )
        parser.add_argument(
            "--deadletter-topic",
            default="wire.deadletter",
            help="topic for messages that could not be processed (default: %(default)s)",
        )
        parser.add_argument(
            "--group-id",
            default="wirestream",
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
            "--format",
            dest="wire_format",
            default=None,
            help="force one wire format instead of detecting it (TEXT, NINJS, …)",
        )
        parser.add_argument(
            "--max-message-bytes",
            type=int,
            default=DEFAULT_MAX_BYTES,
            help="larger messages are dead-lettered as too-large (default: %(default)s)",
        )
        parser.add_argument(
            "--spacy-model",
            default=DEFAULT_MODEL,
            help="spaCy pipeline (package name or path) for entities and quotes; it needs ner and parser "
            "(default: %(default)s; en_core_web_sm is the official package)",
        )
        parser.add_argument(
            "--nlp-batch-size", type=int, default=32, help="stories per nlp.pipe batch (default: %(default)s)"
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
        add_kafka_security_args(parser)


def add_kafka_security_args(parser: argparse.ArgumentParser) -> None:
    """TLS and SASL options, shared by ``wirestream run`` and the CLI's Kafka tools."""
    group = parser.add_argument_group("Kafka connection security")
    group.add_argument(
        "--kafka-security-protocol",
        default=None,
        help="PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (default: PLAINTEXT; SASL_SSL with a SASL "
        "mechanism, SSL with TLS files)",
    )
    group.add_argument(
        "--kafka-sasl-mechanism", default=None, help="PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, GSSAPI or OAUTHBEARER"
    )
    group.add_argument("--kafka-sasl-username", default=None, help="SASL username (or $WIRESTREAM_KAFKA_SASL_USERNAME)")
    group.add_argument(
        "--kafka-sasl-password",
        default=None,
        help="SASL password; prefer $WIRESTREAM_KAFKA_SASL_PASSWORD, which `ps` does not show",
    )
    group.add_argument("--kafka-ssl-cafile", default=None, help="CA certificates (PEM) to verify the brokers with")
    group.add_argument("--kafka-ssl-certfile", default=None, help="client certificate (PEM) for mutual TLS")
    group.add_argument("--kafka-ssl-keyfile", default=None, help="client private key (PEM) for mutual TLS")
    group.add_argument(
        "--kafka-ssl-password", default=None, help="password of the client key (or $WIRESTREAM_KAFKA_SSL_PASSWORD)"
    )
    group.add_argument("--kafka-ssl-crlfile", default=None, help="certificate revocation list (PEM)")
    group.add_argument(
        "--kafka-ssl-no-check-hostname",
        dest="kafka_ssl_check_hostname",
        action="store_false",
        default=True,
        help="do not check that the broker's certificate matches its host name",
    )


def kafka_security(options: object) -> dict[str, object]:
    """The kafka-python security settings from parsed options (``WirestreamOptions`` or argparse)."""
    from wirestream.transforms.kafka_io import security_config

    check_hostname = getattr(options, "kafka_ssl_check_hostname", True)
    return security_config(
        security_protocol=getattr(options, "kafka_security_protocol", None),
        sasl_mechanism=getattr(options, "kafka_sasl_mechanism", None),
        sasl_username=getattr(options, "kafka_sasl_username", None),
        sasl_password=getattr(options, "kafka_sasl_password", None),
        ssl_cafile=getattr(options, "kafka_ssl_cafile", None),
        ssl_certfile=getattr(options, "kafka_ssl_certfile", None),
        ssl_keyfile=getattr(options, "kafka_ssl_keyfile", None),
        ssl_password=getattr(options, "kafka_ssl_password", None),
        ssl_crlfile=getattr(options, "kafka_ssl_crlfile", None),
        ssl_check_hostname=None if check_hostname in (None, True) else False,
    )
