"""Benchmark and evaluation scripts (run as `python scripts/NAME.py`); not part of the product."""
