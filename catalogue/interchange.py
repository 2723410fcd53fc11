"""The catalogue interchange format (docs/catalogue-format.md): one qualification (or unit pool)
as one JSON document, checked against catalogue/schema/catalogue-v1.schema.json and then for
what a schema cannot say (unique references, group minimums not above maximums, groups naming
known units, criteria inside an outcome).

A document is a `SourceDocument` field for field, so export then import gives back an equal
object. Any mistake raises `FormatError` naming the field path; nothing is returned half-read.
"""
from __future__ import annotations

import dataclasses
import functools
import json
import typing
from pathlib import Path
from typing import Any, Union

from catalogue import model
from catalogue.model import SourceDocument

FORMAT = "cs-assistant-catalogue"
VERSION = 1
SCHEMA_FILE = Path(__file__).resolve().parent / "schema" / "catalogue-v1.schema.json"
MAX_BYTES = 10 * 1024 * 1024  # the largest seed exports to ~1 MB; a 10 MB document is a mistake, not a spec


class FormatError(ValueError):
    """A document that is not a valid catalogue. `path` is where the mistake is ("units/3/credits"),
    `where` a spreadsheet position ("sheet Units, row 7, column E") where there is one."""

    def __init__(self, path: str, reason: str, where: str | None = None):
        self.path, self.reason, self.where = path, reason, where
        at = f"{where}: " if where else ""
        super().__init__(f"{at}{path or '(document)'}: {reason}")


# --- export ----------------------------------------------------------------------------------


def to_dict(doc: SourceDocument) -> dict[str, Any]:
    body = dataclasses.asdict(doc)
    rules = (body.get("qualification") or {}).get("rules")
    if rules and rules.get("level_credits") is not None:
        rules["level_credits"] = list(rules["level_credits"])
    return {"format": FORMAT, "version": VERSION, **body}


def dumps(doc: SourceDocument) -> str:
    return json.dumps(to_dict(doc), ensure_ascii=False, indent=1) + "\n"


# --- import ----------------------------------------------------------------------------------


@functools.cache
def schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@functools.cache
def _validator():
    import jsonschema

    cls = jsonschema.validators.validator_for(schema())
    cls.check_schema(schema())
    return cls(schema())


def loads(text: str | bytes) -> SourceDocument:
    """Parse, validate and build one document; FormatError on the first mistake found."""
    if len(text) > MAX_BYTES:
        raise FormatError("", f"the file is {len(text) / 1e6:.1f} MB; a catalogue document is at most "
                              f"{MAX_BYTES // (1024 * 1024)} MB")
    try:
        data = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise FormatError("", f"not JSON: {e}") from None
    return from_dict(data)


def load(path: str | Path) -> SourceDocument:
    path = Path(path)
    if path.stat().st_size > MAX_BYTES:
        raise FormatError("", f"{path.name} is {path.stat().st_size / 1e6:.1f} MB; a catalogue document is at most "
                              f"{MAX_BYTES // (1024 * 1024)} MB")
    return loads(path.read_bytes())


def from_dict(data: Any) -> SourceDocument:
    if isinstance(data, dict) and data.get("format") == FORMAT and data.get("version") != VERSION:
        raise FormatError("version", f"version {data.get('version')!r} is not supported (this reads {VERSION})")
    import jsonschema

    e = jsonschema.exceptions.best_match(_validator().iter_errors(data))  # descends into "X or null"
    if e is not None:
        raise FormatError("/".join(map(str, e.absolute_path)), _schema_message(e))
    body = {k: v for k, v in data.items() if k not in ("format", "version")}
    doc = _build(SourceDocument, body)
    check(doc)
    return doc


def _schema_message(e) -> str:
    if e.validator == "required":
        return e.message.replace("is a required property", "is missing")
    if e.validator == "additionalProperties":
        return e.message.replace("Additional properties are not allowed", "unknown field")
    if e.validator == "type":
        return f"{e.instance!r} is not of type {e.validator_value}" if len(repr(e.instance)) < 80 else \
            f"wrong type: expected {e.validator_value}"
    return e.message if len(e.message) < 300 else e.message[:300] + "..."


def _build(tp: Any, value: Any) -> Any:
    """Turn validated JSON into the model's dataclasses, following their type hints."""
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin is Union:
        return _build(next(a for a in typing.get_args(tp) if a is not type(None)), value)
    if origin is list:
        (item,) = typing.get_args(tp)
        return [_build(item, v) for v in value]
    if origin is tuple:
        return tuple(_build(a, v) for a, v in zip(typing.get_args(tp), value))
    if origin is dict:
        return dict(value)
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp, vars(model))
        return tp(**{f.name: _build(hints[f.name], value[f.name]) for f in dataclasses.fields(tp) if f.name in value})
    return value


def check(doc: SourceDocument) -> None:
    """What the schema cannot say."""
    seen: dict[str, int] = {}
    for i, unit in enumerate(doc.units):
        at = f"units/{i}"
        if unit.source != doc.id:
            raise FormatError(f"{at}/source", f"unit {unit.ref} names source {unit.source!r}, not this document's "
                                              f"id {doc.id!r}")
        if unit.ref in seen:
            raise FormatError(f"{at}/ref", f"unit {unit.ref} appears twice (also units/{seen[unit.ref]})")
        seen[unit.ref] = i
        numbers: set[str] = set()
        refs: set[str] = set()
        for j, outcome in enumerate(unit.outcomes):
            if outcome.number in numbers:
                raise FormatError(f"{at}/outcomes/{j}/number", f"outcome {outcome.number} of unit {unit.ref} appears twice")
            numbers.add(outcome.number)
            for k, c in enumerate(outcome.criteria):
                if c.ref in refs:
                    raise FormatError(f"{at}/outcomes/{j}/criteria/{k}/ref",
                                      f"criterion {c.ref} of unit {unit.ref} appears twice")
                refs.add(c.ref)
        for k, c in enumerate(unit.knowledge):
            if c.kind != "ku":
                raise FormatError(f"{at}/knowledge/{k}", f"criterion {c.ref} of unit {unit.ref} has no outcome: only "
                                                         "knowledge items (kind \"ku\") may stand outside an outcome")
            if c.ref in refs:
                raise FormatError(f"{at}/knowledge/{k}/ref", f"criterion {c.ref} of unit {unit.ref} appears twice")
            refs.add(c.ref)
    rules = doc.qualification.rules if doc.qualification else None
    if rules is None:
        return
    ids: set[str] = set()
    for g, group in enumerate(rules.groups):
        at = f"qualification/rules/groups/{g}"
        if group.id in ids:
            raise FormatError(f"{at}/id", f"group {group.id} appears twice")
        ids.add(group.id)
        for lo, hi in (("min_credits", "max_credits"), ("min_units", "max_units")):
            low, high = getattr(group, lo), getattr(group, hi)
            if low is not None and high is not None and low > high:
                raise FormatError(f"{at}/{lo}", f"group {group.id}: {lo} {low} is above {hi} {high}")
        for u, ref in enumerate(group.units):
            if ref not in seen:
                raise FormatError(f"{at}/units/{u}", f"group {group.id} names unit {ref}, which is not in this document")
    for b, refs in enumerate(rules.barred):
        for u, ref in enumerate(refs):
            if ref not in seen:
                raise FormatError(f"qualification/rules/barred/{b}/{u}", f"barred combination names unit {ref}, "
                                                                        "which is not in this document")

