"""Shapes shared by the routers: the error answer and the type of a path id."""

from typing import Annotated

from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field, StrictStr

MAX_ID = 2**63 - 1


class Error(Schema):
    detail: str | list | dict


ERROR_CODES = frozenset({400, 401, 403, 404, 409, 422})

ObjectId = Annotated[int, Field(ge=1, le=MAX_ID, description="对象编号（正整数）")]
"""A path parameter naming a database object. Anything else in its place (``abc``, ``0``, ``-1``,
``1.5``, a number past bigint) names nothing: the API's validation handler answers 404 for every
malformed path parameter (``urls.validation_error``), like an unknown path."""


class ReasonIn(BaseModel):
    """The body of an action that must say why (return, revoke, reject)."""

    model_config = ConfigDict(strict=True)

    reason: StrictStr


class NoteIn(BaseModel):
    """The body of an action with an optional note (approve, accept)."""

    model_config = ConfigDict(strict=True)

    note: StrictStr | None = None
