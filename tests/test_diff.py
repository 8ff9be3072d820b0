"""`diff` on two known runs: the samples with the shipped rules, and again with one rule removed."""
from __future__ import annotations

import shutil
from collections import Counter

import pytest
import yaml

from pipeline import read_table, ruleset
from pipeline.batch import run
from pipeline.cli import main
from pipeline.diff import diff
from pipeline.io.schema import cells
from pipeline.io.writers import write_csv

from .conftest import ROOT


def _without_rule(folder, name: str, rule_id: str) -> None:
    content = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
    rules = content["rules"] if isinstance(content, dict) else content
    rules[:] = [rule for rule in rules if rule["id"] != rule_id]
    (folder / name).write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Run A with the shipped rules; run B with the dates rule that fired most in A removed."""
    before, after = tmp_path_factory.mktemp("before"), tmp_path_factory.mktemp("after")
    run([ROOT / "raw"], before, workers=1, progress=False)
    content = ruleset.read_yaml("dates.yaml")
    shipped = {rule["id"] for rule in (content["rules"] if isinstance(content, dict) else content)}
    fired = Counter(rule for rule in read_table(before, "dates")["rule"] if rule in shipped)
    removed_rule = fired.most_common(1)[0][0]
    rules = tmp_path_factory.mktemp("rules") / "rules"
    shutil.copytree(ROOT / "pipeline" / "rules", rules)
    _without_rule(rules, "dates.yaml", removed_rule)
    ruleset.use_folder(rules)
    try:
        run([ROOT / "raw"], after, workers=1, progress=False)  # one worker: this process, these rules
    finally:
        ruleset.use_folder(None)
    return before, after, removed_rule, fired[removed_rule]


def test_a_run_against_itself_has_no_changes(runs):
    before, _, _, _ = runs
    result = diff(before, before)
    assert result.changes.empty and result.summary().empty
    assert result.unchanged["unchanged"].sum() == sum(len(read_table(before, k)) for k in ("money", "counts", "dates", "organizations"))


def test_removing_a_rule_shows_exactly_its_mentions(runs):
    before, after, removed_rule, fired = runs
    result = diff(before, after)
    changes = result.changes
    # every mention of the removed rule is gone or now read by another rule; the other
    # changes are dates that leaned on it (a relative year resolved from the year before)
    assert set(changes["kind"]) == {"dates"} and set(changes["change"]) <= {"removed", "changed"}
    assert (changes["rule_a"] == removed_rule).sum() == fired and (changes["rule_b"] != removed_rule).all()
    assert changes["sentence"].str.len().gt(0).all()
    summary = result.summary()
    assert summary[["added", "removed", "changed"]].to_numpy().sum() == len(changes)
    assert set(summary.index.get_level_values("kind")) == {"dates"}
    assert result.documents == {"only_a": [], "only_b": [], "text_changed": []}


def test_the_command_prints_the_summary_and_writes_the_csv(runs, tmp_path, capsys):
    before, after, removed_rule, fired = runs
    out = tmp_path / "changes.csv"
    assert main(["diff", str(before), str(after), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert removed_rule in printed and " in: " in printed
    rows = out.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("change,kind,doc_id,rule_a,rule_b") and len(rows) == 1 + len(diff(before, after).changes)


def test_a_changed_reading_of_the_same_place_is_one_change(runs, tmp_path):
    """A span read differently (other text, overlapping) pairs with the old one, not removed + added."""
    before, _, _, _ = runs
    edited = tmp_path / "edited"
    shutil.copytree(before, edited)
    money = read_table(before, "money")
    first = money.iloc[0]
    money.loc[0, "text"] = first["text"][:-1]
    money.loc[0, "end"] = first["end"] - 1
    money.loc[0, "amount"] = first["amount"] + 1
    write_csv(edited / "money.csv", "money", [cells("money", row) for row in money.to_dict("records")])
    result = diff(before, edited)
    assert result.changes[["change", "kind", "text_a", "text_b"]].values.tolist() == [
        ["changed", "money", first["text"], first["text"][:-1]]]


def test_missing_values_compare_as_written(runs, tmp_path):
    """An empty cell (a boolean read as <NA>) equals an empty cell, and differs from a value."""
    before, _, _, _ = runs
    emptied = tmp_path / "emptied"
    shutil.copytree(before, emptied)
    money = read_table(before, "money").assign(approx=None)
    write_csv(emptied / "money.csv", "money", [cells("money", row) for row in money.to_dict("records")])
    assert diff(emptied, emptied).changes.empty
    assert set(diff(before, emptied).changes["change"]) == {"changed"}
