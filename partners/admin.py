"""The Django admin: for the `beheerder` role only, behind MFA, and holding no case content.

Only what is registered on this site is reachable; no app registers itself (SimpleAdminConfig).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn

from django import forms
from django.contrib import admin
from django.contrib.auth.password_validation import validate_password
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from partners import services
from partners.auth import signed_in
from partners.middleware import session_has_mfa
from partners.models import Partner, Role, User
from partners.policy import Permission, has_permission

# Django's admin and form classes take their model as a type parameter only for mypy (they are
# not subscriptable at run time without django-stubs-ext's monkeypatch).
if TYPE_CHECKING:
    _PartnerModelAdmin = admin.ModelAdmin[Partner]
    _UserModelAdmin = admin.ModelAdmin[User]
    _UserModelForm = forms.ModelForm[User]
else:
    _PartnerModelAdmin = _UserModelAdmin = admin.ModelAdmin
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
        help_text=_("Minimaal 12 tekens. De gebruiker stelt bij de eerste aanmelding MFA in."),
    )

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email", "partner", "role")

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        validate_password(password)
        return password


class UserChangeForm(_UserModelForm):
    class Meta:
        model = User
        fields = ("first_name", "last_name", "email", "partner", "role", "is_active")


@admin.register(User, site=site)
class UserAdmin(BeheerderOnlyMixin, _UserModelAdmin):
    list_display = ("username", "partner", "role", "is_active", "last_login")
    list_filter = ("partner", "role", "is_active")
    search_fields = ("username",)
    readonly_fields = ("username", "last_login", "date_joined")

    def get_form(
        self, request: HttpRequest, obj: User | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[User]]:
        kwargs["form"] = UserChangeForm if obj is not None else UserCreateForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: User | None = None) -> tuple[str, ...]:
        if obj is None:
            return ("username", "first_name", "last_name", "email", "partner", "role", "password")
        return (
            "username",
            "first_name",
            "last_name",
            "email",
            "partner",
            "role",
            "is_active",
            "last_login",
            "date_joined",
        )

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
                actor=signed_in(request.user),
            )
        else:
            saved = services.user_create(
                username=data["username"],
                partner=data["partner"],
                role=Role(data["role"]),
                password=data["password"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                actor=signed_in(request.user),
            )
        obj.pk = saved.pk

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm[User], formsets: object, change: bool
    ) -> None:
        # Group membership is set by the services; there are no related forms to save.
        return None
