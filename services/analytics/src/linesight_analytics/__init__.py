"""The analytics service: analyses over the canonical tables as Dramatiq jobs.

Each analysis records its inputs (dataset hashes), parameters and code version; its
result is RFC 8785 canonical JSON stored by content hash, so the same inputs give
byte-identical results.
"""
