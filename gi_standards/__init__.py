"""The GI standards catalogue and its validation engine: plain Python, no Flask.

Load the catalogue, pick a standard, and check a batch against it::

    from gi_standards import Declaration, load_catalogue

    catalogue = load_catalogue()
    report = catalogue["longjing-tea"].validate(
        Declaration("330106", harvest_date=None, variety="龙井43", grade="premium",
                    measurements={"moisture": 6.2}))
    report.passed, report.best_grade, report.to_dict()

The file format is described in `gi_standards/data/README.md`.
"""
from .catalogue import Catalogue
from .counties import County, county_index, load_counties
from .errors import CatalogueError, Problem
from .limits import Limit
from .loader import DATA_DIR, MAX_FILE_BYTES, load_catalogue, parse_standard
from .model import (CATEGORIES, Grade, LocalizedName, Parameter, Standard, StandardDocument,
                    SubArea)
from .names import ProtectedNameMatch, distinctive_head, protected_names
from .report import RULES, SEVERITIES, Declaration, Finding, Report

__all__ = [
    "CATEGORIES", "DATA_DIR", "MAX_FILE_BYTES", "RULES", "SEVERITIES",
    "Catalogue", "CatalogueError", "County", "Declaration", "Finding", "Grade", "Limit",
    "LocalizedName", "Parameter", "Problem", "ProtectedNameMatch", "Report", "Standard",
    "StandardDocument", "SubArea",
    "county_index", "distinctive_head", "load_catalogue", "load_counties", "parse_standard",
    "protected_names",
]
