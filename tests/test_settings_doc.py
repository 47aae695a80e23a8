"""docs/settings.md names every setting the code reads."""

from pathlib import Path

from linesight_shared.settings import PlatformSettings

DOC = (Path(__file__).resolve().parent.parent / "docs" / "settings.md").read_text()


def test_every_setting_is_documented():
    missing = [f"LINESIGHT_{n.upper()}" for n in PlatformSettings.model_fields
               if f"`LINESIGHT_{n.upper()}`" not in DOC]
    assert missing == []
