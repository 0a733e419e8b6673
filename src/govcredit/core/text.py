"""Text PostgreSQL cannot store: NUL and lone surrogates (it refuses them; SQLite would not)."""

import re

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
