"""Schemathesis checks of our own (loaded through SCHEMATHESIS_HOOKS by fuzz/run-fuzz.ts)."""

import json

import schemathesis

# API.md gives /healthz's 503 the health body itself, naming what is down.
EXEMPT = {("GET", "/healthz")}


@schemathesis.check
def problem_json(ctx, response, case):
    """Every error answer is RFC 9457 problem+json with type, title and the response's status."""
    if response.status_code < 400 or (case.method.upper(), case.path) in EXEMPT:
        return None
    content_type = response.headers.get("content-type", [""])
    if isinstance(content_type, list):
        content_type = content_type[0] if content_type else ""
    if not content_type.startswith("application/problem+json"):
        raise AssertionError(f"{response.status_code} answered as {content_type!r}, not application/problem+json")
    try:
        body = json.loads(response.content)
    except ValueError as exc:
        raise AssertionError(f"problem+json body is not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise AssertionError("problem+json body is not an object")
    if not isinstance(body.get("type"), str) or not isinstance(body.get("title"), str):
        raise AssertionError(f"problem+json lacks type or title: {body}")
    if body.get("status") != response.status_code:
        raise AssertionError(f"problem+json status {body.get('status')} differs from {response.status_code}")
    return None
