"""Comparison of documents: clause alignment, series across years, where a clause appears elsewhere."""
