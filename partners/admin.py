"""The Django admin: for the `beheerder` role only, behind MFA, and holding no case content.

Only what is registered on this site is reachable; no app registers itself (SimpleAdminConfig).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from partners import services
from partners.auth import signed_in
from partners.middleware import session_has_mfa
from partners.models import Partner, Role, RolWijzigingsverzoek, User, VerzoekStatus
from partners.policy import Permission, has_permission

# Django's admin and form classes take their model as a type parameter only for mypy (they are
# not subscriptable at run time without django-stubs-ext's monkeypatch).
if TYPE_CHECKING:
    _PartnerModelAdmin = admin.ModelAdmin[Partner]
    _UserModelAdmin = admin.ModelAdmin[User]
    _VerzoekModelAdmin = admin.ModelAdmin[RolWijzigingsverzoek]
    _UserModelForm = forms.ModelForm[User]
else:
    _PartnerModelAdmin = _UserModelAdmin = _VerzoekModelAdmin = admin.ModelAdmin
    _UserModelForm = forms.ModelForm


class KetenregieAdminSite(admin.AdminSite):
    site_header = _("Ketenregie — functioneel beheer")
    site_title = _("Ketenregie beheer")
    index_title = _("Beheer")

    def has_permission(self, request: HttpRequest) -> bool:
        return has_permission(request.user, Permission.USERS_ADMINISTER) and session_has_mfa(
            request
        )

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> NoReturn:
        # No separate admin login: everyone signs in (with MFA) through the normal login.
        raise Http404


site = KetenregieAdminSite(name="admin")


class BeheerderOnlyMixin:
    """Model admin rights follow the role, not Django's model permissions."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_permission(request.user, Permission.USERS_ADMINISTER)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return has_permission(request.user, Permission.USERS_ADMINISTER)

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return has_permission(request.user, Permission.USERS_ADMINISTER)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return has_permission(request.user, Permission.USERS_ADMINISTER)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # deactivate instead: history keeps pointing at the account


@admin.register(Partner, site=site)
class PartnerAdmin(BeheerderOnlyMixin, _PartnerModelAdmin):
    list_display = ("name", "kind", "is_active")
    list_filter = ("kind", "is_active")
    fields = ("name", "kind", "is_active")

    def save_model(
        self, request: HttpRequest, obj: Partner, form: forms.ModelForm[Partner], change: bool
    ) -> None:
        if change:
            saved = services.partner_update(
                partner=obj,
                name=obj.name,
                kind=obj.kind,
                is_active=obj.is_active,
                actor=signed_in(request.user),
            )
        else:
            saved = services.partner_create(
                name=obj.name, kind=obj.kind, actor=signed_in(request.user)
            )
        obj.pk = saved.pk


class UserCreateForm(_UserModelForm):
    password = forms.CharField(
        label=_("Tijdelijk wachtwoord"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "Minimaal 12 tekens. De gebruiker kiest bij de eerste aanmelding een eigen wachtwoord "
            "en stelt MFA in. Een functie met toegang tot casusinhoud (zorgcoördinator, "
            "medewerker, voorzitter) gaat pas in als een tweede functioneel beheerder die "
            "goedkeurt; tot dan is het account niet actief."
        ),
    )

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email", "partner", "role")

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        validate_password(password)
        return password


class UserChangeForm(_UserModelForm):
    """The change form of another user's account (or, without ``new_password``, the own)."""

    actor: User | None = None  # the signed-in beheerder, set per request by UserAdmin.get_form

    class Meta:
        model = User
        fields = ("first_name", "last_name", "email", "partner", "role", "is_active")

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.errors or self.instance.pk is None:
            return cleaned
        current = User.objects.get(pk=self.instance.pk)
        try:
            # What the service will refuse is shown here, before anything is saved.
            services.user_update_check(
                user=current,
                partner=cleaned.get("partner", current.partner),
                role=cleaned.get("role", current.role),
                is_active=cleaned.get("is_active", current.is_active),
                actor=self.actor,
            )
        except ValidationError as refused:
            raise ValidationError(refused.messages) from refused
        return cleaned


class UserResetForm(UserChangeForm):
    new_password = forms.CharField(
        label=_("Nieuw tijdelijk wachtwoord"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "Leeg laten om het wachtwoord niet te wijzigen. De gebruiker moet bij de volgende "
            "aanmelding een eigen wachtwoord kiezen; lopende sessies eindigen."
        ),
    )

    class Meta(UserChangeForm.Meta):
        pass

    def clean_new_password(self) -> str:
        password: str = self.cleaned_data.get("new_password", "")
        if password:
            validate_password(password, self.instance)
        return password


@admin.register(User, site=site)
class UserAdmin(BeheerderOnlyMixin, _UserModelAdmin):
    list_display = ("username", "partner", "role", "is_active", "last_login")
    list_filter = ("partner", "role", "is_active")
    search_fields = ("username",)
    readonly_fields = ("username", "must_change_password", "last_login", "date_joined")

    def get_form(
        self, request: HttpRequest, obj: User | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[User]]:
        if obj is None:
            kwargs["form"] = UserCreateForm
        else:
            # The own password is changed on the account page, with the current password.
            kwargs["form"] = UserChangeForm if obj.pk == request.user.pk else UserResetForm
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            form.actor = signed_in(request.user)  # type: ignore[attr-defined]
        return form

    def get_fields(self, request: HttpRequest, obj: User | None = None) -> tuple[str, ...]:
        if obj is None:
            return ("username", "first_name", "last_name", "email", "partner", "role", "password")
        fields = (
            "username",
            "first_name",
            "last_name",
            "email",
            "partner",
            "role",
            "is_active",
            "new_password",
            "must_change_password",
            "last_login",
            "date_joined",
        )
        if obj.pk == request.user.pk:
            return tuple(field for field in fields if field != "new_password")
        return fields

    def get_readonly_fields(
        self, request: HttpRequest, obj: User | None = None
    ) -> list[str] | tuple[str, ...]:
        if obj is None:
            return ()
        if obj.pk == request.user.pk:
            # Separation of duties: a beheerder's own role, partner and active state are changed
            # by another beheerder (the service refuses it too).
            return (*self.readonly_fields, "partner", "role", "is_active")
        return self.readonly_fields

    def save_model(
        self, request: HttpRequest, obj: User, form: forms.ModelForm[User], change: bool
    ) -> None:
        data = form.cleaned_data
        actor = signed_in(request.user)
        pending_before = _has_pending_request(obj) if change else False
        if change:
            current = User.objects.get(pk=obj.pk)  # fields shown read-only keep their value
            saved = services.user_update(
                user=obj,
                partner=data.get("partner", current.partner),
                role=Role(data.get("role", current.role)),
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                is_active=data.get("is_active", current.is_active),
                actor=actor,
            )
            if data.get("new_password"):
                services.user_password_reset(user=saved, password=data["new_password"], actor=actor)
        else:
            saved = services.user_create(
                username=data["username"],
                partner=data["partner"],
                role=Role(data["role"]),
                password=data["password"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                actor=actor,
            )
        obj.pk = saved.pk
        if _has_pending_request(saved) and not pending_before:
            self.message_user(
                request,
                gettext(
                    "De functie met toegang tot casusinhoud gaat pas in als een andere "
                    "functioneel beheerder de aanvraag goedkeurt (Rolwijzigingsverzoeken)."
                ),
                level=messages.WARNING,
            )

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm[User], formsets: object, change: bool
    ) -> None:
        # Group membership is set by the services; there are no related forms to save.
        return None


def _has_pending_request(user: User) -> bool:
    return RolWijzigingsverzoek.objects.filter(user=user, status=VerzoekStatus.PENDING).exists()


@admin.register(RolWijzigingsverzoek, site=site)
class RolWijzigingsverzoekAdmin(BeheerderOnlyMixin, _VerzoekModelAdmin):
    """Four eyes: the requests for access to case content, approved or rejected by another
    beheerder through partners.services (which refuses the requester and the user itself)."""

    list_display = (
        "user",
        "requested_role",
        "requested_partner",
        "new_account",
        "requested_by",
        "requested_at",
        "status",
        "decided_by",
        "decided_at",
    )
    list_filter = ("status", "requested_role")
    actions = ("approve", "reject")
    fields = list_display

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False  # a request comes from a change of the user

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # decided by the actions, never edited

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return has_permission(request.user, Permission.USERS_ADMINISTER)

    def get_readonly_fields(
        self, request: HttpRequest, obj: RolWijzigingsverzoek | None = None
    ) -> tuple[str, ...]:
        return self.list_display

    def _decide(
        self,
        request: HttpRequest,
        queryset: QuerySet[RolWijzigingsverzoek],
        *,
        approve: bool,
    ) -> None:
        actor = signed_in(request.user)
        decided = 0
        for verzoek in queryset.select_related("user"):
            try:
                if approve:
                    services.role_change_approve(verzoek=verzoek, actor=actor)
                else:
                    services.role_change_reject(verzoek=verzoek, actor=actor)
            except ValidationError as refused:
                self.message_user(
                    request,
                    f"{verzoek.user.username}: {' '.join(refused.messages)}",
                    level=messages.ERROR,
                )
            else:
                decided += 1
        if decided:
            done = (
                ngettext(
                    "%(count)d verzoek goedgekeurd.", "%(count)d verzoeken goedgekeurd.", decided
                )
                if approve
                else ngettext(
                    "%(count)d verzoek afgewezen.", "%(count)d verzoeken afgewezen.", decided
                )
            )
            self.message_user(request, done % {"count": decided}, level=messages.SUCCESS)

    @admin.action(description=_("Goedkeuren (vier ogen)"), permissions=["decide"])
    def approve(self, request: HttpRequest, queryset: QuerySet[RolWijzigingsverzoek]) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Afwijzen"), permissions=["decide"])
    def reject(self, request: HttpRequest, queryset: QuerySet[RolWijzigingsverzoek]) -> None:
        self._decide(request, queryset, approve=False)
