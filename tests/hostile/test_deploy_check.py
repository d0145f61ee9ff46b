"""`manage.py check --deploy` under a realistic production environment: not one warning.

tests/config/test_settings.py runs the check with the minimal production environment; here
everything a real deployment sets behind its TLS proxy is set too (the site's https origin, the
CSRF origins, HSTS, the SSL redirect, the audit signing key), and warnings fail the command
itself (--fail-level).
"""

from __future__ import annotations

import pytest

from tests.config.test_settings import production_env, run_manage

pytestmark = [pytest.mark.slow, pytest.mark.hostile]


def test_check_deploy_is_clean_in_a_realistic_production_environment() -> None:
    env = production_env(
        ALLOWED_HOSTS="ketenregie.example.nl",
        SITE_URL="https://ketenregie.example.nl",
        CSRF_TRUSTED_ORIGINS="https://ketenregie.example.nl",
        SECURE_SSL_REDIRECT="true",
        SECURE_HSTS_SECONDS="31536000",
        TRUST_X_FORWARDED_PROTO="true",
    )
    # The audit chain's signing key pair, made the way the operations guide makes it (the
    # command exists once the signed checkpoints are in).
    keys = run_manage("audit_checkpoint", "--new-key", env=env)
    if keys.returncode == 0:
        for line in keys.stdout.splitlines():
            name, _, value = line.partition("=")
            if value:
                env[name] = value
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # One check is silenced, with its reason next to it in config/settings.py: axes.W006 (the
    # per-address limit is the lockout handler's own; tests/test_lockout.py).
    assert "System check identified no issues (1 silenced)." in output, output
    from django.conf import settings

    assert settings.SILENCED_SYSTEM_CHECKS == ["axes.W006"]
