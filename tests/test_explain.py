"""`explain` on known sentences: repairs, candidates kept, lost and dropped, and the command."""
from __future__ import annotations

from pipeline.cli import main
from pipeline.explain import explain
from pipeline.io.readers import read_file

from .conftest import SAMPLES


def _rebuilt(raw: str, repairs) -> str:
    """The raw input with every repair applied: must give the normalized text back."""
    pieces, position = [], 0
    for repair in repairs:
        pieces += [raw[position:repair.raw_start], repair.text]
        position = repair.raw_end
    return "".join(pieces) + raw[position:]


def test_the_repairs_turn_the_raw_input_into_the_normalized_text():
    short = explain("資金 1365 萬(wàn) 元，<b>投入</b>使用。")
    assert [(r.raw, r.text) for r in short.repairs][0] == ("資", "资")
    for explanation in (short, explain(next(read_file(SAMPLES[0])))):
        assert _rebuilt(explanation.result.document.raw, explanation.repairs) == explanation.result.normalized.text
    assert explain("已经干净的简体文本。").repairs == []


def test_every_candidate_has_a_verdict_and_every_mention_is_explained():
    explanation = explain("2025年12月3日，累计投入1802.5亿元，3个月内建成学校6所。")
    outcomes = explanation.outcomes
    lost = [o for o in outcomes if o.verdict == "lost"]
    assert any(o.text == "2025年" and "'2025年12月3日', which is longer" in o.reason for o in lost)
    mentions = sorted((m.kind, m.start, m.end, m.rule) for m in explanation.result.mentions)
    assert sorted((o.kind, o.start, o.end, o.rule) for o in outcomes if o.verdict in ("mention", "found")) == mentions
    spans = {(m.start, m.end, m.rule) for m in explanation.result.mentions}
    assert all((o.start, o.end, o.rule) not in spans for o in outcomes if o.verdict in ("lost", "dropped"))
    assert all(o.why for o in outcomes if o.verdict != "found")  # each traced rule brings its `why`


def test_the_command_prints_sentences_tokens_and_candidates(capsys):
    assert main(["explain", "2025年12月3日，累计投入1802.5亿元。", "--kind", "dates"]) == 0
    out = capsys.readouterr().out
    assert "tokens: 2025/m" in out and "lost    '2025年'" in out
    assert "money." not in out  # --kind dates: only dates candidates
    assert main(["explain", "累计投入资金1265万元。" * 40]) == 0  # a text too long to be a file name
    assert capsys.readouterr().out.count("mention '1265万元'") == 40
    assert main(["explain", str(SAMPLES[1]), "--kind", "money"]) == 0
    out = capsys.readouterr().out
    assert "mention '" in out and "repairs (" in out


def test_explain_lists_the_organization_rules_candidates():
    from pipeline.explain import explain

    outcomes = [(o.verdict, o.rule, o.text) for o in explain("华为技术有限公司和浙江大学在杭州签约。").outcomes
                if o.kind == "organizations"]
    assert ("mention", "organizations.suffix.有限公司", "华为技术有限公司") in outcomes
    assert ("dropped", "organizations.suffix.大学", "浙江大学") in outcomes
