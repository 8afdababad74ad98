"""Every reason a message can be dead-lettered for, defined once.

A reason is a short, stable code: it names a Prometheus series (``wirestream_deadletters_total``),
fills the ``wirestream.reason`` header and is what ``replay-deadletters --reason`` filters on.
The metric's zero-initialisation, the typed errors' check and the README's table all come from
``REASONS``; ``python -m wirestream.transforms.deadletters.reasons`` prints that table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# The stages that dead-letter, in the order a message meets them.
STAGES = ("decode", "parse", "enrich", "encode")
INTERNAL_ERROR = "internal-error"
TOO_SLOW = "too-slow"


@dataclass(frozen=True)
class Reason:
    """A dead-letter reason: its code, the stages that use it, and what it tells the operator."""

    code: str
    stages: tuple[str, ...]
    meaning: str


REASONS: tuple[Reason, ...] = (
    Reason("empty", ("decode",), "no bytes, or only whitespace: check the producer"),
    Reason("binary", ("decode",), "binary data, not a wire item in any format we read"),
    Reason("too-large", ("decode",), "over `--max-message-bytes`; raise it if such items are real"),
    Reason("bad-encoding", ("decode",), "text that is not valid in its (declared or assumed) character set"),
    Reason("bad-json", ("decode",), "JSON that does not parse (often a truncated message)"),
    Reason("bad-xml", ("decode",), "XML that does not parse, or has no root element"),
    Reason("unsafe-xml", ("decode",), "XML that declares entities (external fetches, entity bombs): refused"),
    Reason("not-ninjs", ("decode",), "JSON that is not a ninjs item (forced or sniffed as NINJS)"),
    Reason("not-apmedia", ("decode",), "JSON that is not an AP Media API item"),
    Reason("not-anpa", ("decode",), "ANPA 1312 without a start-of-text code"),
    Reason("not-iptc7901", ("decode",), "IPTC 7901 without a start-of-text code"),
    Reason(
        "no-text-item",
        ("decode",),
        "a message with no text item in it: a picture, graphic, video or audio item (NewsML, ninjs, AP Media)",
    ),
    Reason("unknown-format", ("decode",), "no wire format recognises the message; `--format` forces one"),
    Reason("undecodable", ("decode",), "any other input that no decoder can read"),
    Reason("no-body", ("parse",), "the item decoded but has no story text"),
    Reason("unparseable", ("parse",), "any other item the parser cannot split into a story"),
    Reason("enrich-failed", ("enrich",), "the language model failed on this story"),
    Reason(
        "entities-failed",
        ("enrich",),
        "entity extraction raised; the story went out without entities (a bug)",
    ),
    Reason("quotes-failed", ("enrich",), "quote finding raised; the story went out without quotes (a bug)"),
    Reason("too-long-for-nlp", ("enrich",), "a body over spaCy's `nlp.max_length`: split the item, or raise the limit"),
    Reason("unencodable", ("encode",), "the story does not fit its Avro schema: a bug, please report it"),
    Reason(TOO_SLOW, ("decode", "parse", "enrich"), "the stage ran past `--max-message-seconds` on it and was stopped"),
    Reason(INTERNAL_ERROR, STAGES, "an unexpected exception: a bug, please report it with the dead letter"),
)

CODES = frozenset(reason.code for reason in REASONS)


def reasons_of(stage: str) -> tuple[str, ...]:
    """The codes ``stage`` may dead-letter with, in ``REASONS`` order."""
    return tuple(reason.code for reason in REASONS if stage in reason.stages)


def markdown_table(reasons: Iterable[Reason] = REASONS) -> str:
    """The README's table of reasons."""
    rows = ["| reason | stage | what it means |", "|---|---|---|"]
    for reason in reasons:
        stages = "every stage" if reason.stages == STAGES else ", ".join(reason.stages)
        rows.append(f"| `{reason.code}` | {stages} | {reason.meaning} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown_table())
