"""The one text-cleaning path and the bounded numbers every form and query string uses."""
from __future__ import annotations

import importlib
import pkgutil

import pytest
from flask_wtf import FlaskForm

import marketplace
from marketplace.core.forms import BaseForm
from marketplace.core.numbers import INT_MAX, clamp_date, int_arg, parse_int
from marketplace.core.text import clean_filename, clean_name, clean_text


def _all_form_classes():
    for module in pkgutil.walk_packages(marketplace.__path__, "marketplace."):
        if module.name.endswith(("forms", "_forms")):
            importlib.import_module(module.name)
    found, pending = set(), [FlaskForm]
    while pending:
        for sub in pending.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                pending.append(sub)
    return [cls for cls in found if cls.__module__.startswith("marketplace.")]


def test_every_form_of_the_site_derives_from_the_cleaning_base_form(app):
    forms = _all_form_classes()
    assert len(forms) > 20
    strays = [f"{cls.__module__}.{cls.__name__}" for cls in forms if not issubclass(cls, BaseForm)]
    assert strays == []


@pytest.mark.parametrize("typed, kept", [
    ("a\x00b", "ab"), ("a\x07b\x1bc\x7fd\x85e", "abcd e"), ("x\u202ey\u2066z\u2069", "xyz"),
    ("name\u200f", "name"), ("two\r\nlines", "two lines"), ("tab\there", "tab here"),
    ("surrogate\ud800", "surrogate"), ("西湖龙井", "西湖龙井"), ("emoji 👩‍🌾", "emoji 👩‍🌾"),
])
def test_one_line_text_keeps_what_was_meant(typed, kept):
    assert clean_text(typed) == kept


def test_multi_line_text_keeps_breaks_tabs_and_direction_marks_but_not_overrides():
    assert clean_text("a\r\nb\rc\td\u200f\u202e\x00", multiline=True) == "a\nb\nc\td\u200f"


def test_names_are_trimmed_and_collapsed_and_cut():
    assert clean_name("  West \x00 Lake\u202e  tea ", longest=8) == "West Lak"


@pytest.mark.parametrize("sent, shown", [
    ("C:\\fakepath\\report.pdf", "report.pdf"), ("../../etc/passwd", "passwd"),
    ("in\u202egpj.exe", "ingpj.exe"), ("a\x07b\x00.pdf", "ab.pdf"), ("\x01\x02", "file"),
    ("产地核验报告.pdf", "产地核验报告.pdf"), ("  spaced   name .pdf ", "spaced name .pdf"),
])
def test_file_names_lose_paths_and_every_invisible_character(sent, shown):
    assert clean_filename(sent) == shown


@pytest.mark.parametrize("typed, read", [
    ("12", 12), (" 12 ", 12), ("-5", -5), ("+7", 7), ("²", None), ("١٢", None), ("--5", None),
    ("1e3", None), ("9" * 30, None), (str(INT_MAX), INT_MAX), (str(INT_MAX + 1), None), ("", None),
    (None, None), ("12\x00", None),
])
def test_integers_are_ascii_digits_within_a_database_column(typed, read):
    assert parse_int(typed) == read


def test_query_string_integers_fall_back_to_their_default():
    from werkzeug.datastructures import MultiDict

    args = MultiDict({"page": "²", "copies": "0", "n": "3"})
    assert int_arg(args, "page", 1) == 1
    assert int_arg(args, "copies", 1) == 1
    assert int_arg(args, "n", 1, maximum=2) == 1
    assert int_arg(args, "n", 1) == 3
    assert int_arg(args, "missing") is None


def test_dates_are_clamped_to_what_date_arithmetic_survives():
    from datetime import date, timedelta

    assert clamp_date(date(9999, 12, 31)) + timedelta(days=1)
    assert clamp_date(date(1, 1, 1)).year == 1900
    assert clamp_date(None) is None
