"""Container healthcheck for Celery beat: the schedule file is rewritten at least every few minutes."""

from __future__ import annotations

import sys
import time
from pathlib import Path

SCHEDULE = Path("/tmp/celerybeat-schedule")  # noqa: S108 - the container's own scratch file  # nosec B108
MAX_AGE_SECONDS = 15 * 60


def main() -> int:
    candidates = [p for p in SCHEDULE.parent.glob(SCHEDULE.name + "*") if p.is_file()]
    if not candidates:
        return 1
    newest = max(p.stat().st_mtime for p in candidates)
    return 0 if time.time() - newest < MAX_AGE_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
