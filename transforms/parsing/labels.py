"""Section, column and package labels that papers and wire services print before a dash.

``ANALYSIS —``, ``NEWS ANALYSIS —``, ``WORLD BRIEFS —``, ``FACT CHECK —``, ``THE LATEST —``,
``REPORTER'S NOTEBOOK —``: in capitals and before an em dash they have a dateline's shape, and a
parser with no gazetteer cannot look them up. Three rules tell them apart by their make-up, not
by a list of whole labels:

* every word is a label word (``BREAKING NEWS``, ``WORLD BRIEFS``; ``LIVE OAK`` keeps ``OAK``);
* the last word, the phrase's head noun, names a kind of item (``METRO BRIEFS``, ``CAPITOL
  NOTEBOOK``, ``WASHINGTON WATCH``, ``FACT CHECK``): a place's last word never does;
* a function word that no place name holds (``WHAT TO KNOW``, ``IN BRIEF``, ``LETTER FROM
  LONDON``, ``Q&A``), or a leading ``THE`` before label words (``THE LATEST``, not ``THE HAGUE``).

The words are those of the genres, desks and recurring packages that AP, Reuters, AFP, dpa,
Bloomberg, UPI and newspapers label copy with.
"""

from __future__ import annotations

__all__ = ["NOT_PLACES", "is_label"]

# fmt: off
# The head noun of a label: the kind of item it is.
KIND_NOUNS = frozenset({
    "ANALYSIS", "ANALYSES", "COMMENTARY", "COMMENT", "OPINION", "OP-ED", "EDITORIAL", "EDITORIALS",
    "REVIEW", "REVIEWS", "FACTBOX", "FACTBOXES", "FACTFILE", "EXPLAINER", "EXPLAINERS", "EXPLAINS",
    "CHECK", "FACT-CHECK", "FACTCHECK", "CORRECTION", "CORRECTIONS", "CORRECTED", "UPDATE", "UPDATES",
    "UPDATED", "EXCLUSIVE", "INSIGHT", "INTERVIEW", "TIMELINE", "CHRONOLOGY", "BRIEFS", "BRIEF",
    "BRIEFING", "OBITUARY", "OBITUARIES", "OBIT", "FEATURE", "FEATURES", "PROFILE", "PREVIEW",
    "RECAP", "ROUNDUP", "WRAP", "WRAPUP", "SNAPSHOT", "GLANCE", "DIGEST", "NOTEBOOK", "DIARY",
    "COLUMN", "LETTER", "LETTERS", "ESSAY", "PERSPECTIVE", "VIEWPOINT", "ADVISORY", "ALERT",
    "BULLETIN", "WATCH", "PULSE", "FOCUS", "SPOTLIGHT", "POLL", "QUIZ", "KNOW", "THINGS",
    "SCENARIOS", "FACTS", "QUOTES", "NOTES", "REPORT", "LATEST", "BREAKINGVIEWS", "Q&A", "QA",
    "EXTRA", "SIDEBAR", "KICKER", "DEVELOPING", "BREAKING", "URGENT", "FLASH", "EDITORIAL'S",
})
# Words a label is made of besides its head: genres, desks, sections, package words.
LABEL_WORDS = KIND_NOUNS | frozenset({
    "NEWS", "SPECIAL", "LIVE", "WATCH", "VIDEO", "PHOTOS", "PHOTO", "GRAPHIC", "GRAPHICS", "AUDIO",
    "PODCAST", "NEWSLETTER", "SPORTS", "SPORT", "ELECTION", "ELECTIONS", "WORLD", "NATION", "NATIONAL",
    "INTERNATIONAL", "LOCAL", "METRO", "STATE", "REGIONAL", "BUSINESS", "MARKET", "MARKETS", "MONEY",
    "POLITICS", "POLITICAL", "HEALTH", "SCIENCE", "TECH", "TECHNOLOGY", "ENTERTAINMENT", "LIFESTYLE",
    "TRAVEL", "WEATHER", "CULTURE", "ARTS", "BOOKS", "FOOD", "STOCKS", "BONDS", "FOREX", "ECONOMY",
    "FINANCE", "GLOBAL", "TOP", "STORY", "STORIES", "HEADLINES", "TODAY", "WEEK", "WEEKEND", "DAILY",
    "MORNING", "EVENING", "NIGHT", "AHEAD", "BIG", "PICTURE", "FIVE", "THREE", "TEN", "KEY", "FACT",
    "NOTE", "EDITOR", "EDITORS", "EDITOR'S", "REPORTER'S", "EDS", "CORRECTS", "CLARIFICATION",
    "WITHDRAWN", "KILL", "EMBARGOED", "LEAD", "WRITETHRU", "REFILE", "REPEAT", "RPT", "MORE", "END",
    "OK", "YES", "NO", "TOPIC", "TOPICS", "COLUMNIST", "GUEST", "READER", "READERS", "MAILBAG", "ASK",
    "EXPLAINED", "VERIFY", "HOW", "WHAT", "WHY", "FIRST", "SECOND", "LAST", "WORD", "VOICES", "OP",
    "ED", "COVERAGE", "FULL",
})
# Capitalised words that open a paragraph before a dash and are names, not places.
NOT_PLACES = LABEL_WORDS | frozenset({
    "AP", "UPI", "AFP", "NATO", "OPEC", "NASA", "FIFA", "UEFA", "UNICEF", "UNESCO", "OECD", "ASEAN",
    "NAACP", "ACLU", "IMF", "WHO", "CEO", "GOP",
})
# Function words that no place name holds (place particles such as DE, LA, EL, OF are not here).
FUNCTION_WORDS = frozenset({
    "A", "AN", "AND", "OR", "TO", "FOR", "WITH", "FROM", "WHAT", "WHY", "HOW", "WHO", "WHERE",
    "WHEN", "IN", "AT", "BY", "YOUR", "OUR", "MY", "IS", "ARE", "WE", "YOU", "I", "IT", "THIS",
    "THAT", "THESE", "NOT", "AROUND", "ABOUT", "INSIDE", "BEHIND", "BEYOND", "&",
})
# fmt: on


def is_label(text: str) -> bool:
    """True when ``text`` (one part of a dateline head) is built like a label, not a place."""
    words = text.replace("\u2019", "'").upper().split()
    if not words:
        return False
    if "&" in text and len(text.replace(" ", "")) <= 4:
        return True  # Q&A, B&W
    if words[0] == "THE" and len(words) > 1:
        return all(w in LABEL_WORDS for w in words[1:]) or words[-1] in KIND_NOUNS
    return (
        all(w in NOT_PLACES or w in LABEL_WORDS for w in words)
        or words[-1] in KIND_NOUNS
        or any(w in FUNCTION_WORDS for w in words)
    )
