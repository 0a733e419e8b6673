from .reference import load_reference_data as load_defaults  # noqa: F401
