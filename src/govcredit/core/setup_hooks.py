"""`govcredit setup` calls each app's ``<app>.setup`` module: every ``load_defaults`` first
(reference data, catalog, measures …), then, with --demo, every ``load_demo``, in INSTALLED_APPS order."""

from __future__ import annotations

from collections.abc import Callable

from .hooks import app_modules


def run(phase: str, log: Callable[[str], object] = print) -> None:
    for name, module in app_modules("setup"):
        hook = getattr(module, phase, None)
        if hook is not None:
            result = hook()
            log(f"  {name}.{phase}: {result if result is not None else 'ok'}")
