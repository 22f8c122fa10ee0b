"""Helpers shared by every test folder (import as ``from tests._support.mpref import ...``)."""
