"""A schema registry's Confluent-compatible REST API, as much of it as we use.

The Confluent wire format (``confluent.py``) names a record's schema by a registry id, so a run
with a registry registers our schemas there at launch, under the topic-name strategy
(``<topic>-value``, every Confluent client's default), with the compatibility rule BACKWARD on
each subject; ``consume --decode`` fetches writer schemas by id. Confluent's Schema Registry serves
this API at its root, Apicurio Registry under ``/apis/ccompat/v7``: the URL given is that base.
Plain ``urllib``, no client library, for a handful of requests made at launch.

A registry that wants credentials gets HTTP basic auth, and one served over HTTPS is verified with
the CA given (else the system's). They come from the environment (``WIRESTREAM_SCHEMA_REGISTRY_*``)
unless given: ``ps`` shows command lines, and the URL shows in logs, so it may not carry them.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import fastavro

from wirestream.transforms.encoding import avro
from wirestream.transforms.kafka.connection import Secret

CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"
# The current schema reads everything registered before it, so what is already on a topic stays
# readable; a reader that pins a schema of its own upgrades first (tests/unit/test_schema_evolution.py
# holds the rule offline).
COMPATIBILITY = "BACKWARD"
# The Confluent API's error codes for a subject, or a schema under it, that is not there.
SUBJECT_NOT_FOUND, VERSION_NOT_FOUND, SCHEMA_NOT_FOUND = 40401, 40402, 40403
LOCAL_REGISTRY = "http://127.0.0.1:8085/apis/ccompat/v7"  # `make registry-up`
ENV_REGISTRY_USERNAME = "WIRESTREAM_SCHEMA_REGISTRY_USERNAME"
ENV_REGISTRY_PASSWORD = "WIRESTREAM_SCHEMA_REGISTRY_PASSWORD"
ENV_REGISTRY_CAFILE = "WIRESTREAM_SCHEMA_REGISTRY_CAFILE"
_LOGGER = logging.getLogger(__name__)


class RegistryError(ValueError):
    """The registry cannot be reached or refused a request; the message says what to do.

    A ValueError, so that a run failing on it at launch exits 2 like other bad options.
    """

    def __init__(
        self, message: str, *, status: int | None = None, code: int | None = None, detail: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status  # HTTP
        self.code = code  # the Confluent API's error_code
        self.detail = detail  # what the registry said


class RegistryUnusableError(RegistryError):
    """Every request to the registry would fail the same way: no answer, or it refuses who we are."""


class RegistryUnreachableError(RegistryUnusableError):
    """No answer from the registry."""


class RegistryAccessError(RegistryUnusableError):
    """The registry refuses our credentials, or its certificate does not verify."""


class SchemaNotRegisteredError(RegistryError):
    """A schema we write is not registered under its subject (and we were told not to register it)."""


class IncompatibleSchemaError(RegistryError):
    """The registry refuses a schema: it breaks the subject's compatibility rule (HTTP 409)."""


def subject_for(topic: str) -> str:
    """The subject of ``topic``'s values under the topic-name strategy."""
    return f"{topic}-value"


def schema_text(name: str) -> str:
    """Our current schema ``name`` as registered: the ``.avsc`` file's text, docs and all."""
    return (avro.SCHEMA_DIR / f"{name}.avsc").read_text(encoding="utf-8")


def _env(name: str) -> str | None:
    return os.environ.get(name) or None


@dataclass
class SchemaRegistry:
    """A registry at ``url`` (the Confluent-compatible API's base); writer schemas it gave are kept.

    ``username`` and ``password``: HTTP basic auth; ``cafile``: the CA certificates (PEM) an https://
    registry is verified with. Each defaults to its ``WIRESTREAM_SCHEMA_REGISTRY_*`` variable.
    """

    url: str
    timeout: float = 10.0
    username: str | None = field(default_factory=lambda: _env(ENV_REGISTRY_USERNAME))
    password: Secret | str | None = field(default_factory=lambda: _env(ENV_REGISTRY_PASSWORD))
    cafile: str | None = field(default_factory=lambda: _env(ENV_REGISTRY_CAFILE))
    _writers: dict[int, dict[str, Any]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _refused: dict[int, RegistryError] = field(default_factory=dict, init=False, repr=False, compare=False)
    _tls: ssl.SSLContext | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.url = self.url.rstrip("/")
        parts = urllib.parse.urlsplit(self.url)
        if parts.username or parts.password:
            raise RegistryError(
                f"the schema registry URL {_without_credentials(parts)} carries credentials, "
                f"which logs would show: give them in {ENV_REGISTRY_USERNAME} and {ENV_REGISTRY_PASSWORD}"
            )
        if isinstance(self.password, str):
            self.password = Secret(self.password)
        if bool(self.username) != bool(self.password):
            raise RegistryError(
                f"schema registry basic auth needs a username and a password: set both {ENV_REGISTRY_USERNAME} and "
                f"{ENV_REGISTRY_PASSWORD} (or --schema-registry-username and --schema-registry-password)"
            )
        if parts.scheme == "https":
            self._tls = _tls_context(self.cafile)
        elif self.cafile:
            raise RegistryError(f"a CA file ({self.cafile}) is for an https:// schema registry, not {self.url}")
        elif self.username:
            _LOGGER.warning("sending the schema registry's credentials over plain http to %s", self.url)

    def register(self, subject: str, schema: str) -> int:
        """The id of ``schema`` under ``subject``, registering it as the next version if it is new."""
        try:
            return self._call("POST", f"/subjects/{_quote(subject)}/versions", {"schema": schema})["id"]
        except RegistryError as exc:
            if exc.status != 409:
                raise
            raise IncompatibleSchemaError(
                f"the schema registry at {self.url} refuses this schema under subject {subject!r}: it breaks the "
                f"subject's compatibility rule ({exc.detail}). Make the change compatible (a new field needs a "
                f"default), or write to a new topic",
                status=exc.status,
                code=exc.code,
                detail=exc.detail,
            ) from exc

    def lookup(self, subject: str, schema: str) -> int | None:
        """The id of ``schema`` if it is registered under ``subject``, else None; registers nothing."""
        try:
            return self._call("POST", f"/subjects/{_quote(subject)}", {"schema": schema})["id"]
        except RegistryError as exc:
            if exc.code in (SUBJECT_NOT_FOUND, SCHEMA_NOT_FOUND):
                return None
            raise

    def set_compatibility(self, subject: str, level: str = COMPATIBILITY) -> None:
        """Set ``subject``'s compatibility rule (it may be set before the subject has a version)."""
        self._call("PUT", f"/config/{_quote(subject)}", {"compatibility": level})

    def compatibility(self, subject: str) -> str | None:
        """``subject``'s own compatibility rule, None if it has none (the registry's default applies)."""
        try:
            return self._call("GET", f"/config/{_quote(subject)}").get("compatibilityLevel")
        except RegistryError as exc:
            if exc.status == 404:
                return None
            raise

    def subjects(self) -> list[str]:
        return self._call("GET", "/subjects")

    def writer_schema(self, schema_id: int) -> dict[str, Any]:
        """The Avro schema registered as ``schema_id``, parsed; RegistryError if the registry has none.

        Both answers are kept: ids never change their schema, and a topic of bytes that merely start
        like the wire format (dead letters) should not cost a request per record.
        """
        if schema_id in self._refused:
            raise self._refused[schema_id]
        if schema_id not in self._writers:
            try:
                found = self._call("GET", f"/schemas/ids/{schema_id}")
                kind = found.get("schemaType", "AVRO")
                if kind != "AVRO":
                    raise RegistryError(f"schema id {schema_id} at {self.url} is a {kind} schema, not Avro")
                self._writers[schema_id] = fastavro.parse_schema(json.loads(found["schema"]))
            except RegistryUnusableError:
                raise
            except RegistryError as exc:
                self._refused[schema_id] = exc
                raise
        return self._writers[schema_id]

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": CONTENT_TYPE, "Accept": CONTENT_TYPE}
        if self.username and self.password:
            token = base64.b64encode(f"{self.username}:{self.password.reveal()}".encode()).decode("ascii")
            headers["Authorization"] = f"Basic {token}"
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout, context=self._tls) as response:
                answer = response.read()
        except urllib.error.HTTPError as exc:
            raise self._refusal(method, path, exc) from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:  # ValueError: not a URL
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, ssl.SSLCertVerificationError):
                trusted = f"the CA in {self.cafile}" if self.cafile else "the system's CAs"
                raise RegistryAccessError(
                    f"the schema registry's certificate at {self.url} does not verify with {trusted} "
                    f"({reason.verify_message}): give {ENV_REGISTRY_CAFILE} (or --schema-registry-cafile) the CA that "
                    f"signed it, and use a host name the certificate holds"
                ) from exc
            raise RegistryUnreachableError(
                f"cannot reach the schema registry at {self.url} ({reason}): is it running? "
                f"`make registry-up` starts a local one at {LOCAL_REGISTRY}"
            ) from exc
        try:
            return json.loads(answer)
        except ValueError as exc:
            raise RegistryError(
                f"the schema registry at {self.url} answered {method} {path} with something other than JSON: is "
                f"{self.url} the base of its Confluent-compatible API (Apicurio: <registry>/apis/ccompat/v7)?"
            ) from exc

    def _refusal(self, method: str, path: str, exc: urllib.error.HTTPError) -> RegistryError:
        try:
            answer = json.loads(exc.read() or b"{}")
        except ValueError:
            answer = {}
        code = answer.get("error_code") if isinstance(answer, dict) else None
        message = answer.get("message") if isinstance(answer, dict) else None
        if exc.code in (401, 403):
            return self._denied(method, path, exc.code, message or exc.reason)
        hint = ""
        if exc.code == 404 and code is None:  # not the Confluent API: an HTML page, or another API's error
            hint = f"; is {self.url} the base of the Confluent-compatible API (Apicurio: <registry>/apis/ccompat/v7)?"
        return RegistryError(
            f"the schema registry at {self.url} answered {method} {path} with HTTP {exc.code}: "
            f"{message or exc.reason}{hint}",
            status=exc.code,
            code=code,
            detail=message,
        )

    def _denied(self, method: str, path: str, status: int, said: str) -> RegistryAccessError:
        if status == 401 and not self.username:
            todo = f"it wants credentials: set {ENV_REGISTRY_USERNAME} and {ENV_REGISTRY_PASSWORD}"
        elif status == 401:
            todo = f"user {self.username!r} and its password were refused: check both"
        else:
            todo = (
                f"user {self.username!r} may not {method} {path}: registering schemas and setting compatibility "
                f"need a role that writes (Apicurio: sr-developer), decoding one that reads"
            )
        return RegistryAccessError(
            f"the schema registry at {self.url} answered {method} {path} with HTTP {status} ({said}): {todo}",
            status=status,
            detail=said,
        )


def _without_credentials(parts: urllib.parse.SplitResult) -> str:
    netloc = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc=netloc).geturl()


def _tls_context(cafile: str | None) -> ssl.SSLContext:
    try:
        return ssl.create_default_context(cafile=cafile)
    except FileNotFoundError as exc:
        raise RegistryError(f"the schema registry's CA file {cafile} does not exist") from exc
    except (OSError, ssl.SSLError) as exc:
        raise RegistryError(f"cannot read {cafile} as CA certificates (PEM): {exc}") from exc


def _quote(subject: str) -> str:
    return urllib.parse.quote(subject, safe="")


def output_schema_ids(
    registry: SchemaRegistry,
    topics: Mapping[str, str | None],
    *,
    auto_register: bool = True,
    schemas: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """The registry id of each of our current schemas (``topics``: schema name → its topic, None
    leaves it out), under the topic-name strategy. A key that names no schema file of its own says
    in ``schemas`` whose records its topic holds (``{"latest": "story"}``).

    With ``auto_register``, sets BACKWARD on each subject, then registers the schema (an id it
    already has comes back as it is; a change the rule refuses raises IncompatibleSchemaError).
    Without, only looks the ids up, and raises SchemaNotRegisteredError naming every schema that is
    missing and what to register.
    """
    ids: dict[str, int] = {}
    missing: list[tuple[str, str]] = []
    for name, topic in topics.items():
        if not topic:
            continue
        schema = (schemas or {}).get(name, name)
        subject, text = subject_for(topic), schema_text(schema)
        if auto_register:
            registry.set_compatibility(subject)
            ids[name] = registry.register(subject, text)
        elif (found := registry.lookup(subject, text)) is not None:
            ids[name] = found
        else:
            missing.append((schema, subject))
    if missing:
        wanted = ", ".join(f"schemas/{name}.avsc under subject {subject!r}" for name, subject in missing)
        raise SchemaNotRegisteredError(
            f"the schema registry at {registry.url} lacks the current version of {wanted}, and schemas are not "
            f"to be registered automatically: register them (run once without --no-auto-register-schemas, or "
            f'POST {{"schema": <the file\'s text>}} to {registry.url}/subjects/<subject>/versions) and set '
            f'compatibility {COMPATIBILITY} on each (PUT {{"compatibility": "{COMPATIBILITY}"}} to '
            f"{registry.url}/config/<subject>)"
        )
    return ids
