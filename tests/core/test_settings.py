"""Settings from the environment: production mode is safe, development needs nothing."""

import os
import subprocess
import sys

import pytest


def _run(env_extra: dict, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MATCHWERK_", "DJANGO_"))}
    env.update(env_extra)
    return subprocess.run([sys.executable, "-m", "matchwerk", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_production_mode_passes_deploy_check(tmp_path):
    result = _run({
        "MATCHWERK_PRODUCTION": "1",
        "MATCHWERK_SECRET_KEY": "x" * 64 + "-production-secret-not-for-real-use",
        "MATCHWERK_ALLOWED_HOSTS": "matchwerk.example.org",
        "MATCHWERK_DATA_DIR": str(tmp_path),
    }, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_requires_secret_key(tmp_path):
    result = _run({"MATCHWERK_PRODUCTION": "1", "MATCHWERK_DATA_DIR": str(tmp_path)}, "check")
    assert result.returncode != 0
    assert "MATCHWERK_SECRET_KEY" in result.stderr


def test_development_generates_and_keeps_secret_key(tmp_path):
    first = _run({"MATCHWERK_DATA_DIR": str(tmp_path)}, "check")
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    _run({"MATCHWERK_DATA_DIR": str(tmp_path)}, "check")
    assert (tmp_path / "secret_key").read_text() == key


@pytest.mark.parametrize("url, engine", [
    ("sqlite:////tmp/x.sqlite3", "django.db.backends.sqlite3"),
    ("postgres://u:p@db.example:5432/matchwerk", "django.db.backends.postgresql"),
])
def test_database_url_selects_engine(tmp_path, url, engine):
    env = {"MATCHWERK_DATA_DIR": str(tmp_path), "MATCHWERK_DATABASE_URL": url}
    result = _run(env, "shell", "-c", "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])")
    assert result.stdout.strip().splitlines()[-1] == engine, result.stderr


def test_smtp_backend_when_host_configured(tmp_path):
    env = {"MATCHWERK_DATA_DIR": str(tmp_path), "MATCHWERK_EMAIL_HOST": "smtp.example.org"}
    result = _run(env, "shell", "-c", "from django.conf import settings; print(settings.EMAIL_BACKEND)")
    assert result.stdout.strip().splitlines()[-1] == "django.core.mail.backends.smtp.EmailBackend", result.stderr


def test_empty_variable_means_default(tmp_path):
    env = {"MATCHWERK_DATA_DIR": str(tmp_path), "MATCHWERK_DATABASE_URL": ""}
    result = _run(env, "shell", "-c", "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])")
    assert result.stdout.strip().splitlines()[-1] == "django.db.backends.sqlite3", result.stderr
