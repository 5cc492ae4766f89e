"""Shared fixtures: the cast every scoping test uses, and access to real services.

The cast: Alice is support staff of office A and Bob its office manager; Charlie is support staff
of office B, run by another corporation, and is always refused A's data; Diana manages
corporation A from head office and sees offices A and A2.
"""

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass

import pytest
from django.db import connection

from offices.models import Role
from tests import factories

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_service(host, port, what):
    """Skip when a real service is absent on a developer machine; in CI its absence fails."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return
    except OSError:
        message = f"{what} is not reachable at {host}:{port}"
        if IN_CI:
            pytest.fail(f"{message}, and CI must provide it")
        pytest.skip(message)


@dataclass
class Cast:
    corporation_a: object
    corporation_b: object
    office_a: object
    office_a2: object
    office_b: object
    alice: object
    bob: object
    charlie: object
    diana: object


@pytest.fixture
def cast(db):
    corporation_a = factories.CorporationFactory(
        name="社会福祉法人あおば会", corporation_type="social_welfare"
    )
    corporation_b = factories.CorporationFactory(name="株式会社みどり")
    office_a = factories.OfficeFactory(name="あおば定着支援センター", corporation=corporation_a)
    office_a2 = factories.OfficeFactory(name="あおば第二定着支援", corporation=corporation_a)
    office_b = factories.OfficeFactory(name="みどり就労定着", corporation=corporation_b)
    alice = factories.UserFactory(username="alice", first_name="愛", last_name="青木")
    bob = factories.UserFactory(username="bob", first_name="勇", last_name="馬場")
    charlie = factories.UserFactory(username="charlie", first_name="千春", last_name="近藤")
    diana = factories.UserFactory(username="diana", first_name="大地", last_name="土井")
    factories.MembershipFactory(user=alice, office=office_a, role=Role.SUPPORT_STAFF)
    factories.MembershipFactory(user=bob, office=office_a, role=Role.OFFICE_MANAGER)
    factories.MembershipFactory(user=charlie, office=office_b, role=Role.SUPPORT_STAFF)
    factories.CorporationManagerFactory(user=diana, corporation=corporation_a)
    return Cast(
        corporation_a, corporation_b, office_a, office_a2, office_b, alice, bob, charlie, diana
    )


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(live_server):
    """A Playwright-driven Debian chromium (never a downloaded browser build)."""
    if not os.path.exists(CHROMIUM):
        if IN_CI:
            pytest.fail(f"{CHROMIUM} is missing; CI must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def logged_in_page(browser, live_server, client, watch_csp, csp_violations):
    """``logged_in_page(user, *, mobile=False)`` → a Playwright page with ``user`` logged in."""
    from django.conf import settings

    contexts = []

    def open_page(user, *, mobile=False):
        client.force_login(user)
        options = {"locale": "ja-JP"}
        if mobile:
            options.update(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        context = browser.new_context(base_url=live_server.url, **options)
        contexts.append(context)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        watch_csp(page)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not csp_violations, csp_violations


@pytest.fixture
def csp_violations():
    """The Content-Security-Policy violations the browser reported on pages given to
    ``watch_csp`` (console errors naming the policy). Pages opened by ``logged_in_page`` are
    watched, and a test using it fails on any violation."""
    return []


@pytest.fixture
def watch_csp(csp_violations):
    def watch(page):
        def on_console(message):
            if message.type == "error" and "Content Security Policy" in message.text:
                csp_violations.append(f"{page.url}: {message.text}")

        page.on("console", on_console)
        return page

    return watch


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` need PostgreSQL as the database: deselected on SQLite."""
    if connection.vendor == "postgresql":
        return
    kept = [item for item in items if item.get_closest_marker("postgres") is None]
    deselected = [item for item in items if item.get_closest_marker("postgres") is not None]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


def pytest_sessionfinish(session, exitstatus):
    """In CI every service is present, so a skipped test means something is broken."""
    if not IN_CI:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(
            f"CI: {len(skipped)} test(s) skipped; nothing may skip in CI.", red=True
        )
        session.exitstatus = 1


TEST_REDIS_URL = os.environ.get("TEICHAKU_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _database_url_of_test_database():
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    if connection.vendor == "postgresql":
        user = settings_dict.get("USER") or "postgres"
        password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
        host = settings_dict.get("HOST") or "127.0.0.1"
        port = settings_dict.get("PORT") or 5432
        return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"
    raise RuntimeError(f"no worker support for {connection.vendor}")


class Worker:
    """A real Celery worker process consuming ``queue`` (see ``worker_factory``)."""

    def __init__(self, queue, process):
        self.queue, self.process = queue, process

    def pool_children(self):
        """Pids of the prefork pool's processes (empty with ``--pool=solo``)."""
        path = f"/proc/{self.process.pid}/task/{self.process.pid}/children"
        with open(path) as children:
            return [int(pid) for pid in children.read().split()]

    def kill(self):
        """SIGKILL the whole worker: nothing is acknowledged or cleaned up."""
        self.process.kill()
        self.process.wait(timeout=20)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)


@pytest.fixture
def worker_factory(transactional_db):
    """``start(pool="solo", env={})`` → a ``Worker`` on Redis sharing this test's database.

    While the fixture is active, tasks sent from the test (``task.delay(...)``) go through Redis
    to the workers of this test's queue instead of running eagerly. Every worker started is
    stopped at the end; a test may kill one and start another on the same queue.
    """
    from urllib.parse import urlparse

    from config.celery_app import app

    redis = urlparse(TEST_REDIS_URL)
    require_service(redis.hostname, redis.port or 6379, "Redis")
    queue = f"teichaku-test-{os.getpid()}-{time.monotonic_ns()}"
    saved = {
        key: app.conf[key]
        for key in ("broker_url", "result_backend", "task_always_eager", "task_default_queue")
    }
    app.conf.update(
        broker_url=TEST_REDIS_URL,
        result_backend=TEST_REDIS_URL,
        task_always_eager=False,
        task_default_queue=queue,
    )
    _reset_broker_pool(app)
    workers = []

    def start(*, pool="solo", env=None):
        name = f"{queue}-{len(workers)}@{socket.gethostname()}"
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", f"--pool={pool}",
             "--concurrency=1", "--loglevel=INFO", "-Q", queue, "-n", name,
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.test_settings",
                "CELERY_BROKER_URL": TEST_REDIS_URL,
                "CELERY_RESULT_BACKEND": TEST_REDIS_URL,
                "DATABASE_URL": _database_url_of_test_database(),
                **(env or {}),
            },
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        worker = Worker(queue, process)
        workers.append(worker)
        deadline = time.monotonic() + 60
        while not app.control.inspect(destination=[name], timeout=1).ping():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the Celery worker did not start (exit status {process.poll()})")
        return worker

    try:
        yield start
    finally:
        for worker in workers:
            worker.stop()
        app.conf.update(saved)
        _reset_broker_pool(app)


@pytest.fixture
def celery_worker(worker_factory):
    """A real Celery worker process on Redis, sharing this test's database.

    While it runs, tasks sent from the test (``task.delay(...)``) go through Redis to the worker
    instead of running eagerly.
    """
    from config.celery_app import app

    worker_factory()
    return app


def _reset_broker_pool(app):
    """Drop pooled broker connections and the cached result backend: the next task uses the
    current broker_url and result_backend."""
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    # Eager tasks acquire producers too (Celery 5.3+); forget every cached producer pool so
    # none points at a closed connection pool.
    from kombu import pools

    pools.reset()
    app.amqp._producer_pool = None
    # The result backend is cached per thread from the settings it first saw.
    app._local.__dict__.pop("backend", None)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a figure cached by an earlier test (keyed by a pk
    the rolled-back database hands out again) must not leak into the next one, nor the survey
    link's throttle counts."""
    from django.core.cache import cache

    cache.clear()
    yield
