"""Root conftest: loads the shared fixtures for every test folder."""

pytest_plugins = ["linesight_shared.testing.fixtures"]
