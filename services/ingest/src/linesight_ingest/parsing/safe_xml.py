"""Streaming an untrusted XML exhibit record by record, without ever holding it whole.

    for rec in stream_records(stream, record_tags={"RetainedDataRecord"}):
        rec.ordinal, rec.line, rec.path, rec.elem   # elem is cleared after the loop body

Built on ``defusedxml.ElementTree.iterparse`` with ``forbid_dtd=True``: a DOCTYPE of any
kind (so every billion-laughs and external-entity attack) is refused before an entity can
be declared. On top of that, limits the parser enforces *while* reading:

* a text node or attribute longer than ``max_text`` characters (a 2 GB ``<Body>``);
* elements nested deeper than ``max_depth``.

A *record* is the outermost element whose local name (namespace stripped) is in
``record_tags``; it is handed over on its end tag, then cleared and detached, and every
other finished element outside a record is dropped too, so memory stays at one record.

Line numbers: the tree builder asks expat for ``CurrentLineNumber`` inside its ``start``
callback, which is the line of the record's start tag; this costs one attribute read per
element. Errors become :class:`XmlBroken` (not well-formed, truncated, wrong encoding: with
the line and column expat stopped at) or :class:`XmlRefused` (DTD, entities, limits).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, _TreeBuilder

MAX_TEXT = 1_000_000
MAX_DEPTH = 200


class XmlRefused(ValueError):
    """The document breaks a safety rule (DTD, entity, size or depth limit)."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason, self.line = reason, line


class XmlBroken(ValueError):
    """The document is not well-formed XML from ``line`` (truncated, bad bytes, ...)."""

    def __init__(self, reason: str, line: int | None, column: int | None) -> None:
        super().__init__(reason)
        self.reason, self.line, self.column = reason, line, column


def local(tag: str) -> str:
    """``{namespace}name`` → ``name``."""
    return tag.rsplit("}", 1)[-1] if tag[:1] == "{" else tag


class _Builder(_TreeBuilder):
    """A tree builder that remembers each element's start line and enforces the limits."""

    def __init__(self, max_text: int, max_depth: int) -> None:
        super().__init__()
        self.parser: DefusedXMLParser | None = None
        self.lines: dict[int, int] = {}
        self.max_text, self.max_depth = max_text, max_depth
        self.depth = 0
        self.text_run = 0

    def line(self) -> int | None:
        return self.parser.parser.CurrentLineNumber if self.parser is not None else None

    def start(self, tag, attrs):
        self.depth += 1
        self.text_run = 0
        if self.depth > self.max_depth:
            raise XmlRefused(f"elements nested deeper than {self.max_depth}", self.line())
        for value in attrs.values():
            if len(value) > self.max_text:
                raise XmlRefused(f"an attribute longer than {self.max_text} characters",
                                 self.line())
        elem = super().start(tag, attrs)
        self.lines[id(elem)] = self.line() or 0
        return elem

    def end(self, tag):
        self.depth -= 1
        self.text_run = 0
        return super().end(tag)

    def data(self, data):
        self.text_run += len(data)
        if self.text_run > self.max_text:
            raise XmlRefused(f"a text node longer than {self.max_text} characters",
                             self.line())
        return super().data(data)


@dataclass
class XmlRecord:
    """One record: its 1-based ordinal among records, start line, path and element."""

    ordinal: int
    line: int
    path: str
    elem: Element

    @property
    def tag(self) -> str:
        return local(self.elem.tag)


def stream_records(source: BinaryIO, record_tags: set[str], *, max_text: int = MAX_TEXT,
                   max_depth: int = MAX_DEPTH) -> Iterator[XmlRecord]:
    """Yield each outermost element named in ``record_tags``; raise XmlBroken/XmlRefused.

    ``path`` is XPath-like, with the record's position among the records of the same
    name, e.g. ``/RetainedDataMessage/.../RetainedDataRecord[17]``.
    """
    builder = _Builder(max_text, max_depth)
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    builder.parser = parser
    stack: list[Element] = []
    names: list[str] = []
    inside = 0  # depth of the open record, 0 when outside any record
    counts: dict[str, int] = {}
    ordinal = 0
    try:
        for event, elem in DET.iterparse(source, ("start", "end"), parser=parser):
            if event == "start":
                stack.append(elem)
                names.append(local(elem.tag))
                if not inside and names[-1] in record_tags:
                    inside = len(stack)
                continue
            line = builder.lines.pop(id(elem), 0)
            depth = len(stack)
            stack.pop()
            name = names.pop()
            if inside and depth > inside:
                continue  # part of an open record: kept until the record ends
            if inside == depth:
                inside = 0
                ordinal += 1
                counts[name] = counts.get(name, 0) + 1
                path = "/".join(["", *names, f"{name}[{counts[name]}]"])
                yield XmlRecord(ordinal=ordinal, line=line, path=path, elem=elem)
            elem.clear()
            if stack:
                stack[-1].remove(elem)
    except ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        raise XmlBroken(f"not well-formed XML: {exc.msg if hasattr(exc, 'msg') else exc}",
                        line, column) from exc
    except LookupError as exc:  # an encoding declaration Python does not know
        raise XmlBroken(f"cannot read the document's encoding ({exc})", 1, 0) from exc
    except DefusedXmlException as exc:
        raise XmlRefused(f"refused: the document declares a DTD or entities "
                         f"({type(exc).__name__}); exhibits must not carry them",
                         builder.line()) from exc
    except RecursionError as exc:  # pragma: no cover - max_depth stops it first
        raise XmlRefused("elements nested too deeply", builder.line()) from exc


def texts(elem: Element) -> str:
    """All text inside ``elem``, stripped."""
    return "".join(elem.itertext()).strip()


def child(elem: Element, *names: str) -> Element | None:
    """The first direct child whose local name is one of ``names``."""
    for c in elem:
        if local(c.tag) in names:
            return c
    return None


def find(elem: Element, *names: str) -> Element | None:
    """The first descendant (document order) whose local name is one of ``names``."""
    for c in elem.iter():
        if c is not elem and local(c.tag) in names:
            return c
    return None
