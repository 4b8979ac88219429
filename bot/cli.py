"""`jiebang` command line: a thin client over the engine. Each command group lives in its own module."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from bot.errors import EXIT_FAIL, EXIT_OK, EXIT_USAGE, UsageError
from knowledge.catalogue import CatalogueError
from knowledge.embedding import EmbeddingConfigError
from knowledge.index import IndexError_
from knowledge.settings import SettingsError, checked_settings, prepare_offline_environment

__all__ = ["UsageError", "build_parser", "main"]

# Modules that add subcommands: each has `register(subparsers) -> None` and sets `func` on its parsers.
COMMAND_MODULES = (
    "bot.commands_knowledge",
    "bot.commands_forms",
    "bot.commands_chat",
    "bot.commands_telegram",
    "bot.commands_facts",
    "bot.commands_web",
)


class ChineseHelpFormatter(argparse.RawDescriptionHelpFormatter):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        """argparse's default exits with an English message; keep exit 2 but say it in Chinese too."""
        self.print_usage(sys.stderr)
        print(f"用法错误：{message}。运行 `{self.prog} --help` 查看用法。", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="jiebang",
        description="揭榜助手：揭榜挂帅通知的引用式问答、需求表起草与导出。",
        formatter_class=ChineseHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", parser_class=Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    prepare_offline_environment()
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        checked_settings()
        return func(args)
    except (SettingsError, EmbeddingConfigError) as exc:
        print(f"配置错误：{exc}", file=sys.stderr)
        return EXIT_FAIL
    except UsageError as exc:
        print(f"用法错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except CatalogueError as exc:
        print(f"事实目录有误：{exc}", file=sys.stderr)
        return EXIT_FAIL
    except IndexError_ as exc:
        # an unwritable data dir, a bad or unreachable JIEBANG_CHROMA_URL: the message says what to fix
        print(str(exc), file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        print("\n已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
