"""Catalogs, translation and CLDR formatting; imports nothing else of ours."""
