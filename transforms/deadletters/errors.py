"""Typed failures: every way a message can fail a stage, each with a short, stable reason.

The reason is a low-cardinality label (it names a Prometheus series and a dead-letter header),
one of ``reasons.REASONS`` for the error's stage; the message says what went wrong with this
input and what to do about it.
"""

from __future__ import annotations

from wirestream.transforms.deadletters.reasons import TOO_SLOW, reasons_of


class WirestreamError(Exception):
    """Root of every failure the pipeline routes to the dead-letter topic."""

    stage = ""
    reason = ""

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason
        if self.reason not in reasons_of(self.stage):
            raise ValueError(
                f"{type(self).__name__} given reason {self.reason!r}, which is not a {self.stage or 'stage'} reason: "
                f"add it to wirestream.transforms.deadletters.reasons.REASONS or use one of {reasons_of(self.stage)}"
            )


class DecodeError(WirestreamError):
    """The bytes are not a wire item in any format we read."""

    stage = "decode"
    reason = "undecodable"


class ParseError(WirestreamError):
    """The item decoded but has no story in it (no body, say)."""

    stage = "parse"
    reason = "unparseable"


class EnrichError(WirestreamError):
    """The language model failed on this story."""

    stage = "enrich"
    reason = "enrich-failed"


class EncodeError(WirestreamError):
    """The story does not fit the Avro schema (a bug: please report it with the dead letter)."""

    stage = "encode"
    reason = "unencodable"


class TooSlowError(WirestreamError):
    """A stage ran past its time limit on this message and was stopped; the messages after it go on."""

    reason = TOO_SLOW

    def __init__(self, message: str, *, stage: str) -> None:
        self.stage = stage
        super().__init__(message)
