"""Settings read for a command or the server, and every mistake in them said in two lines.

`read_settings()` builds `gql.settings.Settings` from the `EVENTQL_*` variables, with the
command-line options that override them on top; an invalid value ends the process with
`ExitCode.SETTINGS` and, per mistake, which setting (the option's name when an option gave
it), what was wrong with which value, and what is accepted — never a traceback:

    Invalid setting EVENTQL_PORT='80a': Input should be a valid integer, unable to parse ...
      Accepted: a whole number (at least 0, at most 65535).
"""

from __future__ import annotations

import re
import types
from enum import Enum
from typing import Any, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import SettingsError

from eventql.exit_codes import ExitCode, fail
from gql.settings import Settings

__all__ = ["accepted", "invalid_settings_lines", "read_settings"]

#: Longest value quoted back in a message (characters).
_SHOWN_CHARS = 80
#: A password in a URL (`user:password@`), masked when the value is quoted back — also in a
#: URL typed without its scheme, and in each URL of a comma-separated list.
_PASSWORD = re.compile(r"((?:^|://|,)\s*[^:/@,\s]*:)[^@/,]*@")
#: pydantic-settings' error for a value it could not decode, naming the field.
_UNDECODED = re.compile(r'error parsing value for field "(\w+)"')


def read_settings(**options: Any) -> Settings:
    """The settings, `options` (given command-line values; None = not given) over the env.

    Exits with `ExitCode.SETTINGS` and a clear message when a setting is invalid.
    """
    given = {name: value for name, value in options.items() if value is not None}
    try:
        return Settings(**given)
    except ValidationError as error:
        fail(ExitCode.SETTINGS, *invalid_settings_lines(error, options=set(given)))
    except SettingsError as error:  # a value pydantic-settings could not even decode
        match = _UNDECODED.search(str(error))
        name = _setting_name(match.group(1), set()) if match else "an EVENTQL_* setting"
        fail(ExitCode.SETTINGS, f"Invalid setting {name}: {error}.")


def invalid_settings_lines(error: ValidationError, *, options: set[str]) -> list[str]:
    """Two lines per mistake: the setting, value and problem; then what is accepted."""
    lines: list[str] = []
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else ""
        context = item.get("ctx") or {}
        problem = str(context.get("problem") or item["msg"]).rstrip(".")
        info = Settings.model_fields.get(field)
        accepted_text = context.get("accepted") or (accepted(info) if info else None)
        lines.append(
            f"Invalid setting {_setting_name(field, options)}={_shown(item['input'])}: {problem}."
        )
        if accepted_text:
            lines.append(f"  Accepted: {accepted_text}.")
    return lines


def accepted(info: FieldInfo) -> str:
    """What a setting accepts, read from its type and bounds."""
    annotation = _without_none(info.annotation)
    bounds = _bounds(info)
    if annotation is bool:
        return "true or false (also 1/0, yes/no, on/off)"
    if annotation is int:
        return f"a whole number{bounds}"
    if annotation is float:
        return f"a number{bounds}"
    if get_origin(annotation) is Literal:
        return "one of " + ", ".join(str(choice) for choice in get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "one of " + ", ".join(str(member.value) for member in annotation)
    if get_origin(annotation) is list:
        return "a comma-separated list or a JSON list"
    return "text"


def _bounds(info: FieldInfo) -> str:
    said = []
    for item in info.metadata:
        if isinstance(item, annotated_types.Ge):
            said.append(f"at least {item.ge}")
        elif isinstance(item, annotated_types.Gt):
            said.append(f"greater than {item.gt}")
        elif isinstance(item, annotated_types.Le):
            said.append(f"at most {item.le}")
        elif isinstance(item, annotated_types.Lt):
            said.append(f"less than {item.lt}")
    return f" ({', '.join(said)})" if said else ""


def _without_none(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        kept = [arg for arg in get_args(annotation) if arg is not type(None)]
        return kept[0] if len(kept) == 1 else annotation
    return annotation


def _setting_name(field: str, options: set[str]) -> str:
    if field in options:
        return f"--{field.replace('_', '-')}"
    return f"EVENTQL_{field.upper()}"


def _shown(value: Any) -> str:
    text = _PASSWORD.sub(r"\1***@", value) if isinstance(value, str) else value
    shown = repr(text)
    return shown if len(shown) <= _SHOWN_CHARS else shown[: _SHOWN_CHARS - 4] + "...'"
