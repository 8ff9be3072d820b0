"""dates (filled in by its issue)."""
from __future__ import annotations


def extract(segmented, context):
    return []
def reference_from_text(text): return None
