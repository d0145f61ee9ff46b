"""What each role may do: the permission enum and the role table (PRODUCT.md §3).

This module knows organisations, users and roles and nothing about cases. Which case *content*
a user may see (involvement, visibility levels, object permissions) is decided in
``casus/policy.py``, which builds on the permissions here.
"""

from __future__ import annotations

from enum import StrEnum

from partners.models import Role, User


class Permission(StrEnum):
    SIGNAAL_SUBMIT = "signaal_submit"
    SIGNAAL_TRIAGE = "signaal_triage"
    CASUS_READ_CONTENT = "casus_read_content"  # may ever see case content (subject to policy)
    CASUS_READ_ALL = "casus_read_all"  # every casus, not only those of involved partners
    CASUS_MANAGE = "casus_manage"  # open, merge, close; involve or remove partners
    CASUS_CONTRIBUTE = "casus_contribute"
    CASUS_REQUEST_AGENDA = "casus_request_agenda"
    MATCH_VIEW = "match_view"
    AFSPRAAK_UPDATE_OWN = "afspraak_update_own"
    AGENDA_PREPARE = "agenda_prepare"
    OVERLEG_CHAIR = "overleg_chair"
    AUDIT_VIEW = "audit_view"
    AVG_REPORTS = "avg_reports"
    USERS_ADMINISTER = "users_administer"
    TRENDS_VIEW = "trends_view"


ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.ZORGCOORDINATOR: frozenset(
        {
            Permission.SIGNAAL_SUBMIT,
            Permission.SIGNAAL_TRIAGE,
            Permission.CASUS_READ_CONTENT,
            Permission.CASUS_READ_ALL,
            Permission.CASUS_MANAGE,
            Permission.CASUS_CONTRIBUTE,
            Permission.CASUS_REQUEST_AGENDA,
            Permission.MATCH_VIEW,
            Permission.AFSPRAAK_UPDATE_OWN,
            Permission.AGENDA_PREPARE,
            Permission.TRENDS_VIEW,
        }
    ),
    Role.MEDEWERKER: frozenset(
        {
            Permission.SIGNAAL_SUBMIT,
            Permission.CASUS_READ_CONTENT,
            Permission.CASUS_CONTRIBUTE,
            Permission.CASUS_REQUEST_AGENDA,
            Permission.AFSPRAAK_UPDATE_OWN,
        }
    ),
    Role.VOORZITTER: frozenset(
        {
            Permission.CASUS_READ_CONTENT,
            Permission.OVERLEG_CHAIR,
            Permission.TRENDS_VIEW,
        }
    ),
    # Separation of duties: these three roles never read case content.
    Role.PRIVACY_OFFICER: frozenset({Permission.AUDIT_VIEW, Permission.AVG_REPORTS}),
    Role.BEHEERDER: frozenset({Permission.USERS_ADMINISTER}),
    Role.ANALIST: frozenset({Permission.TRENDS_VIEW}),
}

NEVER_CASE_CONTENT: frozenset[str] = frozenset({Role.PRIVACY_OFFICER, Role.BEHEERDER, Role.ANALIST})


def permissions_of(user: object) -> frozenset[Permission]:
    """The permissions of an active, authenticated user's role; nothing for anyone else.

    Any value is accepted and fails closed: a ``User`` gets its role's permissions, and an
    ``AnonymousUser``, ``None`` or any other object gets none (the page guard in config.kernel
    passes whatever user the request carries)."""
    if not isinstance(user, User) or not user.is_active:
        return frozenset()
    if user.partner_id is None or not user.partner.is_active:
        return frozenset()
    return ROLE_PERMISSIONS.get(user.role, frozenset())


def has_permission(user: object, permission: Permission) -> bool:
    return permission in permissions_of(user)


# Four eyes (PRODUCT.md §3, separation of duties): a change that gives an account case content
# takes effect only when a second beheerder approves it. These are the roles that may ever see
# case content.
CONTENT_ROLES: frozenset[str] = frozenset(
    role
    for role, permissions in ROLE_PERMISSIONS.items()
    if Permission.CASUS_READ_CONTENT in permissions
)


def grants_case_content(
    *,
    role: str,
    partner_id: int | None,
    is_active: bool,
    before: User | None,
) -> bool:
    """Whether an account that ends up with this role, partner and active state gets case content
    it did not have ``before`` (``None``: a new account).

    So: a new active account with a content role; a change to a content role; a content role at
    another partner (other cases); and switching a content-role account back on."""
    if not is_active or role not in CONTENT_ROLES:
        return False
    if before is None:
        return True
    return not before.is_active or before.role != role or before.partner_id != partner_id
