"""The OpenAPI document itself: one component per schema name, and the error statuses declared
where they can happen (issue 19.4)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django.test import Client
from pydantic import BaseModel

import govcredit.api

pytestmark = pytest.mark.django_db


def test_no_two_api_schemas_share_a_name():
    """Django Ninja names a component after the class: two classes of one name silently share one
    component, and one operation then declares the other's fields (the public subject search once
    declared the staff search's ``id``)."""
    seen: dict[str, str] = {}
    for info in pkgutil.iter_modules(govcredit.api.__path__):
        if info.name in ("tests", "migrations"):
            continue
        module = importlib.import_module(f"govcredit.api.{info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseModel) and cls.__module__ == module.__name__:
                where = f"{module.__name__}.{name}"
                assert cls.__name__ not in seen, f"{where} and {seen[cls.__name__]} share a schema name"
                seen[cls.__name__] = where


def test_error_statuses_are_declared_where_they_can_happen():
    document = Client().get("/api/v1/openapi.json").json()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            declared = set(operation["responses"])
            label = f"{method.upper()} {path}"
            if operation.get("security"):
                assert {"401", "403"} <= declared, label
            if "{" in path:
                assert "404" in declared, label
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in declared, label
            for status, answer in operation["responses"].items():
                if status.startswith("4"):
                    schema = answer["content"]["application/json"]["schema"]
                    refs = [schema.get("$ref")] + [s.get("$ref") for s in schema.get("anyOf", [])]
                    assert "#/components/schemas/Error" in refs, (label, status)


def test_public_subject_items_are_the_contract_fields():
    document = Client().get("/api/v1/openapi.json").json()
    item = document["components"]["schemas"]["PublicSubject"]
    assert {"code", "name", "kind"} <= set(item["required"]) and "id" not in item["properties"]
