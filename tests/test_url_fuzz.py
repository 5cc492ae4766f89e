"""Hostile values in every route's path and query string: never a server error.

Every URL pattern (from the resolver, as the scoping walk finds them) is asked for, by an
anonymous visitor and by Bob, office A's manager (on the API with Bob's API token; its JSON
bodies are fuzzed from the schema by tests/api/test_schema_fuzz.py):

- with each hostile value in its URL keywords;
- with hostile values in the query-string and form parameters the view reads (found by asking
  once and recording the names it reads): all of them at once, then each alone (so that one
  refused field cannot hide another), date-like ones with every out-of-range date;
- with the periods that once ended in a server error.

Any answer is fine except a 5xx (or an exception).
"""

import pytest
from django.http import QueryDict
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from tests.scoping_walk import SAMPLES, api_token_header, build_world, endpoints

HOSTILE = [
    "\x00",
    "%00",
    "a\x00b",
    "\r\nSet-Cookie: x=1",
    "\x1b[31m",
    str(2**63),
    str(2**70),
    "-1",
    "0",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2024-02-30",
    "0000-00",
    "9999-99",
    "x" * 5000,
    "../../etc/passwd",
    "%2e%2e%2f",
    "日本語　全角",
    "\U0001f600\u202e",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
]

# In each query-string or form parameter a view reads, one at a time.
HOSTILE_PARAMETERS = [
    "\x00",
    "\x1b",
    str(2**70),
    "-1",
    "0001-01-01",
    "9999-12-31",
    "9999-99",
    "x" * 5000,
    "../../etc/passwd",
    "\U0001f600\u202e",
]

ALL_AT_ONCE = ["\x00", str(2**70), "0001-01-01", "x" * 5000, "\U0001f600\u202e"]
DATE_VALUES = ["0001-01-01", "9999-12-31", "9999-99", str(2**70), "x" * 5000]

# Periods that once ended in a server error (time-zone arithmetic, PostgreSQL's date range).
PERIODS = [
    {"date_from": "0001-01-01", "date_to": "9999-12-31"},
    {"date_from": "9999-12-31", "date_to": "0001-01-01"},
    {"date_from": "1900-01-01", "date_to": "2100-12-31"},
    {"month": "0001-01", "fiscal_year": "1"},
    {"month": "9999-12", "fiscal_year": "9999"},
]


def _date_like(key):
    return any(
        part in key for part in ("date", "month", "year", "from", "to", "day", "start", "end")
    )


def _url_with(endpoint, world, hostile):
    """The endpoint's URL with ``hostile`` in every keyword (or None when it cannot be built)."""
    from urllib.parse import quote

    samples = {**SAMPLES, "token": lambda w: w.extra["invitation"].token}
    route_kwargs = {k: samples[k](world) for k in endpoint.kwargs}
    url = reverse(endpoint.name, kwargs=route_kwargs)
    if hostile is None:
        return url
    for value in route_kwargs.values():
        url = url.replace(f"/{value}/", f"/{quote(hostile, safe='')}/", 1)
    return url


def _status(http, method, url, params):
    try:
        return getattr(http, method)(url, params).status_code
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc)[:120]}"


class _ReadKeys:
    """Records the names a view asks of request.GET and request.POST, to fuzz exactly those."""

    def __init__(self, monkeypatch):
        self.names = set()
        original_get, original_getlist = QueryDict.get, QueryDict.getlist
        original_getitem = MultiValueDict.__getitem__
        names = self.names

        def get(qd, key, default=None):
            names.add(key)
            return original_get(qd, key, default)

        def getlist(qd, key, default=None):
            names.add(key)
            return original_getlist(qd, key, default)

        def getitem(qd, key):
            names.add(key)
            return original_getitem(qd, key)

        monkeypatch.setattr(QueryDict, "get", get)
        monkeypatch.setattr(QueryDict, "getlist", getlist)
        monkeypatch.setattr(QueryDict, "__getitem__", getitem)

    def during(self, http, method, url, params):
        self.names.clear()
        _status(http, method, url, params)
        return {n for n in self.names if isinstance(n, str) and n != "csrfmiddlewaretoken"}


def _fuzz(http, world, read_keys, user=None):
    problems = []
    for endpoint in endpoints():
        if not endpoint.name:
            continue
        if user is not None:
            http.force_login(user)  # again: the previous endpoint may have been the logout
        plain_url = _url_with(endpoint, world, None)
        requests = []
        for method in ("get", "post"):
            # A non-empty query, so ``Form(request.GET or None)`` is bound and reads its fields.
            keys = read_keys.during(http, method, plain_url, {"fuzz-probe": "1"})
            keys.discard("fuzz-probe")
            if endpoint.kwargs:
                requests += [(method, _url_with(endpoint, world, h), {}) for h in HOSTILE]
            # Every value in all the parameters at once; then each parameter alone with one value
            # (in turn), so that one refused field cannot hide another; date-like ones with all.
            for hostile in ALL_AT_ONCE:
                requests.append((method, plain_url, dict.fromkeys(keys, hostile)))
            for i, key in enumerate(sorted(keys)):
                values = DATE_VALUES if _date_like(key) else [HOSTILE_PARAMETERS[i % 10]]
                requests += [(method, plain_url, {key: value}) for value in values]
            if {"date_from", "date_to"} <= keys or "month" in keys:
                requests += [(method, plain_url, period) for period in PERIODS]
        for method, url, params in requests:
            status = _status(http, method, url, params)
            if not isinstance(status, int) or status >= 500:
                shown = {k: v[:20] for k, v in params.items()}
                problems.append(f"{endpoint.name} {method.upper()} {url[:60]} {shown}: {status}")
    return problems


@pytest.mark.django_db
def test_no_route_answers_5xx_to_hostile_values_for_anonymous_visitors(cast, monkeypatch):
    world = build_world(cast)
    http = HttpClient(raise_request_exception=False)
    assert _fuzz(http, world, _ReadKeys(monkeypatch)) == []


@pytest.mark.django_db
def test_no_route_answers_5xx_to_hostile_values_for_a_manager(cast, monkeypatch):
    world = build_world(cast)
    http = HttpClient(raise_request_exception=False, **api_token_header(cast.bob))
    assert _fuzz(http, world, _ReadKeys(monkeypatch), user=cast.bob) == []
