"""Per-app hook modules: ``<app>/setup.py``, ``<app>/periodic.py``, ``<app>/office.py`` … found one way.

Core never names the apps above it; it asks Django for the installed ``govcredit.*`` apps, in
INSTALLED_APPS order, and imports the hook module each one has."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType

from django.apps import apps


def app_modules(hook: str) -> Iterator[tuple[str, ModuleType]]:
    """``(app name, module)`` for every installed govcredit app that has ``<app>/<hook>.py``."""
    for config in apps.get_app_configs():
        if not config.name.startswith("govcredit."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.{hook}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{hook}":
                raise
            continue
        yield config.name, module
