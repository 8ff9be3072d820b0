"""The trained models the extractors read (see README.md here, the model card)."""
