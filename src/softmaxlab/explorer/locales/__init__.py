"""The explorer's string catalogues, one module per language (``STRINGS``: key -> text)."""
