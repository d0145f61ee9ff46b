"""The processing register (AVG art. 30) for the FG, generated: the description from
settings.PROCESSING_REGISTER, security facts and retention periods from the other settings, and
every model field with its classification (config.classification). No personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from config.kernel.classification import (
    CategoryCount,
    ClassificationGaps,
    RegisterApp,
    category_counts,
    describe_period,
    register_apps,
    unclassified_fields,
)
from partners.models import Partner, PartnerKind, User
from partners.policy import Permission, has_permission

MFA_MIDDLEWARE = "partners.middleware.MfaRequiredMiddleware"


@dataclass(frozen=True)
class Recipient:
    kind: str
    partners: list[str]


@dataclass(frozen=True)
class SecurityFacts:
    encrypted_fields: int
    encryption_key_version: int
    encryption_key_count: int
    pseudonym_key_version: int
    pseudonym_key_count: int
    mfa_required: bool
    lockout_attempts: int
    lockout_minutes: int
    idle_minutes: int
    lifetime_hours: int


@dataclass(frozen=True)
class RetentionTerms:
    signaal_geen_vervolg: str
    casus_afgesloten: str
    audit: str


@dataclass(frozen=True)
class ProcessingRegister:
    description: dict[str, Any]
    recipients: list[Recipient]
    security: SecurityFacts
    retention: RetentionTerms
    apps: list[RegisterApp]
    counts: list[CategoryCount]
    total: int
    gaps: ClassificationGaps  # fields without a classification: the page says so


def _recipients() -> list[Recipient]:
    names: dict[str, list[str]] = {kind: [] for kind in PartnerKind.values}
    for name, kind in Partner.objects.filter(is_active=True).values_list("name", "kind"):
        names.setdefault(kind, []).append(name)
    return [Recipient(str(label), names[kind]) for kind, label in PartnerKind.choices]


def _security(apps: list[RegisterApp]) -> SecurityFacts:
    return SecurityFacts(
        encrypted_fields=sum(
            1 for app in apps for model in app.models for field in model.fields if field.encrypted
        ),
        encryption_key_version=settings.FIELD_ENCRYPTION_KEYS[0].version,
        encryption_key_count=len(settings.FIELD_ENCRYPTION_KEYS),
        pseudonym_key_version=settings.PSEUDONYM_KEYS[0].version,
        pseudonym_key_count=len(settings.PSEUDONYM_KEYS),
        mfa_required=MFA_MIDDLEWARE in settings.MIDDLEWARE,
        lockout_attempts=settings.AXES_FAILURE_LIMIT,
        lockout_minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        idle_minutes=int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60),
        lifetime_hours=int(settings.SESSION_ABSOLUTE_LIFETIME.total_seconds() // 3600),
    )


def processing_register_for(*, user: User | AnonymousUser) -> ProcessingRegister:
    """The register, for a user who may see the AVG reports (the FG); 404 for anyone else."""
    if not has_permission(user, Permission.AVG_REPORTS):
        raise Http404
    apps = register_apps()
    counts = category_counts(apps)
    return ProcessingRegister(
        description=settings.PROCESSING_REGISTER,
        recipients=_recipients(),
        security=_security(apps),
        retention=RetentionTerms(
            signaal_geen_vervolg=describe_period(settings.RETENTION_SIGNAAL_GEEN_VERVOLG),
            casus_afgesloten=describe_period(settings.RETENTION_CASUS_AFGESLOTEN),
            audit=describe_period(settings.AUDIT_RETENTION),
        ),
        apps=apps,
        counts=counts,
        total=sum(count.count for count in counts),
        gaps=unclassified_fields(),
    )
