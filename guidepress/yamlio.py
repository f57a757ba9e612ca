"""Load YAML while remembering the line each key and item came from.

Every source is untrusted, so loading is bounded and never raises: an alias bomb, a
structure nested too deep, an invisible control character, a key that is a list, a number
too long to read, or anything else YAML cannot construct becomes a located `Problem`.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import Problem

#: Lists and mappings may be nested this deep, aliases included (real sources use under ten).
MAX_DEPTH = 50
#: Aliases (*name) may add at most this many values to a file once they are expanded.
MAX_ALIAS_VALUES = 100_000
#: A number may be written with at most this many characters (Python refuses 4,300 digits).
MAX_NUMBER_CHARS = 300
#: Values (every scalar, list and mapping) in one YAML file. The pure-Python parser takes
#: about 36 microseconds a value, so the limit keeps one file under two seconds; the shipped
#: glossary's largest file holds 384, and 50,000 is room for some 2,000 terms.
MAX_VALUES = 50_000

_MERGE_TAG = "tag:yaml.org,2002:merge"
#: Line and paragraph separators and NEL: YAML breaks lines there, editors do not.
_HIDDEN_BREAKS = re.compile("[\x85\u2028\u2029]")
_TAG_MISFIT = "the tag in front of this value (!!...) does not fit it: remove the tag"


class LineDict(dict):
    """A mapping that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        """Return the line of `key`, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence that knows its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        """Return the line of item `index`."""
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _Typed:
    """A number that remembers how it was written, as YAML read it."""

    source: str

    def __new__(cls, value, source: str | None = None):
        number = super().__new__(cls, value)
        number.source = str(value) if source is None else source
        return number


class YamlInt(_Typed, int):
    """A whole number that remembers how it was written (`0x1F`, `1_000`, `010`)."""


class YamlFloat(_Typed, float):
    """A number with a decimal point that remembers how it was written (`1.10`)."""


class NotADate(str):
    """Text that YAML takes for a date but is no real date (2026-02-30); kept as typed."""


class _Stop(Exception):
    """A limit was reached or a value cannot be read: one located problem ends the load."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class _Loader(yaml.SafeLoader):
    """A safe loader that records marks, bounds depth and reports key problems."""

    def __init__(self, stream: str, line_offset: int = 0) -> None:
        super().__init__(stream)
        self._offset = line_offset
        self._depth = 0
        self._values = 0
        # (line, col, message) of problems that leave the rest of the file readable
        self._problems: list[tuple[int, int, str]] = []
        self._aliases: list[tuple[str, Any, Node]] = []  # (name, where it is used, its node)
        self._merged: dict[Node, int] = {}  # mapping node -> how many of its pairs are merged

    def _where(self, mark: Any) -> tuple[int, int]:
        """A mark's line (the offset added) and column, both 1-based. YAML counts lines as
        editors do: LF, CRLF and CR, once load_yaml has refused U+0085, U+2028 and U+2029."""
        return mark.line + 1 + self._offset, mark.column + 1

    def _line(self, mark: Any) -> int:
        return self._where(mark)[0]

    def _note(self, node: Node, message: str) -> None:
        self._problems.append((*self._where(node.start_mark), message))

    # Composing: the tree of nodes, with aliases pointing at their anchor's node.

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        self._values += 1
        if self._values > MAX_VALUES:  # stops the scanner too: its work is what takes time
            raise _Stop(self.peek_event().start_mark, _too_many())
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            node = super().compose_node(parent, index)
            self._aliases.append((event.anchor, event.start_mark, node))
            return node
        if self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent):
            if self._depth >= MAX_DEPTH:
                raise _Stop(self.peek_event().start_mark, _too_deep())
            self._depth += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1
        return super().compose_node(parent, index)

    # Constructing: Python values from the nodes.

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (_Stop, yaml.YAMLError):
            raise
        except Exception as exc:  # the backstop: a value no constructor could build
            # Python's own words ("unhashable type: 'list'") mean nothing to an author.
            reason = " (a list or a mapping cannot be a key)" \
                if isinstance(exc, TypeError) and "unhashable" in str(exc) else ""
            raise _Stop(node.start_mark, f"this value cannot be read{reason}; "
                                         "check it for a typo, or put it in quotes") from exc

    def flatten_mapping(self, node: MappingNode) -> None:
        if node in self._merged:
            return
        own = sum(1 for key_node, _ in node.value if key_node.tag != _MERGE_TAG)
        super().flatten_mapping(node)
        self._merged[node] = len(node.value) - own

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> LineDict:
        if not isinstance(node, MappingNode):  # `!!map [1, 2]`, `!!set [1]`
            raise _Stop(node.start_mark, _TAG_MISFIT)
        self.flatten_mapping(node)
        merged = self._merged.get(node, 0)
        result = LineDict()
        result.line = self._line(node.start_mark)
        result.key_lines = {}
        own_keys: set[str] = set()
        for index, (key_node, value_node) in enumerate(node.value):
            if not isinstance(key_node, ScalarNode):
                self._note(key_node, "keys must be plain words, not lists or mappings: "
                                     "write each key as a word followed by a colon, like title:")
                continue
            key = key_node.value  # a key is always the text as typed: `yes:` is 'yes'
            if index < merged:  # from <<: *base; the first base to give a key wins
                if key in result:
                    continue
            elif key in own_keys:
                self._problems.append((*self._where(key_node.start_mark),
                                       f"duplicate key '{key}'"))
            else:  # a key of the mapping's own overrides a merged one, on purpose
                own_keys.add(key)
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = self._line(key_node.start_mark)
        return result

    def construct_sequence(self, node: SequenceNode, deep: bool = False) -> LineList:
        if not isinstance(node, SequenceNode):  # `!!seq {a: 1}`
            raise _Stop(node.start_mark, _TAG_MISFIT)
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.line = self._line(node.start_mark)
        result.item_lines = [self._line(child.start_mark) for child in node.value]
        return result

    def construct_yaml_int(self, node: ScalarNode) -> Any:
        if len(node.value) > MAX_NUMBER_CHARS:
            return self._too_long(node)
        try:
            value = super().construct_yaml_int(node)
        except (ValueError, IndexError):  # only with a tag: `!!int abc`
            return self._not_a_number(node)
        try:
            str(value)  # 0x followed by thousands of digits reads, but cannot be printed
        except ValueError:
            return self._too_long(node)
        return YamlInt(value, node.value)

    def construct_yaml_float(self, node: ScalarNode) -> Any:
        if len(node.value) > MAX_NUMBER_CHARS:
            return self._too_long(node)
        try:
            return YamlFloat(super().construct_yaml_float(node), node.value)
        except (ValueError, IndexError):  # only with a tag: `!!float abc`
            return self._not_a_number(node)

    def _not_a_number(self, node: ScalarNode) -> str:
        self._note(node, f"'{node.value[:40]}' is not a number: correct it, or remove the "
                        f"tag in front of it")
        return node.value

    def _too_long(self, node: ScalarNode) -> str:
        digits = sum(c.isdigit() for c in node.value)
        self._note(node, f"a number may have at most {MAX_NUMBER_CHARS} digits and this one has "
                        f"{digits:,}: put it in quotes if it is text")
        return node.value

    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError, AttributeError):
            # 2026-02-30 looks like a date but is none: keep the text, and let the schema
            # say so where a date is wanted (it knows the key).
            return NotADate(node.value)


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def load_yaml(text: str, path: str, line_offset: int = 0) -> tuple[Any, list[Problem]]:
    """Parse `text`; return the data and the problems, each located in `path`.

    `line_offset` is added to every line, for YAML embedded in a larger file
    such as a guide's front matter. Never raises: whatever is wrong is a problem.
    """
    breaks = _HIDDEN_BREAKS.search(text)
    if breaks:  # YAML would end a line there, where no editor shows one
        return None, [_bad_character(text, breaks.start(), ord(breaks.group()), path,
                                     line_offset)]
    try:
        loader = _Loader(text, line_offset)
    except yaml.reader.ReaderError as exc:  # raised while the loader checks the characters
        code = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or "\0")
        return None, [_bad_character(text, exc.position, code, path, line_offset)]
    try:
        node = loader.get_single_node()
        data = None
        if node is not None:
            _check_expansion(node, loader._aliases)
            data = loader.construct_document(node)
    except _Stop as exc:
        return None, [Problem(path, *loader._where(exc.mark), exc.message)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        reason = _reason(exc)
        if reason == "mapping values are not allowed here" and mark is not None:
            reason = _colon_in_text(text, mark.line)
        if mark is None:
            return None, [Problem(path, 1 + line_offset, None, f"invalid YAML: {reason}")]
        return None, [Problem(path, *loader._where(mark), f"invalid YAML: {reason}")]
    except Exception as exc:  # the last backstop (RecursionError, MemoryError, ...)
        why = {RecursionError: "it nests too deeply", MemoryError: "it is too big"}.get(
            type(exc), "its structure is too unusual")
        return None, [Problem(path, 1 + line_offset, None,
                              f"this YAML cannot be read ({why}); "
                              "simplify it or write it as plain keys and values")]
    finally:
        loader.dispose()
    problems = [Problem(path, line, col, message) for line, col, message in loader._problems]
    return data, problems


def _colon_in_text(text: str, line: int) -> str:
    """Say how to quote a value that holds ': ' (YAML reads it as the start of a key)."""
    source = text.split("\n")[line] if line < len(text.split("\n")) else ""
    key, _, value = source.strip().lstrip("- ").partition(":")
    value = value.strip().replace("\\", "\\\\").replace('"', '\\"')
    example = f'{key.strip()}: "{value}"' if key.strip() and value else 'key: "text: more text"'
    if len(example) > 70:
        example = example[:66] + '..."'
    return ("a colon followed by a space here makes YAML start a new key; if the colon is part "
            f"of the text, put the whole text in quotes, like {example}")


def _too_many() -> str:
    return (f"this file holds more than {MAX_VALUES:,} values (the limit for one YAML "
            "file): split it into smaller files")


def _too_deep() -> str:
    return (f"lists and mappings are nested more than {MAX_DEPTH} levels deep here "
            "(the limit): use fewer levels")


def _reason(exc: yaml.YAMLError) -> str:
    """YAML's own words for a problem, put plainly where we can."""
    reason = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None) or ""
    if context.startswith("found duplicate anchor"):
        name = context.split("'")[1] if "'" in context else ""
        return f"the anchor &{name} is defined twice: give each anchor its own name"
    if context.startswith("expected a single document"):
        return "a line '---' starts a second YAML document here: keep one document per file"
    if "'\\t' that cannot start any token" in reason:
        return "a tab cannot indent YAML: indent with spaces instead"
    if reason.startswith("could not determine a constructor for the tag"):
        tag = reason.rsplit(" ", 1)[-1]
        return f"the tag {tag} is not supported: remove it"
    return reason


def _bad_character(text: str, position: int, code: int, path: str, line_offset: int) -> Problem:
    """The invisible or control character YAML refuses, at its line and column."""
    position = min(max(position, 0), len(text))
    line = text.count("\n", 0, position) + 1 + line_offset
    col = position - (text.rfind("\n", 0, position) + 1) + 1
    return Problem(path, line, col, f"the invisible character U+{code:04X} is not allowed "
                                    "here: delete it (it often comes in with copy and paste)")


def _check_expansion(root: Node, aliases: list[tuple[str, Any, Node]]) -> None:
    """Refuse aliases that loop or that expand too far (a "billion laughs"), and nesting
    that aliases make too deep; every node is visited once, however often it is reused."""
    size: dict[Node, int] = {}
    depth: dict[Node, int] = {}
    cap = 10 ** 12  # sizes beyond this are all "too many"; keeps the sums small
    unique = 0
    stack: list[tuple[Node, bool]] = [(root, False)]
    open_nodes: set[Node] = set()
    while stack:
        node, children_done = stack.pop()
        kids = _children(node)
        if children_done:
            open_nodes.discard(node)
            size[node] = min(cap, 1 + sum(size[k] for k in kids))
            depth[node] = (1 + max((depth[k] for k in kids), default=0)
                           if not isinstance(node, ScalarNode) else 0)
            continue
        if node in size:
            continue
        if node in open_nodes:  # reached again while its own children are being counted
            name = next((n for n, _, target in aliases if target is node), "")
            mark = next((m for n, m, target in aliases if target is node), node.start_mark)
            raise _Stop(mark, f"the alias *{name} is used inside its own anchor &{name}, "
                              "so it never ends: remove that alias")
        open_nodes.add(node)
        unique += 1
        stack.append((node, True))
        stack.extend((k, False) for k in kids if k not in size)
    if depth[root] > MAX_DEPTH:
        node = root
        for _ in range(MAX_DEPTH):
            node = max(_children(node), key=lambda k: depth[k])
        raise _Stop(node.start_mark, _too_deep())
    if size[root] - unique > MAX_ALIAS_VALUES:
        name, mark, _ = max(aliases, key=lambda a: size[a[2]])
        raise _Stop(mark, f"the aliases here (*{name}) would expand to more than "
                          f"{MAX_ALIAS_VALUES:,} repeated values (the limit): write the values "
                          "out, or use fewer aliases")


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []
