"""The dependency parse of one body, indexed, so that what each quote asks of it costs a lookup.

spaCy answers these by walking: ``Token.sent`` and ``Span.root`` scan the sentence,
``Token.children`` scans the token's whole subtree and ``Token.ancestors`` climbs to the root. Once
per story that is nothing; once per quote, in a sentence of thousands of quotes (a list, which
spaCy parses as a chain of conjuncts), it is quadratic. The answers here are the same. Each index
is built on first use from the doc's arrays (a ``Token`` per word, made in Python, would cost more
than the quote steps themselves), and the subtree order only for a parse deep enough to need it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Collection
from functools import cache, cached_property
from typing import TYPE_CHECKING

import numpy

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

SUBJECT_DEPS = ("nsubj", "nsubjpass")


def with_attr(doc: Doc, attr: str, values: Collection[str]) -> list[int]:
    """The indices of the tokens whose ``attr`` (``DEP``, ``LOWER``…) is one of ``values``, found by array."""
    if not len(doc):
        return []
    return numpy.flatnonzero(numpy.isin(doc.to_array(attr), _string_ids(frozenset(values)))).tolist()


@cache
def _string_ids(values: frozenset[str]) -> numpy.ndarray:
    """The ids spaCy stores for ``values``: fixed (a symbol's number, else the string's hash), so kept."""
    from spacy.strings import get_string_id

    return numpy.array([get_string_id(v) for v in values], dtype=numpy.uint64)


class Tree:
    """Sentences, children, depth and subtree order of one parsed ``Doc``."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self._roots: dict[int, Token] = {}
        self._depths: dict[int, int] = {}

    @cached_property
    def _heads(self) -> numpy.ndarray:
        relative = self.doc.to_array("HEAD").astype(numpy.int64) if len(self.doc) else numpy.zeros(0, numpy.int64)
        return relative + numpy.arange(len(self.doc))

    @cached_property
    def _head_list(self) -> list[int]:
        return self._heads.tolist()

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [sent.start for sent in self.doc.sents]

    def sentence(self, token: Token) -> Span:
        """``token.sent``."""
        starts = self._sentence_starts
        k = bisect_right(starts, token.i) - 1
        return self.doc[starts[k] : starts[k + 1] if k + 1 < len(starts) else len(self.doc)]

    def root(self, sent: Span) -> Token:
        """``sent.root``, found once per sentence."""
        if sent.start not in self._roots:
            self._roots[sent.start] = sent.root
        return self._roots[sent.start]

    @cached_property
    def _by_head(self) -> tuple[list[int], list[int]]:
        """The tokens grouped by head, in text order within a group, and where each head's group starts."""
        heads = self._heads
        order = numpy.argsort(heads, kind="stable")
        bounds = numpy.searchsorted(heads[order], numpy.arange(len(heads) + 1))
        return order.tolist(), bounds.tolist()

    def _kids(self, i: int) -> list[int]:
        order, bounds = self._by_head
        return [kid for kid in order[bounds[i] : bounds[i + 1]] if kid != i]

    def children(self, token: Token) -> list[Token]:
        """``token.children``, in text order."""
        return [self.doc[i] for i in self._kids(token.i)]

    @cached_property
    def _subjects(self) -> dict[int, list[int]]:
        subjects: dict[int, list[int]] = {}
        heads = self._head_list
        for i in with_attr(self.doc, "DEP", SUBJECT_DEPS):
            if heads[i] != i:
                subjects.setdefault(heads[i], []).append(i)
        return subjects

    def subjects(self, token: Token) -> list[Token]:
        """The children that are subjects (``SUBJECT_DEPS``), in text order: a root may have hundreds of children."""
        return [self.doc[i] for i in self._subjects.get(token.i, ())]

    @cached_property
    def _subject_list(self) -> list[int]:
        return sorted(i for kids in self._subjects.values() for i in kids)

    def subjects_in(self, span: Span) -> list[Token]:
        """The subjects (``SUBJECT_DEPS``) among the tokens of ``span``, in text order."""
        listed = self._subject_list
        return [self.doc[i] for i in listed[bisect_left(listed, span.start) : bisect_left(listed, span.end)]]

    def depth(self, token: Token) -> int:
        """How many ancestors the token has (``len(list(token.ancestors))``); each token's found once."""
        heads, depths = self._head_list, self._depths
        path, at = [], token.i  # up to a token whose depth is known, or to the root
        while at not in depths and heads[at] != at and len(path) < len(heads):
            path.append(at)
            at = heads[at]
        depth = depths.setdefault(at, 0)
        for i in reversed(path):
            depth += 1
            depths[i] = depth
        return depth

    @cached_property
    def _order(self) -> tuple[list[int], list[int], list[int]]:
        """Per token: where it, its subtree's first and its subtree's last token come in
        ``Token.subtree`` order (left children's subtrees, the token, right children's)."""
        size = len(self.doc)
        position, first, last = [-1] * size, [0] * size, [0] * size
        count = 0
        for root in [i for i, head in enumerate(self._head_list) if head == i]:
            stack = [root]  # ~n: leave n's subtree; n + size: place n itself; n: enter its subtree
            while stack:
                event = stack.pop()
                if event < 0:
                    last[~event] = count - 1
                elif event >= size:
                    position[event - size] = count
                    count += 1
                else:
                    first[event] = count
                    kids = self._kids(event)
                    split = bisect_right(kids, event)
                    stack.append(~event)
                    stack.extend(reversed(kids[split:]))
                    stack.append(event + size)
                    stack.extend(reversed(kids[:split]))
        return position, first, last

    def governs(self, head: Token, token: Token) -> bool:
        """Is ``head`` one of ``token``'s ancestors? (One lookup, once the subtree order is built.)"""
        position, first, last = self._order
        return head.i != token.i and first[head.i] <= position[token.i] <= last[head.i]

    def position(self, token: Token) -> int:
        """Where the token comes in ``Token.subtree`` order: a subtree is a run of positions."""
        return self._order[0][token.i]

    def subtree_positions(self, token: Token) -> tuple[int, int]:
        """The first and last position of ``token.subtree``."""
        _position, first, last = self._order
        return first[token.i], last[token.i]
