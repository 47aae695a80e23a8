"""Client-side models generated from ``contracts/<service>.openapi.json``.

Do not edit the modules here by hand: ``uv run python scripts/contracts.py`` regenerates
the OpenAPI documents from the apps and these models from the documents, and
``tests/test_contracts.py`` fails when either has drifted.
"""
