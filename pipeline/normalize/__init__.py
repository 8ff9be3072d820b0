"""Raw article to clean simplified text, with an offset map back to the raw input."""
from .chain import normalize

__all__ = ["normalize"]
