"""Form specs: one YAML file per official demand form drives the questions, the checks and the .docx.

Each file in `knowledge/forms/<id>.yaml` describes the form's fields (printed label, type, limit,
options, printed guidance, a verbatim `quote` from the notice), its cross-field rules (each with the
notice sentence it comes from) and its table layout. Nothing about a form is hard-coded elsewhere.

Character counting (the one rule, used by validators, the interview and the exporter alike):
a text's length is the number of its non-whitespace characters — every Chinese character, letter,
digit and punctuation mark counts 1; spaces, tabs and line breaks count 0. See `count_chars`.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

FORMS_DIR = Path(__file__).parent / "forms"

CHAR_RULE = "字数按非空白字符计算：汉字、字母、数字、标点各算 1 字，空格和换行不计。"


def count_chars(text: str) -> int:
    """The project's single character-counting rule: non-whitespace characters."""
    return sum(1 for ch in text if not ch.isspace())


class FieldType(StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    AMOUNT_WAN = "amount_wan"
    PERCENT = "percent"
    INTEGER = "integer"
    DATE = "date"
    SINGLE_CHOICE = "single_choice"
    MULTI_CHOICE = "multi_choice"
    MOBILE = "mobile"
    LANDLINE = "landline"
    PHONE = "phone"  # 联系方式/电话 where the form accepts either a mobile or a landline number
    EMAIL = "email"
    PERSON_NAME = "person_name"
    COMPANY_NAME = "company_name"
    CREDIT_CODE = "credit_code"
    ROWS = "rows"


CHOICE_TYPES = frozenset({FieldType.SINGLE_CHOICE, FieldType.MULTI_CHOICE})
NUMBER_TYPES = frozenset({FieldType.AMOUNT_WAN, FieldType.PERCENT, FieldType.INTEGER})


class LimitKind(StrEnum):
    HARD = "hard"  # 限500字以内: more is an error
    SOFT = "soft"  # 500字左右: more (or much less) is only a warning


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SummarySource(Strict):
    """How a summary form's rows are filled from saved drafts of another form."""

    form: str
    map: dict[str, str] = Field(description="summary column id → source field id (or '@peers' etc.)")


class OptionBlank(Strict):
    """A blank printed after an option (○是，名称____ / ○其他：____): choosing the option without
    filling it would export an empty line, so the interview asks for it and validation requires it."""

    option: str = Field(description="the printed option the blank follows, e.g. 是")
    label: str = Field(description="what goes in the blank, in words the user understands, e.g. 联盟名称")
    printed: str = Field(description="the option and its blank as on paper, e.g. 是，名称____")
    example: str = Field(description="an example of what to write in the blank")

    @property
    def answer_example(self) -> str:
        """How a filled blank is written in the chat and in an answers file: 是：某某产学研联盟."""
        return f"{self.option}：{self.example}"

    def missing_message(self, name: str) -> str:
        """Says the blank is empty and how to fill it (chat and answers file alike)."""
        return (
            f"“{name}”选了“{self.option}”，但表上“{self.printed}”的{self.label}还没有填写。"
            f"请写成“{self.option}：{self.label}”，例如“{self.answer_example}”。"
        )


class FieldSpec(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    section: str = ""
    type: FieldType
    required: bool = True
    condition: str | None = Field(None, description="printed condition under which the field may stay empty")
    max_chars: int | None = None
    limit: LimitKind | None = None
    options: list[str] = Field(default_factory=list)
    free_text_options: list[str] = Field(
        default_factory=list, description="options that may carry a few words, e.g. 其他：现代农业"
    )
    blanks: list[OptionBlank] = Field(
        default_factory=list, description="options followed by a printed blank that must be filled"
    )
    help: str | None = Field(None, description="printed guidance, verbatim from the notice")
    tip: str | None = Field(None, description="our own short note on how to answer")
    quote: str = Field(description="verbatim text of the notice showing this label or its limit")
    unit: str | None = None
    min_value: float | None = None
    max_value: float | None = None
    allow_negative: bool = False
    date_precision: Literal["day", "month"] = "day"
    pattern: str | None = None
    pattern_hint: str | None = None
    printed: bool = True
    columns: list[FieldSpec] = Field(default_factory=list)
    row_keys: list[str] = Field(default_factory=list, description="fixed first-column values, e.g. years")
    key_column: str | None = None
    min_rows: int = 0
    max_rows: int | None = None
    source: SummarySource | None = None

    @property
    def display(self) -> str:
        return self.label

    @property
    def is_choice(self) -> bool:
        return self.type in CHOICE_TYPES

    @property
    def limit_text(self) -> str:
        if self.max_chars is None:
            return ""
        return f"限{self.max_chars}字" if self.limit != LimitKind.SOFT else f"{self.max_chars}字左右"

    def blank_for(self, option: str) -> OptionBlank | None:
        """The printed blank after `option`, if the form prints one."""
        return next((b for b in self.blanks if b.option == option), None)

    def open_blanks(self, value: Any) -> list[OptionBlank]:
        """Blanks of the chosen options that are still empty (a stored '是' rather than '是：名称')."""
        chosen = value if isinstance(value, list) else [value]
        return [b for b in self.blanks if b.option in chosen]

    def column(self, column_id: str) -> FieldSpec:
        for col in self.columns:
            if col.id == column_id:
                return col
        raise KeyError(column_id)

    @model_validator(mode="before")
    @classmethod
    def _blank_options_take_text(cls, data: Any) -> Any:
        """An option with a printed blank is also a free-text option (its text is the blank)."""
        if isinstance(data, dict) and data.get("blanks"):
            free = list(data.get("free_text_options") or [])
            for blank in data["blanks"]:
                option = blank.option if isinstance(blank, OptionBlank) else blank.get("option")
                if option not in free:
                    free.append(option)
            data = {**data, "free_text_options": free}
        return data

    @model_validator(mode="after")
    def _check(self) -> FieldSpec:
        if self.is_choice and not self.options:
            raise ValueError(f"{self.id}: choice field without options")
        if self.type == FieldType.ROWS and not self.columns:
            raise ValueError(f"{self.id}: rows field without columns")
        if self.max_chars is not None and self.limit is None:
            raise ValueError(f"{self.id}: max_chars needs limit: hard|soft")
        for opt in self.free_text_options:
            if opt not in self.options:
                raise ValueError(f"{self.id}: free-text option {opt!r} is not an option")
        if self.blanks and not self.is_choice:
            raise ValueError(f"{self.id}: blanks belong to choice fields")
        return self


class Condition(Strict):
    """A guard on a rule: the rule applies only when the condition holds."""

    field: str
    equals: str | None = None
    is_in: list[str] | None = Field(None, alias="in")
    empty: bool | None = None


class RuleKind(StrEnum):
    MAX = "max"  # fields[0] ≤ value
    MIN = "min"  # fields[0] ≥ value
    RANGE = "range"  # value ≤ fields[0] < value2 (value2 exclusive unless inclusive_max)
    SUM = "sum"  # fields[0] = fields[1] + fields[2] + …
    RATIO_MAX = "ratio_max"  # fields[0] ≤ ratio × fields[1]
    LE = "le"  # fields[0] ≤ fields[1] (numbers or dates)
    DATE_AFTER = "date_after"  # fields[*] later than date
    AT_LEAST_ONE = "at_least_one"
    TOTAL_CHARS = "total_chars"  # count_chars(sum of fields) ≤ value
    MIN_ROWS = "min_rows"
    MAX_ROWS = "max_rows"
    MIN_ITEMS = "min_items"  # at least `value` items (lines or ；-separated) in a text
    OPTION_GROUP = "option_group"  # options chosen in fields[1] belong to the group of fields[0]
    EXCLUSIVE = "exclusive"  # at most one of `options` chosen in fields[0]
    LATEST_ROW_MIN = "latest_row_min"  # the latest filled row of rows field fields[0]: column ≥ value
    PERCENT_OF = "percent_of"  # fields[0] ≈ fields[1] / fields[2] × 100


class RuleSpec(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: RuleKind
    fields: list[str]
    value: float | None = None
    value2: float | None = None
    inclusive_max: bool = False
    ratio: float | None = None
    column: str | None = None
    date: dt.date | None = None
    groups: dict[str, list[str]] = Field(default_factory=dict)
    options: list[str] = Field(default_factory=list)
    when: list[Condition] = Field(default_factory=list)
    severity: Literal["error", "warning"] = "error"
    source: str = Field(description="short name of the notice part, shown in messages")
    quote: str = Field(description="verbatim sentence of the notice this rule comes from")
    hint: str | None = Field(None, description="how to fix, appended to the message")
    message: str | None = Field(None, description="message template overriding the generic one")


class CellSpec(Strict):
    """One cell of the form's table. Exactly one of text/field/template/col/index gives its content."""

    text: str | None = None
    field: str | None = None
    template: str | None = None
    col: str | None = None
    index: bool = False
    print: str | None = Field(None, description="printed option line, e.g. □A □B, ticked on export")
    hint: str | None = Field(None, description="printed guidance kept in the cell above the answer")
    span: int = Field(1, ge=1)
    rowspan: int = Field(1, ge=1)
    extend: str | None = Field(None, description="rows field whose extra rows lengthen this rowspan")
    row_template: str | None = Field(None, description="a rows field printed as lines inside one cell")
    min_lines: int = Field(0, description="lines printed for row_template even when empty")
    align: Literal["left", "center", "right"] | None = None
    bold: bool = False

    @model_validator(mode="after")
    def _one_content(self) -> CellSpec:
        given = [x for x in (self.text, self.field, self.template, self.col) if x is not None]
        if len(given) + int(self.index) > 1:
            raise ValueError(f"cell has more than one content: {self}")
        return self


class RowSpec(Strict):
    cells: list[CellSpec]
    height: float | None = Field(None, description="minimum row height in cm")
    repeat: str | None = Field(None, description="rows field: this row is printed once per answer row")
    count: int = Field(1, ge=0, description="rows printed at least, even when empty")


class Layout(Strict):
    attachment: str | None = None
    title: str
    subtitle: str | None = None
    before: list[str] = Field(default_factory=list, description="lines above the table; {field} allowed")
    after: list[str] = Field(default_factory=list)
    landscape: bool = False
    body_font: str = "宋体"
    font_size: float = 10.5
    widths: list[float] = Field(description="grid column widths in cm")
    rows: list[RowSpec]


class FormSpec(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    notice: str
    name: str = Field(description="short name shown in lists")
    title: str
    attachment: str | None = None
    audience: str
    quote: str = Field(description="the form's title as printed in the notice")
    notice_date: dt.date | None = None
    notice_date_quote: str | None = None
    summary_of: str | None = None
    fields: list[FieldSpec]
    rules: list[RuleSpec] = Field(default_factory=list)
    layout: Layout

    @model_validator(mode="after")
    def _check(self) -> FormSpec:
        ids = [f.id for f in self.fields]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(f"{self.id}: duplicate field ids {sorted(dupes)}")
        known = set(ids)
        for rule in self.rules:
            for fid in rule.fields + [c.field for c in rule.when]:
                if fid not in known:
                    raise ValueError(f"{self.id}: rule {rule.id} names unknown field {fid}")
        keys = [self.key_of(f) for f in self.fields]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{self.id}: two fields share section and label")
        return self

    # --- lookups -------------------------------------------------------------------------------

    def field(self, field_id: str) -> FieldSpec:
        for f in self.fields:
            if f.id == field_id:
                return f
        raise KeyError(field_id)

    def has_field(self, field_id: str) -> bool:
        return any(f.id == field_id for f in self.fields)

    def label_repeats(self, f: FieldSpec) -> bool:
        return sum(1 for g in self.fields if g.label == f.label) > 1

    def key_of(self, f: FieldSpec) -> str:
        """`label`, or `section·label` where the label is printed more than once on the form."""
        return f"{f.section}·{f.label}" if self.label_repeats(f) else f.label

    def display(self, f: FieldSpec) -> str:
        """How a field is named to people: short generic labels (姓名, 手机, 自筹…) carry their section."""
        if self.label_repeats(f) or (
            f.section and count_chars(f.label) <= 3 and not _NUMBERED.match(f.section)
        ):
            return f"{f.section}·{f.label}"
        return f.label

    def find(self, key: str, fuzzy: bool = True) -> FieldSpec | None:
        """A field by id, printed label or `section·label`; with `fuzzy`, also its number (1-based)
        in the interview or a part of its name that matches one field only."""
        stripped = key.strip()
        for f in self.fields:
            if stripped == f.id:
                return f
        k = _loose(key)
        if not k:
            return None
        if k.isdecimal():
            if not fuzzy:
                return None
            n = int(k)
            asked = self.asked_fields()
            return asked[n - 1] if 1 <= n <= len(asked) else None
        for f in self.fields:
            names = {self.key_of(f), self.display(f), f"{f.section}·{f.label}" if f.section else f.label}
            if k in {_loose(n) for n in names}:
                return f
        for f in self.fields:
            if k == _loose(f.label) and not self.label_repeats(f):
                return f
        if fuzzy and len(k) >= 2:
            hits = [f for f in self.fields if k in _loose(self.key_of(f))]
            if len(hits) == 1:
                return hits[0]
        return None

    def asked_fields(self) -> list[FieldSpec]:
        """Fields the interview asks, in order (every field: unprinted helpers are asked too)."""
        return list(self.fields)

    def index_of(self, field_id: str) -> int:
        for i, f in enumerate(self.asked_fields()):
            if f.id == field_id:
                return i
        raise KeyError(field_id)


_NUMBERED = re.compile(r"^[一二三四五六七八九十]+、")
_LOOSE_DROP = re.compile(r"[\s　:：（）()“”\"'‘’、，,。.．·•\-—_/]+")


def _loose(text: str) -> str:
    """Compare labels ignoring spaces, punctuation and case (but keep the section dot as a separator)."""
    return _LOOSE_DROP.sub("", text.replace("·", "\x00")).replace("\x00", "·").lower().strip("·")


class UnknownFormError(ValueError):
    """Raised with a message listing the valid form ids, so the caller can correct the call."""


# --- layout placement (shared by the exporter and the tests that read the .docx back) --------------

PLACEHOLDER = re.compile(r"\{(box:)?([a-z][a-z0-9_]*)(?:\|([^}]*))?\}")


class LayoutError(ValueError):
    """The layout of a form spec does not tile its grid; a bug in the YAML, caught by the tests."""


class PlacedCell(BaseModel):
    """A cell spec at its final grid position, after repeated rows are expanded."""

    row: int
    col: int
    span: int
    rowspan: int
    spec: CellSpec
    repeat: str | None = None
    repeat_index: int | None = None


def cell_fields(cell: CellSpec) -> list[str]:
    """Field ids whose values a cell shows."""
    if cell.field is not None:
        return [cell.field]
    if cell.template is not None:
        return list(dict.fromkeys(m.group(2) for m in PLACEHOLDER.finditer(cell.template)))
    return []


def repeat_count(form: FormSpec, row: RowSpec, answers: dict[str, Any]) -> int:
    assert row.repeat is not None
    f = form.field(row.repeat)
    value = answers.get(row.repeat)
    n = len(value) if isinstance(value, list) else 0
    return max(row.count, n, len(f.row_keys))


def ordered_rows(f: FieldSpec, value: Any) -> list[dict[str, Any]]:
    """Rows of a rows field in print order: fixed keys (e.g. 2019–2021) first, then the rest."""
    rows = [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []
    if not f.row_keys or f.key_column is None:
        return rows
    by_key = {str(r.get(f.key_column)): r for r in rows}
    out: list[dict[str, Any]] = [by_key.pop(k, {f.key_column: k}) for k in f.row_keys]
    return out + [r for r in rows if str(r.get(f.key_column)) in by_key]


def place(form: FormSpec, answers: dict[str, Any] | None = None) -> tuple[int, list[PlacedCell]]:
    """Expand repeated rows and put every cell on the grid; returns (row count, cells)."""
    answers = answers or {}
    ncols = len(form.layout.widths)
    expanded: list[tuple[RowSpec, int | None]] = []
    extra: dict[str, int] = {}
    for row in form.layout.rows:
        if row.repeat is None:
            expanded.append((row, None))
            continue
        n = repeat_count(form, row, answers)
        extra[row.repeat] = n - row.count
        expanded.extend((row, i) for i in range(n))
    nrows = len(expanded)
    taken = [[False] * ncols for _ in range(nrows)]
    placed: list[PlacedCell] = []
    for r, (row, idx) in enumerate(expanded):
        c = 0
        for cell in row.cells:
            while c < ncols and taken[r][c]:
                c += 1
            rowspan = cell.rowspan + (extra.get(cell.extend, 0) if cell.extend else 0)
            if c + cell.span > ncols or r + rowspan > nrows:
                raise LayoutError(f"{form.id}: row {r} overflows the {ncols}-column grid")
            for rr in range(r, r + rowspan):
                for cc in range(c, c + cell.span):
                    if taken[rr][cc]:
                        raise LayoutError(f"{form.id}: cell at row {r} col {c} overlaps row {rr}")
                    taken[rr][cc] = True
            placed.append(
                PlacedCell(
                    row=r,
                    col=c,
                    span=cell.span,
                    rowspan=rowspan,
                    spec=cell,
                    repeat=row.repeat,
                    repeat_index=idx,
                )
            )
            c += cell.span
        if not all(taken[r]):
            raise LayoutError(f"{form.id}: row {r} leaves grid columns empty")
    return nrows, placed


def field_positions(
    form: FormSpec, answers: dict[str, Any] | None = None
) -> dict[str, list[tuple[int, int]]]:
    """Each field's place in the docx table: the (row, column) grid cells that print its value.

    Fields printed above the table (e.g. 主管部门（单位公章）：…) and unprinted helpers have none.
    """
    _, placed = place(form, answers)
    out: dict[str, list[tuple[int, int]]] = {}
    for pc in placed:
        ids = [pc.repeat] if pc.spec.col is not None and pc.repeat else cell_fields(pc.spec)
        for fid in ids:
            out.setdefault(fid, []).append((pc.row, pc.col))
    return out


def _read(path: Path) -> FormSpec:
    from knowledge.corpus import load_yaml

    data: dict[str, Any] = load_yaml(path.read_text(encoding="utf-8"))
    return FormSpec.model_validate(data)


@lru_cache(maxsize=1)
def _all_forms() -> tuple[FormSpec, ...]:
    """Demand forms first, then summary forms; each group in the manifest's notice order, a notice's
    main form (id = notice id) before its others, which follow their attachment number."""
    from knowledge.corpus import shipped_notice_ids

    forms = [_read(p) for p in sorted(FORMS_DIR.glob("*.yaml"))]
    notices = {nid: i for i, nid in enumerate(shipped_notice_ids())}

    def key(f: FormSpec) -> tuple[bool, int, bool, str, str]:
        return (
            f.summary_of is not None,
            notices.get(f.notice, 99),
            f.id != f.notice,
            f.attachment or "",
            f.id,
        )

    return tuple(sorted(forms, key=key))


def list_forms() -> list[FormSpec]:
    """Every shipped form, in the order of the notices."""
    return list(_all_forms())


def form_ids() -> list[str]:
    return [f.id for f in _all_forms()]


def load_form(form_id: str) -> FormSpec:
    for f in _all_forms():
        if f.id == form_id:
            return f
    raise UnknownFormError(
        f"没有编号为“{form_id}”的需求表。可用的编号：{'、'.join(form_ids())}。"
        "运行 `jiebang forms` 查看每张表的名称。"
    )


def notice_text_for(form: FormSpec) -> str:
    """The notice file a form's quotes must come from, read exactly as published."""
    from knowledge.corpus import notice_text

    return notice_text(form.notice)
