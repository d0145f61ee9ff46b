"""Services for signals: pseudonymised intake, matching and triage by the zorgcoördinator.

Identifying attributes arrive as an IdentifyingAttributes value, become tokens, and are
dropped: they are never stored, logged, put in an audit event or returned.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import event_record
from casus import policy
from casus.casussen import services
from casus.models import (
    SHORT_TEXT_MAX_LENGTH,
    Bron,
    Casus,
    Gemeente,
    Indicator,
    MatchHint,
    PseudoniemToken,
    Sector,
    Signaal,
    SignaalStatus,
    Signalenlijst,
    Urgentie,
    Zichtbaarheid,
)
from casus.signalen import matching, pseudonym
from partners.models import Partner, User
from partners.policy import Permission, has_permission

MAX_AGE_OBSERVATION = datetime.timedelta(days=5 * 365)


def signaal_ref(signaal: Signaal) -> str:
    return f"S{signaal.pk}"


def _audit(action: AuditAction, actor: User, signaal: Signaal, purpose: str = "") -> None:
    event_record(
        action=action,
        actor=actor,
        purpose=purpose,
        object_type="signaal",
        object_ref=signaal_ref(signaal),
    )


def active_signalenlijst() -> Signalenlijst:
    return Signalenlijst.objects.filter(actief=True).order_by(
        "-versie"
    ).first() or Signalenlijst.objects.get(versie=1)


def _validate(
    *,
    datum_waargenomen: datetime.date | None,
    bron: str,
    sector: str,
    niet_pluis: int | None,
    urgentie: str,
    zichtbaarheid: str,
    gemeente: str,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = defaultdict(list)
    today = timezone.localdate()
    if datum_waargenomen is None:
        errors["datum_waargenomen"].append(_("Dit veld is verplicht."))
    elif datum_waargenomen > today:
        errors["datum_waargenomen"].append(_("De datum ligt in de toekomst."))
    elif today - datum_waargenomen > MAX_AGE_OBSERVATION:
        errors["datum_waargenomen"].append(_("De datum ligt meer dan vijf jaar terug."))
    for field, value, choices in (
        ("bron", bron, Bron),
        ("gemeente", gemeente, Gemeente),
        ("sector", sector, Sector),
        ("urgentie", urgentie, Urgentie),
        ("zichtbaarheid", zichtbaarheid, Zichtbaarheid),
    ):
        if value not in choices.values:
            errors[field].append(_("Kies een geldige waarde."))
    if niet_pluis is None or not 0 <= niet_pluis <= 3:
        errors["niet_pluis"].append(_("Kies een waarde van 0 tot en met 3."))
    return errors


def _store_tokens_and_match(
    signaal: Signaal, attributes: pseudonym.IdentifyingAttributes
) -> list[MatchHint]:
    """Store the newest-key tokens; hint at earlier signals that are probably the same person
    ('sterk', 'waarschijnlijk') or share a network's phone or working name ('gedeeld')."""
    stored = pseudonym.tokens_for(attributes)
    PseudoniemToken.objects.bulk_create(
        [
            PseudoniemToken(
                signaal=signaal, soort=t.kind, sleutelversie=t.key_version, token=t.value
            )
            for t in stored
        ]
    )
    hints = [
        MatchHint(
            signaal=signaal,
            ander_signaal_id=match.signaal_id,
            soorten=list(match.kinds),
            sterkte=match.strength,
            gedeeld=list(match.shared),
        )
        for match in matching.probable_matches(
            attributes, exclude_signaal_id=signaal.pk, with_shared=True
        )
    ]
    return MatchHint.objects.bulk_create(hints)


@transaction.atomic
def signaal_submit(
    *,
    actor: User,
    datum_waargenomen: datetime.date | None,
    bron: str,
    sector: str,
    omschrijving: str,
    zichtbaarheid: str,
    niet_pluis: int | None = 0,
    urgentie: str = Urgentie.NORMAAL,
    gemeente: str = Gemeente.ONBEKEND,
    indicatoren: Iterable[str] = (),
    attributes: pseudonym.IdentifyingAttributes | None = None,
    aangemaakt_op: datetime.datetime | None = None,
) -> Signaal:
    """Record a signal. The attributes become tokens and match hints, then they are gone."""
    if not has_permission(actor, Permission.SIGNAAL_SUBMIT):
        raise PermissionDenied
    errors = _validate(
        datum_waargenomen=datum_waargenomen,
        bron=bron,
        sector=sector,
        niet_pluis=niet_pluis,
        urgentie=urgentie,
        zichtbaarheid=zichtbaarheid,
        gemeente=gemeente,
    )
    lijst = active_signalenlijst()
    codes = list(dict.fromkeys(indicatoren))
    found = list(Indicator.objects.filter(lijst=lijst, code__in=codes))
    if len(found) != len(codes):
        errors["indicatoren"].append(_("Kies indicatoren uit de geldende signalenlijst."))
    try:
        omschrijving = services.check_text(omschrijving, "omschrijving")
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors[field].extend(messages)
    if errors or datum_waargenomen is None:
        raise ValidationError(dict(errors))
    signaal = Signaal.objects.create(
        partner=actor.partner,
        auteur=actor,
        rol=actor.role,
        datum_waargenomen=datum_waargenomen,
        bron=bron,
        sector=sector,
        gemeente=gemeente,
        lijst=lijst,
        niet_pluis=niet_pluis or 0,
        urgentie=urgentie,
        omschrijving=omschrijving,
        zichtbaarheid=zichtbaarheid,
        aangemaakt_op=aangemaakt_op or timezone.now(),
    )
    signaal.indicatoren.set(found)
    _audit(AuditAction.SIGNAAL_SUBMITTED, actor, signaal)
    if attributes is not None and not attributes.is_empty():
        hints = _store_tokens_and_match(signaal, attributes)
        if hints:
            # The reporter is not told (no existence leak); the event is for the FG's record.
            _audit(AuditAction.MATCH_FOUND, actor, signaal)
    return signaal


def _lock_untriaged(signaal: Signaal) -> Signaal:
    signaal = Signaal.objects.select_for_update().get(pk=signaal.pk)
    if signaal.status != SignaalStatus.NIEUW:
        raise ValidationError({"__all__": [_("Dit signaal is al beoordeeld.")]})
    return signaal


@transaction.atomic
def signaal_link(*, actor: User, signaal: Signaal, casus: Casus) -> Signaal:
    """Link an untriaged signal to an existing casus."""
    if not has_permission(actor, Permission.SIGNAAL_TRIAGE):
        raise PermissionDenied
    signaal = _lock_untriaged(signaal)
    casus = Casus.objects.select_for_update().get(pk=casus.pk)
    signaal.casus = casus
    signaal.status = SignaalStatus.GEKOPPELD
    signaal.triage_door = actor
    signaal.triage_op = timezone.now()
    signaal.gekoppeld_op = signaal.triage_op  # joins the casus now (the herhaalsignaal rule)
    signaal.save(update_fields=["casus", "status", "triage_door", "triage_op", "gekoppeld_op"])
    _audit(AuditAction.SIGNAAL_LINKED, actor, signaal, purpose=casus.grondslag)
    return signaal


@transaction.atomic
def signaal_open_casus(
    *,
    actor: User,
    signaal: Signaal,
    risico: str,
    grondslag: str,
    partners: Iterable[Partner],
    reden: str,
    grondslag_toelichting: str = "",
    veilig_om_te_bellen: bool = False,
    tolk_nodig: bool = False,
) -> Casus:
    """Open a casus from a signal; the reporting partner is involved by default."""
    if not has_permission(actor, Permission.SIGNAAL_TRIAGE):
        raise PermissionDenied
    signaal = _lock_untriaged(signaal)
    casus = services.casus_open(
        actor=actor,
        risico=risico,
        grondslag=grondslag,
        grondslag_toelichting=grondslag_toelichting,
        partners=[signaal.partner, *partners],
        reden=reden,
        sector=signaal.sector,
        gemeente=signaal.gemeente,
        veilig_om_te_bellen=veilig_om_te_bellen,
        tolk_nodig=tolk_nodig,
    )
    signaal_link(actor=actor, signaal=signaal, casus=casus)
    return casus


@transaction.atomic
def signaal_close(*, actor: User, signaal: Signaal, reden: str) -> Signaal:
    """'Geen vervolg': kept for its retention period (6 months), then purged."""
    if not has_permission(actor, Permission.SIGNAAL_TRIAGE):
        raise PermissionDenied
    signaal = _lock_untriaged(signaal)
    signaal.geen_vervolg_reden = services.check_text(
        reden, "reden", max_length=SHORT_TEXT_MAX_LENGTH
    )
    signaal.status = SignaalStatus.GEEN_VERVOLG
    signaal.triage_door = actor
    signaal.triage_op = timezone.now()
    signaal.save(update_fields=["geen_vervolg_reden", "status", "triage_door", "triage_op"])
    _audit(AuditAction.SIGNAAL_CLOSED, actor, signaal)
    return signaal


def default_visibility_for(actor: User) -> str:
    return policy.default_visibility(actor.partner)


@transaction.atomic
def signaal_change_visibility(*, actor: User, signaal: Signaal, zichtbaarheid: str) -> Signaal:
    """The author changes who reads its signal in the casus it is linked to (the same levels and
    the same health-data rule as a bijdrage)."""
    casus_id = signaal.casus_id  # the policy refuses an unlinked signal (no casus)
    if casus_id is None or not policy.can_change_signaal_visibility(actor, signaal):
        raise PermissionDenied
    casus = Casus.objects.select_for_update().get(pk=casus_id)
    signaal = Signaal.objects.select_for_update().get(pk=signaal.pk)
    signaal.zichtbaarheid = services.visibility_check(actor, casus, zichtbaarheid)
    signaal.save(update_fields=["zichtbaarheid"])
    _audit(AuditAction.SIGNAAL_VISIBILITY_CHANGED, actor, signaal)
    return signaal
