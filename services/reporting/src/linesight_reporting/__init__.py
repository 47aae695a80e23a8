"""The reporting service: court-ready PDF reports of a case's exhibits and analyses.

A report is rendered by a job from what the ingest and analytics services serve (as the
requesting user), stored by its SHA-256, and checked against that hash on every read.
"""
