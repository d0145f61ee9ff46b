"""The base form of every page: Dutch messages for Django's built-in checks, and the service
layer's field errors placed next to their fields. Shared by casus and audit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class NlForm(forms.Form):
    """Dutch messages for the built-in checks; errors carry the field so the page can say where."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = _("Dit veld is verplicht.")
            if isinstance(field, forms.CharField) and field.max_length:
                field.error_messages["max_length"] = _(
                    "Maximaal %(limit_value)d tekens; u gebruikte er %(show_value)d."
                )
            if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)):
                field.error_messages["invalid_choice"] = _("Kies een geldige waarde.")
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = _("Vul een geldige datum in (dd-mm-jjjj).")

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """Errors a service raised, keyed by field name, next to the field they belong to."""
        for field, messages in errors.items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)


def service_errors(form: NlForm, exc: ValidationError) -> None:
    """A service's ValidationError on the form: per field where the service named one, else on
    the form as a whole."""
    form.add_service_errors(
        exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    )
