"""Plain HTML form specs for the back office: the services validate (one rule set for form and API);
these only carry labels, posted values and the service's field errors back to the page."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Field:
    name: str
    label: str
    type: str = "text"
    required: bool = False
    help: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    value: str = ""
    errors: list[str] = field(default_factory=list)
    rows: int = 4


def bind(fields: list[Field], data=None, errors: dict | None = None) -> list[Field]:
    errors = errors or {}
    for f in fields:
        if data is not None and f.type != "file":
            f.value = data.get(f.name, "")
        f.errors = [e for e in errors.get(f.name, []) if e]
    return fields


def unplaced(fields: list[Field], errors: dict) -> list[str]:
    names = {f.name for f in fields}
    return [e for k, msgs in errors.items() if k not in names for e in msgs if e]
