"""How `eventql serve` logs: text lines or JSON lines (`EVENTQL_LOG_FORMAT`), and every line
written while a request is answered tagged with its request ID (`gql.http.request_id`).

`log_config(format)` is a `logging.config.dictConfig` dictionary for the whole process —
eventql's loggers, uvicorn's server and access logs — that `eventql serve` applies and hands
to uvicorn, which applies it again in each worker process. Access lines go to stdout and
everything else to stderr, as uvicorn does by default.

    text:  INFO:     [3f2a…] 127.0.0.1:50312 - "POST /graphql HTTP/1.1" 200
    json:  {"time": "2026-11-30T14:05:09.123Z", "level": "INFO", "logger": "uvicorn.access",
            "message": "127.0.0.1:50312 - \"POST /graphql HTTP/1.1\" 200",
            "request_id": "3f2a…", "client": "127.0.0.1:50312", "method": "POST",
            "path": "/graphql", "status": 200}

A traceback stays in its record: in JSON it is the `exception` field of the one line.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any, Literal

import orjson

__all__ = ["JsonFormatter", "TextFormatter", "log_config"]

LogFormat = Literal["text", "json"]
#: uvicorn's access records carry these arguments, in this order.
_ACCESS_ARGS = ("client", "method", "path", "http_version", "status")


class TextFormatter(logging.Formatter):
    """`LEVEL:     [request id] message`, as uvicorn writes its own lines."""

    def format(self, record: logging.LogRecord) -> str:
        """One line (plus a traceback, if any), the request ID in brackets when there is one."""
        message = super().format(record)
        request_id = getattr(record, "request_id", None)
        prefix = f"{record.levelname}:".ljust(9)
        return f"{prefix} [{request_id}] {message}" if request_id else f"{prefix} {message}"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, and the fields of
    an access line."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        moment = datetime.fromtimestamp(record.created, UTC)
        entry: dict[str, Any] = {
            "time": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            entry["request_id"] = request_id
        if record.name == "uvicorn.access" and isinstance(record.args, tuple):
            if len(record.args) == len(_ACCESS_ARGS):
                entry.update(zip(_ACCESS_ARGS, record.args, strict=True))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


def log_config(log_format: LogFormat, level: str = "INFO") -> dict[str, Any]:
    """The `dictConfig` of a serving process: every logger through handlers that tag records
    with the request ID and write them as `log_format`."""
    formatter = JsonFormatter if log_format == "json" else TextFormatter

    def handler(stream: str) -> dict[str, Any]:
        return {
            "class": "logging.StreamHandler",
            "stream": stream,
            "formatter": "eventql",
            "filters": ["request_id"],
        }

    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "gql.http.request_id.RequestIdFilter"}},
        "formatters": {"eventql": {"()": f"{formatter.__module__}.{formatter.__qualname__}"}},
        "handlers": {"default": handler("ext://sys.stderr"), "access": handler("ext://sys.stdout")},
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": ["access"], "level": level, "propagate": False},
        },
        "root": {"handlers": ["default"], "level": level},
    }
