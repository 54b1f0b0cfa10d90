"""Agora: a search engine for archived online discussions."""

__version__ = "0.1.0"
