"""Notice files as shipped data: the manifest plus the UTF-8 texts exactly as published."""

from __future__ import annotations

import hashlib
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from knowledge.settings import get_settings
from knowledge.types import Notice

CORPUS_DIR = Path(__file__).parent / "corpus"
# libyaml's parser when PyYAML has it (ten times faster than the pure-Python one: part of cold start).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """Parse trusted YAML data (manifests, catalogue, vocabulary, form specs) safely and fast."""
    return yaml.load(text, Loader=_LOADER)


MANIFEST = CORPUS_DIR / "manifest.yaml"


class UnknownNoticeError(ValueError):
    """Raised with a message that lists the valid ids, so a user can correct the call."""


def load_notices(corpus_dir: Path = CORPUS_DIR) -> list[Notice]:
    """Read the manifest and each notice's text; the text is never altered."""
    entries = load_yaml((corpus_dir / "manifest.yaml").read_text(encoding="utf-8"))
    notices = []
    for entry in entries:
        text = (corpus_dir / entry["file"]).read_text(encoding="utf-8")
        notices.append(Notice(**entry, text=text))
    return notices


@lru_cache(maxsize=1)
def notices() -> tuple[Notice, ...]:
    """The five shipped notices plus any in `extra_corpus_dir`, read once per process."""
    items = load_notices()
    extra = get_settings().extra_corpus_dir
    if extra is not None:
        known = {n.id for n in items}
        for n in load_notices(extra):
            if n.id in known:
                raise ValueError(f"{extra}: notice id {n.id!r} is already taken; ids must be unique")
            known.add(n.id)
            items.append(n)
    return tuple(items)


def notice_ids() -> list[str]:
    return [n.id for n in notices()]


@lru_cache(maxsize=1)
def shipped_notice_ids() -> tuple[str, ...]:
    """Ids of the notices in `knowledge/corpus/manifest.yaml`, in manifest order.

    These are the notices the product answers about. Notices from `extra_corpus_dir` are searchable
    and join a question that names them, but never change an answer about these: a question that
    names no notice is scoped to these, and their scores and refusal checks use these alone.
    """
    entries = load_yaml(MANIFEST.read_text(encoding="utf-8"))
    return tuple(str(entry["id"]) for entry in entries)


def example_question(kind: int = 0) -> str:
    """An example question for help texts, about a shipped notice named in the manifest (not in code)."""
    entries = load_yaml(MANIFEST.read_text(encoding="utf-8"))
    shorts = [str(e["short"]) for e in entries] or ["本市"]
    templates = ("{0}的需求表最晚什么时候交？", "{1}的财政补助比例是多少？", "{2}揭榜挂帅的联系人是谁？")
    return templates[kind % len(templates)].format(*(shorts * 3))


def example_notice() -> tuple[str, str]:
    """(id, short name) of the first shipped notice, for examples in help texts and messages."""
    entry = load_yaml(MANIFEST.read_text(encoding="utf-8"))[0]
    return str(entry["id"]), str(entry["short"])


def shipped_notices() -> tuple[Notice, ...]:
    """The shipped notices as loaded by `notices()`, without any extra ones."""
    shipped = set(shipped_notice_ids())
    return tuple(n for n in notices() if n.id in shipped)


def has_extra_notices() -> bool:
    """Whether `extra_corpus_dir` added notices to this process's corpus."""
    return len(notices()) > len(shipped_notice_ids())


@cache
def normalized_text(notice_id: str) -> str:
    """A notice's text as questions are compared with it (NFKC, simplified, lower case), once."""
    from knowledge.tokenize import normalize_text

    return normalize_text(get_notice(notice_id).text)


def get_notice(notice_id: str) -> Notice:
    for n in notices():
        if n.id == notice_id:
            return n
    raise UnknownNoticeError(f"没有编号为“{notice_id}”的通知。可用的编号：{'、'.join(notice_ids())}。")


def notice_text(notice_id: str) -> str:
    return get_notice(notice_id).text


def corpus_hash(items: tuple[Notice, ...] | None = None) -> str:
    """Hash of manifest and texts: part of the index key, so an edited notice rebuilds the index."""
    h = hashlib.sha256()
    for n in items if items is not None else notices():
        h.update(n.model_dump_json().encode())
        h.update(n.text.encode())
    return h.hexdigest()[:16]
