"""County names read naturally in both languages, including the odd cases of the table."""
from marketplace.cooperatives.models import County


def county(**overrides):
    values = dict(code="330106", name_zh="西湖区", name_en="Xihu District", city_zh="杭州市",
                  city_en="Hangzhou", province_zh="浙江省", province_en="Zhejiang")
    values.update(overrides)
    return County(**values)


def test_full_name_orders_parts_by_language():
    assert county().full_name("zh") == "浙江省杭州市西湖区"
    assert county().full_name("en") == "Xihu District, Hangzhou, Zhejiang"


def test_city_that_repeats_the_province_is_left_out():
    pinggu = county(name_zh="平谷区", name_en="Pinggu District", city_zh="北京市", city_en="Beijing",
                    province_zh="北京市", province_en="Beijing")
    assert pinggu.full_name("zh") == "北京市平谷区"
    assert pinggu.full_name("en") == "Pinggu District, Beijing"


def test_county_under_the_province_itself_has_no_city():
    qiongzhong = county(name_zh="琼中黎族苗族自治县", name_en="Qiongzhong", city_zh="省直辖县级行政区划",
                        city_en="Directly administered", province_zh="海南省", province_en="Hainan")
    assert qiongzhong.full_name("zh") == "海南省琼中黎族苗族自治县"
    assert qiongzhong.full_name("en") == "Qiongzhong, Hainan"
