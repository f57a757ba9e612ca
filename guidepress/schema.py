"""Declarative checks for YAML mappings: one typed field per key, every problem reported."""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any, Callable

from .errors import Collector
from .yamlio import LineDict, YamlFloat, YamlInt

_DATE_RE = re.compile(r"(\d{1,4})-(\d{1,2})-(\d{1,2})(.*)", re.S)


@dataclass(frozen=True)
class Field:
    """One key of a mapping: its kind, whether it is required, its default, a doc line."""

    kind: str  # "text", "number", "date", "list", "list_of_mappings", "mapping", "choice"
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
    misspelt: set[str] = set()  # keys that an unknown key is a typo of
    for key in data:
        if key not in fields:
            absent = [name for name in fields if name not in data]
            close = difflib.get_close_matches(str(key).casefold(), absent, n=1, cutoff=0.75)
            if close:
                misspelt.add(close[0])
                problems.add(path, line_of(key), f"unknown {what} key '{_shown(key)}' (did "
                                                 f"you mean '{close[0]}'?)")
            else:
                expected = ", ".join(sorted(fields))
                problems.add(path, line_of(key), f"unknown {what} key '{_shown(key)}' "
                                                 f"(expected one of: {expected})")
            ok = False
    for key, spec in fields.items():
        if key not in data or data[key] is None:
            if spec.required and key not in misspelt:  # one mistake, one problem
                problems.add(path, getattr(data, "line", line), f"missing {what} key '{key}'")
                ok = False
            values[key] = spec.default() if callable(spec.default) else spec.default
            continue
        value, error = _coerce(data[key], spec, key)
        if error is None and spec.check is not None:
            error = spec.check(value)
        if error is not None:
            problems.add(path, line_of(key), f"{what} key '{key}' {error}")
            ok = False
        values[key] = value
    return values if ok else None


def _coerce(value: Any, spec: Field, key: str = "") -> tuple[Any, str | None]:
    """Return the value in the field's kind, or an error message."""
    if spec.kind == "text":
        text, error = _text(value, key)
        if error is not None:
            return None, error
        text = text.strip()
        return (text, None) if text else (None, "must not be empty")
    if spec.kind == "number":  # written as a number, or as text that is one ("7.5")
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return None, f"must be a number, not '{_shown(value)}'"
        return (value.strip() if isinstance(value, str) else value), None
    if spec.kind == "date":
        if isinstance(value, dt.datetime):
            return value.date(), None
        if isinstance(value, dt.date):
            return value, None
        shown = _shown(value)
        try:
            return dt.date.fromisoformat(str(value)), None
        except ValueError:
            why = _not_real(str(value))
            if why:
                return None, (f"has '{shown}', which is not a real date ({why}): write a date "
                              "that exists, like 2026-11-30")
            return None, f"must be a date like 2026-11-30, not '{shown}'"
    if spec.kind == "list":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
            return None, "must be a list of text items"
        items = []
        for item in value:
            text, error = _text(item, key, listed=True)
            if error is not None:
                return None, error
            items.append(text.strip())
        return items, None
    if spec.kind == "list_of_mappings":
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            return None, "must be a list of entries, each with its own keys"
        return value, None
    if spec.kind == "mapping":
        return (value, None) if isinstance(value, dict) else (None, "must be a mapping")
    if spec.kind == "choice":
        text = str(value).strip().lower()
        if text not in spec.choices:
            return None, f"must be one of: {', '.join(spec.choices)} (not '{_shown(value)}')"
        return text, None
    raise ValueError(f"unknown field kind {spec.kind}")


def _text(value: Any, key: str, listed: bool = False) -> tuple[str, str | None]:
    """`value` as the text the author typed, or why YAML read it as something else."""
    if isinstance(value, bool):
        what = "has an item" if listed else "is"
        return "", f"{what} read as yes/no (true or false), not as text: put it in quotes"
    if isinstance(value, (YamlInt, YamlFloat)) and str(value) != value.source:
        if listed:
            return "", (f"has {value.source}, which is read as the number {value}: put it in "
                        f'quotes, like "{value.source}"')
        return "", (f"is read as the number {value}, not the text {value.source}: put it in "
                    f'quotes, like {key}: "{value.source}"')
    if isinstance(value, (dt.date, dt.datetime)) and not listed:
        return "", f'is read as a date, not as text: put it in quotes, like {key}: "{value}"'
    if not isinstance(value, (str, int, float)):
        return "", "must be text"
    return str(value), None


def _not_real(text: str) -> str | None:
    """Why text written like a date (2026-02-30) is no real date, or None."""
    match = _DATE_RE.fullmatch(text.strip())
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups()[:3])
    if not 1 <= year <= 9999:
        return f"there is no year {year}"
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"{calendar.month_name[month]} {year} has {days} days" if day else "there is no day 0"
    return "there is no such time of day" if match.group(4).strip() else None


def _shown(value: Any, limit: int = 60) -> str:
    """A value as the author typed it, shortened for a one-line message."""
    text = getattr(value, "source", None) or str(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"
