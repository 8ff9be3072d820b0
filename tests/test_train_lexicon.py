"""The lexicon feature of the organization tagger: the training names, jackknifed over folds."""
from pipeline import train
from pipeline.extractors import org_tagger
from pipeline.segment import segment


def _id_in_fold(fold: int, prefix: str) -> str:
    return next(f"{prefix}{n}" for n in range(1000) if train._fold(f"{prefix}{n}") == fold)


def test_a_fold_sees_the_names_of_the_other_folds_only():
    """A sentence whose own names were in its feature would teach the model to trust
    the feature more than text it never saw allows."""
    own, other = _id_in_fold(0, "a"), _id_in_fold(1, "b")
    training = [(own, "华峰集团发布新品", [(0, 4)]), (other, "正凯集团在杭州成立", [(0, 4)])]
    everything, folds = train._lexicons(training)
    assert everything == {"华峰集团": "a", "正凯集团": "a"}
    assert org_tagger.lexicon_names(org_tagger.layout(segment("华峰集团和正凯集团")), folds[0]) == [(5, 9, "a")]
    assert len(org_tagger.lexicon_names(org_tagger.layout(segment("华峰集团和正凯集团")), folds[2])) == 2


def test_a_name_is_graded_by_its_share_of_occurrences_named():
    """中央 is a name in a few places only: its grade tells the model so."""
    ids = [_id_in_fold(1, f"s{n}-") for n in range(4)]
    training = [(ids[0], "党中央决定", [(1, 3)])] + [(i, "中央财政支出", []) for i in ids[1:]]
    assert train._lexicons(training)[0] == {"中央": "c"}


def test_marks_give_each_character_of_a_training_name_its_place_and_grade():
    names = [(1, 5, "a")]
    arrays = org_tagger.layout(segment("在华峰集团工作"))
    marks = [(position, value) for position, family, value in org_tagger.marks(arrays, [], names).within(0, 7)
             if family == "l"]
    assert marks == [(1, "Ba"), (2, "Ia"), (3, "Ia"), (4, "Ea")]



def test_a_training_name_starting_inside_a_word_is_no_match():
    """建行 (a bank) in 组建 行业 is part of other words."""
    lexicon = org_tagger.Lexicon({"建行": "a"})
    assert org_tagger.lexicon_names(org_tagger.layout(segment("组建行业协会")), lexicon) == []
    assert org_tagger.lexicon_names(org_tagger.layout(segment("建行发布年报")), lexicon) == [(0, 2, "a")]


def test_a_longer_training_name_is_no_match_past_the_text_end():
    lexicon = org_tagger.Lexicon({"中国": "c", "中国银行": "a"})
    assert org_tagger.lexicon_names(org_tagger.layout(segment("影像中国")), lexicon) == [(2, 4, "c")]
    assert org_tagger.lexicon_names(org_tagger.layout(segment("中国银行")), lexicon) == [(0, 2, "c"), (0, 4, "a")]
