"""Container healthcheck for the web service: GET /healthz (liveness) or, with --ready, /readyz
(database, Redis and migrations) on the local gunicorn; exit 0 when healthy.

Used by docker-compose (`python -m config.healthcheck`); it needs no Django setup and no curl.
"""

from __future__ import annotations

import os
import sys
import urllib.request


def main(argv: list[str] | None = None) -> int:
    path = "/readyz" if "--ready" in (sys.argv[1:] if argv is None else argv) else "/healthz"
    host = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip() or "localhost"
    port = os.environ.get("PORT", "8000")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        headers={"Host": host, "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310  # nosec B310  # fixed http://127.0.0.1 URL
            return 0 if response.status == 200 else 1
    except OSError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
