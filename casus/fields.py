"""EncryptedTextField: free text encrypted at rest with FIELD_ENCRYPTION_KEYS (config.crypto).

The column holds ``k<version>$<token>``; it cannot be searched or ordered on, by design.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from config.kernel import crypto

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable

    # Set and read like a TextField: text (or an expression) in, text out. Field classes take
    # their types as parameters only for mypy (not subscriptable at run time).
    _TextField = models.TextField[str | Combinable, str]
else:
    _TextField = models.TextField

PURPOSE = "field"


class EncryptedTextField(_TextField):
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
