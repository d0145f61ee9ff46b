"""The field classification behind the processing register (AVG art. 30): every model field of
our apps has a category, a purpose and a retention period.

Each classified app has a module ``<app>/classification.py`` with ``CLASSIFICATION``: model label
("casus.Casus") → field name → FieldInfo. The modules are found by name at run time, so nothing
here (or in ``audit``) imports the case app. ``unclassified_fields()`` says which fields have no
entry and which entries name fields that no longer exist; a test keeps both lists empty.
"""

from __future__ import annotations

import datetime
import importlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _

# The apps whose models hold our data; each has a classification module.
CLASSIFIED_APPS = ("partners", "audit", "casus")
MODULE_NAME = "classification"


class Category(models.TextChoices):
    """What a field holds, from the AVG's point of view; strictest first."""

    BIJZONDER = "bijzonder", _("Bijzonder persoonsgegeven (AVG art. 9)")
    STRAFRECHTELIJK = "strafrechtelijk", _("Strafrechtelijk persoonsgegeven (AVG art. 10)")
    GEWOON = "gewoon", _("Gewoon persoonsgegeven")
    METADATA = "metadata", _("Geen persoonsgegeven (technisch of organisatie)")

    @property
    def short_label(self) -> str:
        return str(SHORT_LABELS[self])

    @property
    def is_personal_data(self) -> bool:
        return self != Category.METADATA

    @property
    def is_sensitive(self) -> bool:
        """Special category or criminal-law data: processing is prohibited unless an exception
        applies (AVG art. 9 and 10)."""
        return self in (Category.BIJZONDER, Category.STRAFRECHTELIJK)


SHORT_LABELS = {
    Category.BIJZONDER: _("Bijzonder"),
    Category.STRAFRECHTELIJK: _("Strafrechtelijk"),
    Category.GEWOON: _("Gewoon"),
    Category.METADATA: _("Geen persoonsgegeven"),
}


@dataclass(frozen=True)
class FieldInfo:
    category: Category
    purpose: str  # Dutch, short: why the field exists
    retention: str  # Dutch, e.g. "24 maanden na afsluiten van de casus"
    legal_basis: str = ""


Classification = dict[str, dict[str, FieldInfo]]


def describe_period(period: datetime.timedelta) -> str:
    """A retention period in Dutch words: "6 maanden", "24 maanden", "5 jaar", "10 dagen"."""
    days = period.days
    months = round(days / 30.4375)
    if months and abs(months * 30.4375 - days) <= 3:
        if months % 12 == 0 and months >= 36:
            return f"{months // 12} jaar"
        return "1 maand" if months == 1 else f"{months} maanden"
    return "1 dag" if days == 1 else f"{days} dagen"


def classified_models() -> list[type[models.Model]]:
    """The models of the classified apps, in INSTALLED_APPS and definition order."""
    return [
        model
        for app_config in apps.get_app_configs()
        if app_config.name in CLASSIFIED_APPS
        for model in app_config.get_models()
    ]


def model_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """Every field that stores something: columns (the primary key and foreign keys included)
    and many-to-many relations declared on the model (the relation itself, not its table)."""
    return [*model._meta.concrete_fields, *model._meta.many_to_many]


def all_classifications() -> Classification:
    """Every app's CLASSIFICATION, merged; found by module name, never imported statically."""
    merged: Classification = {}
    for app_config in apps.get_app_configs():
        if app_config.name not in CLASSIFIED_APPS:
            continue
        module = importlib.import_module(f"{app_config.name}.{MODULE_NAME}")
        for label, fields in module.CLASSIFICATION.items():
            if label in merged:
                raise ValueError(f"{label} is classified twice ({app_config.name}.{MODULE_NAME}).")
            merged[label] = fields
    return merged


@dataclass(frozen=True)
class ClassificationGaps:
    missing: list[str] = field(default_factory=list)  # "app.Model.field" without an entry
    stale: list[str] = field(default_factory=list)  # entries naming no existing field

    def __bool__(self) -> bool:
        return bool(self.missing or self.stale)


def unclassified_fields() -> ClassificationGaps:
    classification = all_classifications()
    missing: list[str] = []
    existing: set[str] = set()
    for model in classified_models():
        label = model._meta.label
        entries = classification.get(label, {})
        for model_field in model_fields(model):
            key = f"{label}.{model_field.name}"
            existing.add(key)
            if model_field.name not in entries:
                missing.append(key)
    stale = sorted(
        f"{label}.{name}"
        for label, entries in classification.items()
        for name in entries
        if f"{label}.{name}" not in existing
    )
    return ClassificationGaps(missing=missing, stale=stale)


# --- The register's view of the classification -----------------------------------------------


@dataclass(frozen=True)
class RegisterField:
    name: str
    verbose_name: str
    info: FieldInfo
    encrypted: bool  # encrypted at rest (a field class that says so)


@dataclass(frozen=True)
class RegisterModel:
    label: str
    verbose_name: str
    fields: list[RegisterField]


@dataclass(frozen=True)
class RegisterApp:
    label: str
    verbose_name: str
    models: list[RegisterModel]


@dataclass(frozen=True)
class CategoryCount:
    category: Category
    count: int


def register_apps() -> list[RegisterApp]:
    """Per app, per model, every classified field with its classification (unclassified fields
    are left out here; the test suite refuses them)."""
    classification = all_classifications()
    result: list[RegisterApp] = []
    for app_config in apps.get_app_configs():
        if app_config.name not in CLASSIFIED_APPS:
            continue
        register_models = []
        for model in app_config.get_models():
            entries = classification.get(model._meta.label, {})
            register_models.append(
                RegisterModel(
                    label=model._meta.label,
                    verbose_name=str(model._meta.verbose_name),
                    fields=[
                        RegisterField(
                            name=model_field.name,
                            verbose_name=str(model_field.verbose_name),
                            info=entries[model_field.name],
                            encrypted=getattr(model_field, "encrypted_at_rest", False),
                        )
                        for model_field in model_fields(model)
                        if model_field.name in entries
                    ],
                )
            )
        result.append(RegisterApp(app_config.label, str(app_config.verbose_name), register_models))
    return result


def category_counts(register: list[RegisterApp]) -> list[CategoryCount]:
    """How many fields fall in each category, in the order of Category (strictest first)."""
    counts = Counter(
        register_field.info.category
        for app in register
        for model in app.models
        for register_field in model.fields
    )
    return [CategoryCount(category, counts.get(category, 0)) for category in Category]
