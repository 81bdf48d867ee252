"""The contract is the behaviour: a property-based client of the served OpenAPI document (schemathesis) calls
EVERY operation of the real server on 127.0.0.1 with real PostgreSQL, with generated valid and invalid requests,
authenticated (a device token on the laptop routes, an integration key on the integration routes, the token of a user
with the municipal reports role on the report routes, so they reach past 403 into their parameters) and without
credentials. Checked on every answer: no status ≥ 500, every status documented for its operation, the body
matching the documented schema and content type, and every error (but the documented 410 revocation) in ErrorBody.

Bounded (``MAX_EXAMPLES`` per operation and phase; fewer without credentials, where most answers are 401) so that
both runs together stay well under two minutes on this 2-core machine. A deeper local sweep: ``CONTRACT_EXAMPLES=1500``
(session 21: 300 per operation, and 1500 on every operation but POST /v1/audit, which ran past pytest's 600 s
timeout on a loaded machine, found no failing answer; the hand-made probes beside them found the query notations of
test_server_query_strings.py and the races of test_server_scale_out_races.py).
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from pydantic import ValidationError
from schemathesis.checks import CheckContext, not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from sync_support import REPO, Device, Env, ThreadServer, assigned_cases, new_config

from sync.protocol import ErrorBody
from sync.server import central, integrations, roles
from sync.server.db import connect
from sync.server.dev import DEMO_UNIT, DEMO_USER, OTHER_USER, seed_demo

# A deeper local sweep: CONTRACT_EXAMPLES=500 (the suite keeps the bounded default).
MAX_EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "25"))
UNAUTHENTICATED_EXAMPLES = 15
INTEGRATION_PREFIX = "/v1/integration/"
REPORTS_PREFIX = "/v1/reports/"


@dataclass
class Contract:
    base_url: str
    device: Device
    reporter: Device  # the municipal reports role: every unit's and the municipality's reports
    integration_key: str
    known: dict[str, str]  # one case and its person the demo user holds, and their unit

    def aim(self, case: schemathesis.Case) -> None:
        """Point half the generated record ids at a record the server holds (chosen by the generated id itself, so
        a failing example replays): random ids only ever reach "unknown", never a route's success path."""
        params = case.path_parameters or {}
        for name in ("record_id", "case_id", "unit_id"):
            if name in params and zlib.crc32(str(params[name]).encode()) % 2 == 0:
                kind = "unit" if name == "unit_id" else "person" if params.get("record_type") == "person" else "case"
                params[name] = self.known[kind]

    def credentials(self, path: str) -> dict[str, str]:
        """The caller each route is meant for: the case-management system, a reader of reports or a laptop."""
        token = self.device.token
        if path.startswith(INTEGRATION_PREFIX):
            token = self.integration_key
        elif path.startswith(REPORTS_PREFIX):
            token = self.reporter.token
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture()
def contract(database_url: str) -> Iterator[Contract]:
    """A real server with the demo units, one enrolled laptop, one of a user with the municipal reports role and
    one integration key; rate limits out of the way (they have their own tests), so generated requests reach the
    routes instead of the bucket."""
    codes = seed_demo(database_url)
    config = new_config(database_url, rate_per_second=100_000.0, rate_burst=100_000)
    server = ThreadServer(config).start()
    base_url = f"http://127.0.0.1:{config.port}"
    try:
        with connect(database_url) as conn:
            key = integrations.create_integration(conn, "lifecare", "Verksamhetssystemet")
            code = central.issue_enrollment_code(conn, DEMO_USER)
            roles.set_role(conn, OTHER_USER, roles.MUNICIPAL_REPORTS)
        reporter = Device(base_url, "laptop-reports").enroll(codes[OTHER_USER])
        held = assigned_cases(Env(database_url, config, {}), DEMO_USER)[0]
        yield Contract(base_url, Device(base_url, "laptop-contract").enroll(code), reporter, key,
                       {"case": held["case_id"], "person": held["person_id"], "unit": DEMO_UNIT})
    finally:
        server.stop()


def served_document(contract: Contract) -> dict[str, Any]:
    return dict(httpx.get(f"{contract.base_url}/openapi.json").raise_for_status().json())


def test_the_running_server_serves_the_committed_document(contract: Contract) -> None:
    committed = json.loads((REPO / "docs" / "sync-openapi.json").read_text(encoding="utf-8"))
    assert served_document(contract) == committed, "run: python -m sync.server.openapi"


def _schema(contract: Contract, max_examples: int, coverage: bool) -> schemathesis.BaseSchema:
    """The document the running server serves (equal to the committed one: the test above)."""
    config = schemathesis.Config.from_dict({
        "base-url": contract.base_url,
        "generation": {"mode": "all", "max-examples": max_examples, "deterministic": False},
        "phases": {"stateful": {"enabled": False}, "coverage": {"enabled": coverage}},
    })
    return schemathesis.openapi.from_dict(served_document(contract), config=config)


@pytest.fixture()
def served_schema(contract: Contract) -> schemathesis.BaseSchema:
    """For the callers the routes are meant for: explicit examples, the coverage phase (every bound, type and
    required field broken on purpose, undocumented methods) and random valid and invalid requests."""
    return _schema(contract, MAX_EXAMPLES, coverage=True)


@pytest.fixture()
def served_schema_without_credentials(contract: Contract) -> schemathesis.BaseSchema:
    """Without credentials most answers are 401 whatever the body: fewer random requests, no coverage phase."""
    return _schema(contract, UNAUTHENTICATED_EXAMPLES, coverage=False)


def error_body(ctx: CheckContext, response: schemathesis.Response, case: schemathesis.Case) -> bool | None:
    """Every error answers ErrorBody, exactly (a revoked device's 410 is the documented RevocationInstruction)."""
    if response.status_code < 400 or response.status_code == 410:
        return None
    try:
        ErrorBody.model_validate_json(response.content)
    except ValidationError:
        raise AssertionError(f"HTTP {response.status_code} answered without ErrorBody") from None
    return True


# negative_data_rejection: a request the document calls invalid (a wrong type, an unknown field, a bound broken)
# must get a 4xx: the contract's strict types are the server's.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection, error_body]
schema = schemathesis.pytest.from_fixture("served_schema")
schema_without_credentials = schemathesis.pytest.from_fixture("served_schema_without_credentials")


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_every_operation_keeps_the_contract_for_its_own_caller(case: schemathesis.Case, contract: Contract) -> None:
    contract.aim(case)
    case.call_and_validate(headers=contract.credentials(case.path), checks=CHECKS)


@schema_without_credentials.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_every_operation_keeps_the_contract_without_credentials(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)
