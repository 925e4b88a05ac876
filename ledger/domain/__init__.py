"""Aggregates and their events (all immutable, past tense, each with the envelope)."""
