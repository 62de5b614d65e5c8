"""Schemathesis hooks for Woofer's fuzz test (tests/tests/api/schemathesis.rs).

The session cookie. Every operation that declares the `session_cookie`
security scheme (or takes it optionally, as logging out does) gets the
cookie of a dog registered for the purpose. The fuzzer itself logs out and
ends sessions, so a `401` makes schemathesis fetch a fresh cookie (its
reactive re-authentication): this provider logs the same dog in again, so
the woofs it posted stay its own to delete. Should that fail (its name
locked by the wrong passwords the fuzzer sends to the password change and
the account deletion), it registers a new dog under a fresh name. The
server under test runs with the registration limit per address turned off.

Valid requests as the document states them in words. Some rules are not
JSON Schema's to state, so schemathesis cannot keep them in the requests it
means to be valid; the `before_call` hook below does, for those only:
- a woof holds at most 280 extended grapheme clusters (`x-max-graphemes`),
  which `maxLength`, counting code points, cannot say;
- `reply_to` must name a woof that exists now, which is the server's state;
- the password that changes the password or deletes the account is the
  dog's own, which only this file knows: valid requests carry it, so those
  routes are fuzzed through to their `204` (and the dog logs in with its new
  password, or is registered anew once deleted).
Requests meant to be invalid are left alone, to be refused.
"""

import os
import secrets

import requests
import schemathesis
from schemathesis.specs.openapi.adapter.security import get_effective_security_scheme_names

BASE_URL = os.environ["WOOFER_BASE_URL"]
COOKIE = "woofer_session"
WOOF_MAX = 280


def _takes_session(ctx) -> bool:
    operation = ctx.operation
    return "session_cookie" in get_effective_security_scheme_names(operation, operation.schema.raw_schema)


# The dog the fuzzer is logged in as: its name and password, or None before
# the first one is registered and after it deleted its account.
DOG = {"credentials": None}


@schemathesis.auth(refresh_interval=24 * 3600, retry_on=[401]).apply_to(_takes_session)
class RegisteredDog:
    def get(self, case, ctx):
        if DOG["credentials"] is not None:
            response = requests.post(f"{BASE_URL}/api/session", json=DOG["credentials"], timeout=30)
            if response.status_code == 200:
                return response.cookies[COOKIE]
        DOG["credentials"] = {
            "username": "fuzz_" + secrets.token_hex(6),
            "password": "fuzz-" + secrets.token_hex(8),
        }
        response = requests.post(f"{BASE_URL}/api/users", json=DOG["credentials"], timeout=30)
        response.raise_for_status()
        return response.cookies[COOKIE]

    def set(self, case, data, ctx):
        case.cookies = {**(case.cookies or {}), COOKIE: data}


@schemathesis.hook
def before_call(ctx, case, kwargs):
    body = case.body
    if not _is_positive(case) or not isinstance(body, dict):
        return
    label = case.operation.label
    if label == "POST /api/woofs":
        if isinstance(body.get("body"), str):
            body["body"] = _within_the_limit(body["body"])
        if type(body.get("reply_to")) is int:
            body["reply_to"] = _existing_woof(body["reply_to"], case.cookies or {})
    elif DOG["credentials"] is not None:
        password = DOG["credentials"]["password"]
        if label == "PUT /api/account/password" and "current_password" in body:
            body["current_password"] = password
        elif label == "DELETE /api/account" and "password" in body:
            body["password"] = password


@schemathesis.hook
def after_call(ctx, case, response):
    if response.status_code != 204 or DOG["credentials"] is None:
        return
    label = case.operation.label
    if label == "PUT /api/account/password":
        DOG["credentials"]["password"] = case.body["new_password"]
    elif label == "DELETE /api/account":
        DOG["credentials"] = None


def _is_positive(case) -> bool:
    return case.meta is not None and case.meta.generation.mode.is_positive


def _within_the_limit(text: str) -> str:
    """`text` cut to 280 code points after trimming, so at most 280 graphemes
    (a grapheme holds one code point or more); it starts with what trimming
    left, so it is not blank."""
    trimmed = text.strip()
    if len(trimmed) <= WOOF_MAX:
        return text
    return trimmed[:WOOF_MAX]


def _existing_woof(reply_to: int, cookies: dict):
    """`reply_to` if that woof exists now, else the newest woof, else none."""
    found = requests.get(f"{BASE_URL}/api/woofs/{reply_to}", cookies=cookies, timeout=30)
    if found.status_code == 200:
        return reply_to
    newest = requests.get(f"{BASE_URL}/api/woofs?limit=1", cookies=cookies, timeout=30)
    woofs = newest.json().get("woofs", []) if newest.status_code == 200 else []
    return woofs[0]["id"] if woofs else None


# Integers written as integers. The contract reads "integer" as JSON Schema
# draft 4 did: a number written without a fraction or exponent, so
# `"reply_to": 1.0` is `400 malformed_request` like `1.5` (API.md,
# "Replies"). OpenAPI 3.1 (JSON Schema 2020-12) counts `1.0` as the integer
# 1 and has no keyword to say otherwise, and schemathesis sends such
# spellings in JSON bodies as valid, to see that a server takes them. The
# document says in the id's description that it does not; this stops
# schemathesis from sending them as valid. (The pinned version's own
# function: see `schemathesis.generation.jsonschema.strategy._integer`.)
from schemathesis.generation.jsonschema import strategy as _strategy  # noqa: E402

_strategy._as_whole_float = lambda value: value
