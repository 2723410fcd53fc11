"""The one way to reach the catalogue: `current()`.

Today that is the five specifications in catalogue/sources, built once per process by the
catalogue package. Qualifications imported at run time join it here, so everything that answers
or plans sees the same catalogue. Code below the flows (bot.domain) never reaches for it: it is
passed in.
"""
from __future__ import annotations

from catalogue import load_catalogue
from catalogue.build import Catalogue


def current() -> Catalogue:
    return load_catalogue()
