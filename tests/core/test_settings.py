import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


SECRET = "a-long-random-production-secret-0123456789-abcdefghijklmnop"


def run_manage(*args, **env):
    # Only what the test names: no DATABASE_URL, broker or Django setting leaks in from outside,
    # and no .env file of the developer's (DJANGO_ENV_FILE empty) unless the test names one.
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CELERY_", "DATABASE_URL", "EMAIL_URL", "TEICHAKU_"))
    }
    environment["DJANGO_ENV_FILE"] = ""
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_clean_environment_is_production_and_refuses_to_start_without_a_secret():
    result = run_manage("check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
    assert "DJANGO_DEBUG=true" in result.stderr


def test_explicit_debug_starts_without_a_secret():
    result = run_manage("check", DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_debug_false_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="teichaku.example.jp")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="teichaku.example.jp",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_a_dot_env_file_is_read(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DJANGO_DEBUG=true\nDJANGO_CONN_MAX_AGE=5\n", encoding="utf-8")
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; "
        "print(settings.DEBUG, settings.DATABASES['default']['CONN_MAX_AGE'])",
        DJANGO_ENV_FILE=str(env_file),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "5"]


def test_the_environment_wins_over_the_dot_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DJANGO_DEBUG=true\n", encoding="utf-8")
    result = run_manage("check", DJANGO_ENV_FILE=str(env_file), DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_database_connections_persist_with_health_checks():
    show = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    default = run_manage("shell", "--no-imports", "-c", show, DJANGO_DEBUG="true")
    assert default.returncode == 0, default.stderr
    assert default.stdout.split() == ["60", "True"]
    configured = run_manage(
        "shell", "--no-imports", "-c", show, DJANGO_DEBUG="true", DJANGO_CONN_MAX_AGE="0"
    )
    assert configured.stdout.split() == ["0", "True"]


def test_development_defaults_use_sqlite_and_in_process_tasks():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER, "
        "settings.LANGUAGE_CODE, settings.TIME_ZONE)",
        CELERY_BROKER_URL="",
        DJANGO_DEBUG="true",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "ja", "Asia/Tokyo"]


def test_a_broker_url_switches_tasks_to_a_worker():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER)",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        DJANGO_DEBUG="true",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
