"""Pydantic models built from the form specs: the shape of a draft's stored (normalised) values."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, create_model

from knowledge.formspec import FieldSpec, FieldType, load_form

_PY_TYPES: dict[FieldType, Any] = {
    FieldType.AMOUNT_WAN: float,
    FieldType.PERCENT: float,
    FieldType.INTEGER: int,
    FieldType.MULTI_CHOICE: list[str],
}


def _python_type(f: FieldSpec) -> Any:
    if f.type == FieldType.ROWS:
        columns: dict[str, Any] = {c.id: (_python_type(c) | None, None) for c in f.columns}
        row_model: Any = create_model(f"Row_{f.id}", __config__=ConfigDict(extra="forbid"), **columns)
        return list[row_model]
    return _PY_TYPES.get(f.type, str)


@lru_cache(maxsize=32)
def answers_model(form_id: str) -> type[BaseModel]:
    """A model with one optional attribute per field, typed as the validators store it.

    Used to reject a tampered or corrupted saved draft before its values reach the exporter.
    """
    form = load_form(form_id)
    fields: dict[str, Any] = {f.id: (_python_type(f) | None, None) for f in form.fields}
    model: type[BaseModel] = create_model(
        f"Answers_{form_id.replace('-', '_')}", __config__=ConfigDict(extra="forbid", strict=False), **fields
    )
    return model
