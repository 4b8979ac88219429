"""`jiebang facts coverage | propose | show`: the catalogue reviewer's view, each fact beside its sentence."""

from __future__ import annotations

import argparse
import json
from typing import Any

import yaml

from bot.errors import EXIT_FAIL, EXIT_OK, UsageError


def register(sub: Any) -> None:
    p = sub.add_parser("facts", help="事实目录：覆盖率、候选事实、逐条对照原文")
    fsub = p.add_subparsers(dest="what", required=True)
    c = fsub.add_parser("coverage", help="每份通知的覆盖率（日期、金额、比例、电话、规范性用语…）")
    c.add_argument("--json", action="store_true", help="输出 JSON")
    c.add_argument("--missing", action="store_true", help="列出未覆盖的标记")
    c.set_defaults(func=cmd_coverage)
    pr = fsub.add_parser("propose", help="为未覆盖的句子提出候选事实（YAML）")
    pr.add_argument("notice", help="通知编号；见 `jiebang notices`")
    pr.set_defaults(func=cmd_propose)
    s = fsub.add_parser("show", help="逐条列出某通知的事实及其原句")
    s.add_argument("notice", help="通知编号；见 `jiebang notices`")
    s.set_defaults(func=cmd_show)


def _notice(raw: str) -> str:
    from knowledge.corpus import notice_ids

    if raw not in notice_ids():
        raise UsageError(f"没有编号为“{raw}”的通知。可用的编号：{'、'.join(notice_ids())}。")
    return raw


def cmd_coverage(args: argparse.Namespace) -> int:
    from knowledge.corpus import notice_ids
    from knowledge.coverage import coverage

    reports = [coverage(nid) for nid in notice_ids()]
    if args.json:
        rows = [
            {
                "notice": r.notice,
                "markers": r.total,
                "covered": r.covered,
                "ratio": round(r.ratio, 4),
                "missing": [{"kind": m.kind, "text": m.text, "start": m.start} for m in r.missing],
            }
            for r in reports
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for r in reports:
            print(f"{r.notice}\t{r.covered}/{r.total}\t{r.ratio:.1%}")
            if args.missing:
                for m in r.missing:
                    print(f"  - {m.kind} @{m.start}: {m.text}")
    return EXIT_OK if all(r.ratio == 1.0 for r in reports) else EXIT_FAIL


def cmd_propose(args: argparse.Namespace) -> int:
    from knowledge.coverage import propose

    print(yaml.safe_dump(propose(_notice(args.notice)), allow_unicode=True, sort_keys=False, width=200))
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from knowledge.catalogue import facts_of
    from knowledge.corpus import get_notice
    from knowledge.coverage import sentence_at

    nid = _notice(args.notice)
    text = get_notice(nid).text
    for f in facts_of(nid):
        s, e = f.span()
        ss, se = sentence_at(text, s, e)
        typed = {
            k: v
            for k, v in f.model_dump(exclude_defaults=True, mode="json").items()
            if k not in ("id", "notice", "kind", "label", "quote", "questions", "also")
        }
        print(f"■ {f.id}  [{f.kind.value}]  {f.label}")
        print(f"  原句：{text[ss:se].strip()}")
        print(f"  引文：{f.quote}")
        if typed:
            print(f"  类型化：{json.dumps(typed, ensure_ascii=False)}")
        print()
    return EXIT_OK
