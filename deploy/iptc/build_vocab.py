"""Build ``transforms/subjects/iptc.json``, the IPTC vocabularies wirestream ships, from IPTC's own files.

    python deploy/iptc/build_vocab.py [DATA_DIR]        (or: make iptc-vocab)

DATA_DIR (default ``../shared/data/iptc``) holds ``mediatopics-cptall-en-gb.json`` (IPTC Media Topics,
the whole scheme as SKOS in JSON-LD) and ``subjectcodes-names.json`` (IPTC Subject NewsCodes, each
8-digit code with its English name). The product needs three things of them, and only those ship:

- per Media Topic: its English label and its parent (``broader``; a concept has at most one);
- per Subject NewsCode: its English name and the Media Topic IPTC maps it to by ``exactMatch``
  (a live topic before a retired one; none where IPTC maps none, or several live ones);
- where they came from, and the licence (CC BY 4.0, credit IPTC).

A Subject NewsCode's parent is not stored: IPTC's scheme gives it by the code itself (``15008001``
→ ``15008000`` → ``15000000``). The output is sorted and one concept a line, so a new release of
the vocabularies shows as a readable diff; building twice from the same files gives the same bytes
(``tests/accuracy/test_iptc_vocab.py`` holds the shipped file to that).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
OUTPUT = REPO / "transforms" / "subjects" / "iptc.json"
DEFAULT_DATA = REPO.parent / "shared" / "data" / "iptc"
MEDIA_TOPICS = "mediatopics-cptall-en-gb.json"
SUBJECT_CODES = "subjectcodes-names.json"
MEDTOP_URI = "http://cv.iptc.org/newscodes/mediatopic/"
SUBJECT_URI = "http://cv.iptc.org/newscodes/subjectcode/"
ENGLISH = ("en-GB", "en-US", "en")


def build(media_topics: dict[str, Any], subject_names: dict[str, str]) -> dict[str, Any]:
    """The shipped vocabulary from the parsed Media Topics scheme and Subject NewsCode names."""
    medtop: dict[str, list[str | None]] = {}
    maps_to: dict[str, dict[bool, list[str]]] = {}  # subject code → {retired: [media topic codes]}
    for concept in media_topics["conceptSet"]:
        code = _code(concept["uri"], MEDTOP_URI)
        if code is None:
            continue
        parents = [parent for uri in concept.get("broader") or [] if (parent := _code(uri, MEDTOP_URI))]
        medtop[code] = [_english(concept.get("prefLabel") or {}), parents[0] if parents else None]
        for uri in concept.get("exactMatch") or []:
            if (subject := _code(uri, SUBJECT_URI)) is not None:
                maps_to.setdefault(subject, {}).setdefault("retired" in concept, []).append(code)
    subj: dict[str, list[str | None]] = {}
    for code, name in subject_names.items():
        by_state = maps_to.get(code, {})
        candidates = by_state.get(False) or by_state.get(True) or []
        subj[code] = [name, candidates[0] if len(candidates) == 1 else None]
    return {
        "about": (
            "IPTC Media Topics (released "
            f"{str(media_topics.get('dateReleased', 'unknown'))[:10]}) and IPTC Subject NewsCodes, "
            "(c) IPTC, International Press Telecommunications Council, https://iptc.org, under CC BY 4.0 "
            "(http://creativecommons.org/licenses/by/4.0/); built by deploy/iptc/build_vocab.py: medtop code → "
            "[English label, parent code]; subj code → [English name, Media Topic of IPTC's exact match]"
        ),
        "medtop": dict(sorted(medtop.items())),
        "subj": dict(sorted(subj.items())),
    }


def render(vocabulary: dict[str, Any]) -> str:
    """The file's text: JSON with one concept a line, sorted, ending in a newline."""
    lines = ["{", f'  "about": {json.dumps(vocabulary["about"], ensure_ascii=False)},']
    for scheme in ("medtop", "subj"):
        entries = [
            f"    {json.dumps(code)}: {json.dumps(value, ensure_ascii=False)}"
            for code, value in vocabulary[scheme].items()
        ]
        closing = "  }," if scheme == "medtop" else "  }"
        lines += [f'  "{scheme}": {{', ",\n".join(entries), closing]
    return "\n".join([*lines, "}"]) + "\n"


def build_from(folder: Path) -> str:
    """The file's text, built from the two files in ``folder``."""
    media_topics = json.loads((folder / MEDIA_TOPICS).read_text(encoding="utf-8"))
    subject_names = json.loads((folder / SUBJECT_CODES).read_text(encoding="utf-8"))
    return render(build(media_topics, subject_names))


def _code(uri: str, prefix: str) -> str | None:
    return uri[len(prefix) :].strip("/") or None if isinstance(uri, str) and uri.startswith(prefix) else None


def _english(labels: dict[str, str]) -> str | None:
    return next((labels[tag] for tag in ENGLISH if labels.get(tag)), None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA, help="folder of IPTC's two files")
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"where to write (default {OUTPUT})")
    args = parser.parse_args(argv)
    if not (args.data / MEDIA_TOPICS).is_file() or not (args.data / SUBJECT_CODES).is_file():
        print(f"{args.data} lacks {MEDIA_TOPICS} or {SUBJECT_CODES}: pass the folder that holds them", file=sys.stderr)
        return 2
    text = build_from(args.data)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
