"""Dead-letter headers are read back by the module that writes them, as the replay needs them."""

from __future__ import annotations

from wirestream.transforms.deadletters.letter import DeadLetter, original_headers, read_headers
from wirestream.transforms.records.story import WireMessage

MESSAGE = WireMessage(
    topic="wire.raw",
    partition=2,
    offset=41,
    timestamp_ms=1_700_000_000_000,
    key=b"k",
    value=b"{",
    headers=(("agency", b"FP"), ("trace", b"")),
)


def test_what_a_dead_letter_writes_reads_back():
    letter = DeadLetter(MESSAGE, "decode", "bad-json", "DecodeError: the ninjs item is not valid JSON")
    record = letter.to_record("wire.deadletter")
    assert read_headers(record.headers) == {
        "stage": "decode",
        "reason": "bad-json",
        "error": "DecodeError: the ninjs item is not valid JSON",
        "source.topic": "wire.raw",
        "source.partition": "2",
        "source.offset": "41",
        "source.timestamp": "1700000000000",
    }
    assert original_headers(record.headers) == list(MESSAGE.headers)


def test_headers_as_a_consumer_gives_them():
    # kafka-python gives a list, with None for an empty value.
    headers = [
        ("agency", b"FP"),
        ("wirestream.reason", None),
        ("wirestream.error", "é".encode() + b"\xff"),
        ("x", None),
    ]
    assert read_headers(headers) == {"reason": "", "error": "é\ufffd"}
    assert original_headers(headers) == [("agency", b"FP"), ("x", b"")]
    assert read_headers([]) == {} and original_headers([]) == []
