"""Synthetic notices: real structure, invented places, deterministic, and invisible to answers about
the five real notices.

The invariance checks run `jiebang ask --json -` in fresh processes, without extra notices and with a
2× or 10× synthetic corpus in `JIEBANG_EXTRA_CORPUS_DIR`, all with `JIEBANG_EMBEDDING=none`
(embedding the synthetic chunks would take minutes; the BM25 side is where extra documents change
scores, through IDF, average length and the score normalisation, unless the shipped notices keep
their own index as `knowledge/retrieve.py` does). The dense side gets the same per-partition
candidates and normalisation; that is checked by hand, not here (see `HybridSearcher`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from knowledge.chunks import chunk_notice
from knowledge.corpus import CORPUS_DIR, load_notices
from knowledge.parse import normalize_ws, parse_notice
from knowledge.synthetic import ID_PREFIX, _reserved, generate, write_corpus

REPO = Path(__file__).resolve().parents[1]
TODAY = "2026-11-23"
QUESTIONS = [
    "泉州的需求表最晚什么时候交？",
    "湘潭 发榜方付给揭榜方的钱最低比例是多少",
    "景德镇500万的榜单财政最多给多少？签任务书那年到账多少？",
    "我们是辽宁高新技术领域企业，营收6000万，研发280万，能报重大需求吗？",
    "龙泉的需求表发到哪个邮箱？联系人是谁",
    "浙江中央引导资金储备项目丽水限报几项",
    "泉州需求表里的技术难题概述限多少字？",
    "湘潭和景德镇的财政补助比例各是多少？",
    "景德镇揭榜挂帅项目实施周期多长",
    "辽宁的需求征集表里要填哪些财务数据",
    "湘潭揭榜方要满足什么条件",
    "龙泉征集的技术需求要聚焦哪些领域",
    "景德镇的揭榜挂帅项目怎么验收",
    "泉州重大技术需求由谁组织论证",
    "深圳的揭榜挂帅什么时候截止？",
]
# Extractive answers that moved while BM25's IDF, average length and max-normalisation were computed
# over every chunk, so extra notices re-weighted the terms inside a real notice too.
SHIFTING = ["湘潭揭榜挂帅项目评审怎么进行", "湘潭的项目知识产权归谁"]
# Other phrasings (none is a dev-set question): every topic, keyword-style queries, questions that
# name no notice (answered from the shipped notices alone, so synthetic passages must not appear), and
# refusals: a foreign place, an uncovered year, and topics only the synthetic notices mention
# (挪用/截留, 链主, 补链强链延链), which stay refusals because scope checks use the shipped notices.
VARIED = [
    "湘潭的揭榜挂帅项目是怎么评审的？",
    "湘潭项目形成的知识产权归属怎么约定",
    "泉州那些重大技术需求是谁来组织论证的？",
    "景德镇项目完成后由谁来验收，怎么验收？",
    "辽宁企业提交需求的截止日期是哪天？",
    "龙泉市技术需求征集联系电话多少",
    "泉州需求征集的联系人和电话",
    "湘潭揭榜方拿到的财政补助是多少比例？",
    "景德镇一个300万的项目财政能补多少钱？",
    "辽宁高新技术领域企业营收5000万研发投入300万够不够格申报重大需求？",
    "泉州每个县最多推荐几项难题？",
    "浙江中央引导资金项目的实施期一般几年？",
    "湘潭的需求表要用什么方式报送？",
    "景德镇揭榜方需要具备什么资格？",
    "龙泉的需求要围绕哪些产业方向？",
    "泉州和辽宁的需求分别怎么提交？",
    "湘潭揭榜挂帅项目经费怎么拨付？",
    "辽宁需求征集表里技术指标那栏怎么填？",
    "湘潭 揭榜挂帅 违约 责任",
    "景德镇揭榜挂帅 中期评估",
    "泉州需求表 技术难题概述 字数",
    "揭榜挂帅的揭榜方一般要满足哪些条件？",
    "哪个通知的财政支持上限最高？",
    "项目形成的知识产权归谁所有",
    "揭榜挂帅项目怎么验收",
    "中期评估不通过怎么办",
    "需求表里的技术指标怎么填",
    "上海的揭榜挂帅项目什么时候申报？",
    "揭榜挂帅项目能不能享受研发费用加计扣除？",
    "2030年度湘潭揭榜挂帅什么时候开始？",
    "挪用截留财政资金会被追回吗",
    "链主企业可以申报吗",
    "补链强链延链的项目优先吗",
]


def test_generator_is_deterministic_and_prefix_stable() -> None:
    ten = generate(12, seed=3)
    assert generate(12, seed=3) == ten
    assert generate(5, seed=3) == ten[:5]
    assert generate(5, seed=4) != ten[:5]
    assert len({e["short"] for e, _ in ten}) == len(ten)


def test_synthetic_notices_have_the_real_structure(tmp_path: Path) -> None:
    made = write_corpus(tmp_path, 2.0, seed=1)
    assert made.notices >= 5 and made.chars >= made.real_chars
    places, real_text, banned = _reserved()
    kinds: set[str] = set()
    for n in load_notices(tmp_path):
        assert n.id.startswith(ID_PREFIX)
        assert n.short not in real_text and not any(p in n.text for p in places), n.id
        assert not any(w in n.text for w in banned), n.id
        root, _ = parse_notice(n)
        assert len(root.children) == 1 + len(n.attachments)  # body + every 附件 found by its anchor
        chunks = chunk_notice(n)
        kinds |= {c.kind.value for c in chunks}
        for c in chunks:
            assert c.text == normalize_ws(n.text[c.start : c.end])
        assert any("、" in p and p[0] in "一二三四五六七八九" for c in chunks for p in c.path)
    assert {"body", "form_field", "form_guidance", "contact", "rule"} <= kinds
    real_chars = sum(len(n.text) for n in load_notices(CORPUS_DIR))
    assert made.real_chars == real_chars


def _ask(data_dir: Path, extra: Path | None, questions: list[str]) -> list[dict[str, Any]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIEBANG_")}
    env.update({"JIEBANG_DATA_DIR": str(data_dir), "JIEBANG_EMBEDDING": "none"})
    if extra is not None:
        env["JIEBANG_EXTRA_CORPUS_DIR"] = str(extra)
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "--today", TODAY, "-"],
        input="\n".join(questions) + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=180,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def _by_question(answers: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {a["question"]: a for a in answers}


@pytest.fixture(scope="module")
def base_answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Answers to every question here from a process with the five shipped notices alone."""
    asked = QUESTIONS + SHIFTING + VARIED
    base = _ask(tmp_path_factory.mktemp("growth-base"), None, asked)
    assert len(base) == len(asked)
    return _by_question(base)


def _grown(
    tmp_path_factory: pytest.TempPathFactory, scale: float, asked: list[str]
) -> tuple[dict[str, dict[str, Any]], str]:
    """Answers from a process with a synthetic corpus of `scale`× the real one, and a synthetic city,
    which the process is also asked about, so the extra notices are known to be loaded."""
    root = tmp_path_factory.mktemp(f"growth-{scale:g}x")
    extra = root / "synthetic"
    write_corpus(extra, scale)
    city = load_notices(extra)[0].short
    grown = _ask(root / "data", extra, [*asked, f"{city}的需求表什么时候截止？"])
    assert len(grown) == len(asked) + 1
    return _by_question(grown), city


@pytest.fixture(scope="module")
def answers_with_and_without(
    tmp_path_factory: pytest.TempPathFactory, base_answers: dict[str, dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, Any], str]:
    """Answers by question, from a process without and one with a 2× synthetic corpus."""
    grown, city = _grown(tmp_path_factory, 2.0, QUESTIONS + SHIFTING)
    return base_answers, grown, city


def _essence(a: dict[str, Any]) -> tuple[Any, ...]:
    """The whole answer: text (a refusal's list of covered notices included), citations, notices."""
    return a["refused"], a["answer"], a["citations"], a["notices"]


@pytest.mark.parametrize("question", QUESTIONS + SHIFTING)
def test_answers_about_real_notices_do_not_change(
    answers_with_and_without: tuple[dict[str, Any], dict[str, Any], str], question: str
) -> None:
    base, grown, _ = answers_with_and_without
    a, b = base[question], grown[question]
    assert a["refused"] == b["refused"]
    assert a["answer"] == b["answer"]
    assert a["citations"] == b["citations"]
    assert a["notices"] == b["notices"]
    assert a["refused"] or a["citations"]


def test_varied_questions_about_real_notices_are_unchanged_by_ten_times_more_notices(
    tmp_path_factory: pytest.TempPathFactory, base_answers: dict[str, dict[str, Any]]
) -> None:
    grown, city = _grown(tmp_path_factory, 10.0, VARIED)
    probe = grown[f"{city}的需求表什么时候截止？"]
    assert not probe["refused"] and probe["citations"][0]["notice"].startswith(ID_PREFIX)
    answered = [q for q in VARIED if not base_answers[q]["refused"]]
    assert len(answered) >= 24 and all(base_answers[q]["citations"] for q in answered)
    moved = [q for q in VARIED if _essence(base_answers[q]) != _essence(grown[q])]
    assert not moved, moved


def test_an_extra_notice_sharing_a_real_name_does_not_join_questions_about_the_real_notice(
    tmp_path: Path, base_answers: dict[str, dict[str, Any]]
) -> None:
    """An extra notice that also answers to 泉州 (say, a later 泉州 notice) stays out of a question
    that only says 泉州; its own name still reaches it."""
    extra = tmp_path / "synthetic"
    write_corpus(extra, 1.5)
    manifest = extra / "manifest.yaml"
    entries = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    entries[0]["aliases"] = [*entries[0]["aliases"], "泉州", "泉州市"]
    manifest.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")
    city = entries[0]["short"]
    asked = ["泉州的需求表最晚什么时候交？", "泉州重大技术需求由谁组织论证", "泉州需求征集的联系人和电话"]
    grown = _by_question(_ask(tmp_path / "data", extra, [*asked, f"{city}的需求表什么时候截止？"]))
    for q in asked:
        assert _essence(grown[q]) == _essence(base_answers[q]), q
    probe = grown[f"{city}的需求表什么时候截止？"]
    assert probe["notices"] == [entries[0]["id"]] and not probe["refused"]
