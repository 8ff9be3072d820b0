"""Shared fixtures and the loader for the spec tables in tests/cases/."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
SAMPLES = sorted((ROOT / "raw").glob("*.txt"))


def load_cases(name: str) -> list:
    """One pytest param per case, with a readable id; `xfail` cases are strict xfails."""
    table = yaml.safe_load((CASES / name).read_text(encoding="utf-8"))
    params = []
    for section in ("development", "bugs_caught"):
        for number, case in enumerate(table.get(section) or []):
            marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if case.get("xfail") else []
            params.append(pytest.param(case, id=f"{section}-{number}-{case['text'][:16]}", marks=marks))
    return params
