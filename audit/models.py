"""The audit log: one append-only, hash-chained row per access event (after BIO 8.15 and NEN 7513).

Rows hold references (object type + referentie), never content and never pseudonym tokens.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Partner


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Geslaagd")
    FAILURE = "failure", _("Mislukt")
    DENIED = "denied", _("Geweigerd")


class AuditAction(models.TextChoices):
    """Action codes. Later parts of the platform add their codes here."""

    LOGIN = "auth.login", _("Ingelogd")
    LOGIN_FAILED = "auth.login_failed", _("Inloggen mislukt")
    LOCKOUT = "auth.lockout", _("Geblokkeerd na mislukte pogingen")
    LOGOUT = "auth.logout", _("Uitgelogd")
    MFA_ENROLLED = "auth.mfa_enrolled", _("Tweestapsverificatie ingesteld")
    MFA_FAILED = "auth.mfa_failed", _("Onjuiste eenmalige code")
    MFA_LOCKOUT = "auth.mfa_lockout", _("Code-stap geblokkeerd na onjuiste codes")
    SESSION_EXPIRED = "auth.session_expired", _("Sessie verlopen")
    PARTNER_CREATED = "partner.created", _("Ketenpartner aangemaakt")
    PARTNER_UPDATED = "partner.updated", _("Ketenpartner gewijzigd")
    USER_CREATED = "user.created", _("Gebruiker aangemaakt")
    USER_UPDATED = "user.updated", _("Gebruiker gewijzigd")
    USER_DEACTIVATED = "user.deactivated", _("Gebruiker gedeactiveerd")
    USER_ROLE_CHANGED = "user.role_changed", _("Functie of organisatie van gebruiker gewijzigd")
    USER_ROLE_CHANGE_REQUESTED = (
        "user.role_change_requested",
        _("Toegang tot casusinhoud aangevraagd (wacht op tweede beheerder)"),
    )
    USER_ROLE_CHANGE_APPROVED = (
        "user.role_change_approved",
        _("Toegang tot casusinhoud goedgekeurd door tweede beheerder"),
    )
    USER_ROLE_CHANGE_REJECTED = "user.role_change_rejected", _("Rolwijziging afgewezen")
    USER_ROLE_CHANGE_WITHDRAWN = "user.role_change_withdrawn", _("Rolwijziging vervallen")
    USER_PASSWORD_RESET = "user.password_reset", _("Tijdelijk wachtwoord ingesteld door beheerder")
    PASSWORD_CHANGED = "auth.password_changed", _("Wachtwoord gewijzigd")
    ACCESS_DENIED = "access.denied", _("Toegang geweigerd")
    CASUS_READ = "casus.read", _("Casus ingezien")
    CASUS_LISTED = "casus.listed", _("Casus getoond in een lijst")
    CASUS_OPENED = "casus.opened", _("Casus geopend")
    CASUS_UPDATED = "casus.updated", _("Casus gewijzigd")
    CASUS_STATUS_CHANGED = "casus.status_changed", _("Status van casus gewijzigd")
    INVOLVEMENT_ADDED = "casus.involvement_added", _("Partner betrokken (toegang verleend)")
    INVOLVEMENT_REMOVED = (
        "casus.involvement_removed",
        _("Betrokkenheid beëindigd (toegang ingetrokken)"),
    )
    AGENDA_REQUESTED = "casus.agenda_requested", _("Casus geagendeerd")
    BIJDRAGE_CREATED = "bijdrage.created", _("Bijdrage toegevoegd")
    BIJDRAGE_READ = "bijdrage.read", _("Bijdrage ingezien")
    BIJDRAGE_VISIBILITY_CHANGED = (
        "bijdrage.visibility_changed",
        _("Zichtbaarheid van bijdrage gewijzigd"),
    )
    SIGNAAL_VISIBILITY_CHANGED = (
        "signaal.visibility_changed",
        _("Zichtbaarheid van signaal gewijzigd"),
    )
    AFSPRAAK_CREATED = "afspraak.created", _("Afspraak gemaakt")
    AFSPRAAK_UPDATED = "afspraak.updated", _("Afspraak bijgewerkt")
    AFSPRAAK_READ = "afspraak.read", _("Afspraak ingezien")
    AGENDA_GENERATION_REQUESTED = "overleg.generation_requested", _("Agenda laten genereren")
    AGENDA_GENERATED = "overleg.agenda_generated", _("Agenda gegenereerd")
    AGENDA_CHANGED = "overleg.agenda_changed", _("Agenda aangepast door de voorzitter")
    AGENDA_FINALISED = "overleg.agenda_finalised", _("Agenda vastgesteld")
    AGENDA_READ = "overleg.agenda_read", _("Agenda ingezien")
    OVERLEG_PLANNED = "overleg.planned", _("Overleg gepland")
    OVERLEG_CANCELLED = "overleg.cancelled", _("Overleg geannuleerd")
    OVERLEG_HELD = "overleg.held", _("Overleg gehouden")
    BESLUIT_RECORDED = "overleg.besluit_recorded", _("Besluit vastgelegd")
    MINUTES_READ = "overleg.minutes_read", _("Verslag ingezien")
    MINUTES_EXPORTED = "overleg.minutes_exported", _("Verslag als PDF gemaakt")
    MINUTES_ADOPTED = "overleg.minutes_adopted", _("Verslag vastgesteld")
    CASUS_PURGED = "casus.purged", _("Casus verwijderd na de bewaartermijn")
    SIGNAAL_PURGED = "signaal.purged", _("Signaal verwijderd na de bewaartermijn")
    CONSENT_WITHDRAWN = "casus.consent_withdrawn", _("Toestemming ingetrokken")
    LEGAL_HOLD_SET = "avg.legal_hold_set", _("Bewaarplicht ingesteld")
    LEGAL_HOLD_LIFTED = "avg.legal_hold_lifted", _("Bewaarplicht opgeheven")
    RETENTION_REPORT = "avg.retention_report", _("Bewaartermijnrapport gemaakt")
    REQUEST_REGISTERED = "avg.request_registered", _("Verzoek van een betrokkene geregistreerd")
    REQUEST_COMPILED = "avg.request_compiled", _("Rapport voor een betrokkene samengesteld")
    REQUEST_REPORT_READ = "avg.request_report_read", _("Rapport voor een betrokkene ingezien")
    REQUEST_REPORT_EXPORTED = (
        "avg.request_report_exported",
        _("Rapport voor een betrokkene als pdf gemaakt"),
    )
    REQUEST_CLOSED = "avg.request_closed", _("Verzoek van een betrokkene afgerond")
    REQUEST_UNLINKED = "avg.request_unlinked", _("Signaal ontkoppeld op verzoek van de betrokkene")
    REQUEST_ERASED = "avg.request_erased", _("Gegevens gewist op verzoek van de betrokkene")
    REQUEST_CANDIDATES_DECIDED = (
        "avg.request_candidates_decided",
        _("Mogelijke overeenkomsten voor een betrokkene beoordeeld"),
    )
    REQUEST_ERASURE_PREVIEWED = (
        "avg.request_erasure_previewed",
        _("Overzicht van een wissing voor een betrokkene getoond"),
    )
    SIGNAAL_SUBMITTED = "signaal.submitted", _("Signaal gemeld")
    SIGNAAL_READ = "signaal.read", _("Signaal ingezien")
    SIGNAAL_LISTED = "signaal.listed", _("Signaal getoond in een lijst")
    SIGNAAL_LINKED = "signaal.linked", _("Signaal gekoppeld aan casus")
    SIGNAAL_CLOSED = "signaal.closed", _("Signaal afgesloten zonder vervolg")
    MATCH_FOUND = "signaal.match_found", _("Mogelijke match gevonden")
    MATCH_VIEWED = "signaal.match_viewed", _("Matchhints ingezien")
    AUDIT_VERIFIED = "audit.verified", _("Auditketen gecontroleerd")
    AUDIT_VIEWED = "audit.viewed", _("Auditlog ingezien")
    AUDIT_EXPORTED = "audit.exported", _("Auditlog geëxporteerd")
    AUDIT_PURGED = "audit.purged", _("Verlopen auditgebeurtenissen verwijderd")
    AUDIT_CHECKPOINTED = "audit.checkpointed", _("Ondertekend controlepunt van de auditketen gezet")
    TRENDS_VIEWED = "trends.viewed", _("Trendcijfers ingezien")


GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("tijdstip (UTC)"), default=timezone.now, db_index=True)
    # Validated against AuditAction by the services; no choices here, so new codes need no migration.
    action = models.CharField(_("actie"), max_length=64, db_index=True)
    outcome = models.CharField(_("uitkomst"), max_length=10, choices=Outcome.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gebruiker"),
    )
    # Partner and role as they were at the time of the event; users can move or change role.
    actor_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ketenpartner"),
    )
    actor_role = models.CharField(_("functie"), max_length=20, blank=True)
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("namens"),
    )
    purpose = models.CharField(_("doel of grondslag"), max_length=64, blank=True)
    object_type = models.CharField(_("soort object"), max_length=40, blank=True, db_index=True)
    object_ref = models.CharField(_("referentie"), max_length=64, blank=True, db_index=True)
    correlation_id = models.UUIDField(_("correlatie-id"), null=True, blank=True)
    source_address = models.GenericIPAddressField(_("bronadres"), null=True, blank=True)
    # Set once by the sealer (audit.sealing), never by a request: the place in the chain, the
    # hash of the event sealed before it, and this event's chain hash. Empty = not yet sealed.
    seq = models.BigIntegerField(_("volgnummer in de keten"), null=True, blank=True, unique=True)
    previous_hash = models.CharField(_("vorige hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("auditgebeurtenis")
        verbose_name_plural = _("auditgebeurtenissen")
        indexes = [
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_time"),
            # The sealer's work list: the events not sealed yet, in id order.
            models.Index(
                fields=["id"], name="audit_unsealed", condition=models.Q(seq__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} #{self.pk}"

    def get_action_display(self) -> str:
        try:
            return str(AuditAction(self.action).label)
        except ValueError:
            return self.action


class AuditBlock(models.Model):
    """One run of the sealer: the events it chained (a range of sequence numbers), the Merkle
    root of their hashes, and the hash linking this block to the one before. Checkpoints sign a
    block hash; a single event can be proven to belong to a block by its Merkle path."""

    first_seq = models.BigIntegerField(_("eerste volgnummer"), unique=True)
    last_seq = models.BigIntegerField(_("laatste volgnummer"), unique=True)
    merkle_root = models.CharField(_("Merkle-wortel"), max_length=64)
    previous_hash = models.CharField(_("hash van het vorige blok"), max_length=64)
    hash = models.CharField(_("blokhash"), max_length=64, unique=True)
    sealed_at = models.DateTimeField(_("verzegeld op"), default=timezone.now)

    class Meta:
        ordering = ["first_seq"]
        verbose_name = _("auditblok")
        verbose_name_plural = _("auditblokken")

    def __str__(self) -> str:
        return f"blok {self.first_seq}-{self.last_seq}"


class AuditAnchor(models.Model):
    """Where verification starts after expired events were purged: the hash of the last purged
    event, so the remaining chain still proves it was not altered."""

    purged_through_seq = models.BigIntegerField(_("verwijderd tot en met volgnummer"))
    last_hash = models.CharField(_("hash van de laatst verwijderde gebeurtenis"), max_length=64)
    purged_count = models.PositiveIntegerField(_("aantal verwijderd"))
    purged_at = models.DateTimeField(_("verwijderd op"), default=timezone.now)

    class Meta:
        ordering = ["-purged_through_seq"]
        verbose_name = _("ankerpunt auditketen")
        verbose_name_plural = _("ankerpunten auditketen")

    def __str__(self) -> str:
        return f"anker tot #{self.purged_through_seq}"
