"""All queries on the mapping-profiles table."""

from __future__ import annotations

from collections.abc import Sequence

from linesight_shared.repository import Repository

from linesight_ingest.profiles.schemas import MappingProfile


class MappingProfileRepository(Repository[MappingProfile]):
    model = MappingProfile

    def every_version(self) -> Sequence[MappingProfile]:
        return sorted(self.list_by(order_by=MappingProfile.created_at), key=lambda p: p.name)

    def versions_of(self, name: str) -> Sequence[MappingProfile]:
        return self.list_by(MappingProfile.name == name, order_by=MappingProfile.created_at)

    def by_sha256(self, sha256: str) -> MappingProfile | None:
        return self.first_by(MappingProfile.sha256 == sha256)

    def texts(self) -> dict[str, str]:
        """``{name@version: yaml}`` of every stored version (what a parse may choose from)."""
        return {f"{p.name}@{p.version}": p.yaml_text for p in self.every_version()}
