from govcredit.api.tests.conftest import api, token_for  # noqa: F401  (bearer-token clients)
