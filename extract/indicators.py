"""Split a printed 绩效指标 cell (a numbered list of indicators) into its items.

The tabular layouts print every project's indicators as one run of text:
``1、1-产出指标；11-数量指标；<name>；实施周期指标值:<target>；年度指标值:<target>。2、…``.
The separators differ between documents and even between rows (；;，, and 。 ;. ;, between
items), and names and targets may themselves contain digits, 、 and semicolons, so the split
leans on the two things every item prints: its number, running 1, 2, 3, …, and the two target
labels. Values stay as printed; only the separators around them are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CYCLE_LABEL = "实施周期指标值"
ANNUAL_LABEL = "年度指标值"

# A printed number followed by a level-1 code and its name ("2、1-产出指标"). Requiring a Chinese
# character after the code keeps a "6、1-2批" inside a target from looking like an item start.
_ITEM_START = re.compile(r"([0-9]+)、(?=\s*[1-4]-\s*[\u4e00-\u9fff])")
_FIELD_SEPARATOR = re.compile(r"\s*[；;，,]\s*")
# What may close a field or an item: ；。 ;. ;, "; ; " and the like, whitespace included. A
# sentence-final 。 of a name or target goes with it, so a cycle target followed by "。；" reads the same as the
# annual target that ends the item with "。". A "." closes only after a semicolon (";."), so a
# printed "待单位补充..." keeps its dots.
_SEPARATOR_CHARS = frozenset("；;，,。")
_DOT_OPENERS = frozenset("；;")
_LEVEL2_CODE = re.compile(r"[0-9]{2}-")


@dataclass(frozen=True)
class SplitItem:
    start: int  # char offset in the input where the item starts (its printed number)
    item_no: int  # the printed number (1, 2, …)
    level1: str | None  # as printed, e.g. "1-产出指标"
    level2: str | None  # as printed, e.g. "11-数量指标"
    indicator_name: str | None
    cycle_target: str | None  # text after 实施周期指标值:, separators and colon stripped
    annual_target: str | None  # text after 年度指标值:
    item_text: str  # the item exactly as printed, trailing item separator removed


def split_indicator_text(text: str | None) -> list[SplitItem]:
    """Split a numbered indicator list into items; [] for None or blank text.

    Raises ValueError, naming the character offset, when the text can't be split faithfully:
    text before item 1, numbering that breaks off, an item without both target labels.
    """
    if text is None or not text.strip():
        return []
    starts, skipped = _item_starts(text)
    first_char = len(text) - len(text.lstrip())
    if not starts:
        raise ValueError(
            f"offset {first_char}: no numbered indicator item (1、 followed by a level-1 code "
            f"such as 1-产出指标) in {_excerpt(text, first_char)!r}"
        )
    if starts[0] != first_char:
        raise ValueError(
            f"offset {first_char}: text before item 1 (item 1 starts at offset {starts[0]}): "
            f"{_excerpt(text, first_char)!r}"
        )
    ends = starts[1:] + [len(text)]
    return [
        _parse_item(text, start, end, item_no, [s for s in skipped if start < s < end])
        for item_no, (start, end) in enumerate(zip(starts, ends), start=1)
    ]


def _item_starts(text: str) -> tuple[list[int], list[int]]:
    """Offsets of the numbers that run 1, 2, 3, …, and of the numbered starts passed over."""
    starts: list[int] = []
    skipped: list[int] = []
    for match in _ITEM_START.finditer(text):
        if int(match.group(1)) == len(starts) + 1:
            starts.append(match.start())
        else:
            skipped.append(match.start())
    return starts, skipped


def _parse_item(text: str, start: int, end: int, item_no: int, skipped: list[int]) -> SplitItem:
    item_text = _without_trailing_separators(text[start:end])
    cycle_at = _label_position(item_text, CYCLE_LABEL, start, item_no, text, skipped)
    annual_at = _label_position(item_text, ANNUAL_LABEL, start, item_no, text, skipped)
    if annual_at < cycle_at:
        raise ValueError(
            f"offset {start + annual_at}: item {item_no} prints {ANNUAL_LABEL} before "
            f"{CYCLE_LABEL} (offset {start + cycle_at})"
        )
    number_end = item_text.index("、") + 1
    level1, level2, name = _split_head(item_text[number_end:cycle_at])
    return SplitItem(
        start=start,
        item_no=item_no,
        level1=level1,
        level2=level2,
        indicator_name=name,
        cycle_target=_value(item_text[cycle_at + len(CYCLE_LABEL) : annual_at]),
        annual_target=_value(item_text[annual_at + len(ANNUAL_LABEL) :]),
        item_text=item_text,
    )


def _label_position(
    item_text: str, label: str, start: int, item_no: int, text: str, skipped: list[int]
) -> int:
    """Where the item's one `label` is; two of them mean two items were read as one."""
    found = item_text.find(label)
    if found < 0:
        raise ValueError(
            f"offset {start}: item {item_no} has no {label} label: {_excerpt(text, start)!r}"
        )
    second = item_text.find(label, found + len(label))
    if second >= 0:
        cause = (
            f"numbering broken: item {item_no + 1} expected, but "
            f"{_excerpt(text, skipped[0], 4)!r} printed at offset {skipped[0]}"
            if skipped
            else "an item boundary is missing"
        )
        raise ValueError(
            f"offset {start + second}: item {item_no} (offset {start}) has a second {label} "
            f"label; {cause}"
        )
    return found


def _split_head(head: str) -> tuple[str | None, str | None, str | None]:
    """The level-1, level-2 and indicator name printed before the targets."""
    level1, rest = _split_first_field(_strip(head))
    if not _LEVEL2_CODE.match(rest):
        return _none_if_empty(level1), None, _none_if_empty(rest)
    level2, name = _split_first_field(rest)
    return _none_if_empty(level1), _none_if_empty(level2), _none_if_empty(name)


def _split_first_field(printed: str) -> tuple[str, str]:
    parts = _FIELD_SEPARATOR.split(printed, maxsplit=1)
    return parts[0], parts[1] if len(parts) > 1 else ""


def _value(printed: str) -> str | None:
    return _none_if_empty(_strip(_without_leading_colon(printed)))


def _strip(printed: str) -> str:
    return _without_trailing_separators(printed).strip()


def _without_trailing_separators(printed: str) -> str:
    # A loop from the end rather than a "…+$" regex, which tries a match at every position of
    # the text and, run a few times per item, took a fifth of all the parsing.
    end = len(printed)
    while end:
        char = printed[end - 1]
        if not (
            char in _SEPARATOR_CHARS
            or char.isspace()
            or (char == "." and end > 1 and printed[end - 2] in _DOT_OPENERS)
        ):
            break
        end -= 1
    return printed[:end]


def _without_leading_colon(printed: str) -> str:
    """Drop the whitespace, one ":" or "：", and whitespace again that open a target."""
    rest = printed.lstrip()
    return rest[1:].lstrip() if rest[:1] in (":", "：") else rest


def _none_if_empty(value: str) -> str | None:
    return value or None


def _excerpt(text: str, offset: int, length: int = 30) -> str:
    return text[offset : offset + length]
