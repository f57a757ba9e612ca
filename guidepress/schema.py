"""Declarative checks for YAML mappings: one typed field per key, every problem reported."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

from .errors import Collector
from .yamlio import LineDict


@dataclass(frozen=True)
class Field:
    """One key of a mapping: its kind, whether it is required, its default, a doc line."""

    kind: str  # "text", "date", "list", "list_of_mappings", "mapping", "choice"
    required: bool = True
    default: Any = None
    doc: str = ""
    choices: tuple[str, ...] = ()
    check: Callable[[Any], str | None] | None = None


def read_mapping(data: Any, fields: dict[str, Field], path: str, what: str,
                 problems: Collector, line: int = 1) -> dict[str, Any] | None:
    """Check `data` against `fields`; return clean values, or None when it is unusable.

    Every unknown key, missing key and wrong type is recorded in `problems`.
    """
    if not isinstance(data, dict):
        problems.add(path, getattr(data, "line", line), f"{what} must be a mapping of keys to values")
        return None
    line_of = data.line_of if isinstance(data, LineDict) else (lambda key: line)
    values: dict[str, Any] = {}
    ok = True
    for key in data:
        if key not in fields:
            expected = ", ".join(sorted(fields))
            problems.add(path, line_of(key), f"unknown {what} key '{key}' (expected one of: {expected})")
            ok = False
    for key, spec in fields.items():
        if key not in data or data[key] is None:
            if spec.required:
                problems.add(path, getattr(data, "line", line), f"missing {what} key '{key}'")
                ok = False
            values[key] = spec.default() if callable(spec.default) else spec.default
            continue
        value, error = _coerce(data[key], spec)
        if error is None and spec.check is not None:
            error = spec.check(value)
        if error is not None:
            problems.add(path, line_of(key), f"{what} key '{key}' {error}")
            ok = False
        values[key] = value
    return values if ok else None


def _coerce(value: Any, spec: Field) -> tuple[Any, str | None]:
    """Return the value in the field's kind, or an error message."""
    if spec.kind == "text":
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return None, "must be text"
        text = str(value).strip()
        return (text, None) if text else (None, "must not be empty")
    if spec.kind == "date":
        if isinstance(value, dt.datetime):
            return value.date(), None
        if isinstance(value, dt.date):
            return value, None
        try:
            return dt.date.fromisoformat(str(value)), None
        except ValueError:
            return None, f"must be a date like 2026-11-30, not '{value}'"
    if spec.kind == "list":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
            return None, "must be a list of text items"
        return [str(v).strip() for v in value], None
    if spec.kind == "list_of_mappings":
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            return None, "must be a list of entries, each with its own keys"
        return value, None
    if spec.kind == "mapping":
        return (value, None) if isinstance(value, dict) else (None, "must be a mapping")
    if spec.kind == "choice":
        text = str(value).strip().lower()
        if text not in spec.choices:
            return None, f"must be one of: {', '.join(spec.choices)} (not '{value}')"
        return text, None
    raise ValueError(f"unknown field kind {spec.kind}")
