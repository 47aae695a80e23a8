"""Registers the profile-driven CDR parser for exhibits of kind ``cdr``.

Every CDR layout is a mapping profile (``parsing/profiles/builtin/*.yaml`` and the
profiles analysts add through the API); ``uk-operator-cdr-v1`` is one of them and its
output is unchanged. The parse job passes ``options={"profile": ..., "custom_profiles":
...}`` to force a profile and to offer the stored custom ones.
"""

from __future__ import annotations

from linesight_ingest.parsing.profiles.parser import ProfileCdrParser
from linesight_ingest.parsing.registry import register

UkOperatorCdrParser = ProfileCdrParser  # the name this module exported before profiles

register("cdr", ProfileCdrParser())
