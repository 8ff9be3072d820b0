"""The organization tagger and the document-level steps of the organization extractor."""
from __future__ import annotations

import json
import shutil
from importlib import resources

import numpy
import pytest

from pipeline import ruleset
from pipeline.extractors import Context, org_tagger, organizations
from pipeline.segment import segment

SENTENCES = [
    "新华社北京2月1日电 国务院国有资产监督管理委员会1日发布通知，要求各中央企业做好节日安全工作。",
    "浙江吉利控股集团与沃尔沃汽车公司签署合作协议，双方将在杭州湾新区共建研发中心。",
    "据中国人民银行上海总部统计，1月份上海市人民币存款增加了1200亿元。",
    "世界卫生组织总干事谭德塞表示，世卫组织将继续支持各国的防控工作。",
    "苹果公司CEO库克称，iPhone 15系列在华销量同比增长12%。",
]


def _names(text: str) -> list[tuple[str, str, str]]:
    return [(m.text, m.attrs["name"], m.rule) for m in organizations.extract(segment(text), Context())]


@pytest.mark.parametrize("text", SENTENCES)
def test_fast_scores_equal_the_sum_of_the_trainers_features(text):
    """The runtime scores characters from lookup tables; they must add up to the weights
    of the very feature strings the trainer saw."""
    stored = json.loads(resources.files("pipeline.models").joinpath(org_tagger.MODEL).read_text(encoding="utf-8"))
    weights = {family + value: row for family, table in stored["features"].items() for value, row in table.items()}
    segmented = segment(text)
    candidates = organizations._rule_candidates(segmented)
    settings = org_tagger.model()
    arrays = org_tagger.layout(segmented)
    names = org_tagger.lexicon_names(arrays, settings["lexicon"])
    stretches = org_tagger.windows(arrays, candidates, names, settings["trigger_chars"], settings["window"])
    assert stretches
    marks = org_tagger.marks(arrays, candidates, names)
    slow = []
    for start, end in stretches.spans():
        names = org_tagger.feature_names(*org_tagger.features(segmented, start, end, marks))
        slow.extend(numpy.sum([weights.get(name, [0.0] * 3) for name in row], axis=0) for row in names)
    assert numpy.allclose(org_tagger.scores(arrays, stretches, marks), slow)


@pytest.mark.parametrize("text", SENTENCES + ["中国人民解放军和国务院新闻办公室  举行\n\n发布会"])
def test_word_numbers_are_those_of_the_words_text(text):
    """Words of two and three characters, found by their code points, have the numbers
    their text has in the model's words; longer ones and white space too."""
    segmented = segment(text)
    settings = org_tagger.model()
    arrays = org_tagger.layout(segmented)
    tokens = numpy.flatnonzero(arrays.lengths > 1)
    expected = [settings["words"].get(segmented.tokens[token].text, 0) for token in tokens.tolist()]
    assert any(expected)
    assert org_tagger._word_numbers(arrays, tokens, settings).tolist() == expected


@pytest.mark.parametrize("text", ["华为 技术  公司\n\n和", " 开头的空格", "\n 换行后空格 ", "结尾两个空格  ", "结尾一个空格 ", "苹果iPhone 15 Pro发布", "一", ""])
def test_layout_lengths_are_those_of_the_tokens(text):
    """Read off the tokens' starts: a word's one space after it is no token, white space
    of an _SP token is its own."""
    segmented = segment(text)
    assert org_tagger.layout(segmented).lengths.tolist() == [len(token.text) for token in segmented.tokens]


def test_organization_words_are_every_one_in_the_text_overlapping_ones_too():
    """As a search of every part of the text finds them: 广播电视台 and 电视台, one at either end."""
    text = "局里说，浙江省水利局与公路事务中心、广播电视台，局"
    types = org_tagger._endings().types
    every = sorted((end - 1, end - start, types[text[start:end]])
                   for start in range(len(text)) for end in range(start + 1, len(text) + 1) if text[start:end] in types)
    assert len(every) > 4
    assert sorted(org_tagger._organization_words(org_tagger.layout(segment(text)))) == every


_PLACED = org_tagger._Placed
MARKS = [
    # a training name's mark once however many names give it; an organization word's and
    # a candidate's as many times as given (广播电视台 and 电视台 both end at 台)
    pytest.param("浙江省广播电视台", [_PLACED(0, 8, "organizations.suffix.广播电视台")], [(0, 2, "c"), (0, 3, "a")],
                 [(0, "l", "Ba"), (0, "l", "Bc"), (0, "r", "sB"), (1, "l", "Ec"), (1, "l", "Ia"), (1, "r", "sI"),
                  (2, "l", "Ea"), (2, "r", "sI"), (3, "e", "i"), (3, "r", "sI"), (4, "e", "i"), (4, "r", "sI"),
                  (5, "e", "i"), (5, "e", "i"), (5, "r", "sI"), (6, "e", "i"), (6, "e", "i"), (6, "r", "sI"),
                  (7, "e", "media"), (7, "e", "media"), (7, "r", "sE")], id="overlapping"),
    # an organization word of one character is its type alone; a candidate of one is its first
    pytest.param("市局和部", [_PLACED(1, 2, "organizations.gazetteer"), _PLACED(0, 2, "organizations.hint")],
                 [(0, 2, "b"), (2, 4, "b"), (0, 4, "b")],
                 [(0, "l", "Bb"), (0, "r", "hB"), (1, "e", "government"), (1, "l", "Eb"), (1, "l", "Ib"),
                  (1, "r", "gB"), (1, "r", "hE"), (2, "l", "Bb"), (2, "l", "Ib"), (3, "e", "government"),
                  (3, "l", "Eb")], id="one-character"),
    pytest.param("今天下雨", [], [], [], id="none"),
]


@pytest.mark.parametrize("text, candidates, names, expected", MARKS)
def test_marks_are_every_rarer_feature_by_position_then_feature(text, candidates, names, expected):
    """In the order the trainer lists them and the scores add them up."""
    marks = org_tagger.marks(org_tagger.layout(segment(text)), candidates, names)
    assert marks.within(0, len(text)) == expected
    assert marks.within(1, 3) == [(position - 1, family, value) for position, family, value in expected
                                  if 1 <= position < 3]


def test_decoding_in_batches_equals_decoding_at_once(monkeypatch):
    """Stretches decoded side by side in small batches label and score as in one batch."""
    generator = numpy.random.default_rng(11)
    sizes = [5, 1, 9, 3, 3, 7, 2]
    emissions = generator.normal(0, 3, (sum(sizes), 3))
    labels, inside = org_tagger.best_paths(emissions, sizes), org_tagger.inside_probability(emissions, sizes)
    monkeypatch.setattr(org_tagger, "_BATCH_CELLS", 10)
    assert (org_tagger.best_paths(emissions, sizes) == labels).all()
    assert numpy.allclose(org_tagger.inside_probability(emissions, sizes), inside)


@pytest.mark.parametrize("few", [1, 4, 100])
@pytest.mark.parametrize("sizes, rounded", [([60, 5, 1, 9, 3], False), ([60, 58, 2, 7, 1, 1], True), ([1], False)])
def test_viterbi_in_plain_python_first_labels_as_the_array_operations(monkeypatch, few, sizes, rounded):
    """The first steps, where at most _FEW stretches have begun, in plain Python: the same
    labels as every step by array operations, ties (rounded emissions) included."""
    emissions = numpy.random.default_rng(13).normal(0, 3, (sum(sizes), 3))
    if rounded:
        emissions = emissions.round()
    monkeypatch.setattr(org_tagger, "_FEW", 0)
    labels = org_tagger.best_paths(emissions, sizes)
    monkeypatch.setattr(org_tagger, "_FEW", few)
    assert org_tagger.best_paths(emissions, sizes).tolist() == labels.tolist()


def test_gazetteer_names_of_articles_together_are_those_an_automaton_finds_in_each():
    """Looked up for a chunk at once, each article gets the gazetteer's names that begin
    where its tokens do, as a walk of the automaton over it alone finds them."""
    articles = [segment(text) for text in SENTENCES + ["", "国务院", "会议由中国人民银行主办", "新华社"]]
    layouts = [org_tagger.layout(article) for article in articles]
    found = organizations._gazetteer_names(*org_tagger.joined(layouts))
    expected = [sorted((last + 1 - len(name), last + 1, org_type)
                       for last, (name, org_type) in organizations._gazetteer().iter(article.text)
                       if layout.boundaries[0][last + 1 - len(name)])
                for article, layout in zip(articles, layouts)]
    assert sum(map(len, expected)) >= 5
    assert found == expected


def test_tokens_that_may_end_an_organization_word_hold_every_one_that_does():
    """Found for a chunk at once, each article's are those found in it alone, and hold
    every token that ends an organization word (over tokens: 事务 中心; of one character
    after a space: 电视 台)."""
    articles = [segment(text) for text in SENTENCES + ["", "局", "公路事务中心局和广播 电视台，社会协会", "事务 中心和电视 台"]]
    layouts = [org_tagger.layout(article) for article in articles]
    together = organizations._ending_tokens(org_tagger.joined(layouts)[0], layouts)
    assert together == [organizations._ending_tokens(layout, [layout])[0] for layout in layouts]
    ending = [[index for index in range(len(article.tokens)) if organizations._ending(article.tokens, index)]
              for article in articles]
    assert sum(map(len, ending)) >= 8
    assert all(set(own) <= set(found) for own, found in zip(ending, together))
    assert sum(map(len, together)) < sum(len(article.tokens) for article in articles) / 4


def test_articles_tagged_together_are_tagged_as_each_alone():
    """extract_many joins a batch's articles for the tagger: each article's names, and
    the model's probabilities where it asks for them, are those of the article alone
    (an empty one, and ones that begin or end with a name, among them)."""
    articles = [segment(text) for text in SENTENCES + ["", "国务院", "会议由中国人民银行主办", "新华社"]]
    alone = [organizations.extract(article, Context()) for article in articles]
    assert sum(map(len, alone)) >= 10  # the assertions below compare names, not empty lists
    assert organizations.extract_many(articles, [Context()] * len(articles)) == alone
    tagged = org_tagger.Tagged([(org_tagger.layout(a), organizations._rule_candidates(a)) for a in articles])
    for article, spans, inside in zip(articles, tagged.spans, tagged.inside(tagged.spans)):
        single = org_tagger.Tagged([(org_tagger.layout(article), organizations._rule_candidates(article))])
        assert spans == single.spans[0]
        single_inside = single.inside([spans])[0]
        assert inside.keys() == single_inside.keys()
        assert numpy.allclose([inside[p] for p in inside], [single_inside[p] for p in inside])


def test_an_article_tagged_with_others_is_given_probabilities_of_its_own_stretches_only():
    """A span after an article's last stretch asks for no stretch (as alone), not for the
    next article's first one."""
    articles = [segment("中国人民银行发布通知。今天天气很好"), segment("世界卫生组织表示")]
    tagged = org_tagger.Tagged([(org_tagger.layout(a), organizations._rule_candidates(a)) for a in articles])
    end = len(articles[0].text)
    assert tagged.spans == [[(0, 6)], [(0, 6)]]
    assert tagged.inside([[(end - 2, end)], []]) == [{}, {}]
    assert list(tagged.inside([[], [(0, 6)]])[1]) == list(range(8))  # its own stretch, 世界卫生组织表示


def test_layouts_are_kept_for_the_last_documents_laid_out_while_they_live():
    """A batch's layouts stay at hand from the rules to the last step, and memory stays
    bounded: at most LAID_OUT of them, and none beyond its document's life."""
    documents = [segment(f"第{number}家公司成立") for number in range(org_tagger.LAID_OUT + 5)]
    layouts = [org_tagger.layout(document) for document in documents]
    assert len(org_tagger._layouts) <= org_tagger.LAID_OUT
    assert org_tagger.layout(documents[-1]) is layouts[-1]  # the same arrays, not built again
    key = id(documents[-1])
    del documents[-1]
    assert key not in org_tagger._layouts


def test_viterbi_finds_the_best_path_of_each_stretch():
    """Against brute force over every label sequence of short stretches."""
    from itertools import product

    transitions = numpy.array(org_tagger.model()["transitions"])
    generator = numpy.random.default_rng(7)
    sizes = [3, 1, 4, 2]
    emissions = generator.normal(0, 3, (sum(sizes), 3))
    labels = org_tagger.best_paths(emissions, sizes).tolist()
    offset = 0
    for size in sizes:
        rows, path = emissions[offset:offset + size], labels[offset:offset + size]
        best = max(product(range(3), repeat=size), key=lambda labels: sum(
            rows[i, label] for i, label in enumerate(labels)) + sum(
            transitions[a, b] for a, b in zip(labels, labels[1:])))
        assert path == list(best)
        offset += size


def test_inside_probability_is_the_marginal_of_the_model():
    """Against brute force over every label sequence of short stretches."""
    from itertools import product

    transitions = numpy.array(org_tagger.model()["transitions"])
    emissions = numpy.random.default_rng(3).normal(0, 3, (9, 3))
    sizes = [4, 2, 3]
    found = org_tagger.inside_probability(emissions, sizes)
    offset = 0
    for size in sizes:
        rows = emissions[offset:offset + size]
        total, inside = 0.0, numpy.zeros(size)
        for labels in product(range(3), repeat=size):
            weight = numpy.exp(sum(rows[i, label] for i, label in enumerate(labels))
                               + sum(transitions[a, b] for a, b in zip(labels, labels[1:])))
            total += weight
            inside += weight * numpy.array([label != 2 for label in labels])
        assert numpy.allclose(found[offset:offset + size], inside / total)
        offset += size


def test_a_name_found_once_is_found_where_it_recurs():
    text = "杭州娃哈哈集团有限公司昨日发布年报。业内人士认为，杭州娃哈哈集团有限公司今年将扩大投资。"
    found = _names(text)
    assert [name for _, name, _ in found].count("杭州娃哈哈集团有限公司") == 2


def test_an_introduced_abbreviation_takes_the_full_name():
    # a company the gazetteer does not know (亚投行, its first example, is in it since 2026-12-03)
    text = "华东新材料科技股份有限公司（华东新材）2日宣布投产。华东新材员工总数增至930人。"
    found = _names(text)
    assert ("华东新材", "华东新材料科技股份有限公司", "organizations.abbreviation") in found
    assert [name for text_, name, _ in found if text_ == "华东新材"] == ["华东新材料科技股份有限公司"] * 2


def test_a_short_form_of_an_earlier_name_takes_the_full_name():
    found = _names(SENTENCES[3])
    assert ("世卫组织", "世界卫生组织") in [(text, name) for text, name, _ in found]


@pytest.mark.parametrize("filler, names", [
    (1_000, ["世界卫生组织"]),  # the same article
    (110_000, ["世卫组织"]),  # two sections on: another article of a long file, which never gave the full name:
                              # the gazetteer's short form, as written
])
def test_a_short_form_abbreviates_a_name_of_its_own_section_or_the_one_before(filler, names):
    text = "世界卫生组织昨日发布报告。" + "天气晴朗，气温适宜。" * (filler // 10) + "世卫组织表示将继续支持。"
    assert [name for text_, name, _ in _names(text) if text_ == "世卫组织"] == names


@pytest.mark.parametrize("text, short_forms", [
    ("世卫组织表示，世界卫生组织总干事说，世卫组织将继续支持。", [(18, "世卫组织")]),
    ("世卫组织表示，将与世界卫生组织合作。", []),  # the name comes after: none abbreviated before it ends
])
def test_a_short_form_stands_after_the_name_it_abbreviates(text, short_forms):
    segmented = segment(text)
    named = organizations._longest(organizations.names(organizations._rule_candidates(segmented)))
    assert "世界卫生组织" in [c.name for c in named]
    assert [(c.start, text[c.start:c.end]) for c in organizations._short_forms_of(segmented, named)] == short_forms


@pytest.mark.parametrize("text, found", [
    ("世界卫生组织总干事说，世 卫组织将继续支持。", [(11, "世界卫生组织"), (11, "世界卫生组织")]),
    ("亚洲基础设施投资银行成立。亚 投行表示，亚投 行将扩大。", [(13, "亚洲基础设施投资银行"), (20, "亚洲基础设施投资银行")]),
])
def test_a_short_form_may_run_over_a_space_between_its_tokens(text, found):
    """White space after a token's first character does not rule the place out (runs of
    tokens leave it out)."""
    segmented = segment(text)
    named = organizations._longest(organizations.names(organizations._rule_candidates(segmented)))
    assert [(c.start, c.name) for c in organizations._short_forms_of(segmented, named)] == found


def test_a_short_form_over_a_space_ends_where_its_last_token_does():
    text = "世界卫生组织总干事说，世 卫组织将继续支持。"
    segmented = segment(text)
    named = organizations._longest(organizations.names(organizations._rule_candidates(segmented)))
    assert "世 卫组织" in [text[c.start:c.end] for c in organizations._short_forms_of(segmented, named)]


def test_a_known_short_form_takes_the_full_name_the_article_gave_earlier():
    found = _names("中国证券监督管理委员会2日发布新规。证监会有关负责人表示，新规自下月起施行。")
    assert ("证监会", "中国证券监督管理委员会") in [(text, name) for text, name, _ in found]
    alone = _names("证监会有关负责人表示，新规自下月起施行。")
    assert ("证监会", "证监会") in [(text, name) for text, name, _ in alone]


def test_a_head_and_tail_of_an_earlier_name_keeps_its_own():
    found = _names("万凯新材料股份有限公司在重庆投资建厂，万凯将新增产能。")
    assert ("万凯", "万凯") in [(text, name) for text, name, _ in found] or \
        "万凯" not in [text for text, _, _ in found]


def test_editing_the_gazetteer_changes_results_without_retraining(tmp_path):
    text = "星河湾未来实验室昨天发布了新的研究成果。"
    assert "星河湾未来实验室" not in [name for _, name, _ in _names(text)]
    shutil.copy(ruleset.rule_file("organizations.txt"), tmp_path / "organizations.txt")
    with (tmp_path / "organizations.txt").open("a", encoding="utf-8") as table:
        table.write("星河湾未来实验室\tother\n")
    ruleset.use_folder(tmp_path)
    try:
        assert "星河湾未来实验室" in [name for _, name, _ in _names(text)]
    finally:
        ruleset.use_folder(None)


def test_inside_probability_of_long_stretches_matches_log_space():
    """Rescaled only every few steps, long stretches must neither under- nor overflow."""
    transitions = numpy.array(org_tagger.model()["transitions"])
    generator = numpy.random.default_rng(5)
    sizes = [40, 17, 1]
    emissions = generator.normal(0, 6, (sum(sizes), 3))
    found = org_tagger.inside_probability(emissions, sizes)
    offset = 0
    for size in sizes:
        rows = emissions[offset:offset + size]
        forward, backward = [rows[0]], [numpy.zeros(3)]
        for step in range(1, size):
            forward.append(numpy.logaddexp.reduce(forward[-1][:, None] + transitions, axis=0) + rows[step])
        for step in range(size - 2, -1, -1):
            backward.insert(0, numpy.logaddexp.reduce(transitions + rows[step + 1] + backward[0], axis=1))
        joint = numpy.array(forward) + numpy.array(backward)
        expected = numpy.exp(numpy.logaddexp(joint[:, 0], joint[:, 1]) - numpy.logaddexp.reduce(joint, axis=1))
        assert numpy.allclose(found[offset:offset + size], expected)
        offset += size
