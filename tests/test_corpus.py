"""The notices as data: manifest, parse tree, chunk offsets."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from knowledge.chunks import ChunkSettings, all_chunks, chunk_notice
from knowledge.corpus import CORPUS_DIR, UnknownNoticeError, corpus_hash, get_notice, notices
from knowledge.parse import normalize_ws, parse_notice, segments
from knowledge.types import ChunkKind

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def test_five_notices_with_manifest_metadata() -> None:
    ids = [n.id for n in notices()]
    assert ids == ["quanzhou", "xiangtan", "jingdezhen", "liaoning", "longquan"]
    q = get_notice("quanzhou")
    assert q.doc_number == "泉科〔2023〕179号" and str(q.issue_date) == "2023-11-17"
    sub = get_notice("longquan").attachments[3].subdocument
    assert sub is not None and sub.issuer == "浙江省科学技术厅" and str(sub.issue_date) == "2024-03-13"


def test_unknown_notice_message_lists_valid_ids() -> None:
    with pytest.raises(UnknownNoticeError, match="quanzhou"):
        get_notice("shenzhen")


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared corpus not beside the repo")
def test_shipped_texts_are_exactly_the_published_ones() -> None:
    for n in notices():
        assert (CORPUS_DIR / n.file).read_bytes() == (SHARED / n.file).read_bytes()


def test_manifest_facts_are_printed_in_the_notice() -> None:
    for n in notices():
        if n.doc_number:
            assert n.doc_number in n.text
        if n.issue_date:
            d = n.issue_date
            assert f"{d.year}年{d.month}月{d.day}日" in n.text


def test_segments_cover_attachments_in_order() -> None:
    segs = segments(get_notice("longquan"))
    docs = [s.doc for s in segs]
    assert docs == [
        "longquan",
        "longquan#a1",
        "longquan#a2",
        "longquan#a3",
        "longquan#zhejiang",
        "longquan#zhejiang#a1",
        "longquan#zhejiang#a2",
    ]
    assert all(a.end == b.start for a, b in itertools.pairwise(segs))


def test_tree_has_sections_and_table_rows() -> None:
    root, _ = parse_notice(get_notice("quanzhou"))
    body = root.children[0]
    assert [c.title for c in body.children][:3] == ["一、申报条件", "二、推荐流程", "三、业务咨询"]
    form = root.children[1]
    assert any(c.kind == "row" and c.title == "产权归属" for c in form.children)


@pytest.mark.parametrize("settings", [ChunkSettings(), ChunkSettings(max_chars=80)])
def test_every_chunk_is_the_original_text_at_its_offsets(settings: ChunkSettings) -> None:
    for n in notices():
        for c in chunk_notice(n, settings):
            assert c.text == normalize_ws(n.text[c.start : c.end])
            assert c.text, c.id


def test_chunks_never_cross_documents_or_carry_artefacts() -> None:
    for n in notices():
        segs = segments(n)
        for c in chunk_notice(n):
            seg = next(s for s in segs if s.doc == c.doc)
            assert seg.start <= c.start < c.end <= seg.end
            assert "[bookmark" not in c.text
            assert not c.text.startswith("\t")


def test_chunks_never_cut_a_sentence() -> None:
    """A chunk ends at sentence punctuation, at a line end, or at its document's end."""
    for n in notices():
        for c in chunk_notice(n):
            tail = n.text[c.end : c.end + 1]
            assert (
                c.end == len(n.text)
                or tail in ("", "\n", "\t", " ", "　")
                or n.text[c.end - 1] in "。；！？”）"
            ), c.id


def test_chunk_kinds_and_paths() -> None:
    chunks = all_chunks()
    kinds = {c.kind for c in chunks}
    assert kinds == set(ChunkKind)
    rule = next(c for c in chunks if "第六条" in c.text)
    assert rule.kind == ChunkKind.RULE and rule.path[-1] == "第六条"
    contact = next(c for c in chunks if "0595-22284742" in c.text)
    assert contact.kind == ChunkKind.CONTACT and contact.path[:2] == ["泉州", "三、业务咨询"]
    deadline = next(c for c in chunks if "2023年12月5日前" in c.text)
    assert deadline.path_str == "泉州 › 二、推荐流程 › （一）"
    zj = next(c for c in chunks if "杭州15项" in c.text)
    assert zj.doc == "longquan#zhejiang" and zj.path[1].startswith("附件4")


def test_corpus_hash_is_stable_and_content_sensitive() -> None:
    items = notices()
    assert corpus_hash(items) == corpus_hash(items)
    changed = (items[0].model_copy(update={"text": items[0].text + "。"}), *items[1:])
    assert corpus_hash(changed) != corpus_hash(items)
