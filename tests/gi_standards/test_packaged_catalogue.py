"""The packaged catalogue: real GI products with the figures of public sources."""
from __future__ import annotations

import re
import tomllib

import pytest

from gi_standards import CATEGORIES, DATA_DIR, county_index, load_catalogue, parse_standard


def test_the_catalogue_has_at_least_twelve_products_in_every_category(catalogue):
    assert len(catalogue) >= 12
    assert set(catalogue.categories) == set(CATEGORIES)
    assert all(catalogue.in_category(category) for category in CATEGORIES)


def test_every_county_of_every_standard_is_in_the_county_table(catalogue):
    counties = county_index()
    missing = {(s.slug, code) for s in catalogue.values() for code in s.county_codes
               if code not in counties}
    assert not missing


def test_every_file_names_its_source_and_confidence(catalogue):
    for standard in catalogue.values():
        assert standard.standard.source and standard.standard.code
        assert re.fullmatch(r"[HML](-[HML])?", standard.standard.confidence)
        assert standard.version == 1
        for parameter in standard.parameters:
            assert parameter.names.zh and parameter.names.en


def test_every_file_is_named_after_its_slug_and_loads_alone():
    for path in sorted(DATA_DIR.glob("*.toml")):
        standard = parse_standard(path.read_bytes(), path.name)
        assert standard.slug == path.stem
        assert standard.to_toml_dict() == tomllib.loads(path.read_text(encoding="utf-8"))
        assert re.fullmatch(r"[0-9a-f]{64}", standard.fingerprint)


def test_loading_twice_gives_equal_catalogues(catalogue):
    again = load_catalogue()
    assert dict(again) == dict(catalogue)
    assert again.fingerprint == catalogue.fingerprint


@pytest.mark.parametrize("slug,                     code", [
    ("longjing-tea",                                "GB/T 18650-2008"),
    ("wuchang-rice",                                "GB/T 19266-2008"),
    ("qiongzhong-green-orange",                     "GB/T 22440-2008"),
    ("jinhua-ham",                                  "GB/T 19088-2008"),
    ("yongchun-ponkan",                             "GB/T 20559-2006"),
    ("huangshan-maofeng-tea",                       "GB/T 19460-2008"),
    ("dongting-biluochun-tea",                      "GB/T 18957-2008"),
    ("mengshan-tea",                                "GB/T 18665-2008"),
    ("anxi-tieguanyin",                             "GB/T 19598-2025"),
    ("wuyi-rock-tea",                               "GB/T 18745-2006"),
    ("yuyao-waxberry",                              "GB/T 19690-2008"),
    ("korla-fragrant-pear",                         "GB/T 19859-2005"),
    ("pinggu-peach",                                "DB11/T 396-2016"),
    ("duyun-maojian-tea",                           "DB52/T 433-2018"),
    ("ningxia-goji",                                "GB/T 19742-2008"),
    ("yantai-apple",                                "GB/T 18965-2008"),
    ("gannan-navel-orange",                         "GB/T 20355-2006"),
])
def test_standard_codes(catalogue, slug, code):
    assert catalogue[slug].code == code


@pytest.mark.parametrize("slug,            counties", [
    ("wuchang-rice",                      {"230184"}),
    ("jinhua-ham",                        15),
    ("gannan-navel-orange",               18),
    ("korla-fragrant-pear",               11),
    ("yantai-apple",                      11),
    ("ningxia-goji",                      12),
    ("huangshan-maofeng-tea",             7),
    ("pinggu-peach",                      {"110117"}),
])
def test_protected_areas(catalogue, slug, counties):
    codes = set(catalogue[slug].county_codes)
    assert codes == counties if isinstance(counties, set) else len(codes) == counties


def test_renamed_counties_use_their_current_codes(catalogue):
    assert "652902" in catalogue["korla-fragrant-pear"].protected_area       # 库车市
    assert "652923" not in catalogue["korla-fragrant-pear"].county_codes     # 库车县
    assert "330112" in catalogue["longjing-tea"].protected_area              # 临安区
    assert "330603" in catalogue["longjing-tea"].protected_area              # 柯桥区
    assert "360783" in catalogue["gannan-navel-orange"].protected_area       # 龙南市


def test_figures_from_the_reference(catalogue):
    assert catalogue["longjing-tea"].effective_limit("moisture").max == 6.5
    assert "DB33/T 239-2023" in catalogue["longjing-tea"].parameter("moisture").source
    assert catalogue["korla-fragrant-pear"].effective_limit("fruit_weight").describe("g") == "80–150 g"
    assert catalogue["pinggu-peach"].effective_limit("fruit_weight", "庆丰").min == 150
    assert catalogue["pinggu-peach"].effective_limit("fruit_weight", "八月脆").min == 300
    assert catalogue["jinhua-ham"].effective_limit("skin_thickness").max == 0.35
    assert catalogue["jinhua-ham"].effective_limit("fat_thickness").max == 3.5
    assert catalogue["yuyao-waxberry"].effective_limit("soluble_solids", "荸荠种").gt == 10.5
    huangshan = catalogue["huangshan-maofeng-tea"]
    assert huangshan.parameters == ()                 # the 2025 figures are a draft's
    assert "≥ 37.0 %" in huangshan.notes
    assert [g.names.zh for g in huangshan.grades] == ["特级一等", "特级二等", "特级三等", "一级", "二级"]
    assert catalogue["duyun-maojian-tea"].effective_limit("water_extract", grade="zunpin").min == 43.2
    assert [g.names.zh for g in catalogue["longjing-tea"].grades] == [
        "特级", "一级", "二级", "三级", "四级", "五级"]


def test_a_county_finds_its_standards(catalogue):
    assert {s.slug for s in catalogue.for_county("330783")} == {"jinhua-ham", "longjing-tea"}
    assert catalogue.for_county("110101") == []
