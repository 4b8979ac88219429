"""`jiebang forms` and `jiebang draft`: list the forms, show their fields, draft one in the terminal or
from a JSON answers file. A thin client over `knowledge.formspec`, `validators`, `bot.interview`.

    jiebang forms [--json]
    jiebang forms show ID [--json]
    jiebang draft ID [--new]              # interview in the terminal (input/print over DraftSession);
                                          # offers the user's unfinished drafts of the form unless --new
    jiebang draft ID --answers FILE.json [--out OUT.docx] [--json] [--draft] [--from DRAFT.json ...]

Exit codes: 0 ok, 1 the draft has errors, 2 usage error (unknown form id, unreadable or invalid JSON).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.payloads import check_draft, form_fields_json, form_summary_json
from knowledge.formspec import FieldSpec, FormSpec, UnknownFormError, list_forms, load_form

if TYPE_CHECKING:
    from bot.drafts import Draft, DraftStore

EXIT_OK, EXIT_FAIL = 0, 1
MULTILINE = '"""'


def _usage_error(message: str) -> Exception:
    from bot.cli import UsageError

    return UsageError(message)


def _form(form_id: str) -> FormSpec:
    try:
        return load_form(form_id)
    except UnknownFormError as exc:
        raise _usage_error(str(exc)) from None


def register(subparsers: Any) -> None:
    forms = subparsers.add_parser(
        "forms",
        help="列出可起草的需求表；forms show ID 查看某张表的字段",
        description="列出可起草的需求表。`jiebang forms show ID` 查看一张表的全部字段。",
    )
    forms.add_argument("--json", action="store_true", help="以 JSON 输出")
    forms.set_defaults(func=cmd_forms, forms_command=None)
    forms_sub = forms.add_subparsers(dest="forms_command", parser_class=type(forms))
    show = forms_sub.add_parser("show", help="列出一张表的字段", description="列出一张表的字段。")
    show.add_argument("form_id", metavar="ID", help="表的编号；运行 `jiebang forms` 查看")
    show.add_argument("--json", action="store_true", help="以 JSON 输出")
    show.set_defaults(func=cmd_forms)

    draft = subparsers.add_parser(
        "draft",
        help="起草一张需求表：终端问答，或用 --answers 从 JSON 文件生成 Word",
        description=(
            "起草一张需求表。不带 --answers 时在终端逐项问答（每答一项自动保存）；"
            "带 --answers 时校验 JSON 答案文件并生成 .docx。"
        ),
    )
    draft.add_argument("form_id", metavar="ID", help="表的编号；运行 `jiebang forms` 查看")
    draft.add_argument("--answers", metavar="FILE.json", help="答案文件：键为字段编号或表上印的名称")
    draft.add_argument(
        "--out", metavar="OUT.docx", help="输出的 Word 文件路径（默认放在数据目录 exports/ 下）"
    )
    draft.add_argument("--json", action="store_true", help="以 JSON 输出校验结果")
    draft.add_argument("--draft", action="store_true", help="有错误也导出，文件标明“草稿”并列出问题")
    draft.add_argument(
        "--from",
        dest="sources",
        action="append",
        default=[],
        metavar="DRAFT.json",
        help="汇总表：从导出的企业草稿 JSON 生成汇总行（可重复）",
    )
    draft.add_argument("--user", default="terminal", help="终端问答时草稿归属的用户（默认 terminal）")
    draft.add_argument("--resume", metavar="DRAFT_ID", help="终端问答：继续一份已保存的草稿")
    draft.add_argument(
        "--new", action="store_true", help="终端问答：直接新建草稿，不询问是否继续未完成的草稿（供脚本使用）"
    )
    draft.set_defaults(func=cmd_draft)


# --- forms ------------------------------------------------------------------------------------------


def blank_text(f: FieldSpec) -> str:
    """How the option blanks of a field are filled, for `forms show`: the printed blank and an example."""
    parts = [f"选“{b.option}”须填写表上“{b.printed}”的{b.label}，写成“{b.answer_example}”" for b in f.blanks]
    text = f" 填空：{'；'.join(parts)}" if parts else ""
    optional = [o for o in f.free_text_options if f.blank_for(o) is None]
    if optional:
        text += " 可附说明：" + "；".join(f"选“{o}”时可写成“{o}：说明”" for o in optional)
    return text


def cmd_forms(args: argparse.Namespace) -> int:
    if args.forms_command == "show":
        form = _form(args.form_id)
        rows = form_fields_json(form)
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=2))
            return EXIT_OK
        print(f"{form.name}（{form.id}）：《{form.title}》，共{len(rows)}项")
        for i, fs in enumerate(form.fields, 1):
            need = "必填" if fs.required else "选填"
            limit = f" {fs.limit_text}" if fs.max_chars else ""
            opts = f" 选项：{'／'.join(fs.options)}" if fs.options else ""
            cols = f" 列：{'｜'.join(c.label for c in fs.columns)}" if fs.columns else ""
            print(
                f"{i:>2}. {fs.id}  {form.key_of(fs)}  [{fs.type.value}，{need}{limit}]{opts}{cols}{blank_text(fs)}"
            )
        return EXIT_OK
    forms = list_forms()
    if args.json:
        out = [form_summary_json(spec) for spec in forms]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return EXIT_OK
    for spec in forms:
        print(f"{spec.id:<22} {spec.name}（{len(spec.fields)}项）")
    print("\n运行 `jiebang forms show ID` 查看字段，`jiebang draft ID` 开始起草。")
    return EXIT_OK


# --- draft from a JSON answers file -------------------------------------------------------------------


def _read_json_object(path_text: str) -> dict[str, Any]:
    path = Path(path_text)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _usage_error(f"找不到答案文件 {path}。请检查路径是否正确。") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise _usage_error(
            f"无法读取答案文件 {path}（{exc.__class__.__name__}）。请确认它是 UTF-8 编码的文本文件。"
        ) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise _usage_error(
            f"答案文件 {path} 不是有效的 JSON：第{exc.lineno}行第{exc.colno}列附近有误。"
            '请检查引号、逗号和括号，例如 {"industry": "纺织鞋服", "rd_total": "1200万"}。'
        ) from None
    except RecursionError:  # thousands of nested brackets: Python's parser gives up
        raise _usage_error(
            f"答案文件 {path} 的括号嵌套层数过多，无法读取。答案文件只需一层对象，"
            '值为文字、数字或表格行，例如 {"industry": "纺织鞋服", "peers": [{"name": "某公司"}]}。'
        ) from None
    if not isinstance(data, dict):
        raise _usage_error(
            f"答案文件 {path} 应是一个 JSON 对象（{{…}}），键为字段编号或表上印的名称，"
            "值为答案。运行 `jiebang forms show ID` 查看字段编号。"
        )
    return data


def cmd_draft(args: argparse.Namespace) -> int:
    form = _form(args.form_id)
    if args.answers is None:
        if args.out or args.json or args.draft:
            raise _usage_error(
                f"--out、--json、--draft 需要与 --answers 一起使用，例如 `jiebang draft {form.id} --answers a.json`。"
            )
        return run_terminal(form, args.user, args.resume, new=args.new)
    return run_answers(form, args)


def run_answers(form: FormSpec, args: argparse.Namespace) -> int:
    from exporters import export_form
    from exporters.json_export import read_answers
    from knowledge.settings import get_settings
    from validators import resolve_keys

    data = _read_json_object(args.answers)
    by_id, key_problems = resolve_keys(form, data)
    if args.sources:
        if not form.summary_of:
            raise _usage_error(
                f"--from 只用于汇总表（{'、'.join(f.id for f in list_forms() if f.summary_of)}），{form.id} 不是汇总表。"
            )
        from bot.drafts import summary_rows

        sources = []
        for src in args.sources:
            try:
                src_form, values = read_answers(Path(src))
            except ValueError as exc:
                raise _usage_error(str(exc)) from None
            if src_form not in (None, form.summary_of):
                raise _usage_error(
                    f"{src} 是“{src_form}”表的草稿，汇总表 {form.id} 需要 {form.summary_of} 的草稿。"
                )
            sources.append(values)
        field_id, rows = summary_rows(form, sources)
        existing = by_id.get(field_id)
        by_id[field_id] = (existing if isinstance(existing, list) else []) + rows
    checked = check_draft(form, by_id, key_problems)
    report, errors = checked.report, checked.errors
    path: str | None = None
    message = ""
    if not errors or args.draft:
        out_path = Path(args.out) if args.out else None
        out_dir = get_settings().data_dir / "exports" / "cli"
        if out_path is not None and out_path.is_dir():
            out_dir, out_path = out_path, None
        try:
            result = export_form(form, report.values, out_dir=out_dir, out_path=out_path, draft=args.draft)
        except OSError as exc:
            raise _usage_error(
                f"无法写入输出文件（{exc.strerror or exc.__class__.__name__}）。请换一个可写的 --out 路径。"
            ) from None
        path = result.path
        message = result.message
    ok = not errors
    if args.json:
        print(json.dumps(checked.json(path), ensure_ascii=False, indent=2))
    else:
        for p in errors:
            print(f"错误 [{p.field}] {p.message}")
        for p in report.warnings:
            print(f"提示 [{p.field}] {p.message}")
        if message:
            print(message)
        if path:
            print(f"文件：{path}")
        elif errors:
            print(
                f"共{len(errors)}个错误，未生成文件。修改答案文件后重试；加 --draft 可先生成标明“草稿”的文件。"
            )
    return EXIT_OK if ok else EXIT_FAIL


# --- draft in the terminal ----------------------------------------------------------------------------


def _read_message() -> str | None:
    """One message from the terminal; a line of three quotes starts and ends a multi-line message."""
    try:
        line = input("> ")
    except EOFError:
        return None
    if line.strip() != MULTILINE:
        return line
    lines: list[str] = []
    while True:
        try:
            more = input("… ")
        except EOFError:
            break
        if more.strip() == MULTILINE:
            break
        lines.append(more)
    return "\n".join(lines)


MAX_OFFERED = 9


def unfinished_drafts(store: DraftStore, form: FormSpec, user_id: str) -> list[Draft]:
    """The user's drafts of this form that still have errors or gaps, most recently changed first."""
    from validators import check_values

    drafts = [d for d in store.list(user_id, form.id) if not check_values(form, d.answers).ok]
    return drafts[:MAX_OFFERED]


def choose_draft(form: FormSpec, drafts: list[Draft]) -> str | None:
    """Ask whether to continue an unfinished draft or start a new one.

    Returns the draft id to continue, "" for a new draft, None when the user pressed Ctrl-D.
    """
    from validators.fields import is_empty

    lines = [f"您有{len(drafts)}份未完成的草稿（{form.name}）："]
    for i, d in enumerate(drafts, 1):
        filled = sum(1 for f in form.fields if not is_empty(d.answers.get(f.id)))
        lines.append(
            f"{i}. 《{d.title(form)}》已填{filled}/{len(form.fields)}项，更新于{d.updated_at[:16].replace('T', ' ')}（{d.id}）"
        )
    new = len(drafts) + 1
    lines.append(f"{new}. 新建一份空白草稿")
    lines.append("请回复编号（直接回车继续第1份；以后想跳过这一问直接新建，可加 --new）：")
    print("\n".join(lines))
    which = "1 继续这份草稿" if len(drafts) == 1 else f"1–{len(drafts)} 继续对应的草稿"
    while True:
        try:
            answer = input("> ").strip()
        except EOFError:
            return None
        if not answer:
            return drafts[0].id
        if answer.isdecimal() and 1 <= int(answer) <= len(drafts):
            return drafts[int(answer) - 1].id
        if (answer.isdecimal() and int(answer) == new) or answer in ("新建", "new"):
            return ""
        print(f"没有这个编号。请回复 {which}，或回复 {new} 新建。")


def run_terminal(form: FormSpec, user_id: str, resume: str | None, new: bool = False) -> int:
    from bot.drafts import DraftStore
    from bot.interview import DraftSession

    store = DraftStore()
    if resume is None and not new:
        drafts = unfinished_drafts(store, form, user_id)
        if drafts:
            chosen = choose_draft(form, drafts)
            if chosen is None:
                print("\n没有新建草稿，原有草稿都保留着。")
                return EXIT_OK
            resume = chosen or None
    session = DraftSession(store, user_id)
    reply = session.resume(resume) if resume else session.start(form.id)
    print(reply.text)
    print(f"（多行内容：先输入一行 {MULTILINE}，粘贴后再输入一行 {MULTILINE} 结束。Ctrl-D 暂停并保存。）")
    while True:
        message = _read_message()
        if message is None:
            if session.draft is not None:
                draft_id = session.draft.id
                print("\n" + session.handle("取消").text)
                print(
                    f"下次运行 `jiebang draft {form.id}` 时可以选择继续这份草稿，"
                    f"也可以运行 `jiebang draft {form.id} --resume {draft_id}`。"
                )
            return EXIT_OK
        reply = session.handle(message)
        print(reply.text)
        if reply.document:
            print(f"Word 文件：{reply.document}")
        if reply.done:
            return EXIT_OK
        sys.stdout.flush()
