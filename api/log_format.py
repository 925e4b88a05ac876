"""Log records as text lines or as JSON lines (LEDGER_LOG_FORMAT), for `ledger serve` and `ledger worker`.

The JSON formatter is a few lines over the standard library's Formatter: the record's fixed fields
and nothing else (no arbitrary `extra`, which could carry personal data), so a dependency would
add nothing here.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any, Literal

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
LOGGERS = ("uvicorn", "uvicorn.error", "kinerja", "ledger")


class JsonLines(logging.Formatter):
    """One JSON object per record: time (UTC, RFC 3339), level, logger, message, and the
    exception's text when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def formatter(log_format: Literal["text", "json"]) -> logging.Formatter:
    return JsonLines() if log_format == "json" else logging.Formatter(TEXT_FORMAT)


def log_config(log_format: Literal["text", "json"]) -> dict[str, Any]:
    """uvicorn's `log_config`: its loggers and ours to stderr; no handler prints a raw path."""
    chosen = {"()": "api.log_format.JsonLines"} if log_format == "json" else {"format": TEXT_FORMAT}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"chosen": chosen},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "chosen", "stream": "ext://sys.stderr"}
        },
        "loggers": {name: {"handlers": ["stderr"], "level": "INFO", "propagate": False} for name in LOGGERS},
    }
