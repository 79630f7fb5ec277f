"""Every settings mistake is a message and exit code 4, never a traceback (issue 15).

`eventql serve` and the uvicorn entry (`eventql.asgi:create_app_from_env`) run as real child
processes, with the environment a user would set; `seed`, `import` and `export` run through
typer's CliRunner. Each message names the setting, quotes the value, says what was wrong and
what is accepted; "serving" is never printed before a setting is refused.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from pydantic.fields import FieldInfo
from typer.testing import CliRunner

from eventql.cli import app
from eventql.exit_codes import ExitCode
from eventql.settings_errors import read_settings
from gql.settings import Settings
from tests.import_files import UCDP_FILE
from tests.server_process import free_port

runner = CliRunner()

#: Bad settings a user has typed, and words their message must hold.
MISTAKES = [
    ("CORS_ORIGINS", '["*"]', ["EVENTQL_CORS_ORIGINS", "'*' (any origin) is refused", "comma"]),
    ("CORS_ORIGINS", "localhost:5173", ["'localhost:5173' is not an origin", "scheme://host"]),
    ("CORS_ORIGINS", '["http://a.example"', ["not a JSON list", "Accepted: explicit origins"]),
    (
        "DATABASE_URL",
        "mysql://app:secret@db/events",
        ["does not support 'mysql' databases", "Accepted: sqlite:///PATH", "postgresql://"],
    ),
    ("DATABASE_URL", "eventql.sqlite3", ["not a database URL", "Accepted: sqlite:///PATH"]),
    ("PORT", "80a", ["EVENTQL_PORT='80a'", "valid integer", "whole number (at least 0"]),
    ("WORKERS", "0", ["EVENTQL_WORKERS='0'", "at least 1, at most 64"]),
    ("FAST_PATH", "maybe", ["EVENTQL_FAST_PATH='maybe'", "true or false"]),
    ("REQUEST_TIMEOUT_S", "soon", ["EVENTQL_REQUEST_TIMEOUT_S", "a number (greater than 0)"]),
    (
        "READ_REPLICA_URLS",
        "mysql://app:secret@replica/events",
        ["'mysql' is not a PostgreSQL URL", "Accepted: PostgreSQL URLs", "comma-separated"],
    ),
    (
        "READ_REPLICA_URLS",
        "postgresql://app@r1/events,app:secret@r2/events",
        ["one is not a database URL", "Accepted: PostgreSQL URLs"],
    ),
    (
        "READ_REPLICA_URLS",
        "postgresql://app@replica/events",  # the primary is the default: a SQLite file
        ["read replicas need a PostgreSQL EVENTQL_DATABASE_URL", "Accepted: PostgreSQL URLs"],
    ),
]
IDS = [f"{name.lower()}={value}" for name, value, _ in MISTAKES]


#: The test's environment without eventql's settings, so that only the test's own apply.
_ENVIRONMENT = {k: v for k, v in os.environ.items() if not k.startswith("EVENTQL_")}


def _clean(output: str) -> None:
    assert "Traceback" not in output
    assert "serving" not in output


def _run(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={**_ENVIRONMENT, **env},
        timeout=120,
    )


@pytest.mark.parametrize(("name", "value", "words"), MISTAKES, ids=IDS)
def test_serve_refuses_a_bad_setting_in_two_lines(
    name: str, value: str, words: list[str], tmp_path: Path
) -> None:
    done = _run("-m", "eventql", "serve", env={f"EVENTQL_{name}": value}, cwd=tmp_path)

    assert done.returncode == ExitCode.SETTINGS
    _clean(done.stdout + done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 2, done.stderr
    assert lines[0].startswith(f"Invalid setting EVENTQL_{name}=")
    assert lines[1].startswith("  Accepted: ")
    for word in words:
        assert word in done.stderr
    assert "secret" not in done.stderr  # a password is never echoed back
    assert list(tmp_path.iterdir()) == []  # no database file made


@pytest.mark.parametrize(("name", "value", "words"), MISTAKES[:5], ids=IDS[:5])
def test_the_uvicorn_entry_refuses_a_bad_setting_cleanly(
    name: str, value: str, words: list[str], tmp_path: Path
) -> None:
    done = _run(
        "-m",
        "uvicorn",
        "eventql.asgi:create_app_from_env",
        "--factory",
        "--port",
        str(free_port()),
        env={f"EVENTQL_{name}": value},
        cwd=tmp_path,
    )

    assert done.returncode == ExitCode.SETTINGS
    assert "Traceback" not in done.stdout + done.stderr
    for word in words:
        assert word in done.stderr


def test_serve_names_the_option_that_gave_a_bad_value(tmp_path: Path) -> None:
    done = _run(
        "-m", "eventql", "serve", "--database-url", "mysql://db/events", env={}, cwd=tmp_path
    )

    assert done.returncode == ExitCode.SETTINGS
    _clean(done.stdout + done.stderr)
    assert done.stderr.startswith("Invalid setting --database-url='mysql://db/events': ")


def test_serve_refuses_a_port_in_use_before_serving(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _run("-m", "eventql", "serve", "--port", str(port), env={}, cwd=tmp_path)

    assert done.returncode == ExitCode.SETTINGS
    _clean(done.stdout + done.stderr)
    assert f"Cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Address already in use" in done.stderr


def test_serve_on_a_database_in_a_missing_folder_is_a_database_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'no-such-folder' / 'db.sqlite3'}"
    done = _run("-m", "eventql", "serve", env={"EVENTQL_DATABASE_URL": url}, cwd=tmp_path)

    assert done.returncode == ExitCode.DATABASE
    _clean(done.stdout + done.stderr)
    assert done.stderr.strip() == (
        f"Database error ({url}): OperationalError: unable to open database file"
    )


def _bad_value(info: FieldInfo) -> str | None:
    """A value the setting cannot take, from its type (None: it takes any text)."""
    annotation = info.annotation
    if annotation is bool:
        return "maybe"
    if annotation in (int, float):
        return "many"
    if typing.get_origin(annotation) is typing.Literal:
        return "no-such-choice"
    if typing.get_origin(annotation) is list:
        return "*"
    return None


#: Every setting that some value is wrong for (new settings are covered as they are added).
CHECKED = [
    (name, bad)
    for name, info in Settings.model_fields.items()
    if (bad := _bad_value(info) if name != "database_url" else "nope") is not None
]


@pytest.mark.parametrize(("field", "bad"), CHECKED, ids=[name for name, _ in CHECKED])
@pytest.mark.parametrize(
    "command",
    [
        ["seed", "--dry-run"],
        ["import", "ucdp", str(UCDP_FILE), "--dry-run"],
        ["export", "csv"],
        ["export-schema", "-o", "-"],
    ],
    ids=["seed", "import", "export", "export-schema"],
)
def test_every_setting_is_checked_by_every_command(
    command: list[str], field: str, bad: str, tmp_path: Path
) -> None:
    variable = f"EVENTQL_{field.upper()}"
    result = runner.invoke(app, command, env={variable: bad})

    assert result.exit_code == ExitCode.SETTINGS, result.output
    assert "Traceback" not in result.output
    assert result.stderr.startswith(f"Invalid setting {variable}={bad!r}: "), result.stderr
    assert "\n  Accepted: " in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    "command",
    [["seed"], ["import", "ucdp", str(UCDP_FILE)], ["export", "csv"]],
    ids=["seed", "import", "export"],
)
def test_a_bad_database_url_option_is_a_settings_error(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--database-url", "postgresql+asyncpg://db/x"])

    assert result.exit_code == ExitCode.SETTINGS
    assert "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        "Invalid setting --database-url='postgresql+asyncpg://db/x': eventql does not support "
        "'postgresql+asyncpg' databases.",
        "  Accepted: sqlite:///PATH (a file; sqlite:////abs/path for an absolute one) or "
        "postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE.",
    ]


@pytest.mark.parametrize(
    ("value", "origins"),
    [
        ("http://localhost:5173", ["http://localhost:5173"]),
        (
            " https://app.example/, http://localhost:5173 ,",
            ["https://app.example", "http://localhost:5173"],
        ),
        (
            '["https://app.example", "http://localhost:5173"]',
            ["https://app.example", "http://localhost:5173"],
        ),
        ("", []),
    ],
    ids=["plain", "comma-separated", "json-list", "empty"],
)
def test_cors_origins_are_read_as_people_type_them(
    value: str, origins: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVENTQL_CORS_ORIGINS", value)
    assert read_settings().cors_origins == origins


@pytest.mark.parametrize(
    "value",
    [
        "postgresql://app@r1/events, postgres://app@r2:5433/events,",
        '["postgresql://app@r1/events", "postgres://app@r2:5433/events"]',
    ],
    ids=["comma-separated", "json-list"],
)
def test_read_replica_urls_are_read_as_people_type_them(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVENTQL_DATABASE_URL", "postgresql://app@primary/events")
    monkeypatch.setenv("EVENTQL_READ_REPLICA_URLS", value)
    assert read_settings().read_replica_urls == [
        "postgresql://app@r1/events",
        "postgres://app@r2:5433/events",
    ]
