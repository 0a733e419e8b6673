"""`govcredit setup` calls each app's ``<app>.setup`` module: every ``load_defaults`` first
(reference data, catalog, measures …), then, with --demo, every ``load_demo``, in INSTALLED_APPS order."""

from __future__ import annotations

import importlib

from django.apps import apps


def _modules():
    for config in apps.get_app_configs():
        if not config.name.startswith("govcredit."):
            continue
        try:
            yield config.name, importlib.import_module(f"{config.name}.setup")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.setup":
                raise


def run(phase: str, log=print) -> None:
    for name, module in _modules():
        hook = getattr(module, phase, None)
        if hook is not None:
            result = hook()
            log(f"  {name}.{phase}: {result if result is not None else 'ok'}")
