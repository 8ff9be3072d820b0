"""Reading articles and writing tables."""
