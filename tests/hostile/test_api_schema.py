"""Schemathesis against /openapi.json, on SQLite and PostgreSQL, with NUL bytes allowed.

Bounded: a few examples per operation, so the whole run stays well under a minute.
Every response must be a documented status with a body matching its schema, and no
5xx; schema-invalid requests must be refused. One check is left out:
``positive_data_acceptance`` (a schema-valid request must succeed) cannot hold for an
opaque cursor or a free-form date string, which the schema can only call "string";
those are refused with a 422 naming the field, which the other checks accept. Writes carry the API key so their bodies are exercised, not only refused; the two
operations that fetch from the network (archive a URL, crawl a source) are left to
tests/api and tests/hostile/test_api_params.py, which give them local servers.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from newsarchive.storage.db import Database
from newsarchive.storage.migrate import upgrade
from newsarchive.web.app import create_app
from tests.api.helpers import add_article
from tests.conftest import create_pg_database, drop_pg_database, make_settings

API_KEY = "schemathesis-key"
#: examples per operation: enough for hostile strings to show up, bounded for CI
EXAMPLES = 12


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres",
                                                              marks=pytest.mark.postgres)])
def api_schema(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[object]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('st') / 'st.db'}"
    else:
        url = create_pg_database()
    upgrade(url)
    db = Database(url)
    for n in range(1, 6):
        add_article(db, n, f"Story {n} about the river", f"Body {n}: bridge, council, harbor.",
                    authors=["Jane Doe"])
    app = create_app(make_settings(url, api_key=API_KEY, allow_private_networks=False), db=db)
    try:
        yield schemathesis.openapi.from_asgi("/openapi.json", app)
    finally:
        db.dispose()
        if request.param == "postgres":
            drop_pg_database(url)


#: operations that reach out to the network, tested with local servers elsewhere
NETWORK_OPERATIONS = {("POST", "/api/articles"), ("POST", "/api/sources/{source_id}/crawl")}


def test_api_conforms_to_its_schema(api_schema: object) -> None:
    # Driven by hand rather than schemathesis' pytest plugin (which does not load under
    # pytest 9): one hypothesis run per operation, every failure collected.
    failures: dict[str, str] = {}
    tried = 0
    for result in api_schema.get_all_operations():  # type: ignore[attr-defined]
        operation = result.ok()
        if (operation.method.upper(), operation.path) in NETWORK_OPERATIONS:
            continue
        tried += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            @given(operation.as_strategy(generation_mode=mode))
            def check(case: schemathesis.Case) -> None:
                case.call_and_validate(headers={"Authorization": f"Bearer {API_KEY}"},
                                       excluded_checks=[positive_data_acceptance])

            try:
                check()
            except Unsatisfiable:  # no parameters: there is no invalid request to make
                assert mode is GenerationMode.NEGATIVE
            except Exception as exc:  # noqa: BLE001 - collected and reported below
                key = f"{mode.value} {operation.method.upper()} {operation.path}"
                failures[key] = str(exc)[:2000]
    assert tried >= 12  # every read and write operation of the API was exercised
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
