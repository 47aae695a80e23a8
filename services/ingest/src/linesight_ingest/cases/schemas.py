"""Cases: an investigation (``OP-MONZA``) and the authorisation its data was obtained under."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlmodel import Field

from linesight_ingest.models import IngestModel

CASE_REFERENCE = r"^[A-Z0-9][A-Z0-9-]{1,63}$"


class CaseBase(IngestModel):
    """What a case is called and the legal basis for holding its communications data."""

    reference: str = Field(max_length=64, description="Operation name, e.g. OP-MONZA")
    title: str | None = Field(default=None, max_length=200)
    authorisation_ref: str = Field(
        max_length=128,
        description="Reference of the communications-data authorisation the exhibits were "
                    "obtained under (e.g. the OCDA/IPA authorisation number)",
    )


class CaseCreate(IngestModel):
    """What a client sends to open a case."""

    # SQLModel does not enforce ``regex=``; a pattern given as pydantic's own is enforced.
    reference: str = Field(max_length=64, schema_extra={"pattern": CASE_REFERENCE,
                                                        "examples": ["OP-MONZA"]})
    title: str | None = Field(default=None, max_length=200)
    authorisation_ref: str = Field(min_length=1, max_length=128,
                                   schema_extra={"pattern": r"\S",
                                                 "examples": ["CDA/2024/001234"]})


class Case(CaseBase, table=True):
    """A stored case."""

    __tablename__ = "cases"

    id: str = Field(primary_key=True, max_length=32)
    reference: str = Field(unique=True, max_length=64)
    created_by: str = Field(max_length=128)
    created_at: datetime


class CasePublic(CaseBase):
    """A case as the API shows it."""

    id: str
    created_by: str
    created_at: datetime


class CaseList(BaseModel):
    cases: list[CasePublic]
