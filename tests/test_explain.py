"""`explain` on known sentences: repairs, candidates kept, lost and dropped, and the command."""
from __future__ import annotations

import subprocess
import sys

from pipeline.explain import explain
from pipeline.io.readers import read_file

from .conftest import ROOT, SAMPLES


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


def test_the_command_prints_sentences_tokens_and_candidates(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pipeline", "explain", "2025年12月3日，累计投入1802.5亿元。",
                             "--kind", "dates"], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "tokens: 2025/m" in result.stdout and "lost    '2025年'" in result.stdout
    assert "money." not in result.stdout  # --kind dates: only dates candidates
    long_text = subprocess.run([sys.executable, "-m", "pipeline", "explain", "累计投入资金1265万元。" * 40],
                               capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert long_text.returncode == 0 and long_text.stdout.count("mention '1265万元'") == 40
    on_file = subprocess.run([sys.executable, "-m", "pipeline", "explain", str(ROOT / "raw" / SAMPLES[1].name),
                              "--kind", "money"], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert on_file.returncode == 0 and "mention '" in on_file.stdout and "repairs (" in on_file.stdout
