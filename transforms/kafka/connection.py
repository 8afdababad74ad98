"""How to reach Kafka: the bootstrap servers and the connection's security (TLS, SASL), declared once.

``ConnectionConfig`` is the only list of these settings. Each field names its command-line option
(and the environment variable a credential may come from instead), so the options (``add_args``),
reading them back (``from_options``) and kafka-python's settings (``kafka_settings``) all follow
from it. Passwords are ``Secret``s: they print as ``'***'`` in reprs, logs, display data and errors,
and kafka-python gets them as strings that print so too. Settings that cannot work raise
``KafkaSetupError``, whose one line says what to do.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ConnectionConfig", "KafkaSetupError", "Secret", "as_connection"]

SECURITY_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
SASL_PROTOCOLS = ("SASL_PLAINTEXT", "SASL_SSL")
SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "GSSAPI", "OAUTHBEARER")
PASSWORD_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
# Secrets may come from the environment instead of the command line (where `ps` shows them).
ENV_SASL_USERNAME = "WIRESTREAM_KAFKA_SASL_USERNAME"
ENV_SASL_PASSWORD = "WIRESTREAM_KAFKA_SASL_PASSWORD"
ENV_SSL_PASSWORD = "WIRESTREAM_KAFKA_SSL_PASSWORD"


class KafkaSetupError(ValueError):
    """Kafka cannot be used as set up: a setting that cannot work, a broker that refuses us, an ACL
    or a topic missing. The message is one line naming the cause and what to do; the commands
    print it without a traceback and exit 2, as for other bad settings."""


class Secret:
    """A password: compared by value, but shown as ``'***'`` wherever it is printed or formatted."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself: for the Kafka client that needs it, never for a message."""
        return self._value

    def __repr__(self) -> str:
        return "'***'"

    def __str__(self) -> str:
        return "***"

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash((Secret, self._value))

    def __reduce__(self) -> tuple[type[Secret], tuple[str]]:
        return Secret, (self._value,)


class _ClientPassword(str):
    """A password as kafka-python takes it, a ``str`` equal to it, which prints as ``'***'``: the
    library logs its settings at DEBUG (``KafkaAdminClient``), and those logs are ours to keep clean.
    kafka-python only encodes or joins it, which read the characters, not ``str()``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "'***'"

    def __str__(self) -> str:
        return "***"

    def __format__(self, spec: str) -> str:
        return format("***", spec)

    def __reduce__(self) -> tuple[type[str], tuple[str]]:
        return str, (str.__str__(self),)


@dataclass(frozen=True)
class _Option:
    """How a field is given on the command line: its flag, help, and the variable it falls back to."""

    flag: str
    help: str
    env: str | None = None
    dest: str | None = None
    secret: bool = False

    @property
    def name(self) -> str:
        """The attribute of the parsed options (argparse's and Beam's) that holds the value."""
        return self.dest or self.flag.removeprefix("--").replace("-", "_")


def _option(
    flag: str, help: str, *, env: str | None = None, dest: str | None = None, secret: bool = False
) -> dict[str, _Option]:
    return {"option": _Option(flag, help.format(env=env), env, dest, secret)}


def _options() -> list[tuple[str, Any, _Option]]:
    """Each field of ``ConnectionConfig``: its name, default and option."""
    return [(f.name, f.default, f.metadata["option"]) for f in dataclasses.fields(ConnectionConfig)]


@dataclass(frozen=True)
class ConnectionConfig:
    """Where the brokers are and how every client (consumer, producer, admin) talks to them.

    Validated and completed on construction, with the errors the command line shows: the protocol
    defaults to SASL_SSL when a SASL mechanism is given and to SSL when only TLS files are, and the
    mechanism to PLAIN with SASL. A plain ``str`` given for a password is wrapped in a ``Secret``.
    """

    bootstrap_servers: str = field(
        default="localhost:9092",
        metadata=_option("--bootstrap-servers", "Kafka bootstrap servers, comma-separated (default: %(default)s)"),
    )
    security_protocol: str | None = field(
        default=None,
        metadata=_option(
            "--kafka-security-protocol",
            "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (default: PLAINTEXT; SASL_SSL with a SASL "
            "mechanism, SSL with TLS files)",
        ),
    )
    sasl_mechanism: str | None = field(
        default=None,
        metadata=_option("--kafka-sasl-mechanism", "PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, GSSAPI or OAUTHBEARER"),
    )
    sasl_username: str | None = field(
        default=None, metadata=_option("--kafka-sasl-username", "SASL username (or ${env})", env=ENV_SASL_USERNAME)
    )
    sasl_password: Secret | None = field(
        default=None,
        metadata=_option(
            "--kafka-sasl-password",
            "SASL password; prefer ${env}, which `ps` does not show",
            env=ENV_SASL_PASSWORD,
            secret=True,
        ),
    )
    ssl_cafile: str | None = field(
        default=None, metadata=_option("--kafka-ssl-cafile", "CA certificates (PEM) to verify the brokers with")
    )
    ssl_certfile: str | None = field(
        default=None, metadata=_option("--kafka-ssl-certfile", "client certificate (PEM) for mutual TLS")
    )
    ssl_keyfile: str | None = field(
        default=None, metadata=_option("--kafka-ssl-keyfile", "client private key (PEM) for mutual TLS")
    )
    ssl_password: Secret | None = field(
        default=None,
        metadata=_option(
            "--kafka-ssl-password", "password of the client key (or ${env})", env=ENV_SSL_PASSWORD, secret=True
        ),
    )
    ssl_crlfile: str | None = field(
        default=None, metadata=_option("--kafka-ssl-crlfile", "certificate revocation list (PEM)")
    )
    ssl_check_hostname: bool = field(
        default=True,
        metadata=_option(
            "--kafka-ssl-no-check-hostname",
            "do not check that the broker's certificate matches its host name",
            dest="kafka_ssl_check_hostname",
        ),
    )

    def __post_init__(self) -> None:
        for name, _default, option in _options():
            if option.secret and isinstance(getattr(self, name), str):
                object.__setattr__(self, name, Secret(getattr(self, name)))
        protocol, mechanism = self.security_protocol, self.sasl_mechanism
        tls_files = any((self.ssl_cafile, self.ssl_certfile, self.ssl_keyfile, self.ssl_crlfile))
        if protocol is None:
            protocol = "SASL_SSL" if mechanism else "SSL" if tls_files else None
        if protocol is not None:
            protocol = protocol.upper()
            if protocol not in SECURITY_PROTOCOLS:
                raise KafkaSetupError(
                    f"unknown Kafka security protocol {protocol!r}: use one of {', '.join(SECURITY_PROTOCOLS)}"
                )
        uses_sasl = protocol in SASL_PROTOCOLS
        if mechanism is not None:
            mechanism = mechanism.upper()
            if mechanism not in SASL_MECHANISMS:
                raise KafkaSetupError(f"unknown SASL mechanism {mechanism!r}: use one of {', '.join(SASL_MECHANISMS)}")
            if not uses_sasl:
                raise KafkaSetupError(
                    f"--kafka-sasl-mechanism needs --kafka-security-protocol SASL_SSL or SASL_PLAINTEXT, not {protocol}"
                )
        elif uses_sasl:
            mechanism = "PLAIN"
        if uses_sasl and mechanism in PASSWORD_MECHANISMS and not (self.sasl_username and self.sasl_password):
            raise KafkaSetupError(
                f"SASL {mechanism} needs a username and a password: pass --kafka-sasl-username and "
                f"--kafka-sasl-password, or set {ENV_SASL_USERNAME} and {ENV_SASL_PASSWORD}"
            )
        object.__setattr__(self, "security_protocol", protocol)
        object.__setattr__(self, "sasl_mechanism", mechanism)

    @classmethod
    def add_args(cls, parser: argparse.ArgumentParser) -> None:
        """The options of every command that talks to Kafka (``wirestream run`` and the CLI's tools)."""
        group = parser.add_argument_group("Kafka connection")
        for _name, default, option in _options():
            if isinstance(default, bool):  # a switch that turns a check that is on by default off
                group.add_argument(option.flag, dest=option.name, action="store_false", default=True, help=option.help)
            else:
                group.add_argument(option.flag, dest=option.name, default=default, help=option.help)

    @classmethod
    def from_options(cls, options: object, environ: Mapping[str, str] | None = None) -> ConnectionConfig:
        """The connection from parsed options (argparse's or Beam's), secrets falling back to the environment.

        An option given on the command line wins over its environment variable; empty means unset.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name, default, option in _options():
            value = getattr(options, option.name, default)
            if option.env is not None:
                value = value or env.get(option.env) or None
            values[name] = value
        return cls(**values)

    @classmethod
    def forget_secrets(cls, options: object) -> None:
        """Blank the secret options once ``from_options`` has read them.

        Beam shows a pipeline's options (its display data) and sends them to the runner; the DoFns
        carry their ``ConnectionConfig``, so the options need not hold the passwords any more.
        """
        for _name, _default, option in _options():
            if option.secret:
                setattr(options, option.name, None)

    def kafka_settings(self) -> dict[str, Any]:
        """kafka-python's settings for this connection, for every client; secrets revealed, as
        strings that print as ``'***'``.

        Only what applies is set (no SASL settings without SASL, no key password without a client
        certificate or key), so a plaintext connection is kafka-python's defaults.
        """
        sasl = self.security_protocol in SASL_PROTOCOLS
        settings: dict[str, Any] = {
            "bootstrap_servers": self.bootstrap_servers.split(","),
            "security_protocol": self.security_protocol,
            "sasl_mechanism": self.sasl_mechanism if sasl else None,
            "sasl_plain_username": self.sasl_username if sasl else None,
            "sasl_plain_password": _reveal(self.sasl_password) if sasl else None,
            "ssl_cafile": self.ssl_cafile,
            "ssl_certfile": self.ssl_certfile,
            "ssl_keyfile": self.ssl_keyfile,
            "ssl_password": _reveal(self.ssl_password) if (self.ssl_certfile or self.ssl_keyfile) else None,
            "ssl_crlfile": self.ssl_crlfile,
            "ssl_check_hostname": None if self.ssl_check_hostname else False,
        }
        if self.ssl_crlfile:  # kafka-python 3.0 cannot load a CRL (it calls load_verify_locations(crl=…)): we do
            settings = {key: value for key, value in settings.items() if not key.startswith("ssl_")}
            settings["ssl_context"] = self.tls_context()
        return {key: value for key, value in settings.items() if value is not None}

    def tls_context(self) -> ssl.SSLContext:
        """The TLS context kafka-python builds from these settings (and the revocation list it cannot
        load); KafkaSetupError, saying which, for a file that cannot be used."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.check_hostname = self.ssl_check_hostname
        _load(context.load_verify_locations, self.ssl_cafile, "--kafka-ssl-cafile", "CA certificates (PEM)")
        if not self.ssl_cafile:
            context.load_default_certs()
        if self.ssl_certfile:
            try:
                context.load_cert_chain(self.ssl_certfile, self.ssl_keyfile, _reveal(self.ssl_password))
            except (OSError, ssl.SSLError) as exc:
                raise KafkaSetupError(
                    f"cannot load the client certificate {self.ssl_certfile} (--kafka-ssl-certfile) with its key "
                    f"{self.ssl_keyfile or '(in the same file)'} ({reason(exc)}): check both files, and the key's "
                    f"password (--kafka-ssl-password)"
                ) from exc
        if self.ssl_crlfile:
            _load(context.load_verify_locations, self.ssl_crlfile, "--kafka-ssl-crlfile", "a revocation list (PEM)")
            context.verify_flags |= ssl.VERIFY_CRL_CHECK_LEAF
        return context

    def secrets(self) -> list[str]:
        """The passwords this connection carries, revealed: what a log must never show."""
        return [value.reveal() for value in (self.sasl_password, self.ssl_password) if value]

    @property
    def principal(self) -> str:
        """Who the broker sees, as a message names it: the SASL user, else this client."""
        if self.security_protocol in SASL_PROTOCOLS and self.sasl_username:
            return f"user {self.sasl_username!r}"
        return "this client"

    @property
    def acl_principal(self) -> str:
        """The principal as ACLs name it: ``User:<SASL username>``; else the broker's own mapping (a
        certificate's subject, or ANONYMOUS), which is not known here."""
        return f"User:{self.sasl_username}" if self.principal.startswith("user") else "User:<principal>"

    def describe(self) -> dict[str, str]:
        """What may be shown of the connection (Beam display data, logs): where and how, no credentials."""
        shown = {
            "bootstrap_servers": self.bootstrap_servers,
            "security_protocol": self.security_protocol or "PLAINTEXT",
            "sasl_mechanism": self.sasl_mechanism,
        }
        return {key: value for key, value in shown.items() if value is not None}


def _load(load: Any, path: str | None, option: str, what: str) -> None:
    if not path:
        return
    try:
        load(path)
    except FileNotFoundError as exc:
        raise KafkaSetupError(f"{path} ({option}) does not exist: give the path of {what}") from exc
    except (OSError, ssl.SSLError) as exc:
        raise KafkaSetupError(f"cannot read {path} ({option}) as {what}: {reason(exc)}") from exc


def reason(exc: BaseException) -> str:
    """What an OS or TLS error says, without its errno's numbers."""
    return str(getattr(exc, "reason", None) or getattr(exc, "strerror", None) or exc)


def _reveal(secret: Secret | None) -> str | None:
    return _ClientPassword(secret.reveal()) if secret else None


def as_connection(connection: ConnectionConfig | str) -> ConnectionConfig:
    """``connection`` itself, or a plaintext connection to the bootstrap servers a ``str`` names."""
    return connection if isinstance(connection, ConnectionConfig) else ConnectionConfig(bootstrap_servers=connection)
