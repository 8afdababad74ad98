"""The benchmark's fixed corpus: real wire copy from the shared data folder and long fictional stories.

- long: the 30 PolNeAR dev articles (about 1,250 words each) and the AP seed story, then fictional
  story-length items (about 1,000 words, datelines, bylines, quotes with speakers) made from a
  seeded generator, so the same ``--seed`` always gives the same texts;
- short: Reuters-21578 leads (``<DATELINE>`` + ``<BODY>`` of the NORM stories of reut2-000.sgm).

Only messages the pipeline turns into exactly one story (decoded with format detection and parsed,
as the pipeline does) are kept, so every variant has the same number of stories to make and none
becomes a dead letter. The NLP variants take ``nlp_corpus(n)``: half long (shared and fictional
alternating), half short.
"""

from __future__ import annotations

import html
import json
import random
import re
from pathlib import Path

from enrich_throughput import shared_data

from wirestream.transforms import formats
from wirestream.transforms.deadletters.errors import WirestreamError
from wirestream.transforms.parsing.story_parts import parse_item
from wirestream.transforms.records.story import Source

__all__ = ["Corpus", "shared_data"]

PLACES = [
    ("PORT ELLIS", "Norland"), ("LINDQVIST BAY", "Norland"), ("VALMORA", "Estria"), ("KESTREL FALLS", "Ondria"),
    ("AMBERLEIGH", "Vessany"), ("SALTMARSH", "Norland"), ("TOLVERA", "Estria"), ("HARROWGATE", "Ondria"),
]  # fmt: skip
FIRST = ["Ilse", "Oskar", "Mara", "Tobias", "Renata", "Jonas", "Halvard", "Petra", "Dario", "Liesel", "Anouk", "Emeric"]
LAST = ["Marrow", "Fennimore", "Quillfeather", "Venn", "Castellane", "Orrin", "Brask", "Tamsin", "Holloway", "Ketter"]
ROLES = ["Mayor", "Minister", "Captain", "Senator", "Professor", "Commissioner", "Judge", "Director"]
ORGS = [
    "the Norland Coast Guard", "the Estrian Rail Authority", "the Valmora City Council", "the Ondrian Farmers Union",
    "the Port Ellis Harbour Board", "the Vessany Water Company", "the National Weather Office", "Kestrel Mining Ltd",
]  # fmt: skip
TOPICS = [
    ("the new bridge", "construction"), ("the harbour dredging", "works"), ("the spring floods", "recovery"),
    ("the rail strike", "talks"), ("the budget vote", "debate"), ("the mine closure", "inquiry"),
]  # fmt: skip
VERBS = ["said", "told reporters", "said on Tuesday", "added", "said in a statement", "wrote in a letter"]
QUOTES = [
    "We have listened to every objection, and we will keep listening",
    "Nobody here wanted it to come to this, but the numbers do not lie",
    "The people of this town deserve a straight answer, and they will get one from us",
    "It is too early to say what it will cost, or who will pay for it",
]
FILLER = [
    "Residents gathered outside the town hall well before the meeting began, some carrying hand-painted signs.",
    "The figures, published on Monday, were higher than most economists had expected a month ago.",
    "Officials declined to give a date for the next round of talks, saying only that it would come soon.",
    "Shops along the waterfront stayed open late, and the ferries ran an extra service in the evening.",
    "The report runs to more than two hundred pages and includes maps of every district affected.",
    "Several families said they had been waiting for an answer since the autumn, when the first letters went out.",
    "The regional government has set aside money for the work, though the final cost is still being counted.",
    "Engineers inspected the site twice last week and found no damage to the older parts of the structure.",
]  # fmt: skip


def person(rng: random.Random) -> str:
    return f"{rng.choice(ROLES)} {rng.choice(FIRST)} {rng.choice(LAST)}"


def fictional_story(n: int, seed: int, words: int = 1000) -> bytes:
    """A story-length fictional TEXT item, the same for the same ``(n, seed)``."""
    rng = random.Random(seed * 100_003 + n)
    place, region = rng.choice(PLACES)
    topic, noun = rng.choice(TOPICS)
    org = rng.choice(ORGS)
    writer = f"{rng.choice(FIRST).upper()} {rng.choice(LAST).upper()}"
    lead = (
        f"{place}, {region} (FP) — {org[0].upper() + org[1:]} said on {rng.choice(['Monday', 'Tuesday', 'Friday'])} "
        f"that {topic} would go ahead after {rng.randint(3, 40)} weeks of {noun}, story number {n} of the day."
    )
    paragraphs = [lead]
    while sum(len(p.split()) for p in paragraphs) < words:
        kind = rng.random()
        speaker = person(rng)
        if kind < 0.35:
            paragraphs.append(
                f"“{rng.choice(QUOTES)},” {speaker} {rng.choice(VERBS)}. {speaker.split()[-1]} has worked on "
                f"{topic} for {rng.randint(2, 20)} years. “Nothing is settled yet.”"
            )
        elif kind < 0.55:
            paragraphs.append(
                f"{speaker} {rng.choice(VERBS)} that {rng.choice(ORGS)} would publish its own figures "
                f"before the end of the month, and that {rng.randint(10, 900)} households were affected."
            )
        elif kind < 0.7:
            paragraphs.append(
                f"According to {rng.choice(ORGS)}, the {noun} cost {rng.randint(2, 90)} million kronor last "
                f"year, and {rng.choice(FIRST)} {rng.choice(LAST)} of {rng.choice(PLACES)[0].title()} expects more."
            )
        else:
            paragraphs.append(" ".join(rng.sample(FILLER, 2)))
    paragraphs += ["___", f"{writer.split()[1].title()} reported from {rng.choice(PLACES)[0].title()}."]
    return "\n".join([f"By {writer}", "Fictional Press Writer", *paragraphs]).encode()


def reuters_leads(data: Path) -> list[bytes]:
    """The Reuters-21578 wire leads: each NORM story's ``<DATELINE>`` + ``<BODY>``, entities decoded."""
    sgml = (data / "reuters21578" / "reut2-000.sgm").read_bytes().decode("latin-1")
    leads = []
    for block in re.findall(r"<REUTERS[^>]*>(.*?)</REUTERS>", sgml, re.S):
        text = re.search(r"<TEXT([^>]*)>(.*?)</TEXT>", block, re.S)
        if not text or "TYPE=" in text.group(1):  # BRIEF and UNPROC stories have a TYPE
            continue
        dateline = re.search(r"<DATELINE>(.*?)</DATELINE>", text.group(2), re.S)
        body = re.search(r"<BODY>(.*?)</BODY>", text.group(2), re.S)
        if not dateline or not body:
            continue
        clean = [re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", html.unescape(part)) for part in (dateline[1], body[1])]
        leads.append((" ".join(clean[0].split()) + " " + clean[1].strip() + "\n").encode())
    return leads


def one_story(raw: bytes) -> bool:
    """Whether the pipeline makes exactly one story, with a body, of this message."""
    try:
        items = formats.decode(raw)
        return len(items) == 1 and bool(parse_item(items[0], Source()).paragraphs)
    except WirestreamError:
        return False


class Corpus:
    """The shared stories and ``fictional`` generated ones; ``long`` and ``short`` messages, filtered."""

    def __init__(self, data: Path | None = None, *, fictional: int = 200, seed: int = 1) -> None:
        data = data or shared_data()
        articles = json.loads((data / "quotes-dev" / "polnear_dev_articles.json").read_text())["documents"]
        shared_long = [a["text"].encode() for a in articles] + [(data / "seed" / "ap-haniyeh-cairo.txt").read_bytes()]
        generated = [fictional_story(n, seed) for n in range(fictional)]
        self.long = [raw for raw in interleave(shared_long, generated) if one_story(raw)]
        self.short = [raw for raw in reuters_leads(data) if one_story(raw)]
        self.dropped = len(shared_long) + len(generated) - len(self.long)
        self.shared_long = sum(one_story(raw) for raw in shared_long)

    @property
    def whole(self) -> list[bytes]:
        return self.long + self.short

    def nlp_corpus(self, n: int) -> list[bytes]:
        """``n`` messages, long and short alternating (half each while both last), always the same."""
        mixed = interleave(self.long, self.short)
        if n > len(mixed):
            raise ValueError(f"--stories {n}: the corpus has {len(mixed)} messages")
        return mixed[:n]


def interleave(first: list[bytes], second: list[bytes]) -> list[bytes]:
    """``first[0], second[0], first[1], …``, then the rest of the longer."""
    mixed = [raw for pair in zip(first, second, strict=False) for raw in pair]
    return mixed + first[len(second) :] + second[len(first) :]


def words(raw: bytes) -> int:
    return len(raw.split())
