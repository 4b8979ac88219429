"""`jiebang index | notices | search | eval retrieval`: thin wrappers over `knowledge`."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from bot.errors import EXIT_FAIL, EXIT_OK, UsageError
from bot.payloads import answer_json, hit_json, notice_json
from knowledge.corpus import UnknownNoticeError, notices
from knowledge.types import Hit

MAX_STDIN_QUERY = 100_000


def register(sub: Any) -> None:
    register_ask(sub)
    p = sub.add_parser("index", help="建立或检查检索索引（已是最新时不做任何事）")
    p.add_argument("--rebuild", action="store_true", help="强制重建")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("notices", help="列出收录的通知")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_notices)

    p = sub.add_parser("search", help="检索通知原文片段")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("-k", type=int, default=None, help="返回条数（默认 5）")
    p.add_argument("--notice", action="append", help="只在某通知内检索（可重复）；编号见 `jiebang notices`")
    p.add_argument("query", help="检索内容；用 - 从标准输入逐行读取（输出 JSON Lines）")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("eval", help="在标注集上评测")
    esub = p.add_subparsers(dest="what", required=True)
    r = esub.add_parser("retrieval", help="检索评测：hit@1/3/5 与 MRR")
    r.add_argument("file", type=Path)
    r.add_argument("-k", type=int, default=5)
    r.add_argument("--verbose", action="store_true", help="列出未命中的条目")
    r.set_defaults(func=cmd_eval_retrieval)
    a = esub.add_parser("answers", help="回答评测：分类通过率、拒答精确率与召回率")
    a.add_argument("file", type=Path)
    a.add_argument("--today", type=parse_date, default=None, help="今天的日期 YYYY-MM-DD")
    a.add_argument("--verbose", action="store_true", help="列出未通过的条目及原因")
    a.add_argument("--category", action="append", help="只评测某一类（可重复）")
    a.set_defaults(func=cmd_eval_answers)


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期应写成 YYYY-MM-DD，例如 2026-11-23，而不是 {value!r}") from exc


def cmd_index(args: argparse.Namespace) -> int:
    from knowledge.index import ensure_index

    status = ensure_index(rebuild=args.rebuild)
    verb = "已建立" if status.built else "已是最新，无需重建"
    print(f"索引{verb}：{status.chunks} 个片段，键 {status.key}，用时 {status.seconds:.2f} 秒。")
    return EXIT_OK


def cmd_notices(args: argparse.Namespace) -> int:
    items = notices()
    if args.json:
        print(json.dumps([notice_json(n) for n in items], ensure_ascii=False, indent=1))
        return EXIT_OK
    for n in items:
        print(f"{n.id:<11}{n.short}　{n.title}")
        print(f"{'':<11}{n.issuer}　{n.doc_number or '（无文号）'}　{n.issue_date or '（未印发文日期）'}")
        for att in n.attachments:
            print(f"{'':<13}附件{att.n}：{att.title}")
            if att.subdocument is not None:
                sd = att.subdocument
                print(f"{'':<15}（{sd.issuer}，{sd.issue_date}）")
    return EXIT_OK


def _search(query: str, k: int | None, notice_ids: list[str] | None) -> list[Hit]:
    from knowledge.passages import search_passages
    from knowledge.retrieve import check_notices, get_searcher
    from knowledge.settings import get_settings

    settings = get_settings()
    return search_passages(get_searcher(settings), query, k or settings.top_k, check_notices(notice_ids))


def cmd_search(args: argparse.Namespace) -> int:
    from knowledge.mentions import QueryError

    if args.k is not None and not 1 <= args.k <= 50:
        raise UsageError("-k 应在 1 到 50 之间。")
    try:
        if args.query == "-":
            for line in sys.stdin:
                query = line.rstrip("\n")[:MAX_STDIN_QUERY]
                try:
                    hits = _search(query, args.k, args.notice)
                    out: dict[str, Any] = {"query": query, "hits": [hit_json(h) for h in hits]}
                except QueryError as exc:
                    out = {"query": query, "hits": [], "error": str(exc)}
                print(json.dumps(out, ensure_ascii=False), flush=True)
            return EXIT_OK
        hits = _search(args.query, args.k, args.notice)
    except UnknownNoticeError as exc:
        raise UsageError(str(exc)) from exc
    except QueryError as exc:
        raise UsageError(str(exc)) from exc
    if args.json:
        print(
            json.dumps(
                {"query": args.query, "hits": [hit_json(h) for h in hits]}, ensure_ascii=False, indent=1
            )
        )
        return EXIT_OK
    if not hits:
        print("没有找到相关内容。")
        return EXIT_FAIL
    for i, h in enumerate(hits, 1):
        print(
            f"[{i}] {h.chunk.path_str}  （{h.chunk.notice}，得分 {h.score:.3f}，字符 {h.chunk.start}-{h.chunk.end}）"
        )
        print(f"    {h.chunk.text}")
    return EXIT_OK


def cmd_eval_retrieval(args: argparse.Namespace) -> int:
    from knowledge.evaluate import GoldFileError, eval_retrieval, load_gold
    from knowledge.retrieve import get_searcher

    try:
        items = load_gold(args.file)
    except GoldFileError as exc:
        raise UsageError(str(exc)) from exc
    from knowledge.passages import search_passages

    searcher = get_searcher()
    report = eval_retrieval(items, lambda q, k: search_passages(searcher, q, k), k=args.k)
    for line in report.lines():
        print(line)
    if args.verbose and report.misses:
        print("misses: " + ", ".join(report.misses))
    return EXIT_OK


def cmd_eval_answers(args: argparse.Namespace) -> int:
    from knowledge.answer import converse
    from knowledge.corpus import notice_text
    from knowledge.evaluate import GoldFileError, eval_answers, load_gold

    try:
        items = load_gold(args.file)
    except GoldFileError as exc:
        raise UsageError(str(exc)) from exc
    if args.category:
        items = [i for i in items if i.get("category") in args.category]
    report = eval_answers(items, lambda qs, d: converse(qs, today=d)[-1], notice_text, today=args.today)
    for line in report.lines():
        print(line)
    if args.verbose:
        for f in report.failures:
            print("FAIL " + f)
    return EXIT_OK


def register_ask(sub: Any) -> None:
    p = sub.add_parser("ask", help="提问，得到带引用的回答")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--today", type=parse_date, default=None, help="今天的日期 YYYY-MM-DD（默认北京时间今天）")
    p.add_argument(
        "--conversation",
        action="store_true",
        help="与 - 一起用：相邻的行是同一段对话（追问沿用上文），空行开始新的对话",
    )
    p.add_argument("question", help="问题；用 - 从标准输入逐行读取（每行输出一个 JSON 对象）")
    p.set_defaults(func=cmd_ask)


def cmd_ask(args: argparse.Namespace) -> int:
    from knowledge.answer import Context, answer, render_text

    if args.conversation and args.question != "-":
        raise UsageError("--conversation 需要从标准输入读取问题：jiebang ask --json --conversation -")
    if args.question == "-":
        context: Context | None = None
        for line in sys.stdin:
            question = line.rstrip("\n")[:MAX_STDIN_QUERY]
            if args.conversation and not question.strip():
                context = None
                continue
            ans = answer(question, today=args.today, context=context)
            if args.conversation:
                context = Context.after(ans, args.today)
            print(json.dumps(answer_json(ans), ensure_ascii=False), flush=True)
        return EXIT_OK
    ans = answer(args.question, today=args.today)
    if args.json:
        print(json.dumps(answer_json(ans), ensure_ascii=False, indent=1))
    else:
        print(render_text(ans))
    return EXIT_OK
