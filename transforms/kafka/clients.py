"""The kafka-python clients of the pipeline and the CLI, each set up the same way from a ``ConnectionConfig``,
and the check at start that such a client can connect at all.

The source, the sinks, topic administration, the CLI's tools and the tests all get their clients
here, so message sizes, reconnect backoff and security agree everywhere. A ``str`` in place of a
``ConnectionConfig`` names the bootstrap servers of a plaintext connection.

kafka-python retries a connection that cannot work (no route, a certificate it cannot verify, a
refused login) until its bootstrap timeout, 30 s, then reports ``Unable to bootstrap``: the cause is
left in its logs, and a refused login even reads as a lost socket there. ``check_connection`` walks
the same way once, with kafka-python's own request encoding over a plain socket: reach, TLS, the
SASL login, the brokers' advertised addresses. The first step that fails raises
``KafkaSetupError`` naming the cause and what to do, within seconds.

Every client made here also keeps the connection's passwords out of kafka-python's logs, DEBUG
included (it logs an admin client's settings, and the bytes a SASL PLAIN login sends).
"""

from __future__ import annotations

import logging
import socket
import ssl
import time
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.errors import AuthorizationError, KafkaError, KafkaTimeoutError
from kafka.net.sasl import get_sasl_mechanism
from kafka.protocol.metadata import ApiVersionsRequest, MetadataRequest
from kafka.protocol.parser import KafkaProtocol
from kafka.protocol.sasl import SaslAuthenticateRequest, SaslHandshakeRequest

from wirestream.transforms.kafka.connection import (
    ENV_SASL_PASSWORD,
    PASSWORD_MECHANISMS,
    SASL_PROTOCOLS,
    ConnectionConfig,
    KafkaSetupError,
    as_connection,
    reason,
)

__all__ = [
    "MAX_MESSAGE_BYTES",
    "admin_config",
    "check_connection",
    "consumer_config",
    "explain",
    "new_admin",
    "new_consumer",
    "new_producer",
    "producer_config",
]

# Large enough for the biggest wire item we accept plus headers; the broker must allow as much.
MAX_MESSAGE_BYTES = 16 * 1024 * 1024
# kafka-python backs off up to 30 s between reconnects; after a broker restart that is how long the
# pipeline would sit idle. 1 s, as the Java client does.
RECONNECT_BACKOFF_MAX_MS = 1000
# How long ``check_connection`` waits for each server, and for each answer.
CHECK_SECONDS = 5.0
TLS_PROTOCOLS = ("SSL", "SASL_SSL")
# OpenSSL's verify codes for a certificate no trusted CA signed, and for one made out to other names.
UNTRUSTED = {2, 18, 19, 20, 21}
WRONG_NAME = {62, 64}
SASL_AUTHENTICATION_FAILED, UNSUPPORTED_SASL_MECHANISM = 58, 33


def consumer_config(connection: ConnectionConfig | str, **overrides: Any) -> dict[str, Any]:
    """Consumer settings: offsets committed by us only, from the earliest when the group has none."""
    return {
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",
        "fetch_max_wait_ms": 50,
        "max_partition_fetch_bytes": MAX_MESSAGE_BYTES,
        "fetch_max_bytes": 4 * MAX_MESSAGE_BYTES,
        "reconnect_backoff_max_ms": RECONNECT_BACKOFF_MAX_MS,
        **as_connection(connection).kafka_settings(),
        **overrides,
    }


def producer_config(connection: ConnectionConfig | str, **overrides: Any) -> dict[str, Any]:
    """Producer settings: idempotent, acknowledged by all in-sync replicas."""
    return {
        "acks": "all",
        "enable_idempotence": True,
        "linger_ms": 5,
        "max_request_size": MAX_MESSAGE_BYTES,
        "reconnect_backoff_max_ms": RECONNECT_BACKOFF_MAX_MS,
        **as_connection(connection).kafka_settings(),
        **overrides,
    }


def admin_config(connection: ConnectionConfig | str, **overrides: Any) -> dict[str, Any]:
    """Admin client settings: the connection's, nothing more."""
    return {**as_connection(connection).kafka_settings(), **overrides}


def new_consumer(connection: ConnectionConfig | str, **overrides: Any) -> KafkaConsumer:
    guard_logs(connection)
    return KafkaConsumer(**consumer_config(connection, **overrides))


def new_producer(connection: ConnectionConfig | str, **overrides: Any) -> KafkaProducer:
    guard_logs(connection)
    return KafkaProducer(**producer_config(connection, **overrides))


def new_admin(connection: ConnectionConfig | str, **overrides: Any) -> KafkaAdminClient:
    guard_logs(connection)
    return KafkaAdminClient(**admin_config(connection, **overrides))


class _Redact(logging.Filter):
    """Writes ``***`` for every secret it knows in a record's message, as text or as bytes' repr."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: set[str] = set()  # each secret in every form a message may carry it

    def add(self, secret: str) -> None:
        self.shown |= {secret, repr(secret)[1:-1], repr(secret.encode())[2:-1]}

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:  # a malformed record is the logging module's to report
            return True
        clean = text
        for shown in self.shown:
            clean = clean.replace(shown, "***")
        if clean != text:
            record.msg, record.args = clean, None
        return True


_REDACT = _Redact()


def guard_logs(connection: ConnectionConfig | str) -> None:
    """Keep ``connection``'s passwords out of every kafka-python logger, at every level.

    A logger's filters see only what is logged on it, not on its children: each of kafka-python's
    module loggers gets the filter (they all exist once ``kafka`` is imported).
    """
    secrets = as_connection(connection).secrets()
    if not secrets:
        return
    for secret in secrets:
        _REDACT.add(secret)
    for name in list(logging.Logger.manager.loggerDict):
        if name == "kafka" or name.startswith("kafka."):
            logger = logging.getLogger(name)
            if _REDACT not in logger.filters:
                logger.addFilter(_REDACT)


def check_connection(connection: ConnectionConfig | str, timeout: float = CHECK_SECONDS) -> None:
    """Connect to a bootstrap server as every client will, or raise ``KafkaSetupError`` saying why not.

    Tries the servers in order until one answers; a server that answers but refuses the settings
    (its certificate, the login) fails the check at once, since every client would fail the same way.
    """
    connection = as_connection(connection)
    guard_logs(connection)
    context = connection.tls_context() if connection.security_protocol in TLS_PROTOCOLS else None
    unreachable = []
    for server in connection.bootstrap_servers.split(","):
        host, port = _host_port(server.strip())
        try:
            sock = socket.create_connection((host, port), timeout=timeout)
        except OSError as exc:
            unreachable.append(f"{server.strip()}: {reason(exc)}")
            continue
        brokers = _Probe(connection, context, host, port, timeout).run(sock)
        for broker in brokers - {(host, port)}:
            _check_advertised(connection, context, broker, timeout)
        return
    raise KafkaSetupError(
        f"cannot reach Kafka at {connection.bootstrap_servers} ({'; '.join(unreachable)}): is the broker running, "
        f"and are that its host and port (--bootstrap-servers)? `make kafka-up` starts a local one"
    )


class _Closed(Exception):
    """The server closed the connection without an answer."""

    def __str__(self) -> str:
        return "it closed the connection"


class _Probe:
    """One server, step by step: TLS, a Kafka answer, the SASL login, the brokers it advertises."""

    def __init__(
        self, connection: ConnectionConfig, context: ssl.SSLContext | None, host: str, port: int, timeout: float
    ) -> None:
        self.connection, self.context, self.host, self.port = connection, context, host, port
        self.where = f"{host}:{port}"
        self.deadline = time.monotonic() + timeout
        self.parser = KafkaProtocol(client_id="wirestream-check")

    def run(self, sock: socket.socket) -> set[tuple[str, int]]:
        """The brokers' advertised addresses, once the server took our settings; it closes ``sock``."""
        with sock:
            if self.context is not None:
                sock = _tls(self.context, sock, self.host, self.where, self.connection)
            with sock:
                return self._steps(sock)

    def _steps(self, sock: socket.socket) -> set[tuple[str, int]]:
        protocol = self.connection.security_protocol or "PLAINTEXT"
        try:
            versions = self._call(sock, ApiVersionsRequest(version=0))
        except (_Closed, KafkaError) as exc:
            if self.context is None and _speaks_tls(self.host, self.port, self.deadline):
                raise KafkaSetupError(
                    f"the broker at {self.where} speaks TLS: use --kafka-security-protocol "
                    f"{'SASL_SSL' if protocol in SASL_PROTOCOLS else 'SSL'} and give its CA (--kafka-ssl-cafile)"
                ) from None
            raise KafkaSetupError(f"{self.where} does not answer as a Kafka broker ({exc}): is that its port?") from exc
        metadata_version = max(
            (min(api.max_version, 12) for api in versions.api_keys if api.api_key == MetadataRequest.API_KEY), default=0
        )
        if protocol in SASL_PROTOCOLS:
            if self.connection.sasl_mechanism not in PASSWORD_MECHANISMS:
                return set()  # Kerberos and OAuth logins are kafka-python's alone to make
            self._login(sock)
        try:
            metadata = self._call(sock, MetadataRequest(topics=[], version=metadata_version))
        except _Closed:
            raise KafkaSetupError(
                f"the broker at {self.where} ended the connection when asked for metadata: its listener wants a SASL "
                f"login (give --kafka-sasl-mechanism, the username and the password) or is not a Kafka listener"
            ) from None
        return {(broker.host, broker.port) for broker in metadata.brokers}

    def _login(self, sock: socket.socket) -> None:
        mechanism_name = self.connection.sasl_mechanism
        try:
            handshake = self._call(sock, SaslHandshakeRequest(mechanism=mechanism_name, version=1))
        except _Closed:
            raise KafkaSetupError(
                f"the broker at {self.where} ended the connection at the SASL handshake: its listener takes no SASL "
                f"login; use --kafka-security-protocol {'SSL' if self.context else 'PLAINTEXT'} without SASL options"
            ) from None
        if handshake.error_code == UNSUPPORTED_SASL_MECHANISM or mechanism_name not in handshake.mechanisms:
            raise KafkaSetupError(
                f"the broker at {self.where} does not take SASL {mechanism_name}; it takes "
                f"{', '.join(handshake.mechanisms) or 'none'}: give --kafka-sasl-mechanism one of those"
            )
        settings = self.connection.kafka_settings()
        mechanism = get_sasl_mechanism(mechanism_name)(host=self.host, **settings)
        while not mechanism.is_done():
            try:
                answer = self._call(sock, SaslAuthenticateRequest(auth_bytes=mechanism.auth_bytes(), version=1))
            except _Closed:
                raise KafkaSetupError(
                    f"the broker at {self.where} ended the connection during the SASL login"
                ) from None
            if answer.error_code == SASL_AUTHENTICATION_FAILED:
                raise KafkaSetupError(
                    f"Kafka at {self.where} refused the SASL {mechanism_name} login of {self.connection.principal}: "
                    f"no such user there, or a wrong password (the broker says: {answer.error_message}). Check "
                    f"--kafka-sasl-username and the password ({ENV_SASL_PASSWORD} or --kafka-sasl-password)"
                )
            if answer.error_code:
                raise KafkaSetupError(
                    f"Kafka at {self.where} refused the SASL {mechanism_name} login of {self.connection.principal} "
                    f"(error {answer.error_code}: {answer.error_message})"
                )
            mechanism.receive(answer.auth_bytes)

    def _call(self, sock: socket.socket, request: Any) -> Any:
        """Send ``request`` and wait for its answer; _Closed if the server hangs up first."""
        self.parser.send_request(request)
        try:
            sock.settimeout(max(self.deadline - time.monotonic(), 0.1))
            sock.sendall(self.parser.send_bytes())
            while True:
                data = sock.recv(65536)
                if not data:
                    raise _Closed()
                answers = self.parser.receive_bytes(data)
                if answers:
                    return answers[0][1]
        except TimeoutError:
            raise KafkaSetupError(
                f"{self.where} took the connection but gave no answer within the check's time: is it a Kafka "
                f"broker's port, and is the security protocol ({self.connection.security_protocol or 'PLAINTEXT'}) "
                f"that of its listener?"
            ) from None
        except (ConnectionError, ssl.SSLError) as exc:
            raise _Closed() from exc


def _tls(
    context: ssl.SSLContext, sock: socket.socket, host: str, where: str, connection: ConnectionConfig
) -> ssl.SSLSocket:
    """``sock`` after a TLS handshake as kafka-python makes it; KafkaSetupError saying why there is none."""
    try:
        return context.wrap_socket(sock, server_hostname=host.rstrip("."))
    except ssl.SSLCertVerificationError as exc:
        raise KafkaSetupError(_untrusted(exc, host, where, connection)) from exc
    except TimeoutError:
        raise KafkaSetupError(
            f"no TLS handshake with {where} within the check's time: is that a TLS listener?"
        ) from None
    except (ssl.SSLError, OSError) as exc:
        said = reason(exc)
        if "CERTIFICATE_REQUIRED" in said or "BAD_CERTIFICATE" in said:
            raise KafkaSetupError(
                f"the broker at {where} wants a client certificate it trusts (mutual TLS: {said}): give "
                f"--kafka-ssl-certfile and --kafka-ssl-keyfile"
            ) from exc
        raise KafkaSetupError(
            f"no TLS handshake with {where} ({said}): is that a TLS listener? --kafka-security-protocol "
            f"{connection.security_protocol} needs one; a plaintext listener takes PLAINTEXT or SASL_PLAINTEXT"
        ) from exc


def _untrusted(exc: ssl.SSLCertVerificationError, host: str, where: str, connection: ConnectionConfig) -> str:
    trusted = (
        f"the CA in {connection.ssl_cafile}" if connection.ssl_cafile else "the system's CAs (no --kafka-ssl-cafile)"
    )
    if exc.verify_code in UNTRUSTED:
        return (
            f"the broker at {where} shows a certificate that {trusted} did not sign ({exc.verify_message}): give "
            f"--kafka-ssl-cafile the CA that signed the broker's certificate"
        )
    if exc.verify_code in WRONG_NAME:
        return (
            f"the certificate of the broker at {where} is not made out to {host!r} ({exc.verify_message}): connect by "
            f"a name the certificate holds, or have it re-issued for {host}; --kafka-ssl-no-check-hostname skips "
            f"the check (not for production)"
        )
    return f"the certificate of the broker at {where} does not verify: {exc.verify_message}"


def _check_advertised(
    connection: ConnectionConfig, context: ssl.SSLContext | None, broker: tuple[str, int], timeout: float
) -> None:
    """The address a broker advertises, where every client goes after the bootstrap: reachable, and with TLS,
    made out to its name."""
    host, port = broker
    where = f"{host}:{port}"
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except OSError as exc:
        raise KafkaSetupError(
            f"the broker advertises {where} (its advertised.listeners), which cannot be reached from here "
            f"({reason(exc)}): clients use that address after the bootstrap, so the broker must advertise one "
            f"they can reach"
        ) from exc
    with sock:
        if context is not None:
            try:
                _tls(context, sock, host, where, connection).close()
            except KafkaSetupError as exc:
                raise KafkaSetupError(f"at the address the broker advertises: {exc}") from exc


def _speaks_tls(host: str, port: int, deadline: float) -> bool:
    """Whether ``host:port`` completes a TLS handshake (nothing verified: this only tells TLS from not)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    try:
        with socket.create_connection((host, port), timeout=max(deadline - time.monotonic(), 0.5)) as sock:
            context.wrap_socket(sock).close()
        return True
    except (OSError, ssl.SSLError):
        return False


def _host_port(server: str) -> tuple[str, int]:
    host, _, port = server.rpartition(":")
    if not host or not port.isdigit():
        raise KafkaSetupError(f"{server!r} is not HOST:PORT (--bootstrap-servers takes them comma-separated)")
    return host.strip("[]"), int(port)


def explain(exc: KafkaError, connection: ConnectionConfig) -> str:
    """One line for a failure kafka-python raised after the checks at start: what it was, what to do."""
    if isinstance(exc, AuthorizationError):
        return (
            f"Kafka at {connection.bootstrap_servers} refused {connection.principal} ({type(exc).__name__}: {exc}): "
            f"an ACL is missing; docs/security.md lists those the pipeline and the tools need"
        )
    if isinstance(exc, KafkaTimeoutError):
        return (
            f"Kafka at {connection.bootstrap_servers} did not answer in time ({exc}): is it still up? Run again "
            f"once it is; nothing acknowledged is lost"
        )
    return f"Kafka at {connection.bootstrap_servers} failed: {type(exc).__name__}: {exc}"
