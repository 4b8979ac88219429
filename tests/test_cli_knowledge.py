"""The CLI contract of `jiebang search | index | notices | eval retrieval`, run as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
    )


def test_search_json_lines_from_stdin() -> None:
    res = run("search", "-", "-k", "2", stdin="泉州 截止\n\n湘潭 补助\n")
    assert res.returncode == 0, res.stderr
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert [r["query"] for r in rows] == ["泉州 截止", "", "湘潭 补助"]
    assert rows[1]["hits"] == [] and "error" in rows[1]
    hit = rows[0]["hits"][0]
    assert set(hit) == {"notice", "path", "text", "start", "end", "score"}
    assert len(rows[2]["hits"]) == 2


def test_search_readable_output_and_notice_filter() -> None:
    res = run("search", "--notice", "jingdezhen", "榜单金额")
    assert res.returncode == 0
    assert "[1] 景德镇" in res.stdout and "traceback" not in res.stderr.lower()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("search", ""), "查询内容为空"),
        (("search", "。。。！！"), "标点"),
        (("search", "--notice", "beijing", "截止"), "可用的编号"),
        (("search", "-k", "0", "截止"), "-k"),
        (("bogus",), "用法错误"),
    ],
)
def test_usage_errors_exit_2_without_traceback(args: tuple[str, ...], needle: str) -> None:
    res = run(*args)
    assert res.returncode == 2
    assert needle in res.stderr
    assert "Traceback" not in res.stderr


def test_index_and_notices_commands() -> None:
    res = run("index")
    assert res.returncode == 0 and "索引" in res.stdout
    res = run("notices", "--json")
    assert [n["id"] for n in json.loads(res.stdout)] == [
        "quanzhou",
        "xiangtan",
        "jingdezhen",
        "liaoning",
        "longquan",
    ]


@pytest.mark.skipif(not DEV.is_file(), reason="dev set not beside the repo")
def test_eval_retrieval_prints_metrics() -> None:
    res = run("eval", "retrieval", str(DEV))
    assert res.returncode == 0, res.stderr
    assert "hit@1" in res.stdout and "MRR" in res.stdout


def test_eval_with_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    res = run("eval", "retrieval", str(tmp_path / "nope.jsonl"))
    assert res.returncode == 2 and "无法读取" in res.stderr
