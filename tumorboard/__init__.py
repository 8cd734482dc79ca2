"""Tumor Board Reference: the command line and the program's entry point."""

__version__ = "0.1.0"
