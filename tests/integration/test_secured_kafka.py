"""Production Kafka: a broker with SASL_SSL (SCRAM-SHA-512), our own CA, ACLs and no topic auto-creation
(``secured.py``, one per session).

The pipeline runs there as a user granted exactly the ACLs docs/security.md lists, and the broker
denies it nothing; each mistake a newsroom makes setting it up (a password, a user, a CA, a host
name, an ACL, a topic) stops every command within seconds, exit 2, with one line naming the cause
and what to do, no traceback; and no password shows in any output, kafka-python's DEBUG included.
"""

from __future__ import annotations

import json
import subprocess
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import fastavro
import pytest
from fastavro.utils import generate_many
from kafka import KafkaProducer

from tests.integration.kafka_tools import CLI, pipeline_args
from tests.integration.secured import (
    PIPELINE_USER,
    SUPER_USER,
    Grant,
    SecuredKafka,
    SecuredRegistry,
    documented_grants,
    run_names,
)
from wirestream.transforms.encoding import avro, confluent
from wirestream.transforms.encoding.registry import SchemaRegistry, output_schema_ids, subject_for
from wirestream.transforms.kafka.clients import producer_config

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
SAMPLES = [
    REPO / "samples" / name for name in ("fp-port-ellis-ferry.txt", "fp-valmora-vote.json", "broken-truncated.json")
]
FAIL_FAST_SECONDS = 10
EXPECTED_HEADLINES = sorted(
    record["headline"] or ""
    for name in ("fp-port-ellis-ferry", "fp-valmora-vote")
    for record in json.loads((REPO / "tests" / "fixtures" / "samples" / f"{name}.expected.json").read_text())["records"]
)


def wirestream(*args: str, env: dict[str, str], timeout: float = 300) -> tuple[subprocess.CompletedProcess[str], float]:
    """``wirestream ARGS…`` as a user runs it, and how long it took."""
    started = time.monotonic()
    done = subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout, env=env)
    return done, time.monotonic() - started


def assert_fails_fast(done: subprocess.CompletedProcess[str], seconds: float, *said: str) -> str:
    """Exit 2 within the limit, one error line saying each of ``said``, no traceback; returns the line."""
    output = done.stdout + done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR") or " ERROR " in line]
    assert done.returncode == 2, output[-3000:]
    assert seconds < FAIL_FAST_SECONDS, f"took {seconds:.1f} s:\n{output[-3000:]}"
    assert "Traceback" not in output, output[-3000:]
    assert len(errors) == 1, output[-3000:]
    for words in said:
        assert words in errors[0], errors[0]
    return errors[0]


@dataclass(frozen=True)
class Run:
    """A run's fresh names (``run_names``), and a user granted the documented ACLs for them."""

    kafka: SecuredKafka
    prefix: str
    names: dict[str, str]
    user: str
    password: str

    def cli(self) -> tuple[list[str], dict[str, str]]:
        return self.kafka.cli(self.user, self.password)

    def run_args(self, *extra: str, model: str | None = None) -> list[str]:
        """``wirestream run`` on these names as this user; ``--bootstrap-servers`` is pipeline_args' own."""
        security = self.cli()[0][2:]
        return pipeline_args(self.kafka.bootstrap, self.names["wire.raw"], self.prefix, *security, *extra, model=model)


def prepared_run(
    kafka: SecuredKafka,
    *,
    leave_out: Callable[[dict[str, str]], list[Grant]] = lambda n: [],
) -> Run:
    """Fresh topics made by the admin (the latest and held ones compacted: the user may not create
    topics), and a user granted the documented ACLs but those ``leave_out`` picks."""
    prefix = f"sec.{uuid.uuid4().hex[:8]}"
    names = run_names(f"{prefix}.raw", prefix)
    topics = [
        names[f"wire.{name}"] for name in ("raw", "stories", "quotes", "entities", "urgent", "held", "deadletter")
    ]
    compacted = (names["wire.latest"], names["wire.held"])  # as the run makes them; it refuses others
    kafka.create_topics([*topics, names["wire.latest"]], compacted=compacted)
    left_out = leave_out(names)
    user, password = kafka.add_user([grant for grant in documented_grants(names) if grant not in left_out])
    return Run(kafka, prefix, names, user, password)


def reader(kafka: SecuredKafka, topic: str) -> tuple[list[str], dict[str, str]]:
    """The options of a user who may read ``topic`` and nothing else."""
    return kafka.cli(*kafka.add_user([Grant("Topic", topic, "Read")]))


@pytest.mark.parametrize("exactly_once", [False, True], ids=["at-least-once", "exactly-once"])
def test_produce_run_consume_as_the_user_granted_exactly_the_documented_acls(secured_kafka, tiny_ner, exactly_once):
    """The pipeline's user produces, runs and its stories are consumed; the broker denied it nothing.

    The user may create no topic: the run finds the latest and held topics an admin made and checks
    that nothing on them expires (DescribeConfigs).
    """
    kafka = secured_kafka
    run = prepared_run(kafka)
    names, (args, env) = run.names, run.cli()

    produced, _ = wirestream("produce", "--topic", names["wire.raw"], *args, *map(str, SAMPLES), env=env)
    assert produced.returncode == 0 and "sent 3 message(s)" in produced.stderr, produced.stderr[-3000:]
    once = ["--exactly-once"] if exactly_once else []
    ran, _ = wirestream(*run.run_args("--until-end", "--nlp-processes", "1", *once, model=tiny_ner), env=env)
    assert ran.returncode == 0, ran.stderr[-5000:]
    assert "read 3 message(s)" in ran.stderr and "2 story(ies)" in ran.stderr and "1 dead letter(s)" in ran.stderr
    consume_args, consume_env = reader(kafka, names["wire.stories"])
    committed = ["--read-committed"] if exactly_once else []
    consumed, _ = wirestream(
        "consume", "--topic", names["wire.stories"], "--decode", "--timeout", "2", *committed, *consume_args,
        env=consume_env,
    )  # fmt: skip
    assert consumed.returncode == 0, consumed.stderr[-3000:]
    stories = [json.loads(line)["value"] for line in consumed.stdout.splitlines()]
    assert sorted(story["headline"] or "" for story in stories) == EXPECTED_HEADLINES
    assert kafka.denials(run.user) == []


# --- every mistake: one line, exit 2, within seconds -----------------------------------------------------


def _wrong_password(kafka: SecuredKafka, args: list[str], env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    return args, {**env, "WIRESTREAM_KAFKA_SASL_PASSWORD": "not-the-password"}


def _unknown_user(kafka: SecuredKafka, args: list[str], env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    return args, {**env, "WIRESTREAM_KAFKA_SASL_USERNAME": "nobody"}


def _no_ca_file(kafka: SecuredKafka, args: list[str], env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    return [*args[:-2], "--kafka-ssl-cafile", "/nonexistent/ca.pem"], env


def _no_ca_given(kafka: SecuredKafka, args: list[str], env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    return args[:-2], env  # the system's CAs, which never signed our broker's certificate


def _wrong_ca(kafka: SecuredKafka, args: list[str], env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    other = kafka.directory.parent / "other-ca"
    subprocess.run(["bash", str(REPO / "deploy" / "kafka" / "certs.sh"), str(other)], check=True, capture_output=True)
    return [*args[:-2], "--kafka-ssl-cafile", str(other / "ca.pem")], env


def _by_ip(kafka: SecuredKafka, args: list[str], env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    return ["--bootstrap-servers", f"127.0.0.1:{kafka.port}", *args[2:]], env  # the certificate names localhost


MISTAKES = {
    "wrong password": (_wrong_password, ["refused the SASL SCRAM-SHA-512 login", "wrong password"]),
    "unknown user": (_unknown_user, ["login of user 'nobody'", "no such user"]),
    "missing CA file": (_no_ca_file, ["/nonexistent/ca.pem (--kafka-ssl-cafile) does not exist"]),
    "no CA given": (_no_ca_given, ["the system's CAs", "give --kafka-ssl-cafile"]),
    "wrong CA": (_wrong_ca, ["other-ca/ca.pem did not sign", "give --kafka-ssl-cafile"]),
    "hostname mismatch": (_by_ip, ["is not made out to '127.0.0.1'", "a name the certificate holds"]),
}


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_a_connection_mistake_stops_every_command_at_once_saying_what_it_is(secured_kafka, mistake):
    kafka = secured_kafka
    change, said = MISTAKES[mistake]
    args, env = change(kafka, *kafka.cli(PIPELINE_USER, kafka.password(PIPELINE_USER)))
    topic = "never.reached"
    for command in (
        ["produce", "--topic", topic, str(SAMPLES[0])],
        ["consume", "--topic", topic],
        ["run", "--input-topic", topic, "--until-end", "--metrics-port", "-1"],
        ["replay-deadletters", "--deadletter-topic", topic],
        ["release-held", "--held-topic", topic],
    ):
        done, seconds = wirestream(*command, *args, env=env)
        line = assert_fails_fast(done, seconds, *said)
        print(f"{command[0]} {seconds:.1f} s: {line}")


def test_verbose_shows_the_traceback_of_the_real_cause(secured_kafka):
    kafka = secured_kafka
    args, env = _wrong_password(kafka, *kafka.cli(PIPELINE_USER, kafka.password(PIPELINE_USER)))
    done, _ = wirestream("consume", "-v", "--topic", "never.reached", *args, env=env)
    assert done.returncode == 2
    assert "Traceback" in done.stderr and "KafkaSetupError: Kafka at localhost" in done.stderr


# Each kind of ACL the pipeline needs, left out of the documented list (``describe``: every ACL on an
# output topic, so that the user may not even see it): the run stops at launch naming it.
LEFT_OUT = {
    "read": (lambda n: [Grant("Topic", n["wire.raw"], "Read")], [], lambda n: f"Read on topic '{n['wire.raw']}'"),
    "write": (lambda n: [Grant("Topic", n["wire.raw"], "Write")], [], lambda n: f"Write on topic '{n['wire.raw']}'"),
    "describe": (
        lambda n: [Grant("Topic", n["wire.quotes"], "Write")],
        [],
        lambda n: f"see topic(s) '{n['wire.quotes']}'",
    ),
    "group": (lambda n: [Grant("Group", n["wirestream"], "Read")], [], lambda n: f"Read on group '{n['wirestream']}'"),
    "transactional id": (
        lambda n: [Grant("TransactionalId", n["wirestream.wirestream"], "Write")],
        ["--exactly-once"],
        lambda n: f"Write on transactional id '{n['wirestream.wirestream']}'",
    ),
}


@pytest.mark.parametrize("acl", list(LEFT_OUT))
def test_a_missing_acl_stops_the_run_at_launch_naming_it(secured_kafka, acl):
    left_out, extra, said = LEFT_OUT[acl]
    run = prepared_run(secured_kafka, leave_out=left_out)
    done, seconds = wirestream(*run.run_args("--until-end", "--metrics-port", "-1", *extra), env=run.cli()[1])
    line = assert_fails_fast(done, seconds, said(run.names))
    print(f"{seconds:.1f} s: {line}")


def test_a_missing_topic_the_user_may_not_create_stops_run_and_produce(secured_kafka):
    """Auto-creation is off and the user has no Create: the topic is named, with what to do."""
    kafka = secured_kafka
    run = prepared_run(kafka)
    (args, env), quotes = run.cli(), run.names["wire.quotes"]
    with kafka.admin() as admin:
        admin.delete_topics([quotes])
    time.sleep(1)  # the deletion reaches the broker's metadata
    done, seconds = wirestream(*run.run_args("--until-end", "--metrics-port", "-1"), env=env)
    assert_fails_fast(done, seconds, f"topic(s) '{quotes}' do not exist", "may not create topics", "create them")
    done, seconds = wirestream("produce", "--topic", quotes, *args, str(SAMPLES[0]), env=env)
    assert_fails_fast(done, seconds, f"topic(s) '{quotes}' do not exist", "may not create topics")
    done, seconds = wirestream("consume", "--topic", quotes, *args, env=env)
    assert_fails_fast(done, seconds, f"topic '{quotes}' does not exist")


# --- no secret in any output ----------------------------------------------------------------------------


def client_key(directory: Path, password: str) -> tuple[str, str]:
    """A client certificate and its key, encrypted with ``password``: kafka-python loads them (the broker
    asks for none), so the key's password passes through its settings too."""
    key, cert = directory / "client.key", directory / "client.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-days", "2", "-subj", "/CN=wirestream-test-client",
         "-keyout", str(key), "-out", str(cert), "-passout", "env:KEY_PASSWORD"],
        check=True, capture_output=True, env={"KEY_PASSWORD": password, "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    return str(cert), str(key)


def test_no_password_shows_in_any_output_even_at_debug(secured_kafka, tiny_ner, tmp_path):
    """``-v`` logs everything at DEBUG, kafka-python's client settings and SASL exchange included: in
    produce, a run (its workers' clients too) and consume."""
    run = prepared_run(secured_kafka)
    key_password = f"key-{uuid.uuid4().hex}"
    cert, key = client_key(tmp_path, key_password)
    args, env = run.cli()
    tls_client = ["--kafka-ssl-certfile", cert, "--kafka-ssl-keyfile", key]
    env["WIRESTREAM_KAFKA_SSL_PASSWORD"] = key_password
    topic = run.names["wire.raw"]
    outputs = []
    for command in (
        ["produce", "-v", "--topic", topic, str(SAMPLES[0]), *args],
        [*run.run_args("-v", "--until-end", "--nlp-processes", "1", model=tiny_ner)],
        ["consume", "-v", "--topic", topic, "--max", "1", *args],
    ):
        done, _ = wirestream(*command, *tls_client, env=env)
        assert done.returncode == 0, done.stderr[-3000:]
        outputs.append(done.stdout + done.stderr)
    everything = "\n".join(outputs)
    assert "Starting KafkaAdminClient with configuration" in everything  # DEBUG was on, settings and all
    assert "'sasl_plain_password': '***'" in everything and "'ssl_password': '***'" in everything
    assert run.password not in everything and key_password not in everything
    print(f"searched {len(everything.splitlines())} lines of DEBUG output")


# --- the schema registry, with basic auth over HTTPS ----------------------------------------------------


def test_the_registry_client_logs_in_over_https_and_each_refusal_says_why(secured_registry: SecuredRegistry):
    registry = secured_registry
    topic = f"sec.{uuid.uuid4().hex[:8]}"
    writer = SchemaRegistry(registry.url, **_credentials(registry, "wirestream"))
    assert set(output_schema_ids(writer, {"quote": topic})) == {"quote"}
    for credentials, said in (
        (_credentials(registry, "reader"), "HTTP 403"),
        ({**_credentials(registry, "wirestream"), "password": "not-it"}, "were refused: check both"),
        ({"cafile": registry.cafile}, "it wants credentials"),
        ({**_credentials(registry, "wirestream"), "cafile": None}, "does not verify"),
    ):
        with pytest.raises(ValueError, match=said):
            output_schema_ids(SchemaRegistry(registry.url, **credentials), {"quote": f"{topic}.2"})


def _credentials(registry: SecuredRegistry, user: str) -> dict[str, str]:
    return {"username": user, "password": registry.password(user), "cafile": registry.cafile}


def test_consume_decodes_through_a_registry_behind_auth_and_run_takes_its_credentials(secured_kafka, secured_registry):
    kafka, registry = secured_kafka, secured_registry
    topic = f"sec.{uuid.uuid4().hex[:8]}.quotes"
    kafka.create_topics([topic])
    schema_id = SchemaRegistry(registry.url, **_credentials(registry, "wirestream")).register(
        subject_for(topic), (avro.SCHEMA_DIR / "quote.avsc").read_text()
    )
    schema = avro.load_schema("quote")
    record = next(iter(generate_many(fastavro.parse_schema(schema), 1)))
    producer = KafkaProducer(**producer_config(kafka.connection(SUPER_USER)))
    producer.send(topic, value=confluent.encode(record, fastavro.parse_schema(schema), schema_id)).get(timeout=30)
    producer.close()

    args, env = reader(kafka, topic)
    decode = ["consume", "--topic", topic, "--decode", "--timeout", "2", "--schema-registry-url", registry.url, *args]
    env = {**env, **registry.env("reader")}
    done, _ = wirestream(*decode, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    (line,) = done.stdout.splitlines()
    assert json.loads(line)["value"]["text"] == record["text"]
    done, seconds = wirestream(*decode, env={**env, "WIRESTREAM_SCHEMA_REGISTRY_PASSWORD": "not-it"})
    assert done.returncode == 2 and "HTTP 401" in done.stderr and seconds < FAIL_FAST_SECONDS, done.stderr[-3000:]

    # `run` reads the same variables: a wrong password stops it before Kafka is touched.
    run = ["run", "--input-topic", topic, "--until-end", "--metrics-port", "-1", "--schema-registry-url", registry.url]
    done, seconds = wirestream(*run, *args, env={**env, **registry.env("wirestream", "not-it")})
    assert_fails_fast(done, seconds, "HTTP 401", "were refused")
