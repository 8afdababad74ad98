"""What a wire item says it is: the closed set of ``Story.signals`` and of ``Story.pubstatus``.

Every format marks these its own way (ANPA keywords, NewsML-G2 ``pubStatus``, ninjs ``signals``…);
decoders and the parser map them onto these names, which consumers rely on.
"""

from __future__ import annotations

__all__ = ["CANCELED", "PUBSTATUSES", "RETRACTIONS", "SIGNALS", "USABLE", "WITHHELD"]

# Name → what it means to a newsroom. README, "Newsroom semantics", lists the same.
SIGNALS: dict[str, str] = {
    "write-through": "a new version of the whole story that replaces the one before (ANPA `Writethru`, `Ld`)",
    "update": "adds to or updates an earlier version (`UPDATE 2`, `(adds ...)`)",
    "correction": "corrects an error in an earlier version (`CORRECTS`, `Correction`)",
    "refile": "sent again, unchanged or with a small fix (`REFILE`, `RPT`, `Repeat`)",
    "kill": "retracted: the story must not be used, and must be taken down where it was (`Kill`, `Mandatory Kill`)",
    "withdrawal": "withdrawn by the agency: do not use (`Withdrawal`, `Elimination`, `WITHDRAWN`)",
    "advisory": "a note to editors, not for publication (`Advisory`, `Eds: ...` items without a story)",
    "embargoed": "not for publication before its embargo time (`embargoed_until`)",
}

USABLE = "usable"
WITHHELD = "withheld"
CANCELED = "canceled"
# IPTC's publishing statuses (NewsML-G2 stat:usable, stat:withheld, stat:canceled; ninjs pubstatus).
PUBSTATUSES = (USABLE, WITHHELD, CANCELED)

# Signals that take a story down: its record goes out as canceled, and its family leaves wire.latest.
RETRACTIONS = frozenset({"kill", "withdrawal"})
