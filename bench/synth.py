"""Synthetic corpora for benchmarks: N times the bundled corpus, in all three layouts.

`generate_corpus(scale, seed, out)` writes documents that look like the five bundled ones because
they are made of them: every project name, goal text, indicator (name and targets) and form text
comes from a real row of `data/documents/`, read through the real extractor. What varies is the
recombination: departments (fictional counties of real and invented cities), spending units,
districts in the texts, years, amounts, which projects a unit has and which indicators a project
lists. The printed subtotals and grand totals are computed from the printed project amounts, so
every document reconciles exactly (no rounding drift at all).

Shape of a corpus of scale N: N "slots" of five documents, one per template, mirroring the
bundled documents' sizes and quirks:

| template  | like the bundled            | layout    | projects | quirks                            |
|-----------|-----------------------------|-----------|----------|-----------------------------------|
| city      | 2026 Guangzhou (17 units)   | tsv_table | ~240     | page headers, <p> pages, rows that lost an empty column |
| district  | 2023 Tianhe (5 units)       | tsv_table | ~27      | no year in the title (catalog), header on every page, comma-separated indicators |
| paragraph | 2025 Panyu (本级)            | tsv_table | ~23      | 单位名称, <p> goal cells, blank-line page breaks |
| pdf       | 2024 Huadu (本级)            | pdf_text  | ~47      | every cell wrapped, page furniture repeated mid-row, single-source amounts (catalog hint) |
| forms     | 2024 Wuchuan                | forms     | ~13      | unit overview + one form per project, amounts in 元, merged-cell variants |

That is ~350 projects and ~1,800 indicators per unit of scale, like the bundled corpus. A
department publishes one document a year: slot k's template t is fiscal year 2023 + (k + t) % 4
of department (t, (k + t) // 4), so every department appears in up to four consecutive years with
mostly the same units and projects (year-over-year marts have something to compare) and N = 1
already covers the four years.

Deterministic: the same (scale, seed) gives byte-identical files; every document depends only on
the seed and its own position, so a corpus of scale N is a prefix of the corpus of scale N + 1.
"""

from __future__ import annotations

import argparse
import functools
import math
import random
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DOCUMENTS = PROJECT_ROOT / "data" / "documents"
CATALOG_FILE = "catalog.toml"
YEARS = (2023, 2024, 2025, 2026)
TEMPLATES = ("city", "district", "paragraph", "pdf", "forms")
LAYOUT_OF = {
    "city": "tsv_table",
    "district": "tsv_table",
    "paragraph": "tsv_table",
    "pdf": "pdf_text",
    "forms": "forms",
}
# Mean projects per document of each template (the bundled documents: 244, 27, 23, 47, 13).
_PROJECTS = {"city": 240, "district": 27, "paragraph": 23, "pdf": 47, "forms": 13}
_UNITS = {"city": (12, 18), "district": (3, 6), "paragraph": (1, 1), "pdf": (1, 1), "forms": (1, 1)}

CENT = Decimal("0.01")
_TSV_HEADER = "项目名称（资金使用单位）\t总计\t财政拨款\t财政专户拨款\t其他资金\t绩效目标\t绩效指标"
_TITLE_TAIL = "项目支出绩效目标表（含转移支付项目）"
_BUREAU = "人力资源和社会保障局"

# Indicator categories: code → as printed in tables (level 1) and in forms.
_L1_TABLE = {1: "1-产出指标", 2: "2-效益指标", 3: "3-满意度指标", 4: "4-成本指标"}
_L1_FORM = {1: "产出指标", 2: "效益指标", 3: "满意度指标", 4: "成本指标"}
_L2_FORM = {
    11: "数量指标", 12: "质量指标", 13: "时效指标", 14: "成本指标",
    21: "经济效益指标", 22: "社会效益指标", 23: "生态效益指标", 24: "可持续影响指标",
    31: "服务对象满意度指标",
    41: "经济成本指标", 42: "社会成本指标", 43: "生态环境成本指标",
}
_L2_CODE_OF_FORM = {name: code for code, name in _L2_FORM.items()}

# Places. The bundled texts name these; a synthetic document names its own instead.
_REAL_CITIES = (
    "广州", "深圳", "珠海", "汕头", "佛山", "韶关", "河源", "梅州", "惠州", "汕尾", "东莞",
    "中山", "江门", "阳江", "湛江", "茂名", "肇庆", "清远", "潮州", "揭阳", "云浮",
)
_SOURCE_CITIES = ("广州", "湛江")
_SOURCE_HOME_COUNTIES = ("天河", "花都", "番禺", "吴川")
_GUANGZHOU_DISTRICTS = (
    "越秀", "海珠", "荔湾", "天河", "白云", "黄埔", "番禺", "花都", "南沙", "从化", "增城",
)
_PLACE_FIRST = "东西南北中新清安平金龙凤云丰永长兴华宁和德福庆隆嘉富泰高连怀封开恩阳信鹤蕉紫乐仁英翁始陆海"
_PLACE_SECOND = "山江河湖城林源州平安宁田溪岭浦塘湾门川洲台坪沙圳岗口水德昌顺丰会远"

# What the parsers take for structure, so generated text must never look like it.
_ITEM_START_LIKE = re.compile(r"[0-9]+、\s*[1-4]-\s*[\u4e00-\u9fff]")
_LIST_START = re.compile(r"1、[1-9]-\D")
_PDF_AMOUNTS = re.compile(
    r"-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+(?:\s+-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+)*"
)
_PLAIN_AMOUNT = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_PDF_FURNITURE_STARTS = ("项目名称", "部门名称", "单位名称", "单位：", "单位:", "合计", "总计")
_TRAILING_SEPARATORS = re.compile(r"[\s；;，,。.]+$")
_LEADING_SEPARATORS = re.compile(r"^[\s:：；;，,。]+")
_WHITESPACE = re.compile(r"\s+")
_YEAR_IN_TEXT = re.compile(r"(?<![\d.])20(2[2-9])(?![\d.])")


# --------------------------------------------------------------------------------------------
# Summary


@dataclass(frozen=True)
class DocumentSummary:
    source_file: str
    template: str
    layout: str
    department_name: str
    fiscal_year: int
    units: int
    projects: int
    indicators: int  # project indicators (a forms document's unit-overview indicators not counted)
    bytes: int
    lines: int


@dataclass(frozen=True)
class CorpusSummary:
    scale: int
    seed: int
    out: Path
    documents: tuple[DocumentSummary, ...]

    @property
    def projects(self) -> int:
        return sum(doc.projects for doc in self.documents)

    @property
    def indicators(self) -> int:
        return sum(doc.indicators for doc in self.documents)

    @property
    def bytes(self) -> int:
        return sum(doc.bytes for doc in self.documents)

    @property
    def departments(self) -> int:
        return len({doc.department_name for doc in self.documents})

    def by_layout(self) -> dict[str, int]:
        return dict(sorted(Counter(doc.layout for doc in self.documents).items()))

    def by_year(self) -> dict[int, int]:
        return dict(sorted(Counter(doc.fiscal_year for doc in self.documents).items()))

    def to_dict(self) -> dict:
        return {
            "scale": self.scale,
            "seed": self.seed,
            "out": str(self.out),
            "documents": len(self.documents),
            "departments": self.departments,
            "projects": self.projects,
            "indicators": self.indicators,
            "bytes": self.bytes,
            "by_layout": self.by_layout(),
            "by_year": {str(year): count for year, count in self.by_year().items()},
        }


# --------------------------------------------------------------------------------------------
# The pool: real rows of the bundled documents


@dataclass(frozen=True)
class Item:
    level1: int  # 1 产出, 2 效益, 3 满意度, 4 成本
    level2: int  # 11, 12, …, 31, 41, …
    name: str
    cycle: str  # 实施周期指标值
    annual: str  # 年度指标值


@dataclass(frozen=True)
class Seed:
    """A real project: the texts a synthetic project is made of."""

    name: str
    goal: str | None
    items: tuple[Item, ...]
    amount: Decimal  # 万元
    year: int
    role: str  # its unit's role ("劳动就业服务管理中心"), "" for the department itself
    summary: str | None  # forms only
    sources: tuple[bool, bool, bool]  # which of 财政拨款, 财政专户拨款, 其他资金 it printed


@dataclass(frozen=True)
class Pool:
    seeds: tuple[Seed, ...]
    by_role: dict[str, tuple[int, ...]]  # role → seed indices
    roles: tuple[str, ...]  # unit roles other than the department itself
    items_by_level2: dict[int, tuple[Item, ...]]
    l2_table: dict[int, str]  # level-2 code → as printed in tables ("21-经济效益")
    summaries: tuple[str, ...]
    unit_goal: str
    unit_items: tuple[Item, ...]
    staff: int


def _clean(text: str | None) -> str:
    return _WHITESPACE.sub(" ", text or "").strip()


def _squeezed(text: str | None) -> str:
    return _WHITESPACE.sub("", text or "")


def _clean_value(text: str | None) -> str:
    value = _LEADING_SEPARATORS.sub("", _clean(text))
    return _TRAILING_SEPARATORS.sub("", value)


def _usable(*texts: str) -> bool:
    return all(
        text
        and len(text) <= 80
        and "指标值" not in text
        and not _ITEM_START_LIKE.search(text)
        and not _PLAIN_AMOUNT.fullmatch(text)
        for text in texts
    )


def _table_item(item) -> Item | None:
    if not item.level1 or not item.level2:
        return None
    try:
        level1 = int(item.level1.split("-", 1)[0])
        level2 = int(item.level2.split("-", 1)[0])
    except ValueError:
        return None
    if level2 // 10 != level1 or level1 not in _L1_TABLE:
        return None  # level 2 under the wrong level 1: a source quirk, not copied
    return _item(level1, level2, item)


def _form_item(item) -> Item | None:
    level2 = _L2_CODE_OF_FORM.get(_squeezed(item.level2))
    if level2 is None:
        return None
    return _item(level2 // 10, level2, item)


def _item(level1: int, level2: int, item) -> Item | None:
    name = _clean_value(item.indicator_name)
    annual = _clean_value(item.annual_target)
    cycle = _clean_value(item.cycle_target) or annual
    if not _usable(name, annual, cycle):
        return None
    return Item(level1, level2, name, cycle, annual)


def _amount_of(printed: str | None) -> Decimal:
    if not printed:
        return Decimal(0)
    text = printed.replace(",", "")
    if text.endswith("元"):
        value = Decimal(re.sub(r"[万千]?元$", "", text))
        return value / 10000 if not text.endswith("万元") else value
    return Decimal(text)


def _role(unit_name: str, department: str) -> str:
    """A unit's name without its place: 广州市天河区劳动就业服务管理中心 → 劳动就业服务管理中心."""
    if _squeezed(unit_name) == _squeezed(department):
        return ""
    name = _squeezed(unit_name)
    for place in ("广州市天河区", "广州市花都区", "广州市番禺区", "广州市", "吴川市"):
        if name.startswith(place):
            return name[len(place):]
    return name


@functools.lru_cache(maxsize=4)
def load_pool(documents: Path = BUNDLED_DOCUMENTS) -> Pool:
    """Read the bundled documents through the real extractor and keep their usable rows."""
    from extract.catalog import load_catalog
    from extract.document import extract_document
    from extract.records import RowKind

    catalog = load_catalog(documents)
    seeds: list[Seed] = []
    roles: list[str] = []
    l2_printed: dict[int, Counter] = {}
    summaries: list[str] = []
    unit_goal = ""
    unit_items: list[Item] = []
    staff = 75
    for path in sorted(documents.glob("*.txt")):
        doc = extract_document(path, catalog.get(path.name))
        parsed = doc.parsed
        forms = parsed.layout == "forms"
        items_of: dict[int, list[Item]] = {}
        for raw in parsed.indicators:
            item = _form_item(raw) if forms else _table_item(raw)
            if item is None:
                continue
            items_of.setdefault(raw.project_source_line, []).append(item)
            if not forms:
                l2_printed.setdefault(item.level2, Counter())[raw.level2] += 1
        for row in parsed.rows:
            if row.row_kind is RowKind.UNIT:
                role = _role(row.name, doc.department_name)
                if role and role not in roles:
                    roles.append(role)
            if row.row_kind is not RowKind.PROJECT:
                continue
            name = _squeezed(row.name)
            goal = _clean(row.goal_text) or None
            if goal and (_LIST_START.match(goal) or _PLAIN_AMOUNT.fullmatch(goal)):
                goal = None
            items = tuple(items_of.get(row.source_line, ()))
            amount = _amount_of(row.annual_amount or row.total)
            if not name or amount <= 0 or not (goal or items):
                continue
            summary = _clean(row.summary) or None
            if forms and summary:
                summaries.append(summary)
            seeds.append(
                Seed(
                    name=name,
                    goal=goal,
                    items=items,
                    amount=amount,
                    year=doc.fiscal_year,
                    role=_role(row.unit_name or doc.department_name, doc.department_name),
                    summary=summary,
                    sources=(bool(row.fiscal), bool(row.special_account), bool(row.other)),
                )
            )
        if parsed.unit_indicators:
            unit_items = [item for raw in parsed.unit_indicators if (item := _form_item(raw))]
            for entry in parsed.unit_overview:
                if entry.label == "总体绩效目标" and entry.value:
                    unit_goal = _clean(entry.value)
                if entry.label == "财政供养人员数" and entry.value and entry.value.isdigit():
                    staff = int(entry.value)
    by_role: dict[str, list[int]] = {}
    for index, seed in enumerate(seeds):
        by_role.setdefault(seed.role, []).append(index)
    items_by_level2: dict[int, list[Item]] = {}
    for seed in seeds:
        for item in seed.items:
            items_by_level2.setdefault(item.level2, []).append(item)
    l2_table = {code: printed.most_common(1)[0][0] for code, printed in sorted(l2_printed.items())}
    for code in items_by_level2:
        l2_table.setdefault(code, f"{code}-{_L2_FORM[code].removesuffix('指标')}")
    return Pool(
        seeds=tuple(seeds),
        by_role={role: tuple(indices) for role, indices in by_role.items()},
        roles=tuple(roles),
        items_by_level2={code: tuple(items) for code, items in sorted(items_by_level2.items())},
        l2_table=l2_table,
        summaries=tuple(summaries),
        unit_goal=unit_goal,
        unit_items=tuple(unit_items),
        staff=staff,
    )


# --------------------------------------------------------------------------------------------
# Departments and places


@functools.lru_cache(maxsize=8)
def _place_names(seed: int) -> tuple[str, ...]:
    """Two-character place names in a seeded order (three characters past the two-char ones)."""
    pairs = [a + b for a in _PLACE_FIRST for b in _PLACE_SECOND if a != b]
    random.Random(f"{seed}:places").shuffle(pairs)
    return tuple(pairs)


def _place(seed: int, index: int) -> str:
    names = _place_names(seed)
    if index < len(names):
        return names[index]
    index -= len(names)
    return names[index % len(names)] + _PLACE_SECOND[(index // len(names)) % len(_PLACE_SECOND)]


@dataclass(frozen=True)
class Department:
    template: str
    index: int  # j: the department's number within its template
    name: str
    city: str  # "佛山"
    county: str | None  # "安平区" / "德川市", None for a city bureau
    districts: tuple[str, ...]  # district names the texts may mention (one per Guangzhou district)


def _department(seed: int, template: str, index: int) -> Department:
    rng = random.Random(f"{seed}:department:{template}:{index}")
    t = TEMPLATES.index(template)
    districts = tuple(rng.sample(_place_names(seed), 12))
    if template == "city":
        # Not 广州 itself: a synthetic corpus never names a bundled document's department.
        cities = _REAL_CITIES[1:]
        city = cities[index] if index < len(cities) else _place(seed, index * 5)
        return Department(template, index, f"{city}市{_BUREAU}", city, None, districts)
    city = rng.choice(_REAL_CITIES)
    stem = _place(seed, index * 5 + t)
    if template == "forms":
        county = stem + "市"  # a county-level city, like 吴川市
        return Department(template, index, f"{county}{_BUREAU}", city, county, districts)
    county = stem + rng.choice("区区区县")
    name = f"{city}市{county}{_BUREAU}"
    if template in ("paragraph", "pdf"):
        name += "（本级）"
    return Department(template, index, name, city, county, districts)


class _Places:
    """Rewrites the bundled documents' place names into one department's."""

    def __init__(self, department: Department):
        mapping: dict[str, str] = {}
        districts = department.districts
        for number, district in enumerate(_GUANGZHOU_DISTRICTS):
            mapping[district + "区"] = districts[number] + "区"
            mapping[district] = districts[number]
        mapping["吴川市"] = districts[-1] + "市"
        mapping["吴川"] = districts[-1]
        if department.county:
            stem = department.county[:-1]
            for home in _SOURCE_HOME_COUNTIES:
                mapping[home + ("市" if home == "吴川" else "区")] = department.county
                mapping[home] = stem
        for city in _SOURCE_CITIES:
            mapping[city + "市"] = department.city + "市"
            mapping[city] = department.city
        self._mapping = mapping
        self._pattern = re.compile("|".join(map(re.escape, sorted(mapping, key=len, reverse=True))))

    def __call__(self, text: str) -> str:
        return self._pattern.sub(lambda match: self._mapping[match.group()], text)


def _shift_years(text: str, delta: int) -> str:
    if not delta:
        return text
    return _YEAR_IN_TEXT.sub(lambda match: str(int(match.group()) + delta), text)


# --------------------------------------------------------------------------------------------
# Documents as data


@dataclass
class Project:
    name: str
    goal: str | None
    items: list[Item]
    total: Decimal
    fiscal: Decimal
    special: Decimal
    other: Decimal
    summary: str | None = None
    level: str = "二级项目"


@dataclass
class Unit:
    name: str
    projects: list[Project] = field(default_factory=list)

    def column(self, name: str) -> Decimal:
        return sum((getattr(project, name) for project in self.projects), Decimal(0))


@dataclass
class Document:
    source_file: str
    template: str
    department: Department
    year: int
    units: list[Unit]

    def column(self, name: str) -> Decimal:
        return sum((unit.column(name) for unit in self.units), Decimal(0))


def _money(value: float, floor: Decimal) -> Decimal:
    return max(floor, Decimal(repr(value)).quantize(CENT, rounding=ROUND_HALF_UP))


def _split(rng: random.Random, total: Decimal, pattern: tuple[bool, bool, bool]) -> tuple[Decimal, ...]:
    """Split a total over the funding sources the pattern marks, every part at least 1.00."""
    columns = [index for index, used in enumerate(pattern) if used] or [0]
    if total < Decimal(len(columns)) * 2:
        columns = columns[:1]
    parts = [Decimal(0)] * 3
    remaining = total
    for index in columns[:-1]:
        share = Decimal(repr(rng.uniform(0.15, 0.85 / len(columns) * 2)))
        part = (total * share).quantize(CENT, rounding=ROUND_HALF_UP)
        part = min(max(part, Decimal(1)), remaining - Decimal(1))
        parts[index] = part
        remaining -= part
    parts[columns[-1]] = remaining
    return tuple(parts)


_PATTERNS_CITY = (  # (财政拨款, 财政专户拨款, 其他资金), weights from the 2026 document
    ((True, False, False), 86),
    ((True, False, True), 5),
    ((False, False, True), 4),
    ((True, True, False), 3),
    ((False, True, False), 1),
    ((True, True, True), 1),
)


def _pattern(rng: random.Random, template: str) -> tuple[bool, bool, bool]:
    if template == "city":
        patterns, weights = zip(*_PATTERNS_CITY)
        return rng.choices(patterns, weights)[0]
    if template == "pdf":
        # The PDF text can place 2 amounts (总计 and the catalog's single source) or all 4.
        return (True, True, True) if rng.random() < 0.08 else (True, False, False)
    if template == "district":
        return (True, False, False) if rng.random() < 0.93 else (True, False, True)
    return (True, False, False)


def _items_for(rng: random.Random, pool: Pool, seed: Seed) -> list[Item]:
    items = list(seed.items)
    for position, item in enumerate(items):
        if rng.random() < 0.3:
            items[position] = rng.choice(pool.items_by_level2[item.level2])
    if items and rng.random() < 0.4:
        extra = rng.choice(pool.items_by_level2[rng.choice(list(pool.items_by_level2))])
        items.insert(rng.randrange(len(items) + 1), extra)
        items.sort(key=lambda item: item.level1)  # lists run 产出, 效益, 满意度, 成本
    return items


def _profile(pool: Pool, seed: int, department: Department) -> list[tuple[str, list[tuple[int, float]]]]:
    """The department's units and their standing projects (seed index, amount factor)."""
    rng = random.Random(f"{seed}:profile:{department.template}:{department.index}")
    low, high = _UNITS[department.template]
    count = rng.randint(low, high)
    roles = [""] + rng.sample(pool.roles, min(count - 1, len(pool.roles)))
    mean = _PROJECTS[department.template]
    projects = max(len(roles), round(rng.gauss(mean, mean * 0.08)))
    weights = [rng.uniform(0.4, 1.6) for _ in roles]
    if department.template == "city":
        weights[0] *= 6  # the bureau itself holds most projects (137 of 244 in 2026)
    shares = [max(1, round(projects * weight / sum(weights))) for weight in weights]
    units = []
    for role, share in zip(roles, shares):
        own = pool.by_role.get(role, ())
        candidates = own if len(own) >= 3 and department.template != "forms" else range(len(pool.seeds))
        forms_seeds = [i for i in range(len(pool.seeds)) if pool.seeds[i].summary]
        chosen = []
        for _ in range(share):
            # A forms document draws half its projects from the bundled forms (their 项目概述).
            source = forms_seeds if department.template == "forms" and rng.random() < 0.5 else candidates
            chosen.append((rng.choice(source), math.exp(rng.gauss(0, 0.35))))
        units.append((role, chosen))
    return units


def build_document(pool: Pool, seed: int, slot: int, template: str) -> Document:
    """The document of one slot and template, as data (amounts exact, texts final)."""
    t = TEMPLATES.index(template)
    year = YEARS[(slot + t) % len(YEARS)]
    department = _department(seed, template, (slot + t) // len(YEARS))
    rng = random.Random(f"{seed}:document:{template}:{department.index}:{year}")
    places = _Places(department)
    source_file = f"{year}-{template}-{department.index:05d}.txt"
    units: list[Unit] = []
    growth = 1.0 + 0.04 * (year - YEARS[0])
    prefix = department.name.removesuffix("（本级）").removesuffix(_BUREAU)
    for role, standing in _profile(pool, seed, department):
        name = department.name if not role else prefix + role
        if department.template == "city" and role:
            name = f"{department.city}市{role}"
        unit = Unit(name)
        # Year over year: most projects stay (amounts drift), some end, some begin.
        chosen = [entry for entry in standing if rng.random() < 0.9]
        chosen += [
            (rng.randrange(len(pool.seeds)), math.exp(rng.gauss(0, 0.35)))
            for _ in range(sum(rng.random() < 0.1 for _ in standing))
        ]
        chosen = chosen or standing[:1]
        for index, factor in chosen:
            unit.projects.append(_project(rng, pool, pool.seeds[index], factor * growth, template, places, year))
        units.append(unit)
    return Document(source_file, template, department, year, units)


def _project(
    rng: random.Random,
    pool: Pool,
    seed: Seed,
    factor: float,
    template: str,
    places: _Places,
    year: int,
) -> Project:
    delta = year - seed.year

    def text(value: str | None) -> str | None:
        return _shift_years(places(value), delta) if value else None

    items = _items_for(rng, pool, seed)
    goal = text(seed.goal)
    if template in ("city", "district", "paragraph") and items and goal and rng.random() < 0.03:
        goal = None  # indicators only (2026 prints a few such rows)
    if template == "city" and goal and rng.random() < 0.02:
        items = []  # goal only, no indicators (2026 lines 199–203)
    if template in ("pdf", "forms") and not goal:
        goal = text(rng.choice([s.goal for s in pool.seeds if s.goal]))
    if template == "forms" and not items:
        items = list(rng.choice([s.items for s in pool.seeds if s.items]))
    amount = float(seed.amount) * factor * math.exp(rng.gauss(0, 0.12))
    if template == "forms":
        # 元, in whole hundreds, so that the overview's 万元 figures are exact to the cent.
        total = max(Decimal(1), Decimal(round(amount * 100)) / 100)
        parts = (total, Decimal(0), Decimal(0))
    else:
        total = _money(amount, Decimal("0.50"))
        pattern = seed.sources if template == "city" and any(seed.sources) else _pattern(rng, template)
        if template == "city" and rng.random() < 0.5:
            pattern = _pattern(rng, template)
        if template == "pdf" and pattern not in ((True, False, False), (True, True, True)):
            pattern = (True, False, False)
        parts = _split(rng, total, pattern)
        if template == "pdf" and pattern == (True, True, True) and not all(parts):
            parts = (total, Decimal(0), Decimal(0))
    summary = None
    if template == "forms":
        summary = text(seed.summary)
        if summary is None and pool.summaries:
            summary = text(rng.choice(pool.summaries))
    return Project(
        name=text(seed.name) or seed.name,
        goal=goal,
        items=items,
        total=sum(parts, Decimal(0)),
        fiscal=parts[0],
        special=parts[1],
        other=parts[2],
        summary=summary,
        level="一级项目/二级项目" if rng.random() < 0.08 else "二级项目",
    )


# --------------------------------------------------------------------------------------------
# Rendering


def _wan(value: Decimal) -> str:
    return f"{value:,.2f}" if value else ""


def _indicator_text(pool: Pool, items: list[Item], style: str) -> str:
    if style == "comma":  # 2023 Tianhe: "1、3-满意度指标,31-…,name；实施周期指标值:x,年度指标值:y;,2、…"
        parts = [
            f"{n}、{_L1_TABLE[i.level1]},{pool.l2_table[i.level2]},{i.name}；"
            f"实施周期指标值:{i.cycle},年度指标值:{i.annual}"
            for n, i in enumerate(items, start=1)
        ]
        return ";,".join(parts) + "；" if parts else ""
    return "".join(  # 2025 Panyu, 2024 Huadu, 2026: "1、1-产出指标；11-数量指标；name；…。2、…"
        f"{n}、{_L1_TABLE[i.level1]}；{pool.l2_table[i.level2]}；{i.name}；"
        f"实施周期指标值:{i.cycle}；年度指标值:{i.annual}。"
        for n, i in enumerate(items, start=1)
    )


def _cell(text: str, paragraph: bool) -> str:
    return f"<p>{text}</p>" if paragraph and text else text


def _render_tsv(pool: Pool, doc: Document, rng: random.Random) -> list[str]:
    template, department = doc.template, doc.department
    if template == "district":  # no year printed: the catalog gives it
        title, label, style = _TITLE_TAIL, "部门名称", "comma"
    else:
        title = f"{department.name}{doc.year}年{_TITLE_TAIL}"
        label, style = ("单位名称" if template == "paragraph" else "部门名称"), "semicolon"
    grand = [doc.column(name) for name in ("total", "fiscal", "special", "other")]
    rows: list[tuple[list[str], bool]] = [(["合计", *map(_wan, grand), "", ""], False)]
    for unit in doc.units:
        amounts = [unit.column(name) for name in ("total", "fiscal", "special", "other")]
        rows.append(([unit.name, *map(_wan, amounts), "", ""], False))
        shifted_one = template == "city" and rng.random() < 0.35
        for project in unit.projects:
            cells = [
                project.name,
                *(_wan(getattr(project, name)) for name in ("total", "fiscal", "special", "other")),
                project.goal or "",
                _indicator_text(pool, project.items, style),
            ]
            shift = False
            if shifted_one and "" in cells[1:] and all(
                getattr(project, name) == 0 or getattr(project, name) >= 1
                for name in ("fiscal", "special", "other")
            ):
                # One row per unit lost an empty cell (2026 lines 195–203, 468–476); the unit's
                # subtotal tells the parser which, as every moved amount is at least 1.00.
                empties = [at for at, cell in enumerate(cells) if at > 0 and not cell]
                del cells[rng.choice(empties)]
                shifted_one, shift = False, True
            rows.append((cells, shift))
    lines = ["", "", title, "", f"{label}：{department.name}", "", "单位：万元", "", _TSV_HEADER]
    page_size = rng.randint(5, 12)
    on_page = 0
    paragraphs = False
    for number, (cells, _) in enumerate(rows):
        if on_page >= page_size and number > 1:
            on_page, page_size = 0, rng.randint(5, 12)
            if template == "city":  # title, department and unit repeated; every cell in <p>
                lines += ["", title, "", f"{label}：{department.name}", "", "单位：万元", ""]
                paragraphs = rng.random() < 0.4
            elif template == "district":  # a blank line, then the column header again
                lines += ["", _TSV_HEADER]
            else:  # a blank line only
                lines += [""]
        on_page += 1
        if template == "paragraph" and len(cells) == 7 and cells[5] and rng.random() < 0.3:
            cells = [*cells[:5], _cell(cells[5], True), cells[6]]
        lines.append("\t".join(_cell(cell, paragraphs) for cell in cells))
    return lines


def _wrap(text: str, width: int, bad_start: tuple[re.Pattern, ...] = ()) -> list[str]:
    """Cut a text into lines of about `width` characters that the PDF-text parser reads as text.

    A line may not look like page furniture, an amounts line or (for a goal) the start of the
    indicator list; where a cut would make one, the cut moves by a character or two.
    """
    text = text.strip()
    lines: list[str] = []
    position = 0
    while position < len(text):
        if len(text) - position <= width:
            piece = text[position:].strip()
            if lines and not _pdf_text_line_ok(piece, bad_start):
                lines[-1] += piece  # a longer last line rather than a misleading one
            elif piece:
                lines.append(piece)
            break
        for delta in (0, -1, 1, -2, 2, -3, 3, -4, 4):
            end = position + width + delta
            piece = text[position:end].strip()
            if piece and _pdf_text_line_ok(piece, bad_start):
                break
        else:
            end = position + width
            piece = text[position:end].strip()
        if piece:
            lines.append(piece)
        position = end
    return lines


def _pdf_text_line_ok(line: str, bad_start: tuple[re.Pattern, ...]) -> bool:
    return not (
        line.startswith(_PDF_FURNITURE_STARTS)
        or _PDF_AMOUNTS.fullmatch(line)
        or any(pattern.match(line) for pattern in bad_start)
        or "绩效目标表" in line
    )


def _render_pdf(pool: Pool, doc: Document, rng: random.Random) -> list[str]:
    department = doc.department
    title = f"{department.name}{doc.year}年{_TITLE_TAIL}"
    spaced = department.name.replace("（本级）", " （本级）")
    department_line = f"部门名称：{spaced} 单位：万元"

    def amounts(total: Decimal, fiscal: Decimal, special: Decimal, other: Decimal) -> str:
        if special or other:
            return " ".join(f"{value:,.2f}" for value in (total, fiscal, special, other))
        return f"{total:,.2f} {fiscal:,.2f}"

    grand = amounts(*(doc.column(name) for name in ("total", "fiscal", "special", "other")))
    grand_line = f"合计 {grand}"
    header = ["", "", title, "", department_line, "", "项目名称（资金使", "", "用单位）",
              "总计 财政拨款 财政专户拨款 其他资金 绩效目标 绩效指标", "", grand_line, ""]
    body: list[str] = []

    def block(texts: list[str]) -> None:
        for text in texts:
            body.extend([text, ""])

    for unit in doc.units:
        block(_wrap(unit.name, 9))
        block([amounts(*(unit.column(name) for name in ("total", "fiscal", "special", "other")))])
        for project in unit.projects:
            names = _wrap(project.name, 8)
            names[0] = "    " + names[0]
            block(names)
            block([amounts(project.total, project.fiscal, project.special, project.other)])
            if project.goal:
                block(_wrap(project.goal, 22, (_LIST_START,)))
            if project.items:
                block(_wrap(_indicator_text(pool, project.items, "semicolon"), 23))
    lines = header[:-1] + [""]
    page = rng.randint(250, 320)
    for number, line in enumerate(body):
        if number and number % page == 0:
            lines += ["", "", title, "", department_line, "", "项目名称（资金使", "", "用单位）",
                      "总计 财政拨款 财政专户拨款 其他资金 绩效目标 绩效指标", "", grand_line, ""]
        lines.append(line)
    return lines


def _grid_rows(items: list[Item], targets: int, rng: random.Random) -> list[str]:
    rows = []
    above: tuple[int, int] | None = None
    for number, item in enumerate(items, start=1):
        if above is None or item.level1 != above[0]:
            categories = [_L1_FORM[item.level1], _L2_FORM[item.level2]]
        elif item.level2 != above[1]:
            categories = ["", _L2_FORM[item.level2]]
        else:
            categories = ["", ""]
        above = (item.level1, item.level2)
        values = [item.cycle, item.annual] if targets == 2 else [item.annual]
        label = f"指标{number}：{item.name}" if targets == 2 else f"指标{number}: {item.name}"
        if categories[0] and rng.random() < 0.1:
            rows.append("\t".join([*categories, label, *values, ""]))  # the merged cell left out
        else:
            rows.append("\t".join(["", *categories, label, *values]))
    return rows


def _render_forms(pool: Pool, doc: Document, rng: random.Random) -> list[str]:
    department = doc.department
    projects = [project for unit in doc.units for project in unit.projects]
    project_total = sum((project.total for project in projects), Decimal(0))
    basic = _money(float(project_total) * rng.uniform(0.8, 2.0), Decimal("10.00"))
    places = _Places(department)
    staff = max(5, round(pool.staff * rng.uniform(0.5, 1.6)))
    lines = [
        "", "", "部门下属单位整体预算绩效目标表", "",
        f"部门名称\t{department.name}\t\t\t",
        f"下属单位名称\t{department.name}\t\t\t",
        f"基本信息\t财政供养人员数\t{staff}\t\t",
        "预算整体情况\t单位预算支出\t预算金额（万元）\t收入来源\t预算金额（万元）",
        f"\t基本支出\t{basic:.2f}\t财政拨款\t{basic + project_total:.2f}",
        f"\t项目支出\t{project_total:.2f}\t其他资金\t0",
        "\t事业发展性支出\t预算金额（万元）\t按预算级次划分\t预算金额（万元）",
        "\t财政专项资金\t0\t\t",
        "\t其他事业发展性支出\t0\t\t",
        f"总体绩效目标\t{places(pool.unit_goal)}",
        "年度重点工作任务\t名称\t主要实施内容\t拟投入的资金（万元）\t期望达到的目标（概述）",
    ]
    largest = sorted(projects, key=lambda project: project.total, reverse=True)[:3]
    for number, project in enumerate(largest, start=1):
        lines.append(f"\t任务{number}:\t{project.name}\t{project.total:.2f}\t{project.goal}")
    lines += ["其他需完成的任务（可选填）\t任务1:\t\t\t", "\t\t\t",
              "绩效指标\t一级指标\t二级指标\t三级指标\t指标值"]
    lines += _grid_rows(list(pool.unit_items), 1, rng)
    lines.append("")
    for project in projects:
        amount = f"{project.total * 10000:.2f}元"
        annual_column = rng.choice((3, 4))
        goals_header = ["总体绩效目标", "实施周期总目标（跨年度项目需填写）", "", "", "", ""]
        goals_header[annual_column] = "当年度目标"
        goals = ["", f"目标1：{project.goal}", "", "", "", ""]
        goals[annual_column] = f"目标1：{project.goal}"
        lines += [
            "项目支出绩效目标表", "",
            f"项目名称\t{project.name}\t\t\t\t",
            "项目类型\t部门职能类\t\t\t\t",
            f"项目等级\t{project.level}\t\t\t\t",
            f"主管部门\t{department.name}\t用款单位\t{department.name}\t\t",
            f"实施期限\t起始年度\t{doc.year}\t到期年度\t{doc.year}\t",
            f"预算金额\t总金额\t{amount}\t当年度金额\t{amount}\t",
            f"项目概述\t{project.summary or project.goal}\t\t\t\t",
            "\t".join(goals_header),
            "\t".join(goals),
            "绩效指标\t一级指标\t二级指标\t三级指标\t实施周期指标值\t当年度指标值",
            *_grid_rows(project.items, 2, rng),
            "",
        ]
    return lines


def render_document(pool: Pool, doc: Document, seed: int) -> bytes:
    rng = random.Random(f"{seed}:render:{doc.source_file}")
    layout = LAYOUT_OF[doc.template]
    if layout == "tsv_table":
        lines = _render_tsv(pool, doc, rng)
    elif layout == "pdf_text":
        lines = _render_pdf(pool, doc, rng)
    else:
        lines = _render_forms(pool, doc, rng)
    return ("\n".join(lines) + "\n").encode("utf-8")


# --------------------------------------------------------------------------------------------
# The corpus


def corpus_documents(pool: Pool, scale: int, seed: int) -> Iterator[Document]:
    for slot in range(scale):
        for template in TEMPLATES:
            yield build_document(pool, seed, slot, template)


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _catalog_entry(doc: Document) -> str:
    layout = LAYOUT_OF[doc.template]
    lines = [
        f"[{_toml_string(doc.source_file)}]",
        f"department_name = {_toml_string(doc.department.name)}",
        f"fiscal_year = {doc.year}",
    ]
    if doc.template == "district":
        lines.append('fiscal_year_evidence = "synthetic: the title prints no year"')
    lines.append(f'amount_unit = "{"元" if layout == "forms" else "万元"}"')
    if layout == "pdf_text":
        lines.append('hints = { single_source_column = "fiscal" }')
    return "\n".join(lines) + "\n"


_CATALOG_HEADER = "# Synthetic corpus: "


def _holds_a_synthetic_corpus(folder: Path) -> bool:
    catalog = folder / CATALOG_FILE
    return catalog.is_file() and catalog.read_text(encoding="utf-8").startswith(_CATALOG_HEADER)


def at_least_one(text: str) -> int:
    """argparse type for --scale and --repeats."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def generate_corpus(scale: int, seed: int, out: Path) -> CorpusSummary:
    """Write a synthetic corpus of `scale` × the bundled corpus into `out` (documents + catalog).

    Existing *.txt files and catalog.toml in `out` are replaced, so `out` holds exactly this
    corpus. Deterministic: the same scale and seed give byte-identical files.
    """
    if scale < 1:
        raise ValueError(f"scale must be at least 1, got {scale}")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out} is a file, not a folder for the corpus")
    if out.is_dir() and any(out.glob("*.txt")) and not _holds_a_synthetic_corpus(out):
        # Replacing the documents of a real folder (say data/documents) would destroy them.
        raise ValueError(f"{out} holds documents that are not a synthetic corpus; choose an empty folder")
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.txt"):
        stale.unlink()
    pool = load_pool()
    summaries: list[DocumentSummary] = []
    catalog = [
        f"{_CATALOG_HEADER}scale {scale}, seed {seed}, written by bench/synth.py from the\n"
        "# bundled documents. Every document's year, department and amount unit, as for a real one.\n"
    ]
    for doc in corpus_documents(pool, scale, seed):
        data = render_document(pool, doc, seed)
        (out / doc.source_file).write_bytes(data)
        catalog.append(_catalog_entry(doc))
        projects = [project for unit in doc.units for project in unit.projects]
        summaries.append(
            DocumentSummary(
                source_file=doc.source_file,
                template=doc.template,
                layout=LAYOUT_OF[doc.template],
                department_name=doc.department.name,
                fiscal_year=doc.year,
                units=len(doc.units),
                projects=len(projects),
                indicators=sum(len(project.items) for project in projects),
                bytes=len(data),
                lines=data.count(b"\n"),
            )
        )
    (out / CATALOG_FILE).write_text("\n".join(catalog), encoding="utf-8")
    return CorpusSummary(scale=scale, seed=seed, out=out, documents=tuple(summaries))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="perfdw synth", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=at_least_one, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        summary = generate_corpus(args.scale, args.seed, args.out)
    except (ValueError, OSError) as error:
        parser.error(str(error))
    info = summary.to_dict()
    print(
        f"synth: scale {args.scale}, seed {args.seed} → {args.out}: {info['documents']} documents "
        f"({', '.join(f'{k} {v}' for k, v in info['by_layout'].items())}), "
        f"{info['departments']} departments, years {', '.join(info['by_year'])}, "
        f"{info['projects']:,} projects, {info['indicators']:,} indicators, "
        f"{info['bytes'] / 1e6:.1f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
