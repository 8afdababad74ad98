"""What a story is about: the IPTC vocabularies wirestream ships, and subjects read into one shape.

Every format names its subjects its own way (a NewsML-G2 ``qcode``, a NITF ``refnum``, a ninjs
``scheme`` and ``code``, AP's ``rels``...); the decoders hand them here as ``ItemSubject``s and get
``Subject`` records back, each with its qcode in one spelling, its English label and its ancestors.
``iptc.json`` is built from IPTC's own files by ``deploy/iptc/build_vocab.py``; nothing is fetched
at run time.
"""

from wirestream.transforms.subjects.qcodes import ANPA_CATEGORY, MEDTOP, SUBJ, qcode_of
from wirestream.transforms.subjects.resolve import ItemSubject, resolve

__all__ = ["ANPA_CATEGORY", "MEDTOP", "SUBJ", "ItemSubject", "qcode_of", "resolve"]
