from ninja import Schema


class Error(Schema):
    detail: str | list | dict


ERROR_CODES = frozenset({400, 401, 403, 404, 409, 422})
