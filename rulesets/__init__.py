"""Bundled rulesets, installed as the package ``gklint.bundled``."""
