"""What validation reports: a problem names the field, a stable ascii code and a Chinese message with the fix."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class Problem(BaseModel):
    field: str = Field(description="field id the problem belongs to (first field for cross-field rules)")
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="stable ascii code for programs and tests")
    message: str = Field(description="Chinese message that says what is wrong and how to fix it")
    severity: Literal["error", "warning"] = "error"
    rule: str | None = Field(None, description="id of the cross-field rule, if any")
    quote: str | None = Field(None, description="verbatim notice text the rule comes from")

    def public(self) -> dict[str, str]:
        """The three keys of the CLI/JSON contract."""
        return {"field": self.field, "code": self.code, "message": self.message}


class FieldResult(BaseModel):
    """The outcome of one answer: the normalised value (None when empty or invalid) and what to say."""

    value: Any = None
    display: str = ""
    errors: list[Problem] = Field(default_factory=list)
    warnings: list[Problem] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    empty: bool = False
    declined: bool = Field(False, description="empty because the answer says there is none (无, 没有, 暂无)")

    @property
    def ok(self) -> bool:
        return not self.errors


class Report(BaseModel):
    """A whole draft checked: normalised values plus every error and warning, in form order."""

    values: dict[str, Any] = Field(default_factory=dict)
    errors: list[Problem] = Field(default_factory=list)
    warnings: list[Problem] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def for_field(self, field_id: str) -> list[Problem]:
        return [p for p in self.errors + self.warnings if p.field == field_id]
