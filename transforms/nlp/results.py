"""Names in sports results: the teams and competitors in rows of figures, which the model misses.

A results service is mostly tables: standings (``Barnsley 3 3 0 0 8 2 9``), scores
(``Lille 3 Rennes 1``) and placings (``3. Gillian Russell (Jamaica) 12.95``). The model, which
learned names from sentences, finds almost none of them. In a sports story (one whose first line
names a sport, as agencies head their sports copy: ``SOCCER - ENGLISH LEAGUE STANDINGS``) a row is
read by its shape: the name that opens a row of figures, or each name before a score, is a team
(ORG), unless the model calls a name of several words a person or it has an initial (``J. Adams``);
a name followed by a place in brackets is a competitor (PERSON) and the place a GPE.
Text only; the mentions have offsets into the body.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from wirestream.transforms.nlp.entities import Mention

__all__ = ["is_sports_story", "row_mentions"]

# Sports as agencies name them at the head of a story; general knowledge, kept short.
SPORTS = (
    "SOCCER|FOOTBALL|CRICKET|TENNIS|GOLF|ATHLETICS|BASEBALL|BASKETBALL|RUGBY(?: UNION| LEAGUE)?|CYCLING|BOXING|"
    "(?:ICE )?HOCKEY|MOTOR RACING|MOTORCYCLING|MOTOR-RACING|FORMULA ONE|SWIMMING|SKIING|SAILING|YACHTING|"
    "HORSE RACING|SQUASH|BADMINTON|VOLLEYBALL|HANDBALL|ROWING|NFL|NBA|NHL|OLYMPICS|TRIATHLON|SNOOKER|DARTS"
)
SPORTS_HEAD = re.compile(rf"^\s*(?:{SPORTS})\b", re.IGNORECASE)
# A name: capitalised words, initials (`J.`), inner hyphens and apostrophes, particles between.
_WORD = r"(?:[^\W\d_]\.|[^\W\d_][\w'’.-]*[^\W\d_.]|[^\W\d_]{2,})"
_LINK = r"(?:\s+(?:de|del|da|di|van|von|der|le|la|al|el|St\.?)\b)?"
NAME = rf"(?:{_WORD}(?:{_LINK}\s+{_WORD}){{0,3}})"
FIGURE = r"[-+]?\d[\d.,:/-]*|-"
STANDING = re.compile(rf"^(?:\d+\s*[.-]\s+)?(?P<name>{NAME})(?:\s+(?:{FIGURE})){{2,}}\s*$")
SCORE = re.compile(rf"(?P<name>{NAME})\s+\d+(?=\s|$)")
SCORE_ROW = re.compile(rf"^\s*{NAME}\s+\d+\s+{NAME}\s+\d+\b")
PLACING = re.compile(rf"(?P<name>{NAME})\s+\((?P<place>{NAME})\)")
INITIAL = re.compile(r"^[^\W\d_]\.\s")
PERSON_LABELS = frozenset({"PERSON"})
# Rows are short; a longer line is prose, and is not matched (the patterns would cost more on it).
MAX_ROW_CHARS = 200


def is_sports_story(body: str) -> bool:
    """Is the story's first line headed by a sport (``CRICKET - …``)?"""
    return SPORTS_HEAD.match(body[: body.find("\n")] if "\n" in body else body) is not None


def _lines(text: str) -> Iterator[tuple[int, str]]:
    at = 0
    for line in text.split("\n"):
        yield at, line
        at += len(line) + 1


def _team_or_person(name: str, model_said: str | None) -> str:
    if INITIAL.match(name):
        return "PERSON"
    if model_said in PERSON_LABELS and " " in name:
        return "PERSON"
    return "ORG"


def row_mentions(text: str, model_labels: dict[tuple[int, int], str]) -> list[Mention]:
    """The names in the results rows of a sports story's ``text`` (none if it is not one).

    ``model_labels`` maps the model's own mentions (start, end) to their labels, to tell a player
    from a team.
    """
    if not is_sports_story(text):
        return []
    found: list[Mention] = []
    for at, line in _lines(text):
        if len(line) > MAX_ROW_CHARS or not any(ch.isdigit() for ch in line):
            continue
        placed = list(PLACING.finditer(line))
        for match in placed:
            found.append(Mention(match["name"], "PERSON", at + match.start("name"), at + match.end("name")))
            found.append(Mention(match["place"], "GPE", at + match.start("place"), at + match.end("place")))
        if placed:
            continue
        if SCORE_ROW.match(line):
            names = [(m.start("name"), m.end("name")) for m in SCORE.finditer(line)]
        elif standing := STANDING.match(line):
            names = [(standing.start("name"), standing.end("name"))]
        else:
            continue
        for start, end in names:
            name = line[start:end]
            label = _team_or_person(name, model_labels.get((at + start, at + end)))
            found.append(Mention(name, label, at + start, at + end))
    return found
