"""The header vocabulary: which field a printed label means, in every template of the family.

Templates print the same field under different labels (三级指标 / 指标内容 / 指标名称; 资金使用单位 /
实施单位 / 用款单位). The labels live in one seed, `seeds/header_vocabulary.csv` (label, field,
section); a new variant is a few rows there. A label is compared after the printing noise is
taken off: whitespace and line breaks inside the cell, half- and full-width brackets and colons,
a leading number ("1.", "（一）"), a leading 其中：, and trailing bracketed remarks — the amount
unit among them (预算金额（万元）), which is kept as the label's unit.

A section says where a label means its field: 预算金额 is a project's amount in a form but a key
task's amount in 年度重点工作任务, so a reader asks only the sections of the block it is in.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from extract.records import ExtractError

SEED = Path(__file__).resolve().parent.parent / "seeds" / "header_vocabulary.csv"

_SPACE = re.compile(r"\s+")
_WIDTH = str.maketrans({"(": "（", ")": "）", ":": "：", "／": "/"})
# The characters squeeze() may write where the text had another one.
_SQUEEZED_INTO = frozenset("（）：/")
_NUMBERING = re.compile(r"^(?:\d+[.、．]|[（][一二三四五六七八九十\d]+[）]、?|[一二三四五六七八九十]+、)")
_PART_OF = re.compile(r"^其中[：:]?")
_UNIT = re.compile(r"^(?P<unit>[万千]?元)$")
_TRAILING_GROUP = re.compile(r"（[^（）]*(?:（[^（）]*）[^（）]*)*）$")


@dataclass(frozen=True)
class Label:
    """A printed label, read."""

    printed: str  # as printed, stripped
    key: str  # what is looked up in the vocabulary
    amount_unit: str | None  # 万元 / 元 from a bracketed unit in the label
    part_of_above: bool  # 其中：… — a part of the item above, not an item of its own


def squeeze(text: str) -> str:
    """The text without whitespace, brackets and colons in full width."""
    return _SPACE.sub("", text).translate(_WIDTH)


def marker_pattern(keys: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern of one character of each key, one squeeze() never writes in place of another;
    None when a key has none (or there are no keys). A text it finds nothing in contains none of
    the keys once squeezed: a test cheap enough to run on every row before squeezing the few
    that pass it."""
    markers = set()
    for key in keys:
        kept = [char for char in key if char not in _SQUEEZED_INTO and not char.isspace()]
        if not kept:
            return None
        markers.add(kept[-1])
    return re.compile(f"[{re.escape(''.join(sorted(markers)))}]") if markers else None


def read_label(text: str) -> Label:
    squeezed = squeeze(text).rstrip("：")
    part_of = bool(_PART_OF.match(squeezed))
    key = _PART_OF.sub("", squeezed)
    key = _NUMBERING.sub("", key)
    return Label(printed=text.strip(), key=key, amount_unit=_unit_of(key), part_of_above=part_of)


def _unit_of(key: str) -> str | None:
    for group in _trailing_groups(key):
        unit = _UNIT.match(group[1:-1])
        if unit:
            return unit["unit"]
    return None


def _trailing_groups(key: str) -> list[str]:
    groups = []
    while match := _TRAILING_GROUP.search(key):
        groups.append(match.group())
        key = key[: match.start()]
    return groups


def _candidates(key: str) -> list[str]:
    """The key, then the key without each trailing bracketed remark in turn (全年预算数（A）（…）)."""
    candidates = [key]
    while match := _TRAILING_GROUP.search(key):
        key = key[: match.start()]
        if key:
            candidates.append(key)
    return candidates


@dataclass(frozen=True)
class FieldMatch:
    field: str
    section: str
    label: Label


@dataclass(frozen=True)
class HeaderMap:
    """The fields a header row's cells name, by column, and the cells that name none."""

    columns: dict[int, FieldMatch]
    unmapped: list[tuple[int, str]]  # (column, text as printed)

    @property
    def fields(self) -> dict[str, int]:
        """Each field's first column."""
        first: dict[str, int] = {}
        for column in sorted(self.columns):
            first.setdefault(self.columns[column].field, column)
        return first

    def describe(self) -> str:
        """The header as found, for an error a user can act on."""
        found = ", ".join(
            f"{match.label.printed!r}→{match.field}" for _, match in sorted(self.columns.items())
        )
        missing = ", ".join(repr(text) for _, text in self.unmapped)
        return f"header cells mapped: {found or 'none'}; not in the vocabulary: {missing or 'none'}"


class Vocabulary:
    def __init__(self, rows: Iterable[tuple[str, str, str]]) -> None:
        self._by_section: dict[str, dict[str, str]] = {}
        for label, field_name, section in rows:
            key = read_label(label).key
            known = self._by_section.setdefault(section, {})
            if known.get(key, field_name) != field_name:
                raise ValueError(
                    f"header vocabulary: label {label!r} means both {known[key]} and "
                    f"{field_name} in section {section}"
                )
            known[key] = field_name
        # Templates print the same labels form after form, and each is asked about many times:
        # a label is read once per text and sections.
        self._cached_match = functools.lru_cache(maxsize=1 << 16)(self._match)

    @property
    def sections(self) -> tuple[str, ...]:
        return tuple(self._by_section)

    def keys(self, section: str) -> frozenset[str]:
        """The labels of a section as looked up (read_label(…).key)."""
        return frozenset(self._by_section.get(section, {}))

    def fields(self, section: str) -> frozenset[str]:
        return frozenset(self._by_section.get(section, {}).values())

    def match(self, text: str, sections: Sequence[str]) -> FieldMatch | None:
        """The field the label means in the first of these sections that knows it."""
        return self._cached_match(text, tuple(sections))

    def _match(self, text: str, sections: tuple[str, ...]) -> FieldMatch | None:
        label = read_label(text)
        if not label.key:
            return None
        for candidate in _candidates(label.key):
            for section in sections:
                field_name = self._by_section.get(section, {}).get(candidate)
                if field_name:
                    return FieldMatch(field_name, section, label)
        return None

    def header(self, cells: Iterable[tuple[int, str]], sections: Sequence[str]) -> HeaderMap:
        """Map a header row's (column, text) cells to fields; empty cells are skipped."""
        columns: dict[int, FieldMatch] = {}
        unmapped: list[tuple[int, str]] = []
        for column, text in cells:
            if not text.strip():
                continue
            match = self.match(text, sections)
            if match:
                columns[column] = match
            else:
                unmapped.append((column, text.strip()))
        return HeaderMap(columns, unmapped)


def load_vocabulary(path: Path = SEED) -> Vocabulary:
    try:
        with path.open(encoding="utf-8", newline="") as file:
            rows = [(row["label"], row["field"], row["section"]) for row in csv.DictReader(file)]
        return Vocabulary(rows)
    except (OSError, KeyError, ValueError) as error:
        raise ExtractError(f"header vocabulary can't be read: {error}", source_file=str(path)) from None


@functools.cache
def vocabulary() -> Vocabulary:
    return load_vocabulary()
