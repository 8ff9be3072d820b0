"""Rules are data: patterns, units, currencies, suffixes and gazetteers, loaded by `pipeline.ruleset`."""
