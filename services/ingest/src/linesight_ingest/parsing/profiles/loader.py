"""Profile YAML text → a validated :class:`Profile`, with errors that name the line and key.

The text is read with ``yaml.safe_load`` rules (no Python objects), composed first so each
key's line is known: a duplicated key, an anchor/alias, or a value the model refuses is
reported as ``line 12, columns.date.name: ...``. The profile's identity is the SHA-256
of its exact UTF-8 text, so a changed profile is always a different version.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from pydantic import ValidationError

from linesight_ingest.parsing.profiles.model import Profile

MAX_PROFILE_BYTES = 64 * 1024
BUILTIN = "builtin"
CUSTOM = "custom"


class ProfileError(ValueError):
    """A profile that cannot be used; ``problems`` are ``(line, key path, message)``."""

    def __init__(self, problems: list[tuple[int | None, str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(_fmt(p) for p in problems))


def _fmt(problem: tuple[int | None, str, str]) -> str:
    line, path, msg = problem
    where = f"line {line}, " if line else ""
    return f"{where}{path or '(document)'}: {msg}"


@dataclass(frozen=True)
class LoadedProfile:
    """A validated profile with its exact text, its SHA-256 and where it came from."""

    profile: Profile
    text: str
    sha256: str
    source: str  # builtin or custom

    @property
    def name(self) -> str:
        return self.profile.name

    @property
    def ref(self) -> str:
        """``name@version``: how a parse names the exact profile it used."""
        return f"{self.profile.name}@{self.profile.version}"


def _lines(node: yaml.Node, path: tuple, out: dict[tuple, int], seen: set[int]) -> None:
    """Record the line of every key path; refuse aliases and duplicated keys."""
    if id(node) in seen:
        raise ProfileError([(node.start_mark.line + 1, ".".join(map(str, path)),
                             "anchors and aliases are not allowed in a profile")])
    seen.add(id(node))
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for k, v in node.value:
            key = k.value if isinstance(k, yaml.ScalarNode) else str(k)
            if key in keys:
                raise ProfileError([(k.start_mark.line + 1, ".".join(map(str, (*path, key))),
                                     "key given twice")])
            keys.add(key)
            out[(*path, key)] = k.start_mark.line + 1
            _lines(v, (*path, key), out, seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            _lines(v, (*path, i), out, seen)


def _line_for(loc: tuple, lines: dict[tuple, int]) -> int | None:
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return None


def parse_profile(text: str, *, source: str = CUSTOM) -> LoadedProfile:
    """Validate ``text``; :class:`ProfileError` names every problem's line and key path."""
    raw = text.encode("utf-8")
    if len(raw) > MAX_PROFILE_BYTES:
        raise ProfileError([(None, "", f"a profile is at most {MAX_PROFILE_BYTES} bytes")])
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ProfileError([(mark.line + 1 if mark else None, "",
                             f"not valid YAML: {problem}")]) from exc
    if node is None or not isinstance(data, dict):
        raise ProfileError([(1, "", "a profile is a YAML mapping (name:, version:, ...)")])
    lines: dict[tuple, int] = {}
    _lines(node, (), lines, set())
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for e in exc.errors(include_url=False):
            loc = tuple(p for p in e["loc"] if not str(p).startswith("function-"))
            problems.append((_line_for(loc, lines), ".".join(map(str, loc)),
                             e["msg"].removeprefix("Value error, ")))
        raise ProfileError(problems) from exc
    return LoadedProfile(profile=profile, text=text, sha256=hashlib.sha256(raw).hexdigest(),
                         source=source)


@cache
def builtin_profiles() -> tuple[LoadedProfile, ...]:
    """The profiles shipped in ``parsing/profiles/builtin/``, by name."""
    folder = resources.files("linesight_ingest.parsing.profiles") / "builtin"
    loaded = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            p = parse_profile(entry.read_text(encoding="utf-8"), source=BUILTIN)
            if entry.name != f"{p.name}.yaml":
                raise ProfileError([(None, "name", f"{entry.name} declares name {p.name}")])
            loaded.append(p)
    return tuple(loaded)


def builtin(name: str) -> LoadedProfile:
    for p in builtin_profiles():
        if p.name == name:
            return p
    raise KeyError(name)


def available(custom_texts: dict[str, str] | None = None) -> list[LoadedProfile]:
    """Built-ins, then the newest version of each custom profile (``{ref: yaml}``)."""
    out = list(builtin_profiles())
    latest: dict[str, LoadedProfile] = {}
    for text in (custom_texts or {}).values():
        p = parse_profile(text, source=CUSTOM)
        have = latest.get(p.name)
        if have is None or _semver(p.profile.version) > _semver(have.profile.version):
            latest[p.name] = p
    return out + [latest[n] for n in sorted(latest) if n not in {b.name for b in out}]


def resolve(ref: str, custom_texts: dict[str, str] | None = None) -> LoadedProfile:
    """``name`` (newest version) or ``name@version`` → the profile; KeyError if unknown."""
    name, _, version = ref.partition("@")
    if not version:
        for p in available(custom_texts):
            if p.name == name:
                return p
        raise KeyError(ref)
    for p in builtin_profiles():
        if p.ref == ref:
            return p
    for text in (custom_texts or {}).values():
        p = parse_profile(text, source=CUSTOM)
        if p.ref == ref:
            return p
    raise KeyError(ref)


def _semver(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in v.split("."))
