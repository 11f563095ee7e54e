"""Listing titles as farm shops write them: which use a protected GI name, and which not.

Half the titles use a name, each in a way a seller might try to slip past the check
(traditional characters, pinyin, a name half in pinyin, English trade names and plurals,
spaces, Cyrillic look-alike letters, imitations);
the other half share characters or words with a name and must stay clean (a city, a dish,
seedlings, another product of the same place). Each row is one title and what the
catalogue must say about it: the product, and for a name kept for part of the area, that
part's counties.
"""
from __future__ import annotations

import pytest

XIHU = frozenset({"330106"})

USES = [
    # title                                                 product                     sub-area
    # --- Longjing: 西湖 names are the 西湖 zone's, every other name is the whole area's
    ("2024新茶 西湖龍井 明前特級 250g 禮盒裝",                  "longjing-tea",             XIHU),
    ("西湖龙井 雨前 一级 200g",                                 "longjing-tea",             XIHU),
    ("杭州西湖龙井茶 明前特级 罐装",                            "longjing-tea",             XIHU),
    ("狮峰 西 湖 龙 井 手工炒制",                               "longjing-tea",             XIHU),
    ("西湖·龙井 茶农直销",                                      "longjing-tea",             XIHU),
    ("West Lake Dragon Well tea, 2024 pre-Qingming, 250 g",     "longjing-tea",             XIHU),
    ("Westlake Longjing green tea, premium",                    "longjing-tea",             XIHU),
    ("Xi Hu Long Jing tea, hand-fried",                         "longjing-tea",             XIHU),
    ("Xī Hú Lóng Jǐng — spring harvest",                        "longjing-tea",             XIHU),
    ("xihulongjing 100g",                                       "longjing-tea",             XIHU),
    ("West Lake Lung Ching, first flush",                       "longjing-tea",             XIHU),
    ("西湖Longjing tea 明前 250g",                              "longjing-tea",             XIHU),
    ("Xihu龙井 雨前",                                           "longjing-tea",             XIHU),
    ("明前龙井茶 250g 钱塘产区",                                "longjing-tea",             None),
    ("越州龙井 高山绿茶 500g",                                  "longjing-tea",             None),
    ("龙井风味绿茶 新茶上市",                                   "longjing-tea",             None),
    ("龙井型绿茶 口粮茶 500g",                                  "longjing-tea",             None),
    ("龍井茶 特級 禮盒",                                        "longjing-tea",             None),
    ("正宗龙井市场价直销 半斤装",                               "longjing-tea",             None),
    ("吉林龙井市大米 买就送 龙井茶一盒",                        "longjing-tea",             None),
    ("贵州 龙井43 绿茶 明前",                                   "longjing-tea",             None),
    ("Dragon Well green tea, 100 g tin",                        "longjing-tea",             None),
    ("Dragonwell tea from Zhejiang",                            "longjing-tea",             None),
    ("Lung Ching tea, loose leaf",                              "longjing-tea",             None),
    ("Longjing-style green tea, everyday drinking",             "longjing-tea",             None),
    ("Long Jing Cha, loose leaf",                               "longjing-tea",             None),
    ("long2 jing3 green tea",                                   "longjing-tea",             None),
    ("LONGJING TEA 500G",                                       "longjing-tea",             None),
    ("L\u043engjing tea, Cyrillic o",                            "longjing-tea",             None),
    # --- Wuchang rice
    ("五常大米 稻花香2号 10kg",                                 "wuchang-rice",             None),
    ("五常風味大米 新米 5kg",                                   "wuchang-rice",             None),
    ("五常型大米 东北新米",                                     "wuchang-rice",             None),
    ("五 常 大 米 2024新米",                                    "wuchang-rice",             None),
    ("【包邮】正宗五常大米 产地直发",                           "wuchang-rice",             None),
    ("Wuchang rices, 5 kg bag",                                 "wuchang-rice",             None),
    ("Wuchang Da Mi, new crop",                                 "wuchang-rice",             None),
    ("wuchangdami 10kg",                                        "wuchang-rice",             None),
    ("Wuchang-style rice, northeast",                           "wuchang-rice",             None),
    ("Wuchang fragrant rice, Daohuaxiang",                      "wuchang-rice",             None),
    ("ＷＵＣＨＡＮＧ ＲＩＣＥ",                                  "wuchang-rice",             None),
    ("Wuchang大米 5kg 新米",                                    "wuchang-rice",             None),
    # --- Ningxia goji
    ("宁夏枸杞 特级 头茬 500g",                                 "ningxia-goji",             None),
    ("寧夏枸杞 中寧產 特優",                                    "ningxia-goji",             None),
    ("宁夏风味枸杞 泡水喝",                                     "ningxia-goji",             None),
    ("Ningxia goji berries, premium grade",                     "ningxia-goji",             None),
    ("Ningxia wolfberries, dried, 500 g",                       "ningxia-goji",             None),
    ("Ning Xia Gou Qi, sun-dried",                              "ningxia-goji",             None),
    # --- Jinhua ham
    ("金华火腿 整只 3kg 三年陈",                                "jinhua-ham",               None),
    ("金華火腿 切片 禮盒",                                      "jinhua-ham",               None),
    ("金华风味火腿 切片",                                       "jinhua-ham",               None),
    ("Jinhua hams, whole leg",                                  "jinhua-ham",               None),
    ("Jinhua-style ham slices",                                 "jinhua-ham",               None),
    ("Kinhwa ham, aged three years",                            "jinhua-ham",               None),
    # --- Anxi Tieguanyin
    ("安溪铁观音 清香型 2024秋茶",                              "anxi-tieguanyin",          None),
    ("安溪鐵觀音 濃香型",                                       "anxi-tieguanyin",          None),
    ("Anxi Tieguanyin oolong, light roast",                     "anxi-tieguanyin",          None),
    ("Anxi Iron Goddess oolong tea",                            "anxi-tieguanyin",          None),
    ("Anxi Tie Kuan Yin, 2024 autumn",                          "anxi-tieguanyin",          None),
    ("安溪Tieguanyin 清香型",                                   "anxi-tieguanyin",          None),
    # --- the other teas
    ("黄山毛峰 特级 明前",                                      "huangshan-maofeng-tea",    None),
    ("黃山毛峰茶 手工 2024",                                    "huangshan-maofeng-tea",    None),
    ("Huangshan Maofeng green tea",                             "huangshan-maofeng-tea",    None),
    ("Yellow Mountain Fur Peak tea, 100 g",                     "huangshan-maofeng-tea",    None),
    ("洞庭山碧螺春 明前 一级",                                  "dongting-biluochun-tea",   None),
    ("洞庭碧螺春 东山 新茶",                                    "dongting-biluochun-tea",   None),
    ("Dongting Pi Lo Chun, spring",                             "dongting-biluochun-tea",   None),
    ("Dong Ting Bi Luo Chun green tea",                         "dongting-biluochun-tea",   None),
    ("都匀毛尖 贵州名茶 特级",                                  "duyun-maojian-tea",        None),
    ("Duyun Mao Jian, grade 1",                                 "duyun-maojian-tea",        None),
    ("蒙山茶 雅安 明前",                                        "mengshan-tea",             None),
    ("Mengshan tea, Ya'an",                                     "mengshan-tea",             None),
    ("武夷岩茶 大红袍 肉桂 足火",                               "wuyi-rock-tea",            None),
    ("Wuyi rock tea, Da Hong Pao",                              "wuyi-rock-tea",            None),
    ("Wuyi Yan Cha, Rou Gui",                                   "wuyi-rock-tea",            None),
    # --- fruit
    ("赣南脐橙 10斤 现摘",                                      "gannan-navel-orange",      None),
    ("贛南臍橙 大果",                                           "gannan-navel-orange",      None),
    ("Gannan navel oranges, 10 kg box",                         "gannan-navel-orange",      None),
    ("Ganzhou navel oranges, fresh",                            "gannan-navel-orange",      None),
    ("库尔勒香梨 新疆 5kg",                                     "korla-fragrant-pear",      None),
    ("库尔勒风味香梨",                                          "korla-fragrant-pear",      None),
    ("Korla fragrant pears, Xinjiang",                          "korla-fragrant-pear",      None),
    ("Korla pears, 5 kg",                                       "korla-fragrant-pear",      None),
    ("平谷大桃 鲜桃 现摘 5斤",                                  "pinggu-peach",             None),
    ("Pinggu peaches, juicy",                                   "pinggu-peach",             None),
    ("Pinggu Da Tao, Beijing",                                  "pinggu-peach",             None),
    ("琼中绿橙 海南 10斤",                                      "qiongzhong-green-orange",  None),
    ("Qiongzhong green oranges, Hainan",                        "qiongzhong-green-orange",  None),
    ("烟台苹果 红富士 80mm",                                    "yantai-apple",             None),
    ("煙台蘋果 棲霞 紅富士",                                    "yantai-apple",             None),
    ("烟台型苹果 脆甜",                                         "yantai-apple",             None),
    ("Yantai apples, Fuji, 5 kg",                               "yantai-apple",             None),
    ("Yantai Fuji apples, crisp",                               "yantai-apple",             None),
    ("Y\u0430nt\u0430i \u0430pples, Cyrillic a",                  "yantai-apple",             None),
    ("永春芦柑 福建 新鲜",                                      "yongchun-ponkan",          None),
    ("Yongchun ponkans, sweet",                                 "yongchun-ponkan",          None),
    ("Yongchun mandarins, 5 kg",                                "yongchun-ponkan",          None),
    ("余姚杨梅 荸荠种 现摘",                                    "yuyao-waxberry",           None),
    ("余姚风味杨梅 冰镇",                                       "yuyao-waxberry",           None),
    ("Yuyao bayberries, fresh picked",                          "yuyao-waxberry",           None),
    ("Yuyao waxberries",                                        "yuyao-waxberry",           None),
]

CLEAN = [
    # --- places, dishes and plant material that share characters with 龙井
    "吉林龙井市大米 5kg",
    "龙井虾仁 半成品 速冻 300g",
    "龍井蝦仁 杭州名菜",
    "延边龙井苹果梨 10斤",
    "龙井茶苗 1000株 包成活",
    "龙井43茶苗 良种 扦插苗",
    "龙井长叶茶苗 一年生",
    "Longjing shrimp, frozen, ready to cook",
    "Longjing City apple pears, Yanbian",
    "杭州 西湖藕粉 500g",
    "西湖醋鱼 调料包",
    "Hangzhou West Lake lotus root starch",
    "Dragon fruit, red flesh, Hainan",
    # --- other products and places
    "沂蒙山茶 日照绿茶 250g",
    "沂蒙山茶叶 山东 高山",
    "蒙顶山茶 雅安 甘露",
    "Yimeng Mountain tea, Shandong",
    "Mengding Ganlu green tea",
    "东北大米 长粒香 10kg",
    "五常市农家小米 2kg",
    "哈尔滨五常市 黑木耳 干货",
    "Organic millet from Wuchang City",
    "Wuchang District pears, Wuhan",
    "Northeast long-grain rice, 10 kg",
    "宁夏滩羊肉 5斤",
    "宁夏 黑枸杞 野生",
    "青海枸杞 柴达木 红枸杞",
    "Ningxia lamb, 2 kg",
    "goji berries from Qinghai",
    "金华酥饼 梅干菜",
    "金华猪 土猪肉 鲜肉",
    "宣威火腿 云南 整只",
    "Jinhua pig pork belly",
    "Yunnan Xuanwei ham",
    "铁观音 台湾木栅 正欉",
    "Taiwan Muzha Tieguanyin oolong",
    "Iron Goddess oolong from Taiwan",
    "碧螺春 四川 新茶",
    "Biluochun green tea, Sichuan",
    "洞庭湖 银鱼 干货",
    "黄山 太平猴魁 2024",
    "黄山烧饼 梅干菜",
    "Huangshan sesame cakes",
    "Yellow Mountain wild honey",
    "信阳毛尖 明前",
    "Xinyang Maojian green tea",
    "都匀 酸汤鱼底料",
    "六安瓜片 一级",
    "大红袍 岩韵 足火",
    "Da Hong Pao oolong, Fujian",
    "武夷山 红茶 正山小种",
    "Wuyishan black tea, Lapsang",
    "赣州 腐竹 500g",
    "Gannan yak jerky, Gansu",
    "库尔勒 大枣",
    "Korla jujubes",
    "平谷 蜂蜜 荆花蜜",
    "Pinggu honey",
    "海南 绿橙 10斤",
    "Hainan green oranges",
    "烟台 大樱桃 5斤",
    "烟台海参 淡干",
    "Yantai seafood, dried scallops",
    "Fuji apples from Shaanxi, 5 kg",
    "永春老醋 陈酿",
    "Yongchun vinegar, aged",
    "余姚 榨菜 下饭菜",
    "Chinese bayberries, Zhejiang",
    "云南普洱 熟茶 357g",
    "Green tea from Yunnan, 250 g",
    "高山绿茶 手工炒青",
    "土鸡蛋 30枚 散养",
    "Free-range eggs, 30",
    "正山小种 桐木关",
    "Premium style black tea",
    "Mountain honey, wild flowers",
    "新疆 阿克苏 冰糖心苹果",
    "Aksu rock-sugar apples",
    "Чай из Юньнани, 100 г",
    "\u03a9mega-3 eggs, free range",
]


def test_the_table_is_large_and_balanced():
    assert len(USES) + len(CLEAN) >= 150
    assert min(len(USES), len(CLEAN)) >= 75
    assert len(set(USES)) == len(USES) and len(set(CLEAN)) == len(CLEAN)


@pytest.mark.parametrize("title, slug, area", USES, ids=[row[0] for row in USES])
def test_a_title_using_a_protected_name_is_caught(catalogue, title, slug, area):
    matches = catalogue.find_protected_names(title)
    assert matches, f"{title!r} uses a name of {slug} but nothing was found"
    assert {(m.slug, m.area) for m in matches} == {(slug, area)}
    for match in matches:
        assert title[match.start:match.end] == match.text


@pytest.mark.parametrize("title", CLEAN)
def test_a_title_that_only_shares_characters_is_clean(catalogue, title):
    assert catalogue.find_protected_names(title) == []
