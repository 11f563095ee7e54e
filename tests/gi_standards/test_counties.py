"""The county table that the web app loads and the standards refer to."""
from __future__ import annotations

import pytest

from gi_standards import CatalogueError, County, county_index, load_counties
from gi_standards.counties import COLUMNS, parse_counties


def test_counties_carry_names_city_and_province_in_both_languages():
    xihu = county_index()["330106"]
    assert xihu == County("330106", "西湖区", "Xihu District", "杭州市", "Hangzhou",
                          "浙江省", "Zhejiang")
    assert county_index()["652902"].name_zh == "库车市"
    assert county_index()["110117"].city_zh == "北京市"


def test_load_counties_returns_a_fresh_list_of_unique_codes():
    counties = load_counties()
    assert len({c.code for c in counties}) == len(counties) > 90
    counties.clear()
    assert load_counties()


def test_a_county_file_can_be_loaded_from_a_path(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(",".join(COLUMNS) + "\n110117,平谷区,Pinggu District,北京市,Beijing,北京市,Beijing\n",
                    encoding="utf-8")
    assert [c.code for c in load_counties(path)] == ["110117"]


@pytest.mark.parametrize("rows, key", [
    (["11011,平谷区,P,北京市,B,北京市,B"],                               "line 2"),
    (["110117,平谷区,P,北京市,B,北京市,B", "110117,平谷区,P,北京市,B,北京市,B"], "line 3"),
    (["110117,平谷区,P,北京市,B,北京市"],                                 "line 2"),
    (["110117,,P,北京市,B,北京市,B"],                                    "line 2.name_zh"),
])
def test_bad_county_rows_are_named(rows, key):
    with pytest.raises(CatalogueError) as caught:
        parse_counties("\n".join([",".join(COLUMNS), *rows]) + "\n", "counties.csv")
    assert [(p.file, p.key) for p in caught.value.problems] == [("counties.csv", key)]


def test_a_bad_header_is_refused():
    with pytest.raises(CatalogueError):
        parse_counties("code,name\n110117,平谷区\n", "counties.csv")
