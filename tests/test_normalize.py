"""The normalization chain: spec table, offsets, robustness and the corruption round trip."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from pipeline.corrupt import MECHANISMS, canonical, damage
from pipeline.normalize import normalize
from pipeline.normalize.offsets import Edit, apply_edits

from .conftest import SAMPLES, load_cases

CLEAN_SIMPLIFIED = st.text(
    alphabet=st.sampled_from(list("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质"
                          "，。；：！？“”《》")),
    max_size=80,
)


@pytest.mark.parametrize("case", load_cases("normalize.yaml"))
def test_normalize_table(case):
    assert normalize(case["text"], case.get("markup", "text")).text.strip() == case["normalized"]


@pytest.mark.parametrize("text", [
    "世界卫生组织发布报告称，全球疫苗接种率稳步提高。",
    "“向前看”是他常说的一句话，意思是不要停下脚步。",
    "据介绍，该项目总投资约为二十亿元，预计明年年底完工。",
])
def test_normalize_restores_utf8_read_by_pythons_windows_1252_codec(text):
    """Python's windows-1252 codec has no character for five bytes (0x81, 0x8D, 0x8F, 0x90,
    0x9D): with errors="replace" each becomes `�`, and only those five can be behind one."""
    assert normalize(text.encode("utf-8").decode("cp1252", errors="replace")).text == text


@given(CLEAN_SIMPLIFIED)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_normalize_leaves_clean_simplified_text_unchanged(text):
    assert normalize(text).text == text


@given(CLEAN_SIMPLIFIED)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_normalize_changes_clean_traditional_text_only_by_t2s(text):
    from opencc import OpenCC

    from hypothesis import assume

    from pipeline.normalize.script import detect_script

    traditional = OpenCC("s2t").convert(text)
    # a text none of whose characters is traditional only (於) reads as simplified
    assume(all(detect_script(line) == "traditional" for line in traditional.split("\n") if line.strip()))
    assert normalize(traditional).text == OpenCC("t2s").convert(traditional)


@given(st.lists(CLEAN_SIMPLIFIED.filter(str.strip).map(lambda p: p.strip() + "。"), min_size=1, max_size=4))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_normalize_leaves_clean_html_text_unchanged(paragraphs):
    page = "<html><body>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</body></html>"
    assert normalize(page, "html").text == "\n".join(p.strip() for p in paragraphs)


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_normalize_offsets_are_monotone_and_in_range(raw):
    normalized = normalize(raw)
    starts, ends = normalized.offsets.starts, normalized.offsets.ends
    assert len(starts) == len(normalized.text)
    assert all(0 <= s <= e <= len(raw) for s, e in zip(starts, ends))
    assert all(a <= b for a, b in zip(starts, starts[1:]))


@given(st.integers(min_value=0, max_value=10_000), st.sampled_from(SAMPLES))
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_normalize_offsets_map_combined_damage_back_to_raw(seed, sample):
    article = _article(normalize(sample.read_text(encoding="utf-8")).text)
    raw = damage(article, seed)
    normalized = normalize(raw)
    starts, ends = normalized.offsets.starts, normalized.offsets.ends
    assert len(starts) == len(normalized.text)
    assert all(0 <= s <= e <= len(raw) for s, e in zip(starts, ends))
    assert all(a <= b for a, b in zip(starts, starts[1:]))
    # every normalized character comes from some raw text, not from nowhere
    assert all(e > s for s, e in zip(starts, ends))


@given(st.text(max_size=120), st.sampled_from(["text", "html"]))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_normalize_never_raises_on_arbitrary_unicode(raw, markup):
    normalize(raw, markup)


@pytest.mark.parametrize("text, edits, expected", [
    ("abcdef", [Edit(1, 3, "X")], "aXdef"),
    ("abcdef", [Edit(0, 0, ">"), Edit(6, 6, "<")], ">abcdef<"),
    ("abc", [Edit(0, 3, "")], ""),
])
def test_offsets_apply_edits(text, edits, expected):
    new, offsets = apply_edits(text, edits)
    assert new == expected
    assert len(offsets) == len(new)


@pytest.mark.parametrize("length, edits, starts, ends", [
    (10, [Edit(1, 2, ""), Edit(5, 7, "")], [0, 2, 3, 4, 7, 8, 9], [1, 3, 4, 5, 8, 9, 10]),  # a few: spliced
    (100, [Edit(k, k + 1, "") for k in range(1, 100, 2)], list(range(0, 100, 2)), list(range(1, 101, 2))),  # many deletions: masked
    (100, [Edit(k, k + 1, "xy") for k in range(1, 100, 2)], [p for k in range(0, 100, 2) for p in (k, k + 1, k + 1)],
     [p for k in range(0, 100, 2) for p in (k + 1, k + 2, k + 2)]),  # many other edits: gathered
], ids=["few", "many-deletions", "many-replacements"])
def test_offsets_edited_maps_each_character_to_its_span(length, edits, starts, ends):
    offsets = apply_edits("a" * length, edits)[1]
    assert (offsets.starts.tolist(), offsets.ends.tolist()) == (starts, ends)


def test_offsets_map_every_mention_back_to_its_raw_characters():
    raw = "- 首頁\n資金 1365 萬(wàn) 元，經(jīng)濟"
    normalized = normalize(raw)
    start = normalized.text.index("1365万元")
    raw_start, raw_end = normalized.offsets.raw_span(start, start + len("1365万元"))
    assert raw[raw_start:raw_end] == "1365 萬(wàn) 元"


def test_offsets_of_side_by_side_columns_point_at_each_character_and_span_a_mention_across_them():
    rows = [("一位友人致贺新春时说，追梦中的出", "识，借助信息技能理清了海量资料。"), ("彩人生，需善待三天：昨天、今天、明", "有位企业家本是网络门外汉，潜心"),
            ("天。昨天成功与否，可为镜鉴；今天", "追寻互联网的打开方式，终成当代"), ("机不可失，须倍加珍惜；明天咬定", "电商巨擘。将学习融入逐梦的年轮，"),
            ("目标，必达诗与远方。投入资金1265", "在奋斗中学习、于学习中赋能。"), ("我们抓住机遇，共投入资金1365", "万元建设新的学校。")]
    raw = "".join(f"{left}{' ' * (36 - 2 * len(left))}{right}\n" for left, right in rows)
    normalized = normalize(raw)
    starts = normalized.offsets.starts
    assert all(raw[start] == char for start, char in zip(starts, normalized.text) if "\u4e00" <= char <= "\u9fff")
    start = normalized.text.index("1365万元")  # the left column's last line runs on into the right column's first
    raw_start, raw_end = normalized.offsets.raw_span(start, start + len("1365万元"))
    assert raw_start < raw_end and "1365" in raw[raw_start:raw_end] and "万元" in raw[raw_start:raw_end]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_normalize_samples_leave_no_mojibake_or_annotation(sample):
    text = normalize(sample.read_text(encoding="utf-8")).text
    assert "?" not in text
    assert not __import__("regex").search(r"\p{Han}\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\)", text)


def _article(normalized_sample: str) -> str:
    """A sample's clean text laid out as a news corpus stores it: a title, indented paragraphs."""
    title, *paragraphs = normalized_sample.split("\n")
    return "\n".join([title] + ["\u3000\u3000" + p for p in paragraphs])


@pytest.mark.parametrize("mechanism", list(MECHANISMS) + ["all"])
def test_normalize_restores_generated_damage_to_half_a_percent(mechanism):
    articles = [_article(normalize(p.read_text(encoding="utf-8")).text) for p in SAMPLES]
    mechanisms = MECHANISMS if mechanism == "all" else (mechanism,)
    rates = []
    for seed in range(3):
        distance = sum(Levenshtein.distance(normalize(damage(a, seed, mechanisms)).text, canonical(a))
                       for a in articles)
        rates.append(distance / sum(len(canonical(a)) for a in articles))
    assert sorted(rates)[1] <= 0.005


def _opencc_words() -> list[str]:
    from importlib import resources

    words = []
    for name in ("TSCharacters.txt", "TSPhrases.txt"):
        with resources.files("opencc").joinpath("dictionary", name).open(encoding="utf-8") as rows:
            words += [row.split("\t")[0] for row in rows]
    return words + list("的是在国发展经济资金项目")


@given(st.lists(st.sampled_from(_opencc_words()), min_size=1, max_size=12).map("".join))
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_script_fast_path_equals_opencc(text):
    from opencc import OpenCC

    from pipeline.normalize.script import _character_tables, _standard_traditional, to_simplified

    result = apply_edits(text, to_simplified(text))[0]
    if not any(ch in _character_tables()[0] for ch in text):
        # no traditional-only form: simplified text (於 of a name), left as it is
        assert result == text
    else:
        # on a traditional line, Taiwan and Hong Kong forms first become OpenCC-standard
        assert result in (OpenCC("t2s").convert(text), OpenCC("t2s").convert(_standard_traditional(text)))


@st.composite
def _edits(draw, length: int):
    """Sorted, non-overlapping edits of a text of `length` characters (insertions, deletions, replacements)."""
    edits, cursor = [], 0
    while cursor <= length and draw(st.booleans()):
        start = draw(st.integers(cursor, length))
        end = draw(st.integers(start, min(length, start + 3)))
        edits.append(Edit(start, end, draw(st.text(alphabet="xy", max_size=3))))
        cursor = end + draw(st.integers(0, 1))
    return edits


@given(st.text(alphabet="abc", max_size=12), st.data())
@settings(max_examples=300, deadline=None)
def test_offsets_edited_maps_through_each_step(text, data):
    # the map after two steps sends each character to the raw span of the characters
    # of the middle text it came from
    middle, middle_map = apply_edits(text, data.draw(_edits(len(text))))
    second = data.draw(_edits(len(middle)))
    final_map = middle_map.edited(second)
    step_map = apply_edits(middle, second)[1]
    assert len(final_map) == len(step_map)
    for i in range(len(final_map)):
        start, end = step_map.starts[i], step_map.ends[i]
        if end > start:
            assert (final_map.starts[i], final_map.ends[i]) == middle_map.raw_span(start, end)
        else:  # an insertion: an empty span where the character after it starts, or at the end
            at = middle_map.starts[start] if start < len(middle_map) else (middle_map.ends[-1] if len(middle_map) else 0)
            assert final_map.starts[i] == final_map.ends[i] == at


@given(st.text(max_size=60), st.text(min_size=1, max_size=8))
@settings(max_examples=200, deadline=None)
def test_codepoints_agree_with_python_sets_and_translate(text, chars):
    from pipeline.normalize.codepoints import CharClass, CharTable

    assert CharClass(chars).count(text) == sum(ch in chars for ch in text)
    assert CharClass(chars).positions(text) == [i for i, ch in enumerate(text) if ch in chars]
    table = {ch: chr((ord(ch) + 1) % 0xD800) for ch in chars}
    assert CharTable(table).translate(text) == text.translate({ord(k): v for k, v in table.items()})


@given(st.text(alphabet="abc", max_size=40), st.data())
@settings(max_examples=300, deadline=None)
def test_offsets_gathered_and_spliced_maps_agree(text, data):
    # edited() splices a few edits in and gathers many by numpy: both make the same map
    middle_map = apply_edits(text, data.draw(_edits(len(text))))[1]
    changed = [(e.start, e.end, len(e.replacement)) for e in data.draw(_edits(len(middle_map)))]
    changed = [c for c in changed if c[2] != c[1] - c[0]]
    if changed:
        gathered, spliced = middle_map._gathered(changed), middle_map._spliced(changed)
        assert gathered.starts.tolist() == spliced.starts.tolist()
        assert gathered.ends.tolist() == spliced.ends.tolist()


def test_word_pairs_looked_up_as_given_agree_with_the_pair_simplified():
    # pair_bonus and begins_word look a pair up as given, in an index of jieba's two-character
    # keys under every traditional form: they must say what the pair simplified says
    import math
    import random

    from pipeline.dictionary import word_counts
    from pipeline.normalize.charfreq import log_frequency
    from pipeline.normalize.mojibake import begins_word, pair_bonus
    from pipeline.normalize.script import traditional_to_simplified_chars, traditional_to_simplified_table

    counts, total = word_counts()
    traditional = [chr(code) for code in traditional_to_simplified_table() if 0x3400 <= code <= 0x9FFF]
    forms: dict[str, list[str]] = {}
    for char in traditional:
        forms.setdefault(traditional_to_simplified_chars(char), []).append(char)
    words = [word for word in counts if len(word) == 2]
    random.seed(15)
    pairs = [(first, second) for word in random.sample(words, 3000)
             for first in [word[0], *forms.get(word[0], [])] for second in [word[1], *forms.get(word[1], [])]]
    pairs += [(random.choice(traditional), random.choice(traditional)) for _ in range(3000)]
    pairs += [("国", "際"), ("發", "展"), ("經", "济"), ("2", "月"), ("。", "，"), ("a", "中"), ("中", "…")]
    for first, second in pairs:
        both_chinese = all("\u3400" <= char <= "\u9fff" for char in (first, second))
        count = counts.get(traditional_to_simplified_chars(first + second)) if both_chinese else None
        assert begins_word(first, second) == (count is not None), (first, second)
        if count:
            together = math.log(count / total)
            expected = min(max(together - log_frequency(first) - log_frequency(second), 0.0), 8.0)
            assert pair_bonus(first, second) == expected, (first, second)
        elif both_chinese:
            assert pair_bonus(first, second) == 0.0, (first, second)


def _one_by_one(moves: list[tuple]) -> list[tuple]:
    """GBK beam moves with their rankings spelled out, one move a reading."""
    from pipeline.normalize.mojibake import _readings

    return [reading for move in moves for reading in (_readings(move) if move[4] is not None else [move])]


@pytest.mark.parametrize("slot, allow_drop", [
    (None, False), (0x41, False), (0xB0, False), (0xB0, True), (0x80, False), ((0xA1, 0xB6), False),
    ((None, 0x3C), False)], ids=["unknown", "ascii", "byte", "byte-after-vanished-pair", "never-a-lead",
                                 "choices", "unknown-or-ascii"])
@pytest.mark.parametrize("pending", [None, "any", 0xD6], ids=["in-step", "unknown-lead", "lead"])
def test_gbk_beam_moves_with_rankings_read_as_their_readings_one_by_one(slot, allow_drop, pending):
    # most moves of the GBK beam stand for a slot's ranked readings, which it adds up as
    # one: fed a byte slot, such a move must give the moves its readings give one by one,
    # in their order, with the same gains and characters
    from pipeline.normalize.mojibake import _feed, _ranked

    ranked = _ranked("中", ("lead", 0xB9), "")
    assert len(ranked) > 1
    moves = [((-2.0,), "国", pending, 0, ranked), ((), "", pending, 1, None), ((-1.5, 0.5), "人", pending, 0, ranked)]
    assert _one_by_one(_feed(moves, "发", slot, allow_drop, "")) == \
        _one_by_one(_feed(_one_by_one(moves), "发", slot, allow_drop, ""))


@pytest.mark.parametrize("slot, allow_drop", [
    (None, False), (0x41, False), (0x2C, False), (0xB0, False), (0xB0, True), (0x80, False), ((0xA1, 0xB6), False),
    ((None, 0x3C), False)], ids=["unknown", "ascii", "never-a-trail", "byte", "byte-after-vanished-pair",
                                 "never-a-lead", "choices", "unknown-or-ascii"])
@pytest.mark.parametrize("pending, drops", [(None, 0), ("any", 0), (0xD6, 0), (0xD6, 1), (0xA2, 0)],
                         ids=["in-step", "unknown-lead", "lead", "lead-after-vanished-pair", "lead-of-gaps"])
def test_gbk_window_states_are_those_the_beam_moves_reach(slot, allow_drop, pending, drops):
    # the check that a window may end in step follows the (pending, drops) states alone:
    # fed a byte slot, a state must reach those that the beam's moves reach
    from pipeline.normalize.mojibake import _feed, _waits_after

    moves = _one_by_one(_feed([((), "", pending, drops, None)], "发", slot, allow_drop, ""))
    assert set(_waits_after(pending, drops, slot, allow_drop)) == {(move[2], move[3]) for move in moves}


@pytest.mark.parametrize("text, ends_in_step", [
    ("發展?jié)摿?/strong>", True),  # damage: the `?` swallowed the `(` of an annotation
    ("的?习近平叮嘱部队安排好战士们节日生活,让大家过一个欢乐", False),  # a question mark, then plain text
])
def test_gbk_windows_no_reading_ends_in_step_are_not_decoded(text, ends_in_step):
    from pipeline.normalize.mojibake import _alternatives, _decode_best, _ends_in_step, _units, gbk_bytes

    mark = text.index("?")
    before = gbk_bytes(text[mark - 1])
    alternatives = [[[(before[0], False), (before[1], False)]]] + _alternatives(_units(text, mark), before)
    assert _ends_in_step(alternatives) == ends_in_step
    assert bool(_decode_best(alternatives)) == ends_in_step


_CLEAN_GBK = "我高兴地看到，在双方共同努力下".encode("gbk")
_SHIFTED = (_CLEAN_GBK[:4] + _CLEAN_GBK[5:]).decode("gbk", "replace")  # the lead byte of 兴 lost


@pytest.mark.parametrize("before, repaired", [
    ("", "我高兴地看到，在双方共同努力下"),
    ("今天上午", "今天上午我高兴地看到，在双方共同努力下"),
    ("\ufffd今天", "\ufffd今天我高兴地看到，在双方共同努力下"),
    # a character with no GBK bytes anywhere in the run: it was never GBK text
    ("😀今天", "😀今天" + _SHIFTED),
    ("今天😀上午我们", "今天😀上午我们" + _SHIFTED),
], ids=["run-alone", "after-good-text", "after-a-lost-byte", "emoji-first", "emoji-inside"])
def test_gbk_shift_reads_a_runs_bytes_from_the_end(before, repaired):
    # the run's bytes are read from its end back to the last pair no character reads as;
    # what comes before it still vetoes a repair
    from pipeline.normalize.mojibake import _shift_bytes, gbk_bytes, repair_gbk_shifts

    text = before + _SHIFTED
    assert apply_edits(text, repair_gbk_shifts(text)[0])[0] == repaired
    anchor = text.index("\ufffd", len(before))
    found = _shift_bytes(text, 0, anchor + 1)
    if found is not None:
        every = [(byte, char) for char in text[:anchor + 1]
                 for byte in (gbk_bytes(char) if char != "\ufffd" else [None])]
        data, owners = found
        assert every[len(every) - len(data):] == [(byte, text[owner]) for byte, owner in zip(data, owners)]


@pytest.mark.parametrize("units, reading", [
    ([[(-8.0, "中")], [(-7.0, "口"), (-7.5, "国")], [(-6.0, "人")], [(-6.0, "民")]], "中国人民"),  # words win
    ([[(-8.0, "人")], [(-7.0, "口"), (-9.5, "国")], [(-6.0, "家")]], "人口家"),  # ... by their bonus only
    ([[(-8.0, "中")], [(-6.0, "，")], [(-6.0, "国")]], "中，国"),  # known characters alone: one reading
], ids=["known-after-unknown", "frequency-beats-word", "all-known"])
def test_utf8_repair_best_path_reads_known_units_after_one_reading(units, reading):
    # a known unit after a single reading extends it without weighing alternatives: the
    # reading must be the one the words and frequencies choose
    from pipeline.normalize.charset import _best_path

    assert _best_path(units, "", "") == reading


@pytest.mark.parametrize("text, marked", [
    ("增长7.6%,\n实现", "增长7.6%,\n实现"),  # a mark's look-ahead stops at the line's end
    ("增长7.6%, \n实现", "增长7.6%, \n实现"),  # ... past a blank too
    # in a text whose marks are mostly full-width:
    ("(试行)\n办法,实施。甲，乙，丙，丁，戊", "(试行)\n办法，实施。甲，乙，丙，丁，戊"),  # parentheses only in a line holding a folded mark
    ("办法,实施(试行)\n(二)甲，乙，丙，丁，戊", "办法，实施（试行）\n(二)甲，乙，丙，丁，戊"),  # ... at its end, as at the text's
    ("办法,实施\n规定(试行)甲，乙，丙，丁，戊", "办法，实施\n规定(试行)甲，乙，丙，丁，戊"),  # ... not in the line after one
    ("规定(试行)\n办法,实施(试行)\n(二)甲，乙，丙，丁，戊", "规定(试行)\n办法，实施（试行）\n(二)甲，乙，丙，丁，戊"),  # ... nor before
    ('他说:"好\n"又去"耍"了', "他说：“好\n“又去”耍“了"),  # a quote at a line's edge, and the last one's kind over lines
    ("江西,\n'县'和\"市\"", "江西，\n‘县’和“市”"),
], ids=["mark-at-line-end", "mark-and-blank-at-line-end", "parens-unmarked-line", "parens-at-line-end",
        "parens-line-after-marked", "parens-lines-around-marked", "quotes-over-lines", "single-quotes"])
def test_layout_full_width_marks_read_each_line_alone(text, marked):
    # the marks, parentheses and quotes are found by scans of the whole text: what each finds
    # is what a scan of each line finds
    from pipeline.normalize.layout import full_width_marks

    assert apply_edits(text, full_width_marks(text))[0] == marked


@pytest.mark.parametrize("text", [
    "ÖÐ¹ú¾­¼Ã·¢Õ¹",  # GBK read as windows-1252: pairs to the end
    "ÖÐ¹ú\n¾­¼Ã ·¢Õ¹",  # a layout wrap between two pairs ends the run
    "ÖÐ¹\nú¾­\u3000 ¼Ã",  # ... one between a lead and its trail goes with it
    "ÖÐ¹",  # a lead byte with no trail after it is left
    "¸g\x7f¸gÀÙ",  # 0x7F is no trail byte
    "他说“好”—…æ—¥æœ¬",  # Chinese marks are such characters too
], ids=["pairs", "wrap-between-pairs", "wrap-inside-a-pair", "lone-lead", "delete-byte", "marks"])
def test_double_byte_runs_are_the_pairs_read_one_by_one(text):
    # a run of lead and trail byte pairs is found by one search: the runs and their bytes
    # are those of reading the pairs one by one from each place a pair starts
    from pipeline.normalize.charset import _PAIR_BYTES, _WRAP, _cp1252_byte, _pair_run

    def pairs_from(start):
        data, position = bytearray(), start
        while position < len(text) and 0x81 <= (_cp1252_byte(text[position]) or 0) <= 0xFE:
            after = position + 1
            while after < len(text) and text[after] in _WRAP:
                after += 1
            trail = _cp1252_byte(text[after]) if after < len(text) else None
            if trail is None or not 0x40 <= trail <= 0xFE or trail == 0x7F:
                break
            data += bytes((_cp1252_byte(text[position]), trail))
            position = after + 1
        return position, bytes(data)

    expected, end = [], 0
    for start in range(len(text)):
        if start >= end and pairs_from(start)[1]:
            end, data = pairs_from(start)
            expected.append((start, end, data))
    found, end = [], 0
    while run := _pair_run().search(text, end):
        end = run.end()
        found.append((run.start(), end, run.group().translate(_PAIR_BYTES).encode("latin-1")))
    assert found == expected and found


@pytest.fixture(scope="module")
def jieba_tokenizer():
    import jieba

    tokenizer = jieba.Tokenizer()
    tokenizer.check_initialized()
    return tokenizer


def test_dictionary_word_counts_are_jiebas(jieba_tokenizer):
    from pipeline.dictionary import word_counts

    assert word_counts() == (jieba_tokenizer.FREQ, jieba_tokenizer.total)


@pytest.mark.parametrize("cache", ["none", "truncated", "not marshal"])
def test_dictionary_word_counts_without_a_readable_cache_are_built_by_jieba(cache, jieba_tokenizer, tmp_path, monkeypatch):
    import marshal
    import tempfile

    from pipeline.dictionary import word_counts

    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    if cache == "truncated":  # a cache cut short (written by hand: jieba replaces its file whole)
        (tmp_path / "jieba.cache").write_bytes(marshal.dumps((jieba_tokenizer.FREQ, jieba_tokenizer.total))[:1000])
    elif cache == "not marshal":
        (tmp_path / "jieba.cache").write_bytes(b"not marshal")
    word_counts.cache_clear()
    try:
        assert word_counts() == (jieba_tokenizer.FREQ, jieba_tokenizer.total)
        word_counts.cache_clear()  # jieba wrote its cache: now read as it is
        assert word_counts() == (jieba_tokenizer.FREQ, jieba_tokenizer.total)
    finally:
        word_counts.cache_clear()


# the first Han runs of each sample, as the GBK repairs score them
_SAMPLE_RUNS = [run for path in SAMPLES for run in re.findall("[\u3400-\u9fff]+", path.read_text(encoding="utf-8"))[:40]]


@pytest.mark.parametrize("text", [
    "", "的", "中华人民共和国国务院办公厅", "结婚的和尚未结婚的", "发展经济", "發展經濟", "㐀㐁中国",
    "他说的确实在理", "乒乓球拍卖完了", "\ue000中\ue001", "ａ中",
] + _SAMPLE_RUNS)
def test_dictionary_segmentation_score_is_jiebas_route_score(text, jieba_tokenizer):
    from pipeline.dictionary import segmentation_score

    route: dict[int, tuple[float, int]] = {}
    jieba_tokenizer.calc(text, jieba_tokenizer.get_DAG(text), route)
    assert segmentation_score(text) == route[0][0]
