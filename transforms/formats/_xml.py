"""Safe XML reading shared by the XML wire formats (NITF, NewsML 1.2, NewsML-G2).

The standard library's expat parser never fetches external entities or DTDs, and it limits
entity amplification; we also refuse any document that declares entities at all, because no
wire format needs them and they are how entity-expansion bombs start. Namespaces are dropped
from tag names after parsing, so field tables can name elements plainly (``body.head/hedline``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from wirestream.transforms.deadletters.errors import DecodeError
from wirestream.transforms.formats._text import join_wrapped, repair_mojibake, split_lines

__all__ = ["attr", "block_lines", "find_text", "items_apart", "parse_xml", "read_fields", "sniff_root", "text_of"]

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
# A single-byte Latin charset in the XML declaration, which senders often state for UTF-8 text.
_LATIN_DECLARATION = re.compile(
    rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])(?:iso-8859-1|iso-8859-15|latin-?1|windows-1252|cp1252)(["'])""",
    re.IGNORECASE,
)
# Real items nest a few dozen elements deep; the readers recurse, so deeper is refused.
_MAX_DEPTH = 200
_SPACES = re.compile(r"\s+")
# The parts of a prolog that may come before the root element, each skipped to its end marker.
_PROLOG_ENDS = ((b"<?", b"?>"), (b"<!--", b"-->"))
_BLANKS = re.compile(rb"\s*")
_NAME = re.compile(rb"<(?:[\w.-]+:)?([\w.-]+)")
# fmt: off
# Elements that hold one paragraph (or heading, list item, table row) of a story body.
_BLOCKS = frozenset({
    "p", "hl1", "hl2", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "dd", "dt", "tr",
    "blockquote", "bq", "div", "section", "block", "tagline", "caption", "figcaption", "nitf-table",
})
# fmt: on


def sniff_root(raw: bytes) -> str | None:
    """The local name of the document's root element, read after its prolog.

    A scan, not one regular expression: each declaration, comment and DOCTYPE is skipped by
    finding its end, so the cost is linear in the prolog however it is shaped.
    """
    at = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    while True:
        at = _BLANKS.match(raw, at).end()
        for start, end in _PROLOG_ENDS:
            if raw.startswith(start, at):
                found = raw.find(end, at + len(start))
                if found < 0:
                    return None
                at = found + len(end)
                break
        else:
            if not raw.startswith(b"<!DOCTYPE", at):
                break
            at = _doctype_end(raw, at)
            if at < 0:
                return None
    match = _NAME.match(raw, at)
    return match.group(1).decode("ascii", "replace") if match else None


def _doctype_end(raw: bytes, at: int) -> int:
    """Just past the DOCTYPE at ``at`` (its internal subset ``[…]`` included), or -1 if it never ends."""
    close = raw.find(b">", at)
    subset = raw.find(b"[", at, close if close >= 0 else len(raw))
    if subset >= 0:
        close = raw.find(b"]", subset)
        close = raw.find(b">", close) if close >= 0 else -1
    return close + 1 if close >= 0 else -1


def parse_xml(raw: bytes, format_name: str) -> ET.Element:
    """The document's root element with namespaces dropped; DecodeError if unsafe or broken."""
    if _ENTITY_DECLARATION.search(raw):
        raise DecodeError(
            f"the {format_name} document declares XML entities, which wire formats never need and "
            "which can expand without bound; refused: ask the sender to drop the DOCTYPE's entities",
            reason="unsafe-xml",
        )
    try:
        root = ET.fromstring(_true_encoding(raw))
    except (ET.ParseError, ValueError, LookupError) as exc:  # LookupError: unknown encoding
        raise DecodeError(
            f"the {format_name} document is not well-formed XML ({str(exc)[:200]}); it may be "
            "truncated or wrongly encoded: check the producer sends whole documents",
            reason="bad-xml",
        ) from exc
    depth = _depth(root)
    if depth > _MAX_DEPTH:
        raise DecodeError(
            f"the {format_name} document nests elements {depth} deep (at most {_MAX_DEPTH} are read); "
            "no news item is shaped like that: check what the producer sends",
            reason="bad-xml",
        )
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.rsplit("}", 1)[1]
    return root


def items_apart(root: ET.Element, tag: str) -> list[ET.Element]:
    """The ``tag`` elements of the document (the root too), each detached from any item it nests in.

    An envelope may nest items in items; read as found, each would carry every item inside it as
    its own text, and a message of nested items would come out as many times its size. Apart,
    each item holds only what is its own.
    """
    items = [element for element in root.iter() if element.tag == tag]
    parents = {child: parent for parent in root.iter() for child in parent}
    nested: dict[ET.Element, set[ET.Element]] = {}  # parent → its children that are nested items
    for item in items:
        ancestor = parents.get(item)
        while ancestor is not None and ancestor.tag != tag:
            ancestor = parents.get(ancestor)
        if ancestor is not None:
            nested.setdefault(parents[item], set()).add(item)
    # One pass over each parent's children: ``remove`` one by one searches and shifts the list
    # each time, quadratic in a parent of many items.
    for parent, children in nested.items():
        parent[:] = [child for child in parent if child not in children]
    return items


def _true_encoding(raw: bytes) -> bytes:
    """Declare UTF-8 for a document that says Latin-1 but is valid UTF-8 with non-ASCII in it:
    read as declared, every accented letter would come out as two (``DÃ©cÃ¨s``)."""
    match = _LATIN_DECLARATION.match(raw)
    if match is None or raw.isascii():
        return raw
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw  # really Latin-1
    return match.group(1) + b"utf-8" + match.group(2) + raw[match.end() :]


def _depth(root: ET.Element) -> int:
    """How deep the tree nests, measured without recursion (the readers below recurse)."""
    deepest = 0
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > _MAX_DEPTH:
            break
        stack.extend((child, depth + 1) for child in element)
    return deepest


def attr(element: ET.Element | None, name: str) -> str | None:
    """An attribute by local name (``lang`` finds ``xml:lang``), stripped; None when absent or blank."""
    if element is None:
        return None
    for key, value in element.attrib.items():
        if key == name or key.endswith("}" + name):
            return repair_mojibake(value.strip()) or None
    return None


def text_of(element: ET.Element | None, *, skip: frozenset[str] = frozenset()) -> str | None:
    """All the text inside ``element`` (children in ``skip`` left out), whitespace collapsed."""
    if element is None:
        return None
    return repair_mojibake(_SPACES.sub(" ", _raw_text(element, skip)).strip()) or None


def _raw_text(element: ET.Element, skip: frozenset[str] = frozenset()) -> str:
    parts: list[str] = [element.text or ""]
    for child in element:
        if child.tag == "br":
            parts.append("\n")  # a line break inside a paragraph still parts its words
        elif child.tag not in skip:
            parts.append(_raw_text(child, skip))
        parts.append(child.tail or "")
    return "".join(parts)


def find_text(root: ET.Element, path: str) -> str | None:
    """The text at ``path`` (``a/b``), or an attribute (``a/b@name``); the first that has any."""
    element_path, sep, attribute = path.rpartition("@")
    if not sep or "]" in attribute or "/" in attribute:  # an "@" inside a [predicate] only
        element_path, attribute = path, ""
    elements = root.iterfind(element_path) if element_path else [root]
    for element in elements:
        value = attr(element, attribute) if attribute else text_of(element)
        if value:
            return value
    return None


def read_fields(root: ET.Element, table: dict[str, tuple[str, ...]]) -> dict[str, str | None]:
    """A declarative field table: each field from the first of its paths that has a value."""
    return {name: next((v for p in paths if (v := find_text(root, p))), None) for name, paths in table.items()}


def block_lines(element: ET.Element | None) -> list[str]:
    """Paragraph texts of a body: one line per innermost block element (``<p>``, ``<li>``,
    ``<hl2>``, a table row with its cells joined by ``;`` as in agate), loose text kept too."""
    lines: list[str] = []
    if element is not None:
        _walk(element, lines)
    return [line for line in lines if line]


def _block_text(element: ET.Element) -> list[str]:
    """One block's text: one line, or, when it is plain text holding a whole preformatted story
    (Reuters puts wrapped, indented text with its own line breaks in a single ``<p>``), its
    paragraphs. The XML's own indentation is taken off first, so pretty-printing never counts
    as a paragraph indent; blocks with inline elements are always one line."""
    raw = _raw_text(element)
    if len(element) or raw.strip().count("\n") < 2:
        return [text_of(element) or ""]
    first, *rest = split_lines(repair_mojibake(raw.strip("\n")))
    margin = min((len(line) - len(line.lstrip()) for line in rest if line.strip()), default=0)
    lines = [first, *(line[margin:] for line in rest)]
    if not any(not line.strip() or line[:1].isspace() for line in lines[1:]):
        return [text_of(element) or ""]  # wrapped, but with no paragraph breaks: one paragraph
    return [_SPACES.sub(" ", p).strip() for p in join_wrapped(lines) if p.strip()]


def _walk(element: ET.Element, lines: list[str]) -> None:
    if element.tag == "tr":
        cells = (text_of(cell) or "" for cell in element)
        lines.append(";".join(cells).strip(";"))
        return
    if element.tag in _BLOCKS and not any(child.tag in _BLOCKS for child in element.iter() if child is not element):
        lines.extend(_block_text(element))
        return
    lines.append(_SPACES.sub(" ", element.text or "").strip())
    for child in element:
        _walk(child, lines)
        lines.append(_SPACES.sub(" ", child.tail or "").strip())
