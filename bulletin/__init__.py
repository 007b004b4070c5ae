"""Bulletin S&R: from content/ (YAML + Markdown) to a French web and print edition."""
