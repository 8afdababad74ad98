"""A schema registry's Confluent-compatible REST API, as much of it as we use.

The Confluent wire format (``confluent.py``) names a record's schema by a registry id, so a run
with a registry registers our schemas there at launch, under the topic-name strategy
(``<topic>-value``, every Confluent client's default), with the compatibility rule BACKWARD on
each subject; ``consume --decode`` fetches writer schemas by id. Confluent's Schema Registry serves
this API at its root, Apicurio Registry under ``/apis/ccompat/v7``: the URL given is that base.
Plain ``urllib``, no client library, for a handful of requests made at launch.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import fastavro

from wirestream.transforms.encoding import avro

CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"
# The current schema reads everything registered before it, so what is already on a topic stays
# readable; a reader that pins a schema of its own upgrades first (tests/unit/test_schema_evolution.py
# holds the rule offline).
COMPATIBILITY = "BACKWARD"
# The Confluent API's error codes for a subject, or a schema under it, that is not there.
SUBJECT_NOT_FOUND, VERSION_NOT_FOUND, SCHEMA_NOT_FOUND = 40401, 40402, 40403
LOCAL_REGISTRY = "http://127.0.0.1:8085/apis/ccompat/v7"  # `make registry-up`


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


class RegistryUnreachableError(RegistryError):
    """No answer from the registry: every request would fail the same way."""


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


@dataclass
class SchemaRegistry:
    """A registry at ``url`` (the Confluent-compatible API's base); writer schemas it gave are kept."""

    url: str
    timeout: float = 10.0
    _writers: dict[int, dict[str, Any]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _refused: dict[int, RegistryError] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.url = self.url.rstrip("/")

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
            except RegistryUnreachableError:
                raise
            except RegistryError as exc:
                self._refused[schema_id] = exc
                raise
        return self._writers[schema_id]

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.url + path, data=data, method=method, headers={"Content-Type": CONTENT_TYPE, "Accept": CONTENT_TYPE}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = response.read()
        except urllib.error.HTTPError as exc:
            raise self._refusal(method, path, exc) from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:  # ValueError: not a URL
            reason = getattr(exc, "reason", exc)
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
