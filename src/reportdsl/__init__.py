"""reportdsl: a declarative language and compiler for departments' published final accounts."""

__version__ = "0.1.0"
