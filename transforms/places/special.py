"""The two short lists a gazetteer cannot replace.

* Datelines that are no town: ``UNITED NATIONS`` (the headquarters, in New York), and the ones
  that move, ``ABOARD AIR FORCE ONE``, ``ABOARD THE USS …``, ``AT SEA``: real datelines with no
  fixed point (their ``geo`` is null).
* Words that are never a dateline's place although some town somewhere bears them: commodities,
  currencies and market words, which open market reports before a dash (``GOLD —``, ``COCOA -``,
  ``STERLING —``) where a city named Gold Coast or a village named Cocoa would otherwise answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from wirestream.transforms.places.folding import fold

__all__ = ["Special", "is_never_a_place", "special_place"]


@dataclass(frozen=True)
class Special:
    """A dateline place no gazetteer row stands for; ``at`` names the row that locates it, if any."""

    name: str
    at: tuple[str, str] | None = None  # (a name of the gazetteer's place, its country)


# The United Nations headquarters, as the agencies' languages name it.
_UNITED_NATIONS = Special("United Nations", ("New York City", "US"))
_NAMED = {
    fold(name): _UNITED_NATIONS
    for name in ("United Nations", "Nations Unies", "Vereinte Nationen", "Naciones Unidas", "Nazioni Unite")
}
# Datelines of a moving place: "ABOARD AIR FORCE ONE", "A BORD DE L'AVION PRESIDENTIEL".
_ON_BOARD = ("aboard", "on board", "a bord", "an bord", "a bordo")
_AT_SEA = {fold(name) for name in ("At sea", "En mer", "Auf See", "En alta mar", "In mare")}

# fmt: off
# Commodities, currencies and market words: the heads of market reports, never a place.
_NEVER_WORDS = (
    "gold silver platinum palladium copper tin zinc lead nickel aluminium aluminum cobalt iron ore",
    "steel scrap uranium lithium oil crude brent wti gas gasoline petrol diesel naphtha jet fuel",
    "heating propane coal power electricity carbon coffee cocoa sugar tea wheat corn maize soybeans",
    "soybean soy soymeal soyoil meal rapeseed canola barley oats rice grain grains cotton wool rubber",
    "palm cattle hogs pork bellies livestock lumber juice dollar dollars yen euro sterling",
    "pound franc yuan rupee rouble ruble peso won bonds bond treasuries gilts bunds stocks shares",
    "equities futures options forex currencies metals base precious softs commodities money credit",
    "swaps repo",
)
_NEVER = frozenset(fold(word) for line in _NEVER_WORDS for word in line.split())
# fmt: on


def special_place(text: str) -> Special | None:
    """The special dateline ``text`` names (``UNITED NATIONS``, ``ABOARD AIR FORCE ONE``), or None."""
    key = fold(text)
    if key in _NAMED:
        return _NAMED[key]
    if key in _AT_SEA or any(key.startswith(f"{prefix} ") for prefix in _ON_BOARD):
        return Special(text)
    return None


def is_never_a_place(text: str) -> bool:
    """True for a commodity or market name standing alone (``GOLD``, ``CRUDE OIL``, ``STERLING``);
    ``ORANGE`` and ``Gold Coast`` are towns."""
    words = fold(text).split()
    return bool(words) and all(word in _NEVER for word in words)
