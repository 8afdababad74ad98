"""The registry client over HTTP, against a small stand-in for the Confluent API on loopback: what
it sends, and that every refusal becomes an error saying what to do.

The stand-in keeps subjects, ids and rules in dicts and refuses what it is told to; the real
registry's own rules are tested in tests/integration/test_schema_registry.py.
"""

from __future__ import annotations

import base64
import json
import re
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from wirestream.transforms.encoding import registry as reg
from wirestream.transforms.encoding.registry import (
    IncompatibleSchemaError,
    RegistryAccessError,
    RegistryError,
    RegistryUnreachableError,
    RegistryUnusableError,
    SchemaNotRegisteredError,
    SchemaRegistry,
    output_schema_ids,
)

TOPICS = {"story": "wire.stories", "quote": "wire.quotes", "entity": "wire.entities"}


class FakeRegistry(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.versions: dict[str, list[int]] = {}
        self.schemas: dict[int, str] = {}
        self.config: dict[str, str] = {}
        self.refuse: set[str] = set()  # subjects whose next version breaks their rule
        self.calls: list[tuple[str, str]] = []
        self.users: dict[str, str] = {}  # with users, basic auth on: name → password
        self.readers: set[str] = set()  # users who may only GET
        self.scheme = "http"

    @property
    def url(self) -> str:
        return f"{self.scheme}://localhost:{self.server_address[1]}/apis/ccompat/v7"

    def serve_tls(self, context: ssl.SSLContext) -> None:
        self.socket = context.wrap_socket(self.socket, server_side=True)
        self.scheme = "https"


class Handler(BaseHTTPRequestHandler):
    server: FakeRegistry

    def log_message(self, *_: object) -> None:  # quiet
        pass

    def _answer(self, status: int, body: object, content_type: str = reg.CONTENT_TYPE) -> None:
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _denied(self, method: str) -> bool:
        """Basic auth as Apicurio answers it: 401 without a known user and password, 403 for a reader's write."""
        if not self.server.users:
            return False
        kind, _, token = (self.headers.get("Authorization") or "").partition(" ")
        user, _, password = base64.b64decode(token).decode().partition(":") if kind == "Basic" else ("", "", "")
        if self.server.users.get(user) != password or not user:
            self._answer(401, {"message": "User is not authenticated.", "error_code": 0})
            return True
        if user in self.server.readers and method != "GET":
            self._answer(
                403, {"message": "User is not authorized to perform the requested operation.", "error_code": 0}
            )
            return True
        return False

    def _route(self, method: str) -> None:
        server, path = self.server, self.path
        server.calls.append((method, path))
        if self._denied(method):
            return
        if not path.startswith("/apis/ccompat/v7/"):
            return self._answer(404, "<html>Not Found</html>", "text/html")
        parts = path.removeprefix("/apis/ccompat/v7/").split("/")
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        if method == "PUT" and parts[0] == "config":
            server.config[parts[1]] = body["compatibility"]
            return self._answer(200, body)
        if method == "GET" and parts[0] == "config":
            if parts[1] not in server.config:
                return self._answer(404, {"error_code": 40408, "message": "no config"})
            return self._answer(200, {"compatibilityLevel": server.config[parts[1]]})
        if method == "GET" and parts == ["subjects"]:
            return self._answer(200, sorted(server.versions))
        if method == "GET" and parts[:2] == ["schemas", "ids"]:
            schema_id = int(parts[2])
            if schema_id not in server.schemas:
                return self._answer(404, {"error_code": 40403, "message": f"Schema {schema_id} not found"})
            return self._answer(200, {"schema": server.schemas[schema_id]})
        subject = parts[1]
        known = {server.schemas[i]: i for i in server.versions.get(subject, [])}
        if method == "POST" and parts[2:] == ["versions"]:
            if body["schema"] in known:
                return self._answer(200, {"id": known[body["schema"]]})
            if subject in server.refuse:
                return self._answer(409, {"error_code": 409, "message": "Incompatible artifact: desk at /fields/30"})
            schema_id = len(server.schemas) + 1
            server.schemas[schema_id] = body["schema"]
            server.versions.setdefault(subject, []).append(schema_id)
            return self._answer(200, {"id": schema_id})
        if method == "POST":  # lookup
            if subject not in server.versions:
                return self._answer(404, {"error_code": 40401, "message": f"Subject '{subject}' not found."})
            if body["schema"] not in known:
                return self._answer(404, {"error_code": 40403, "message": "Schema not found"})
            return self._answer(200, {"id": known[body["schema"]], "subject": subject})
        return self._answer(405, {"error_code": 405, "message": "no"})

    def do_GET(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def do_PUT(self) -> None:
        self._route("PUT")


@pytest.fixture
def fake() -> Iterator[FakeRegistry]:
    server = FakeRegistry()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_auto_register_sets_backward_then_registers_each_schema_under_its_topic(fake):
    registry = SchemaRegistry(fake.url + "/")  # a trailing slash is fine
    ids = output_schema_ids(registry, TOPICS, auto_register=True)
    assert ids == {"story": 1, "quote": 2, "entity": 3}
    assert fake.config == {f"{t}-value": "BACKWARD" for t in TOPICS.values()}
    assert fake.calls[:2] == [
        ("PUT", "/apis/ccompat/v7/config/wire.stories-value"),
        ("POST", "/apis/ccompat/v7/subjects/wire.stories-value/versions"),
    ]
    assert fake.schemas[1] == (reg.schema_text("story"))
    assert output_schema_ids(registry, TOPICS, auto_register=True) == ids  # the same ids again
    assert output_schema_ids(registry, TOPICS, auto_register=False) == ids
    assert registry.compatibility("wire.stories-value") == "BACKWARD"
    assert registry.compatibility("elsewhere-value") is None


def test_a_topic_of_stories_under_another_name_gets_the_story_schema_under_its_own_subject(fake):
    registry = SchemaRegistry(fake.url)
    topics = {"story": "wire.stories", "latest": "wire.latest"}
    ids = output_schema_ids(registry, topics, schemas={"latest": "story"})
    assert fake.schemas[ids["latest"]] == reg.schema_text("story")
    assert fake.config["wire.latest-value"] == "BACKWARD"
    with pytest.raises(
        SchemaNotRegisteredError, match=re.escape("schemas/story.avsc under subject 'wire.later-value'")
    ):
        output_schema_ids(registry, {"latest": "wire.later"}, auto_register=False, schemas={"latest": "story"})


def test_looking_up_only_names_every_schema_to_register(fake):
    registry = SchemaRegistry(fake.url)
    output_schema_ids(registry, {"story": "wire.stories"}, auto_register=True)
    with pytest.raises(SchemaNotRegisteredError) as caught:
        output_schema_ids(registry, TOPICS, auto_register=False)
    message = str(caught.value)
    assert "schemas/quote.avsc under subject 'wire.quotes-value'" in message
    assert "schemas/entity.avsc under subject 'wire.entities-value'" in message
    assert "wire.stories-value" not in message
    assert f"{fake.url}/subjects/<subject>/versions" in message and "BACKWARD" in message
    assert not any(method == "PUT" or path.endswith("/versions") for method, path in fake.calls[2:])


def test_a_topic_left_out_gets_no_schema(fake):
    assert output_schema_ids(SchemaRegistry(fake.url), {"story": "s", "quote": None}) == {"story": 1}


def test_a_refused_schema_says_why_and_what_to_do(fake):
    fake.refuse.add("wire.stories-value")
    with pytest.raises(IncompatibleSchemaError, match=r"under subject 'wire\.stories-value'.*needs a default"):
        output_schema_ids(SchemaRegistry(fake.url), TOPICS)


def test_writer_schemas_are_fetched_once_and_a_missing_id_is_remembered(fake):
    registry = SchemaRegistry(fake.url)
    output_schema_ids(registry, TOPICS)
    assert registry.writer_schema(2)["name"] == "wirestream.QuoteRecord"
    assert registry.writer_schema(2) is registry.writer_schema(2)
    for _ in range(3):
        with pytest.raises(RegistryError, match="HTTP 404: Schema 99 not found"):
            registry.writer_schema(99)
    assert [path for _, path in fake.calls].count("/apis/ccompat/v7/schemas/ids/2") == 1
    assert [path for _, path in fake.calls].count("/apis/ccompat/v7/schemas/ids/99") == 1


def test_the_registry_root_instead_of_its_confluent_api_is_pointed_out(fake):
    root = fake.url.removesuffix("/apis/ccompat/v7")
    with pytest.raises(RegistryError, match="Confluent-compatible API"):
        output_schema_ids(SchemaRegistry(root), TOPICS)


def test_an_unreachable_registry_says_how_to_start_one():
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    registry = SchemaRegistry(f"http://127.0.0.1:{port}/apis/ccompat/v7", timeout=2)
    with pytest.raises(RegistryUnreachableError, match="make registry-up"):
        output_schema_ids(registry, TOPICS)
    with pytest.raises(RegistryUnreachableError):
        registry.writer_schema(1)
    assert isinstance(RegistryUnreachableError("x"), ValueError)  # `wirestream run` exits 2 on it


# --- credentials: basic auth, and HTTPS verified with a CA -------------------------------------------

CERTS_SH = Path(__file__).resolve().parents[2] / "deploy" / "kafka" / "certs.sh"


@pytest.fixture
def guarded(fake: FakeRegistry) -> FakeRegistry:
    fake.users = {"writer": "w-secret", "reader": "r-secret"}
    fake.readers = {"reader"}
    return fake


def test_basic_auth_registers_as_a_writer_and_reads_as_a_reader(guarded):
    writer = SchemaRegistry(guarded.url, username="writer", password="w-secret")
    ids = output_schema_ids(writer, TOPICS)
    reader = SchemaRegistry(guarded.url, username="reader", password="r-secret")
    assert reader.writer_schema(ids["quote"])["name"] == "wirestream.QuoteRecord"
    assert "w-secret" not in repr(writer)


def test_credentials_come_from_the_environment(guarded, monkeypatch):
    monkeypatch.setenv(reg.ENV_REGISTRY_USERNAME, "writer")
    monkeypatch.setenv(reg.ENV_REGISTRY_PASSWORD, "w-secret")
    assert output_schema_ids(SchemaRegistry(guarded.url), {"story": "wire.stories"}) == {"story": 1}


@pytest.mark.parametrize(
    ("credentials", "said"),
    [
        ({}, "HTTP 401 (User is not authenticated.): it wants credentials: set WIRESTREAM_SCHEMA_REGISTRY_USERNAME"),
        ({"username": "writer", "password": "wrong"}, "HTTP 401 (User is not authenticated.): user 'writer' and its"),
        ({"username": "reader", "password": "r-secret"}, "HTTP 403 (User is not authorized to perform the requested "),
    ],
)
def test_a_refused_login_says_what_to_do_and_fails_every_request_alike(guarded, credentials, said):
    registry = SchemaRegistry(guarded.url, **credentials)
    with pytest.raises(RegistryAccessError, match=re.escape(said)) as refused:
        output_schema_ids(registry, TOPICS)
    assert isinstance(refused.value, RegistryUnusableError)  # consume stops at the first, exit 2
    assert "wrong" not in str(refused.value) and "secret" not in str(refused.value)


@pytest.mark.parametrize(
    ("settings", "said"),
    [
        ({"username": "writer"}, "needs a username and a password"),
        ({"password": "p"}, "needs a username and a password"),
        ({"cafile": "ca.pem"}, "is for an https:// schema registry"),
    ],
)
def test_credentials_that_cannot_work_are_refused_at_once(settings, said):
    with pytest.raises(RegistryError, match=said):
        SchemaRegistry("http://127.0.0.1:1/apis/ccompat/v7", **settings)


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our own CA and a certificate for ``localhost`` only, made by deploy/kafka/certs.sh."""
    directory = tmp_path_factory.mktemp("certs")
    subprocess.run(["bash", str(CERTS_SH), str(directory), "localhost"], check=True, capture_output=True)
    return directory


def test_https_is_verified_with_the_ca_given(guarded, certs):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certs / "broker.crt", certs / "broker.key")
    guarded.serve_tls(context)
    login = {"username": "writer", "password": "w-secret"}
    assert SchemaRegistry(guarded.url, cafile=str(certs / "ca.pem"), **login).subjects() == []
    with pytest.raises(RegistryAccessError, match="does not verify with the system's CAs"):
        SchemaRegistry(guarded.url, **login).subjects()
    by_ip = guarded.url.replace("localhost", "127.0.0.1")
    with pytest.raises(RegistryAccessError, match="a host name the certificate holds"):
        SchemaRegistry(by_ip, cafile=str(certs / "ca.pem"), **login).subjects()
    with pytest.raises(RegistryError, match="does not exist"):
        SchemaRegistry(guarded.url, cafile=str(certs / "none.pem"), **login)
