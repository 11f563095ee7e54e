"""Validating batches against the packaged standards, at their real figures."""
from __future__ import annotations

import pytest

from gi_standards import Declaration


def test_longjing_moisture_is_6_5_percent_at_most(catalogue):
    longjing = catalogue["longjing-tea"]
    ok = Declaration("330106", None, "龙井43", None, {"moisture": 6.5})
    wet = Declaration("330106", None, "龙井43", None, {"moisture": 6.6})
    assert longjing.validate(ok).passed
    assert not longjing.validate(wet).passed


@pytest.mark.parametrize("variety, weight, soluble, passed", [
    ("荸荠种",  8.0,   10.51,  True),
    ("荸荠种",  7.9,   10.51,  False),
    ("荸荠种",  8.0,   10.5,   False),   # soluble solids must exceed 10.5 %
    ("水晶种",  10.0,  10.01,  True),
    ("水晶种",  9.9,   10.01,  False),
])
def test_yuyao_waxberry_figures_differ_by_variety(catalogue, variety, weight, soluble, passed):
    declaration = Declaration("330281", None, variety, None, {
        "fruit_weight": weight, "soluble_solids": soluble, "total_acid": 1.5})
    assert catalogue["yuyao-waxberry"].validate(declaration).passed is passed


@pytest.mark.parametrize("weight, passed", [(79.9, False), (80, True), (150, True), (150.1, False)])
def test_korla_pear_weighs_80_to_150_grams(catalogue, weight, passed):
    report = catalogue["korla-fragrant-pear"].validate(
        Declaration("652902", None, None, None, {"fruit_weight": weight}))
    assert report.passed is passed


def test_duyun_maojian_grade_bands(catalogue):
    duyun = catalogue["duyun-maojian-tea"]
    top = {"moisture": 6.0, "total_ash": 6.5, "water_extract": 43.2, "crude_fibre": 15}
    middle = dict(top, water_extract=40.0)
    low = dict(top, moisture=7.0, total_ash=7.0, water_extract=38.0, crude_fibre=16)
    assert duyun.validate(Declaration("522701", measurements=top)).best_grade == "zunpin"
    assert duyun.validate(Declaration("522701", measurements=middle)).best_grade == "zhenpin"
    assert duyun.validate(Declaration("522701", measurements=low)).best_grade == "grade-1"
    claim = duyun.validate(Declaration("522701", grade="尊品", measurements=middle))
    assert not claim.passed and claim.best_grade == "zhenpin"
