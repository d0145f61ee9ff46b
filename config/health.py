"""Health endpoints for load balancers and the orchestrator; no sign-in, no data.

/healthz: liveness, the process answers (nothing else is touched: a database outage must not
make the orchestrator kill healthy web processes). /readyz: readiness, one field per dependency
(database, Redis, migrations applied); 503 when one of them is not ready.
"""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

OK = "ok"
FAILED = "fout"
NOT_CONFIGURED = "niet_ingesteld"


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": OK})


def _database() -> str:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return FAILED
    return OK


def _migrations() -> str:
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        return FAILED
    return OK if not plan else FAILED


def _redis() -> str:
    url = settings.CELERY_BROKER_URL
    if not url:
        return NOT_CONFIGURED  # the quick start: jobs run in-process
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except Exception:
        return FAILED
    return OK


@require_GET
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "redis": _redis()}
    checks["migrations"] = _migrations() if checks["database"] == OK else FAILED
    ready = all(value in (OK, NOT_CONFIGURED) for value in checks.values())
    return JsonResponse({"status": OK if ready else FAILED, **checks}, status=200 if ready else 503)
