"""Typed failures: every way a message can fail a stage, each with a short, stable reason.

The reason is a low-cardinality label (it names a Prometheus series and a dead-letter header);
the message says what went wrong with this input and what to do about it.
"""

from __future__ import annotations


class WirestreamError(Exception):
    """Root of every failure the pipeline routes to the dead-letter topic."""

    reason = "error"

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason


class DecodeError(WirestreamError):
    """The bytes are not a wire item in any format we read."""

    reason = "undecodable"


class ParseError(WirestreamError):
    """The item decoded but has no story in it (no body, say)."""

    reason = "unparseable"


class EnrichError(WirestreamError):
    """The language model failed on this story."""

    reason = "enrich-failed"


class EncodeError(WirestreamError):
    """The story does not fit the Avro schema (a bug: please report it with the dead letter)."""

    reason = "unencodable"
