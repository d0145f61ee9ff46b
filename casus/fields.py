"""EncryptedTextField: free text encrypted at rest with FIELD_ENCRYPTION_KEYS (config.crypto).

The column holds ``k<version>$<token>``; it cannot be searched or ordered on, by design.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from config.kernel import crypto

PURPOSE = "field"


class EncryptedTextField(models.TextField):
    description = "Text encrypted at rest"
    # Read by the processing register (config.classification): a fact, not a label.
    encrypted_at_rest = True

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value, purpose=PURPOSE)

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value), purpose=PURPOSE)
