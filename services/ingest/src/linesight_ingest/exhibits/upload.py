"""Receive an exhibit upload: stream the multipart body to a spool file, hashing as it comes.

Starlette's form parser would first copy the whole body to its own temporary file; this
dependency instead reads the request stream once, writes the ``file`` part straight to a
spool file while computing its SHA-256 and size, and stops with 413 as soon as the file
passes ``max_upload_bytes``. The role check (itself audited when refused) happens before
a byte is read. The spool file is removed when the request is over, whatever happened.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Annotated, Any

from anyio import to_thread
from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from linesight_shared.errors import BadRequest, PayloadTooLarge
from linesight_shared.web import CorrelationId, CurrentUser, RuntimeDep
from pydantic import ValidationError
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from linesight_ingest.access import WRITERS, require
from linesight_ingest.exhibits.schemas import ExhibitUploadForm

MAX_FIELD_BYTES = 16 * 1024
MULTIPART_OVERHEAD = 64 * 1024
_CONTENT_TYPE = re.compile(r"^[\w.+-]{1,63}/[\w.+-]{1,63}$")

#: the request body of ``POST /v1/cases/{reference}/exhibits`` for the OpenAPI contract
UPLOAD_OPENAPI: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"multipart/form-data": {"schema": {
            "type": "object",
            "title": "ExhibitUpload",
            "required": ["file", "reference", "kind", "producer", "description"],
            "properties": {
                "file": {"type": "string", "format": "binary",
                         "description": "The exhibit, byte for byte as received"},
                **ExhibitUploadForm.model_json_schema(
                    ref_template="#/components/schemas/{model}")["properties"],
            },
        }}},
    }
}


@dataclass(frozen=True)
class SpooledUpload:
    """The uploaded file on local disk, with its hash and size, and the form fields."""

    path: Path
    sha256: str
    size: int
    filename: str
    content_type: str
    form: ExhibitUploadForm


def _invalid(field: str, msg: str, kind: str = "value_error") -> RequestValidationError:
    return RequestValidationError([{"type": kind, "loc": ("body", field), "msg": msg,
                                    "input": None}])


class _Receiver:
    """python-multipart callbacks: form fields into memory, the file part to the spool."""

    def __init__(self, spool, max_bytes: int) -> None:
        self.spool = spool
        self.max_bytes = max_bytes
        self.sha = hashlib.sha256()
        self.size = 0
        self.fields: dict[str, bytearray] = {}
        self.filename: str | None = None
        self.content_type = "application/octet-stream"
        self.pending: list[bytes] = []
        self._headers: dict[bytes, bytes] = {}
        self._name = b""
        self._value = b""
        self._part: str | None = None

    def callbacks(self) -> dict:
        return {"on_part_begin": self._begin, "on_header_field": self._hfield,
                "on_header_value": self._hvalue, "on_header_end": self._hend,
                "on_headers_finished": self._headers_done, "on_part_data": self._data}

    def _begin(self) -> None:
        self._headers, self._part = {}, None

    def _hfield(self, data: bytes, start: int, end: int) -> None:
        self._name += data[start:end]

    def _hvalue(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _hend(self) -> None:
        self._headers[self._name.lower()] = self._value
        self._name, self._value = b"", b""

    def _headers_done(self) -> None:
        _, opts = parse_options_header(self._headers.get(b"content-disposition", b""))
        name = opts.get(b"name", b"").decode("utf-8", "replace")
        if not name:
            raise BadRequest("a multipart part has no name")
        if b"filename" in opts:
            if name != "file" or self.filename is not None:
                raise BadRequest("send exactly one file, in the part named 'file'")
            raw_name = opts[b"filename"].decode("utf-8", "replace").replace("\\", "/")
            self.filename = PurePosixPath(raw_name).name[:255] or "exhibit"
            ctype = self._headers.get(b"content-type", b"").decode("latin-1").strip()
            if _CONTENT_TYPE.match(ctype):
                self.content_type = ctype
        elif name in self.fields or name == "file":
            raise BadRequest(f"the form field {name!r} is sent twice (or 'file' is not a file)")
        else:
            self.fields[name] = bytearray()
        self._part = name

    def _data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self._part == "file":
            self.size += len(chunk)
            if self.size > self.max_bytes:
                raise PayloadTooLarge(f"the exhibit is larger than the {self.max_bytes} bytes "
                                      "allowed in one upload")
            self.pending.append(bytes(chunk))
        elif self._part is not None:
            value = self.fields[self._part]
            if len(value) + len(chunk) > MAX_FIELD_BYTES:
                raise _invalid(self._part, f"longer than {MAX_FIELD_BYTES} bytes")
            value.extend(chunk)

    def flush(self) -> None:
        """Write what arrived to the spool file and the hash (called in a worker thread)."""
        data = b"".join(self.pending)
        self.pending.clear()
        if data:
            self.spool.write(data)
            self.sha.update(data)


def _form(fields: dict[str, bytearray]) -> ExhibitUploadForm:
    values: dict[str, str] = {}
    for name, raw in fields.items():
        try:
            values[name] = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _invalid(name, "is not UTF-8 text") from exc
    try:
        return ExhibitUploadForm.model_validate(values)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        ) from exc


async def receive_upload(request: Request, reference: str, runtime: RuntimeDep,
                         user: CurrentUser, cid: CorrelationId) -> AsyncIterator[SpooledUpload]:
    """Check the role, then stream the body to a spool file; yields the spooled upload."""
    await to_thread.run_sync(lambda: require(runtime, user, WRITERS, action="exhibit.upload",
                                             case=reference, correlation_id=cid))
    max_bytes = runtime.settings.max_upload_bytes
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    if ctype != b"multipart/form-data" or b"boundary" not in params:
        raise BadRequest("the upload must be multipart/form-data with a boundary")
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes + MULTIPART_OVERHEAD:
        raise PayloadTooLarge(f"the request ({length} bytes) is larger than the "
                              f"{max_bytes} bytes allowed in one upload")
    fd, name = tempfile.mkstemp(dir=runtime.settings.resolved_spool_dir(), prefix="upload-",
                                suffix=".part")
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as spool:
            receiver = _Receiver(spool, max_bytes)
            parser = MultipartParser(params[b"boundary"], receiver.callbacks())
            try:
                async for chunk in request.stream():
                    parser.write(chunk)
                    await to_thread.run_sync(receiver.flush)
                parser.finalize()
            except FormParserError as exc:
                raise BadRequest(f"the multipart body is malformed: {exc}") from exc
            await to_thread.run_sync(receiver.flush)
        if receiver.filename is None:
            raise _invalid("file", "Field required", "missing")
        yield SpooledUpload(path=path, sha256=receiver.sha.hexdigest(), size=receiver.size,
                            filename=receiver.filename, content_type=receiver.content_type,
                            form=_form(receiver.fields))
    finally:
        path.unlink(missing_ok=True)


ExhibitUpload = Annotated[SpooledUpload, Depends(receive_upload)]
