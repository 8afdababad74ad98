"""Text helpers the line-based wire formats share: character sets and hard-wrapped lines.

Wire text comes in UTF-8, in Latin-1/Windows-1252 (IPTC 7901, ANPA), and now and then as UTF-8
that was decoded as Windows-1252 once too often (``GrÃ¼ÃŸe``). ``decode_text`` returns the
characters the sender meant. ``join_wrapped`` turns 1980s-style lines of 60-70 columns back into
paragraphs.
"""

from __future__ import annotations

import re

from wirestream.transforms.deadletters.errors import DecodeError
from wirestream.transforms.parsing.story_parts import is_capitals

__all__ = ["decode_text", "is_hard_wrapped", "join_wrapped", "split_lines", "trim_blank_lines"]

_BOM = b"\xef\xbb\xbf"
# UTF-8 read as Windows-1252: a lead byte (Â, Ã, â, ...) followed by a continuation character.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_SENTENCE_END = tuple(".!?:;\"'\u201d\u2019)=<")
# A wrapped line shorter than this share of the wrap width ends its paragraph.
_SHORT_LINE_SHARE = 0.6


def decode_text(raw: bytes) -> str:
    """UTF-8 when the bytes are valid UTF-8, else Windows-1252 (Latin-1 for its five unused
    bytes); then undo one round of UTF-8-read-as-1252 mojibake when that is what the text holds."""
    body = raw.removeprefix(_BOM)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = "".join(_cp1252(byte) for byte in body) if _has_undefined_cp1252(body) else body.decode("cp1252")
    return repair_mojibake(text)


STX, ETX = "\x02", "\x03"


def stx_block(text: str, *, what: str, reason: str, hint: str) -> tuple[str, str]:
    """The header before a transmission's STX (start of text) code and the text up to its ETX.

    ANPA-1312 and IPTC 7901 frame the story this way; with no STX there is no story: DecodeError
    ``reason``, naming the format (``what``) and what to do (``hint``). A missing ETX (a message
    cut short) leaves the text running to the end.
    """
    start = text.find(STX)
    if start < 0:
        raise DecodeError(
            f"the {what} message has no STX (start of text) code, so it holds no story; {hint}", reason=reason
        )
    end = text.find(ETX, start)
    return text[:start], text[start + 1 : end if end >= 0 else len(text)]


def split_lines(text: str) -> list[str]:
    """Lines split at CR, LF or CRLF only: ``str.splitlines`` would also split at the RS/US
    codes (0x1e, 0x1f) that ANPA agate uses as cell separators."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def repair_mojibake(text: str) -> str:
    """``FuÃŸball`` → ``Fußball``, only when the whole text re-decodes cleanly."""
    if not _MOJIBAKE.search(text):
        return text
    try:
        return text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return text


def _has_undefined_cp1252(body: bytes) -> bool:
    return any(byte in body for byte in (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d"))


def _cp1252(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def is_hard_wrapped(lines: list[str]) -> bool:
    """True for text wrapped at a fixed width: most lines short (≤ 100 columns) and many of them
    ending mid-sentence. One-paragraph-per-line text ends almost every line with punctuation."""
    texts = [line.rstrip() for line in lines if line.strip()]
    if len(texts) < 4:
        return False
    if _wrap_width(texts) > 100:
        return False
    open_ended = sum(1 for line in texts if not line.endswith(_SENTENCE_END))
    return open_ended >= 0.4 * len(texts)


def join_wrapped(lines: list[str]) -> list[str]:
    """Paragraphs of hard-wrapped lines, stripped, with ``""`` between paragraphs.

    A paragraph ends at a blank line, before an indented line (the wire's paragraph indent),
    and after a line much shorter than the wrap width (a byline, a last line) or in capitals
    (a headline).
    """
    width = _wrap_width([line.rstrip() for line in lines if line.strip()]) or 1
    out: list[str] = []
    current: list[str] = []
    previous = ""

    def flush() -> None:
        if current:
            out.append(" ".join(current))
            current.clear()

    for line in lines:
        text = line.strip()
        if not text:
            flush()
            if out and out[-1]:
                out.append("")
            previous = ""
            continue
        if current and (line[:1].isspace() or len(previous) < _SHORT_LINE_SHARE * width or is_capitals(previous)):
            flush()
        current.append(text)
        previous = line.rstrip()
    flush()
    return out


def _wrap_width(texts: list[str]) -> int:
    """The wrap width: the line length 90% of lines stay within."""
    if not texts:
        return 0
    lengths = sorted(len(t) for t in texts)
    return lengths[min(len(lengths) - 1, int(0.9 * len(lengths)))]


def trim_blank_lines(lines: list[str]) -> list[str]:
    """``lines`` without the empty lines at either end, in one slice (linear however many there are)."""
    start, end = 0, len(lines)
    while start < end and not lines[start]:
        start += 1
    while end > start and not lines[end - 1]:
        end -= 1
    return lines[start:end]
