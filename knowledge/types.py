"""The nouns of the pipeline: notice → section tree → chunk → hit → citation → answer."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field


class ChunkKind(StrEnum):
    """What a chunk is, so answers can prefer rules, form cells or contacts."""

    BODY = "body"
    RULE = "rule"
    FORM_FIELD = "form_field"
    FORM_GUIDANCE = "form_guidance"
    CONTACT = "contact"


class AttachmentInfo(BaseModel):
    n: int
    anchor: str
    title: str
    subdocument: SubDocument | None = None


class SubDocument(BaseModel):
    """A notice printed inside another notice (an attachment that is a provincial notice of its own)."""

    id: str
    short: str
    aliases: list[str] = Field(default_factory=list)
    issuer: str
    doc_number: str | None = None
    issue_date: date | None = None
    region: str
    year: int
    attachments: list[AttachmentInfo] = Field(default_factory=list)


class Notice(BaseModel):
    """One published notice file, as described in `knowledge/corpus/manifest.yaml`."""

    id: str
    file: str
    short: str
    aliases: list[str] = Field(default_factory=list)
    title: str
    issuer: str
    doc_number: str | None = None
    issue_date: date | None = None
    region: str
    year: int
    attachments: list[AttachmentInfo] = Field(default_factory=list)
    text: str = Field("", repr=False, exclude=True)

    def region_of(self, doc: str | None) -> str:
        """Where the notice (or a document printed in it, by id) applies, as printed in the manifest."""
        for att in self.attachments:
            if doc is not None and att.subdocument is not None and att.subdocument.id == doc:
                return att.subdocument.region
        return self.region


class Section(BaseModel):
    """A node of a notice's tree: the document itself, an attachment, a heading, or a table row."""

    title: str
    level: int
    start: int
    end: int
    kind: str = "section"
    children: list[Section] = Field(default_factory=list)


class Block(BaseModel):
    """The smallest parsed unit: a paragraph line or a table row, with its place in the tree."""

    notice: str
    doc: str
    path: list[str]
    kind: ChunkKind
    start: int
    end: int
    text: str
    boundary: bool = False


class Chunk(BaseModel):
    """A retrievable span of one notice: never cuts a sentence, never crosses a document."""

    id: str
    notice: str
    doc: str
    path: list[str]
    kind: ChunkKind
    start: int
    end: int
    text: str

    @property
    def path_str(self) -> str:
        return " › ".join(self.path)


class Hit(BaseModel):
    chunk: Chunk
    score: float


class Citation(BaseModel):
    n: int
    notice: str
    path: str
    quote: str
    start: int
    end: int


class FollowUp(BaseModel):
    """What the next question of the same conversation may rely on: the notices and the question
    this answer was about. Front ends keep it per user and pass it back unchanged."""

    notices: list[str] = Field(default_factory=list)
    question: str | None = None
    earlier: list[str] = Field(default_factory=list)  # the questions before it, oldest first (这两个问题)
    docs: dict[str, str] = Field(default_factory=dict)  # an attachment the talk is within (附件4), per notice
    shown: list[str] = Field(default_factory=list)  # the facts this answer showed (还有呢: the others)


class Answer(BaseModel):
    question: str
    answer: str
    refused: bool = False
    topic: str = "other"
    notices: list[str] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    follow_up: FollowUp = Field(default_factory=FollowUp)


AttachmentInfo.model_rebuild()
