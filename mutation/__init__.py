"""Mutation testing for this project: one-line mutants of a module (mutants.py), the tests that run each
line (coverage_map.py), each mutant tried in a scratch copy (runner.py). How to run it and read it:
docs/development.md."""
