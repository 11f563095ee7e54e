"""Trace codes: unguessable, printable, with a check character, read back forgivingly."""
from __future__ import annotations

import pytest

from marketplace.certification.services import trace_codes
from marketplace.certification.services.trace_codes import ALPHABET, TraceCodeError


def test_new_codes_are_twelve_crockford_characters_with_a_valid_check_character():
    codes = {trace_codes.new_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == 12 and set(code) <= set(ALPHABET)
        assert trace_codes.normalise(code) == code


def test_codes_are_printed_in_groups_of_four():
    assert trace_codes.display("K7QM2XHD9RTA") == "K7QM-2XHD-9RTA"


def test_typing_is_forgiven_case_dashes_spaces_and_lookalike_letters():
    code = trace_codes.new_code()
    printed = trace_codes.display(code)
    assert trace_codes.normalise(printed.lower()) == code
    assert trace_codes.normalise(f"  {code[:4]} {code[4:8]}\t{code[8:]} ") == code
    assert trace_codes.normalise(f"https://terroir.example/verify/{printed}") == code
    with_lookalikes = code.replace("0", "O").replace("1", "l")
    assert trace_codes.normalise(with_lookalikes) == code


def test_a_mistyped_character_is_told_apart_from_junk():
    code = trace_codes.new_code()
    wrong = ALPHABET[(ALPHABET.index(code[3]) + 1) % len(ALPHABET)]
    with pytest.raises(TraceCodeError) as mistyped:
        trace_codes.normalise(code[:3] + wrong + code[4:])
    assert mistyped.value.kind == "mistyped"


@pytest.mark.parametrize("junk", [
    "", "   ", "ABC", "K7QM-2XHD-9RTA-XXXX", "UUUU-UUUU-UUUU", "'; DROP TABLE trace_codes; --",
    "<script>alert(1)</script>", "x" * 5000, "龙井龙井龙井龙井龙井龙井", "%00%00",
])
def test_junk_is_not_a_code(junk):
    with pytest.raises(TraceCodeError) as error:
        trace_codes.normalise(junk)
    assert error.value.kind == "malformed"
