"""One settings object. Defaults work offline; environment variables (CLERK_*) and CLI flags override.

Read from the environment only at the edges (CLI main, app start), never at import.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Mapping

from ingest.embed import DEFAULT_MODEL


@dataclass(frozen=True)
class Settings:
    store: Path = Path(".clerk")
    chroma_url: str | None = None
    embedding_model: str = DEFAULT_MODEL
    k: int = 5
    threads: int | None = None
    # The least probability that the records answer (assistant/abstain.py) at which Clerk answers; unset,
    # the fitted model's own threshold (assistant/data/abstention.json), chosen out of fold.
    abstain_threshold: float | None = None
    max_question_chars: int = 2000
    # Seconds reading one file (parsing and chunking it) may take in an ingest before it fails alone
    # (ingest/budget.py): a 20,000-page PDF or a broken one that pypdf reads slowly; 0 turns the budget off.
    parse_seconds: float = 60.0
    answer_sentences: int = 5
    reranker: str | None = None  # a local cross-encoder directory; off by default
    vocabulary: str | None = None  # an extra synonyms file, added to assistant/data/vocabulary.tsv
    sync_rate: float = 2.0  # requests a second to a council's site (`clerk sync`)
    sync_look_back_days: int = 120  # re-read meetings this far before the last sync: minutes come late
    # Optional language model (assistant/llm.py): an OpenAI-compatible chat-completions endpoint.
    llm_url: str | None = None  # e.g. http://127.0.0.1:8080/v1; unset: answers are extractive
    llm_model: str | None = None
    llm_api_key: str | None = field(default=None, repr=False)  # never printed with the settings
    llm_timeout: float = 180.0  # seconds to wait for the server, and between streamed pieces: a 1.5B model on
    # one CPU thread takes 1 to 2 minutes to read the passages and answer
    llm_max_tokens: int = 400
    # The app's uploads: each file (a zip too) and each file unpacked from a zip, in MB; a zip's
    # file count and unpacked total, so a small zip cannot fill the disk.
    upload_max_mb: int = 50
    upload_zip_max_files: int = 500
    upload_zip_max_mb: int = 500
    app_password: str | None = field(default=None, repr=False)  # shared password for the app; off when unset
    api_token: str | None = field(default=None, repr=False)  # `clerk api`: the bearer token it asks for; off when unset
    # Watches' e-mail digests (assistant/digest.py): sent after a check that found something, when host and to are set.
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "clerk@localhost"
    smtp_to: str | None = None  # one address, or several separated by commas
    smtp_user: str | None = None  # with a password: logs in, only ever after STARTTLS
    smtp_password: str | None = field(default=None, repr=False)
    # Seconds a writer (ingest, sync, the app's upload or delete) waits for another process writing the same
    # store before it gives up with a message (ingest/writer.py). Long: an ingest of a big folder takes minutes.
    write_wait: float = 900.0

    _ENV = {
        "store": "CLERK_STORE",
        "chroma_url": "CLERK_CHROMA_URL",
        "embedding_model": "CLERK_EMBEDDING_MODEL",
        "k": "CLERK_K",
        "threads": "CLERK_THREADS",
        "abstain_threshold": "CLERK_ABSTAIN_THRESHOLD",
        "max_question_chars": "CLERK_MAX_QUESTION_CHARS",
        "parse_seconds": "CLERK_PARSE_SECONDS",
        "vocabulary": "CLERK_VOCABULARY",
        "reranker": "CLERK_RERANKER",
        "sync_rate": "CLERK_SYNC_RATE",
        "sync_look_back_days": "CLERK_SYNC_LOOK_BACK_DAYS",
        "llm_url": "CLERK_LLM_URL",
        "llm_model": "CLERK_LLM_MODEL",
        "llm_api_key": "CLERK_LLM_API_KEY",
        "llm_timeout": "CLERK_LLM_TIMEOUT",
        "llm_max_tokens": "CLERK_LLM_MAX_TOKENS",
        "upload_max_mb": "CLERK_UPLOAD_MAX_MB",
        "upload_zip_max_files": "CLERK_UPLOAD_ZIP_MAX_FILES",
        "upload_zip_max_mb": "CLERK_UPLOAD_ZIP_MAX_MB",
        "app_password": "CLERK_APP_PASSWORD",
        "api_token": "CLERK_API_TOKEN",
        "smtp_host": "CLERK_SMTP_HOST",
        "smtp_port": "CLERK_SMTP_PORT",
        "smtp_from": "CLERK_SMTP_FROM",
        "smtp_to": "CLERK_SMTP_TO",
        "smtp_user": "CLERK_SMTP_USER",
        "smtp_password": "CLERK_SMTP_PASSWORD",
        "write_wait": "CLERK_WRITE_WAIT",
    }

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> "Settings":
        env = os.environ if env is None else env
        values = {}
        types = {f.name: f.type for f in fields(cls)}
        for name, var in cls._ENV.items():
            if env.get(var):
                values[name] = _convert(types[name], env[var], var)
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "store" in values:
            values["store"] = Path(values["store"]).expanduser()
        return replace(cls(), **values)


def _convert(type_name: str, raw: str, var: str):
    try:
        if "int" in type_name:
            return int(raw)
        if "float" in type_name:
            return float(raw)
    except ValueError:
        raise ValueError(f"{var}={raw!r} is not a number") from None
    return raw
