"""Signalen, casussen, bijdragen, afspraken and the ketenoverleg; the case-content policy."""
