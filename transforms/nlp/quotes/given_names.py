"""Common given names and the gender English copy most often gives them, for naming speakers.

Two uses, both where the model's reading of a name is not enough: a pronoun (`she said`) must agree
with its person, and the text may show no `Mr.` or `her` near a name; and the small model sometimes
labels a person's full name a place or an organisation (`Brian Murphy` GPE), which would keep a
pronoun from ever finding them.

Two sources: the lists below (names across the languages on the wire), and ``given_names.tsv``, the
US Social Security Administration's baby names since 1930 that 98 in 100 babies or more of one sex
got (``deploy/names/build_given_names.py``; 4,755 names: `Sebastian`, `Carly`). A name given to
either sex (`Jordan`, `Kelly`, `Chris`) is in neither: a wrong gender is worse than none. A name that
is also a notable place's (`Madison`, `Austin`) tells a person's sex but not that two words are a
person's name.
"""

from __future__ import annotations

import functools
from pathlib import Path

SSA_NAMES = Path(__file__).with_name("given_names.tsv")

MALE = frozenset(
    """
    Aaron Abdul Adam Adrian Ahmed Alan Albert Alberto Alexander Alfred Ali Andre Andrew Andy Angelo
    Anthony Antonio Arthur Barry Ben Benjamin Bernard Bill Billy Bob Bobby Boris Brad Bradley Brandon
    Brent Brett Brian Bruce Bryan Carl Carlos Chad Charles Charlie Chuck Clarence Colin Craig Curtis
    Dan Daniel Danny Darren Dave David Dennis Derek Dick Don Donald Doug Douglas Duncan Dylan Earl Ed
    Eddie Edward Edwin Elijah Emmanuel Eric Erik Ernest Ethan Fernando Francisco Frank Franklin
    Fred Frederick Gabriel Gary Gene Geoff Geoffrey George Gerald Gordon Graham Greg Gregory Hans Harold
    Harry Harvey Hassan Henry Herbert Howard Hugh Ian Ibrahim Ivan Jack Jacob Jake Jamal James Jared
    Jason Javier Jeff Jeffrey Jeremy Jerome Jerry Jesse Jim Jimmy Joe Joel John Johnny Jon Jonathan
    Jorge Jose Joseph Josh Joshua Juan Justin Karl Keith Ken Kenneth Kevin Khalid Kyle Larry Lawrence
    Leonard Leon Lewis Louis Luis Luke Malcolm Manuel Marc Marco Marcus Mario Mark Martin Matt Matthew
    Max Michael Miguel Mike Mitch Mohamed Mohammed Muhammad Nathan Neil Nicholas Nick Noah Norman Omar
    Oscar Patrick Paul Pedro Pete Peter Phil Philip Phillip Ralph Randy Ray Raymond Ricardo Richard Rick
    Rob Robert Roberto Rodney Roger Ron Ronald Roy Russell Ryan Sam Samuel Scott Sean Sergei Sergio Seth
    Shane Simon Stanley Stephen Steve Steven Stuart Ted Terry Thomas Tim Timothy Todd Tom Tommy Tony
    Travis Trevor Troy Tyler Victor Vincent Vladimir Walter Wayne Willie William Yusuf Zachary
    Benny Bernie Ernie Freddie Hank Lenny Ned Ricky Rudy Stan Teddy Walt
    """.split()  # noqa: SIM905 (a word list reads best as words)
)

FEMALE = frozenset(
    """
    Abigail Alexandra Alice Alicia Alison Allison Amanda Amber Amy Ana Andrea Angela Anita Ann Anna Anne
    Annie Barbara Beatrice Becky Betty Beverly Bonnie Brenda Brittany Camille Carla Carmen Carol Caroline
    Carolyn Catherine Cathy Cheryl Christina Christine Cindy Claire Claudia Colleen Connie Cynthia Daisy
    Danielle Deborah Debbie Debra Denise Diana Diane Donna Doris Dorothy Edith Eileen Elaine Eleanor
    Elena Elizabeth Ellen Emily Emma Erica Erin Esther Eva Evelyn Fatima Frances Gail Gina Gloria Grace
    Hannah Heather Heidi Helen Hillary Holly Irene Isabel Isabella Jacqueline Jane Janet Janice
    Jeanne Jennifer Jenny Jessica Jill Joan Joanne Josephine Joy Joyce Judith Judy Julia Julie Karen
    Kate Katherine Kathleen Kathryn Kathy Katie Kimberly Kristen Laura Lauren Leah Linda Lisa Liz Lori
    Louise Lucy Maggie Margaret Maria Marie Marilyn Martha Mary Megan Melanie Melissa
    Michelle Monica Nancy Natalie Nicole Nina Olivia Pamela Patricia Paula Peggy Rachel Rebecca Rita
    Rosa Rose Ruth Sally Samantha Sandra Sara Sarah Sharon Sheila Shirley Sonia Sophia Stephanie Susan
    Suzanne Tamara Tammy Teresa Theresa Tina Valerie Vanessa Veronica Vicki Wendy Yvonne
    Dolly Gladys Nikki Patty Sue
    """.split()  # noqa: SIM905 (a word list reads best as words)
)


def gender_of(name: str) -> str | None:
    """`m` or `f` for a name whose first word is a known given name (`Brian Murphy` → m), else None."""
    first = name.split(maxsplit=1)[0] if name.strip() else ""
    if first in MALE:
        return "m"
    if first in FEMALE:
        return "f"
    known = _ssa_names().get(first)
    return known[0] if known else None


def _is_a_given_name(word: str) -> bool:
    """Is ``word`` a given name that is no notable place's name?"""
    known = _ssa_names().get(word)
    return word in MALE or word in FEMALE or (known is not None and not known[1])


@functools.cache
def _ssa_names() -> dict[str, tuple[str, bool]]:
    """``{name: (sex, is also a place)}`` of ``given_names.tsv``, read once (about 5,000 lines)."""
    rows = (line.split("\t") for line in SSA_NAMES.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    return {name: (sex, place == "place") for name, sex, place in rows}


# Last words that make a given name part of a place or an institution (`Elizabeth Street`).
NOT_A_SURNAME = frozenset(
    """
    Airport Arena Avenue Bay Beach Bridge Center Centre Church City College Committee Company County
    Foundation Fund Group Hall Hospital House Institute Island Lake Library Mountain Museum Park Party
    Road School Square Stadium Street Trust University Valley
    """.split()  # noqa: SIM905 (a word list reads best as words)
)


def looks_like_a_person(name: str) -> bool:
    """`Brian Murphy`: two or three capitalised words, a known given name first, no place word last."""
    words = name.split()
    if not 2 <= len(words) <= 3 or words[-1] in NOT_A_SURNAME or not _is_a_given_name(words[0]):
        return False
    return all(w[:1].isupper() and w.replace(".", "").replace("-", "").replace("'", "").isalpha() for w in words)
