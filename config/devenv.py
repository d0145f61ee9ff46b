"""Write a local .env with throw-away keys for the quick start (`make run`); never overwrites."""

from __future__ import annotations

import base64
import secrets
import sys
from pathlib import Path


def _key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def write_dev_env(path: Path) -> bool:
    if path.exists():
        return False
    path.write_text(
        "# Quick-start configuration written by `make run`: throw-away local keys, demo mode.\n"
        "# See .env.example for every variable. Never use these values in production.\n"
        f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
        f"PSEUDONYM_KEYS=1:{_key()}\n"
        f"FIELD_ENCRYPTION_KEYS=1:{_key()}\n"
        f"AUDIT_SIGNING_KEY={_key()}\n"
        "DEBUG=true\n"
        "DEMO_MODE=true\n",
        encoding="utf-8",
    )
    path.chmod(0o600)
    return True


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".env")
    print(f"{target}: {'aangemaakt' if write_dev_env(target) else 'bestaat al, hergebruikt'}")
