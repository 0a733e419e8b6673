"""Settings for benchmarks/portal_bench.py: the real settings plus one minimal baseline view."""

from govcredit.settings import *  # noqa: F403

ROOT_URLCONF = "portal_bench_urls"
LOGGING = {"version": 1, "disable_existing_loggers": False}  # quiet: 404s of a load test are not news
