"""The records tests' database fixtures (SQLite and PostgreSQL), all of them, private helpers
included, so these tests follow any change there."""
from __future__ import annotations

from tests.records import conftest as _records

for _name, _value in vars(_records).items():
    if hasattr(_value, "_fixture_function_marker") or hasattr(_value, "_pytestfixturefunction") \
            or type(_value).__name__ == "FixtureFunctionDefinition":
        globals()[_name] = _value
