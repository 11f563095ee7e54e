"""The relevance set: what a shopper types over the demo data, and the listings they want.

Each row is a query and the titles a shopper would expect at the top; precision at 5 of a
query is the share of its first five hits (or of its expected listings, when fewer than
five are expected) that are expected. Chinese, pinyin, English, typos and short words.
"""
from __future__ import annotations

LONGJING = {"明前西湖龙井 特级 250g", "West Lake Longjing, premium, 100 g", "雨前龙井 一级 500g",
            "龙井茶 二级 口粮茶 250g", "Longjing tea gift box, two tins", "西湖龙井 小批次 250g"}
HANGZHOU = LONGJING | {"杭州春茶 茶农自留 200g", "Hand-fired green tea sampler", "茶农手作 竹制茶则"}
GREEN_TEA = {"杭州春茶 茶农自留 200g", "Hand-fired green tea sampler"}
WUCHANG = {"五常大米 稻花香2号 5kg", "Wuchang rice, new crop, 10 kg", "五常大米 真空砖 2.5kg×2", "五常大米 礼盒 4 × 1kg"}
RICE = WUCHANG | {"东北长粒香大米 10kg", "Black-soil brown rice, 2 kg", "有机糙米 1kg", "东北黑米 1kg"}
ANXI = {"安溪铁观音 清香型 特级 250g", "Anxi Tieguanyin, light roast, 125 g", "安溪铁观音 浓香型 一级 500g"}
ANXI_SHOP = ANXI | {"Oolong tea, everyday, 250 g", "闽南乌龙 本山 250g", "工夫茶具 白瓷盖碗", "安溪佛手茶 250g"}
OOLONG = {"Oolong tea, everyday, 250 g", "闽南乌龙 本山 250g"}
GOJI = {"枸杞原浆 30ml×10", "黑枸杞 100g", "Sun-dried red berries, 500 g", "枸杞芽茶 50g", "枸杞蜂蜜 500g"}
PEACH_SHOP = {"北京水蜜桃 2.5kg", "Flat peaches, 2 kg", "黄桃罐头 425g×6", "桃花蜜 500g", "桃胶 250g",
              "桃木梳 手工打磨", "蟠桃干 200g", "鲜桃汁 300ml×12", "桃酥 礼盒 500g"}
PEACHES = {"北京水蜜桃 2.5kg", "Flat peaches, 2 kg", "黄桃罐头 425g×6", "蟠桃干 200g", "鲜桃汁 300ml×12"}
HONEY = {"枸杞蜂蜜 500g", "桃花蜜 500g"}
GIFT_BOXES = {"Longjing tea gift box, two tins", "五常大米 礼盒 4 × 1kg", "桃酥 礼盒 500g"}
TEA = HANGZHOU - {"茶农手作 竹制茶则"} | ANXI_SHOP - {"工夫茶具 白瓷盖碗"} | {"枸杞芽茶 50g"}

RELEVANCE_SET: list[tuple[str, str, set[str]]] = [
    # kind, query, expected
    ("chinese", "龙井", LONGJING),
    ("chinese", "西湖龙井", LONGJING),
    ("chinese", "龙井茶", LONGJING),
    ("chinese", "五常大米", WUCHANG),
    ("chinese", "五常", WUCHANG),
    ("chinese", "大米", WUCHANG | {"东北长粒香大米 10kg"}),
    ("chinese", "铁观音", ANXI),
    ("chinese", "安溪铁观音", ANXI),
    ("chinese", "枸杞", GOJI),
    ("chinese", "黑枸杞", {"黑枸杞 100g"}),
    ("chinese", "水蜜桃", {"北京水蜜桃 2.5kg"}),
    ("chinese", "绿茶", GREEN_TEA),
    ("chinese", "礼盒", GIFT_BOXES),
    ("chinese", "乌龙", OOLONG),
    ("chinese", "糙米", {"有机糙米 1kg", "Black-soil brown rice, 2 kg"}),
    ("chinese", "黑米", {"东北黑米 1kg"}),
    ("chinese", "桃胶", {"桃胶 250g"}),
    ("chinese", "蜂蜜", HONEY),
    ("chinese", "盖碗", {"工夫茶具 白瓷盖碗"}),
    ("chinese", "茶则", {"茶农手作 竹制茶则"}),
    ("chinese", "稻花香", {"五常大米 稻花香2号 5kg"}),
    ("chinese", "长粒香", {"东北长粒香大米 10kg"}),
    ("chinese", "平谷", PEACH_SHOP),
    ("chinese", "杭州", HANGZHOU),
    ("chinese", "宁夏", GOJI),
    ("chinese", "黄桃", {"黄桃罐头 425g×6"}),
    ("chinese", "蟠桃", {"蟠桃干 200g", "Flat peaches, 2 kg"}),
    ("chinese", "明前", {"明前西湖龙井 特级 250g"}),
    ("chinese", "龙 井", LONGJING),
    ("chinese", "五 常 大 米", WUCHANG),
    ("chinese", "铁 观音", ANXI),
    ("pinyin", "longjing", LONGJING),
    ("pinyin", "xihu longjing", LONGJING),
    ("pinyin", "long jing", LONGJING),
    ("pinyin", "wuchang", WUCHANG),
    ("pinyin", "wuchang dami", WUCHANG),
    ("pinyin", "tieguanyin", ANXI),
    ("pinyin", "anxi", ANXI_SHOP),
    ("pinyin", "gouqi", GOJI),
    ("pinyin", "pinggu", PEACH_SHOP),
    ("pinyin", "shuimitao", {"北京水蜜桃 2.5kg"}),
    ("pinyin", "hangzhou", HANGZHOU),
    ("pinyin", "ningxia", GOJI),
    ("english", "longjing tea", LONGJING),
    ("english", "west lake", LONGJING),
    ("english", "dragon well", LONGJING),
    ("english", "wuchang rice", WUCHANG),
    ("english", "rice", RICE),
    ("english", "tieguanyin tea", ANXI),
    ("english", "goji", GOJI),
    ("english", "peach", PEACHES),
    ("english", "green tea", GREEN_TEA),
    ("english", "oolong", OOLONG),
    ("english", "black rice", {"东北黑米 1kg"}),
    ("english", "brown rice", {"有机糙米 1kg", "Black-soil brown rice, 2 kg"}),
    ("english", "honey", HONEY),
    ("english", "gift box", GIFT_BOXES),
    ("english", "tea scoop", {"茶农手作 竹制茶则"}),
    ("english", "premium", {"明前西湖龙井 特级 250g", "West Lake Longjing, premium, 100 g", "安溪铁观音 清香型 特级 250g"}),
    ("typo", "longjin", LONGJING),
    ("typo", "logjing", LONGJING),
    ("typo", "wuchnag", WUCHANG),
    ("typo", "tieguanyn", ANXI),
    ("typo", "wuchang rise", WUCHANG),
    ("typo", "peech", PEACHES),
    ("typo", "hangzou", HANGZHOU),
    ("typo", "oolnog", OOLONG),
    ("short", "桃", PEACH_SHOP),
    ("short", "米", RICE - {"Black-soil brown rice, 2 kg"}),
    ("short", "茶", TEA),
    ("short", "蜜", HONEY | {"北京水蜜桃 2.5kg"}),
    ("short", "梳", {"桃木梳 手工打磨"}),
    ("short", "tea", TEA),
]


def precision_at_5(found: list[str], expected: set[str]) -> float:
    """The share of the first five hits that are expected (of the expected, if fewer than five)."""
    wanted = min(5, len(expected))
    return sum(1 for title in found[:5] if title in expected) / wanted
