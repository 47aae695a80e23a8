"""Settings refuse development secrets in production."""

import pytest
from linesight_shared.settings import PlatformSettings
from pydantic import ValidationError


class TestPlatformSettings:
    def test_the_embedded_default_needs_no_variable(self, monkeypatch):
        for key in list(__import__("os").environ):
            if key.startswith("LINESIGHT_"):
                monkeypatch.delenv(key)
        s = PlatformSettings()
        assert (s.broker, s.object_store) == ("stub", "local")

    def test_production_refuses_the_development_token_secret(self):
        with pytest.raises(ValidationError, match="LINESIGHT_TOKEN_SECRET"):
            PlatformSettings(environment="production")

    def test_production_refuses_minio_default_password(self):
        with pytest.raises(ValidationError, match="LINESIGHT_S3_SECRET_KEY"):
            PlatformSettings(environment="production", token_secret="x" * 40,
                             object_store="s3")

    def test_variables_are_read_with_the_linesight_prefix(self, monkeypatch):
        monkeypatch.setenv("LINESIGHT_BROKER", "rabbitmq")
        monkeypatch.setenv("LINESIGHT_S3_BUCKET", "evidence-x")
        s = PlatformSettings()
        assert (s.broker, s.s3_bucket) == ("rabbitmq", "evidence-x")
