"""Backends: each reads a model.Document and lays it out; none computes or rounds a figure."""
