"""Raw article to clean simplified text, with an offset map back to the raw input."""
from .chain import normalize

# The rule files normalization reads (tests/test_batch.py checks the list): a batch run
# re-uses a stored normalization while these and the package version are unchanged.
# (currencies and quantities: the placeholders every rule file may use, boilerplate.yaml too)
RULE_FILES = ("boilerplate.yaml", "char_frequency.txt", "currencies.yaml", "look_alikes.txt", "quantities.yaml")

__all__ = ["normalize", "RULE_FILES"]
