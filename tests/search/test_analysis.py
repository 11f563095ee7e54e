"""Words of shop text: Chinese cut by jieba with positions counted in words, English
stemmed, pinyin for Chinese names."""
from __future__ import annotations

from marketplace.search import analysis
from marketplace.search.query import edit_distance, parse_text


def test_chinese_positions_count_words_not_characters():
    found = analysis.words("今年的五常大米很好吃", inner=False)
    positions = {word.term: word.pos for word in found}
    assert positions["大米"] == positions["五常"] + 1


def test_a_long_chinese_word_is_also_indexed_by_the_words_inside_it_at_its_position():
    found = analysis.words("龙井茶")
    assert [(w.term, w.pos, w.inner) for w in found] == [("龙井茶", 0, False), ("龙井", 0, True)]
    assert analysis.encode_positions(found) == "龙井茶|龙井"


def test_english_words_are_stemmed_and_stop_words_dropped():
    assert [w.term for w in analysis.words("The Lakes of West Lake")] == ["lake", "west", "lake"]


def test_full_width_letters_and_control_characters_are_folded():
    assert [w.raw for w in analysis.words("ＬＯＮＧＪＩＮＧ\x00tea")] == ["longjing", "tea"]


def test_chinese_words_give_their_pinyin_joined_and_by_syllable():
    assert analysis.pinyin_from(analysis.words("西湖龙井", inner=False)) == ["xihu", "xi", "hu", "longjing",
                                                                          "long", "jing"]
    assert analysis.name_pinyin("西湖龙井") == ["xihulongjing"]


def test_quoted_text_is_a_phrase_and_query_syntax_is_just_text():
    parsed = parse_text('"五常大米" AND (((', max_chars=200, max_terms=12)
    assert [(c.phrase, [t.term for t in c.terms]) for c in parsed.clauses] == [(True, ["五常", "大米"])]


def test_edit_distance_counts_a_swap_as_one_edit():
    assert edit_distance("longjin", "longjing", 2) == 1
    assert edit_distance("rise", "rice", 1) == 1
    assert edit_distance("lognjing", "longjing", 2) == 1
    assert edit_distance("tea", "longjing", 2) == 3
