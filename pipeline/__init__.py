"""Chinese news extraction: repair damaged text, segment it, extract money, counts,
dates and organizations, and write them as typed tables."""
from .api import extract, to_doc
from .io.writers import read_table
from .types import Mention

__version__ = "0.1.0"
__all__ = ["extract", "to_doc", "read_table", "Mention", "__version__"]
