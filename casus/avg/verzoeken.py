"""Rights of data subjects (AVG art. 15-17): access, rectification of a wrong match, erasure.

The FG registers a request. A zorgcoördinator enters the identifying data the person presents,
once: the platform computes the tokens and finds the signals that probably concern this person,
and so their casussen. A signal counts without more only on strong evidence (a name with the
full date of birth); a phone number or a working name alone never counts (controllers use one
phone for several women), and weaker evidence counts only after the coordinator confirmed it,
having seen which kinds of attribute agree. The report holds exactly what the coordinator may
see on the casus pages (the same policy functions), says per signal and casus what matched,
and which organisations and roles accessed it, and when.

The identifying data are not stored: the request keeps only the ids of the selected signals,
the kinds of token that matched, and a digest of the selection. Once compiled, a request is
closed to new identifying data: another person is a new request. Erasure shows first exactly
what goes, and runs only with a confirmation bound to that overview. The FG sees that a report
was made, when, by whom and which categories it covers: never its content.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction, AuditEvent
from audit.services import event_record
from casus import policy
from casus.avg import retention
from casus.models import (
    Afspraak,
    Bijdrage,
    Casus,
    InzageStatus,
    Inzageverzoek,
    LegalHold,
    MatchHint,
    PseudoniemToken,
    Signaal,
    StatusWijziging,
)
from casus.signalen import matching, pseudonym
from partners.models import User
from partners.policy import Permission, has_permission


def verzoek_ref(verzoek: Inzageverzoek) -> str:
    return f"V{verzoek.pk}"


def _audit(action: AuditAction, actor: User, verzoek: Inzageverzoek) -> None:
    event_record(
        action=action,
        actor=actor,
        purpose="wettelijke_taak",
        object_type="verzoek",
        object_ref=verzoek_ref(verzoek),
    )


def _require_fg(actor: User) -> None:
    if not has_permission(actor, Permission.AVG_REPORTS):
        raise PermissionDenied


def _require_compiler(actor: User, verzoek: Inzageverzoek) -> None:
    """A zorgcoördinator compiles; once compiled, only that coordinator sees the content."""
    if not has_permission(actor, Permission.SIGNAAL_TRIAGE):
        raise PermissionDenied
    if verzoek.samengesteld_door_id not in (None, actor.pk):
        raise PermissionDenied


def _invalid(message: str, field_name: str = "__all__") -> ValidationError:
    return ValidationError({field_name: [message]})


@transaction.atomic
def verzoek_register(
    *, actor: User, ontvangen_op: datetime.date | None, soort: str = "inzage"
) -> Inzageverzoek:
    _require_fg(actor)
    if ontvangen_op is None:
        raise ValidationError({"ontvangen_op": [_("Dit veld is verplicht.")]})
    if ontvangen_op > timezone.localdate():
        raise ValidationError({"ontvangen_op": [_("De datum ligt in de toekomst.")]})
    if soort not in {"inzage", "rectificatie", "wissing"}:
        raise ValidationError({"soort": [_("Kies een geldige waarde.")]})
    verzoek = Inzageverzoek.objects.create(
        ontvangen_op=ontvangen_op, soort=soort, geregistreerd_door=actor
    )
    _audit(AuditAction.REQUEST_REGISTERED, actor, verzoek)
    return verzoek


# --- Evidence: which signals concern the person ---------------------------------------------------

STERK = "sterk"  # counts without more
BEVESTIGEN = "bevestigen"  # counts only after the coordinator confirmed it

# Attributes that one person does not own: a controller uses one phone for several women, and
# working names are reused. Alone they never find anyone, whatever the match rule calls them.
_NOT_ALONE = frozenset({pseudonym.TELEFOON, pseudonym.WERKNAAM})


# What a report of the person's own data needs before it counts without a confirmation: the
# same full name (in any order, or a short form of the given name) with the same date of birth.
_SAME_PERSON = frozenset({pseudonym.NAAM_GEB, pseudonym.NAAM_GESORTEERD_GEB, pseudonym.BIJNAAM_GEB})


def evidence_tier(kinds: Iterable[str]) -> str | None:
    """``sterk`` when the shared tokens are 'sterk' without the phone and the working name
    and include the same full name with the same date of birth (stricter than a hint: these
    signals are handed to the person); ``bevestigen`` for other probable matches, except a
    phone number alone or a working name alone; ``None`` otherwise."""
    shared = set(kinds)
    own = shared - _NOT_ALONE
    if own & _SAME_PERSON and pseudonym.strength(own) == "sterk":
        return STERK
    if not shared or any(shared <= {kind} for kind in _NOT_ALONE):
        return None
    if pseudonym.is_probable_match(shared):
        return BEVESTIGEN
    return None


def kind_label(kind: str) -> str:
    """A human-readable Dutch name of a token kind (never the token kind itself)."""
    labels = {
        pseudonym.NAAM_GEB: _("naam + geboortedatum"),
        pseudonym.NAAM_GESORTEERD_GEB: _("naam + geboortedatum"),
        pseudonym.TELEFOON: _("telefoonnummer"),
        pseudonym.FONETISCH_GEB: _("naam die hetzelfde klinkt + geboortedatum"),
        pseudonym.GEB_OMGEWISSELD: _("naam + geboortedatum met dag en maand omgewisseld"),
        pseudonym.NAAM_JAAR: _("naam + geboortejaar"),
        pseudonym.NAAM_ALLEEN_JAAR: _("naam + geboortejaar"),
        pseudonym.WERKNAAM: _("werknaam"),
        pseudonym.NAAM: _("naam (zonder geboortedatum)"),
    }
    return labels.get(kind, _("ander kenmerk"))


# A weaker kind that a stronger shared kind already says (the full name with the date of birth
# also makes the sound-alike name, the year of birth and the bare name agree).
_IMPLIED: dict[str, frozenset[str]] = {
    pseudonym.NAAM_GEB: frozenset(
        {pseudonym.FONETISCH_GEB, pseudonym.NAAM_JAAR, pseudonym.NAAM_ALLEEN_JAAR, pseudonym.NAAM}
    ),
    pseudonym.NAAM_GESORTEERD_GEB: frozenset(
        {pseudonym.FONETISCH_GEB, pseudonym.NAAM_JAAR, pseudonym.NAAM_ALLEEN_JAAR, pseudonym.NAAM}
    ),
    pseudonym.GEB_OMGEWISSELD: frozenset({pseudonym.NAAM_JAAR, pseudonym.NAAM}),
    pseudonym.NAAM_JAAR: frozenset({pseudonym.NAAM}),
    pseudonym.NAAM_ALLEEN_JAAR: frozenset({pseudonym.NAAM}),
}


def kind_labels(kinds: Iterable[str]) -> list[str]:
    """What matched, in Dutch, strongest first, without what a stronger kind already says."""
    shared = list(kinds)
    implied = set().union(*(_IMPLIED.get(kind, frozenset()) for kind in shared))
    return list(dict.fromkeys(kind_label(kind) for kind in shared if kind not in implied))


@dataclass
class Selectie:
    """What a request found, as persisted on it (encrypted): signal ids with the kinds of token
    that matched, never an identifying attribute. ``signalen`` count for the report;
    ``kandidaten`` wait for the coordinator's confirmation; ``bevestigd`` are the signals the
    coordinator confirmed."""

    signalen: dict[int, list[str]] = field(default_factory=dict)
    kandidaten: dict[int, list[str]] = field(default_factory=dict)
    bevestigd: list[int] = field(default_factory=list)

    @property
    def digest(self) -> str:
        """A digest of the selected ids: binds a confirmation to this compiled result."""
        payload = json.dumps(
            {
                "signalen": sorted(self.signalen),
                "kandidaten": sorted(self.kandidaten),
                "bevestigd": sorted(self.bevestigd),
            },
            sort_keys=True,
        )
        return hashlib.sha256(payload.encode()).hexdigest()

    def dumps(self) -> str:
        return json.dumps(
            {
                "signalen": {str(pk): kinds for pk, kinds in sorted(self.signalen.items())},
                "kandidaten": {str(pk): kinds for pk, kinds in sorted(self.kandidaten.items())},
                "bevestigd": sorted(self.bevestigd),
                "digest": self.digest,
            }
        )

    @classmethod
    def loads(cls, text: str) -> Selectie:
        if not text:
            return cls()
        data = json.loads(text)
        if isinstance(data, list):  # stored before the selection kept its evidence
            return cls(signalen={int(pk): [] for pk in data})
        selectie = cls(
            signalen={int(pk): list(kinds) for pk, kinds in data.get("signalen", {}).items()},
            kandidaten={int(pk): list(kinds) for pk, kinds in data.get("kandidaten", {}).items()},
            bevestigd=[int(pk) for pk in data.get("bevestigd", [])],
        )
        if data.get("digest") not in (None, selectie.digest):
            raise ValidationError(
                _(
                    "De opgeslagen selectie van dit verzoek is beschadigd; stel een nieuw verzoek op."
                )
            )
        return selectie


def _selectie(verzoek: Inzageverzoek) -> Selectie:
    return Selectie.loads(verzoek.gevonden or "")


def _save_selectie(verzoek: Inzageverzoek, selectie: Selectie, *fields: str) -> None:
    verzoek.gevonden = selectie.dumps()
    verzoek.save(update_fields=["gevonden", *fields])


def _find(actor: User, attributes: pseudonym.IdentifyingAttributes) -> Selectie:
    """The signals the actor may see whose tokens agree with the person's, by evidence tier."""
    matches = matching.probable_matches(attributes)
    visible = set(
        policy.visible_signalen(actor)
        .filter(pk__in=[match.signaal_id for match in matches])
        .values_list("pk", flat=True)
    )
    selectie = Selectie()
    for match in matches:
        if match.signaal_id not in visible:
            continue
        tier = evidence_tier(match.kinds)
        if tier == STERK:
            selectie.signalen[match.signaal_id] = list(match.kinds)
        elif tier == BEVESTIGEN:
            selectie.kandidaten[match.signaal_id] = list(match.kinds)
    return selectie


def matching_signals(attributes: pseudonym.IdentifyingAttributes) -> list[int]:
    """Signals that strongly concern this person (no phone or working name alone)."""
    return [
        match.signaal_id
        for match in matching.probable_matches(attributes)
        if evidence_tier(match.kinds) == STERK
    ]


# --- The report -----------------------------------------------------------------------------------


@dataclass
class Toegang:
    partner: str
    rol: str
    actie: str
    eerste: datetime.datetime
    laatste: datetime.datetime
    aantal: int


@dataclass
class GevondenSignaal:
    signaal: Signaal
    overeenkomst: list[str]  # what matched, in Dutch
    bevestigd: bool  # counted because the coordinator confirmed it


@dataclass
class GevondenCasus:
    casus: Casus
    overeenkomst: list[str]
    signalen: list[Signaal]  # its other signals the coordinator sees on the casus page
    bijdragen: list[Bijdrage]
    afspraken: list[Afspraak]
    statussen: list[StatusWijziging]


@dataclass
class Kandidaat:
    signaal: Signaal
    overeenkomst: list[str]


@dataclass
class Rapport:
    signalen: list[Signaal] = field(default_factory=list)
    casussen: list[Casus] = field(default_factory=list)
    bijdragen: dict[int, list[Bijdrage]] = field(default_factory=dict)
    afspraken: dict[int, list[Afspraak]] = field(default_factory=dict)
    statussen: dict[int, list[StatusWijziging]] = field(default_factory=dict)
    casus_signalen: dict[int, list[Signaal]] = field(default_factory=dict)
    overeenkomst: dict[int, list[str]] = field(default_factory=dict)  # signal id -> labels
    bevestigd: set[int] = field(default_factory=set)
    kandidaten: list[Kandidaat] = field(default_factory=list)
    toegang: list[Toegang] = field(default_factory=list)

    @property
    def categorieen(self) -> list[str]:
        found = []
        if self.signalen:
            found.append("signalen")
        if self.casussen:
            found.append("casussen")
        if any(self.bijdragen.values()):
            found.append("bijdragen")
        if any(self.afspraken.values()):
            found.append("afspraken")
        if self.toegang:
            found.append("toegang")
        return found

    @property
    def gevonden_signalen(self) -> list[GevondenSignaal]:
        return [
            GevondenSignaal(s, self.overeenkomst.get(s.pk, []), s.pk in self.bevestigd)
            for s in self.signalen
        ]

    @property
    def gevonden_casussen(self) -> list[GevondenCasus]:
        labels: dict[int, list[str]] = defaultdict(list)
        for signaal in self.signalen:
            if signaal.casus_id is not None:
                labels[signaal.casus_id].extend(self.overeenkomst.get(signaal.pk, []))
        return [
            GevondenCasus(
                casus=casus,
                overeenkomst=list(dict.fromkeys(labels[casus.pk])),
                signalen=self.casus_signalen.get(casus.pk, []),
                bijdragen=self.bijdragen.get(casus.pk, []),
                afspraken=self.afspraken.get(casus.pk, []),
                statussen=self.statussen.get(casus.pk, []),
            )
            for casus in self.casussen
        ]


_BIJDRAGE_REF = re.compile(r"^(?P<casus>.+):B(?P<pk>\d+)$")


def _toegang(signal_ids: list[int], refs: list[str], visible_bijdragen: set[str]) -> list[Toegang]:
    """Who accessed the report's signals and casussen. Events on a bijdrage the compiler may not
    see are left out: the report holds nothing the casus page does not show."""
    condition = Q(object_type="signaal", object_ref__in=[f"S{pk}" for pk in signal_ids])
    if refs:
        condition |= Q(object_ref__in=refs)
        for ref in refs:
            condition |= Q(object_ref__startswith=f"{ref}:")
    grouped: dict[tuple[str, str, str], list[datetime.datetime]] = defaultdict(list)
    for partner, rol, action, moment, object_ref in (
        AuditEvent.objects.filter(condition, actor__isnull=False)
        .values_list("actor_partner__name", "actor_role", "action", "occurred_at", "object_ref")
        .order_by("occurred_at")
    ):
        if _BIJDRAGE_REF.match(object_ref) and object_ref not in visible_bijdragen:
            continue
        grouped[(partner or "", rol, action)].append(moment)
    return [
        Toegang(partner, rol, action, moments[0], moments[-1], len(moments))
        for (partner, rol, action), moments in sorted(grouped.items())
    ]


def _build(actor: User, selectie: Selectie) -> Rapport:
    """The report of a selection, through the policy layer the casus pages use: the signals,
    casussen, bijdragen and afspraken the compiler may see, nothing more."""
    visible_signalen = policy.visible_signalen(actor).select_related("partner", "casus", "lijst")
    signalen = list(
        visible_signalen.filter(pk__in=list(selectie.signalen))
        .prefetch_related("indicatoren")
        .order_by("pk")
    )
    casus_ids = {s.casus_id for s in signalen if s.casus_id is not None}
    casussen = list(
        policy.visible_casussen(actor).filter(pk__in=list(casus_ids)).order_by("referentie")
    )
    casus_ids = {c.pk for c in casussen}
    rapport = Rapport(
        signalen=signalen,
        casussen=casussen,
        overeenkomst={pk: kind_labels(kinds) for pk, kinds in selectie.signalen.items()},
        bevestigd=set(selectie.bevestigd),
    )
    for signaal in (
        visible_signalen.filter(casus_id__in=list(casus_ids))
        .exclude(pk__in=[s.pk for s in signalen])
        .prefetch_related("indicatoren")
        .order_by("pk")
    ):
        rapport.casus_signalen.setdefault(signaal.casus_id or 0, []).append(signaal)
    refs = {c.pk: c.referentie for c in casussen}
    visible_bijdragen = set()
    for bijdrage in (
        Bijdrage.objects.filter(casus_id__in=list(casus_ids))
        .filter(policy.bijdrage_visibility_filter(actor))
        .select_related("partner")
        .order_by("aangemaakt_op", "pk")
    ):
        rapport.bijdragen.setdefault(bijdrage.casus_id, []).append(bijdrage)
        visible_bijdragen.add(f"{refs[bijdrage.casus_id]}:B{bijdrage.pk}")
    for afspraak in (
        policy.visible_afspraken(actor)
        .filter(casus_id__in=list(casus_ids))
        .select_related("partner")
        .order_by("pk")
    ):
        rapport.afspraken.setdefault(afspraak.casus_id, []).append(afspraak)
    for change in StatusWijziging.objects.filter(casus_id__in=list(casus_ids)).order_by("op"):
        rapport.statussen.setdefault(change.casus_id, []).append(change)
    if selectie.kandidaten:
        kinds_of = selectie.kandidaten
        rapport.kandidaten = [
            Kandidaat(signaal, kind_labels(kinds_of[signaal.pk]))
            for signaal in visible_signalen.filter(pk__in=list(kinds_of)).order_by("pk")
        ]
    shown_signals = [s.pk for s in signalen] + [
        s.pk for items in rapport.casus_signalen.values() for s in items
    ]
    rapport.toegang = _toegang(shown_signals, list(refs.values()), visible_bijdragen)
    return rapport


def _require_enough(attributes: pseudonym.IdentifyingAttributes) -> None:
    """One kind of attribute alone never finds anyone: refuse it rather than report "nothing
    found" to the person. A phone number or a working name can belong to several persons."""
    given = {
        name: bool(value)
        for name, value in (
            ("telefoon", attributes.telefoon),
            ("werknaam", attributes.werknaam),
            ("achternaam", attributes.voornamen or attributes.achternaam),
            ("geboortedatum", attributes.geboortedatum or attributes.geboortejaar),
        )
    }
    present = [name for name, value in given.items() if value]
    if len(present) != 1:
        return
    if present[0] in {"telefoon", "werknaam"}:
        message = _(
            "Met alleen een telefoonnummer of alleen een werknaam wordt niemand gevonden: "
            "één nummer of werknaam kan bij meer personen horen. Vul ook de naam en "
            "geboortedatum in."
        )
    else:
        message = _(
            "Met alleen een naam of alleen een geboortedatum wordt niemand gevonden. Vul de naam "
            "én de geboortedatum in."
        )
    raise _invalid(message, present[0])


@transaction.atomic
def verzoek_compile(
    *, actor: User, verzoek: Inzageverzoek, attributes: pseudonym.IdentifyingAttributes
) -> Rapport:
    """Find what the platform holds about the person and compile the report: once per request."""
    verzoek = Inzageverzoek.objects.select_for_update().get(pk=verzoek.pk)
    _require_compiler(actor, verzoek)
    if verzoek.status == InzageStatus.AFGEROND:
        raise _invalid(_("Dit verzoek is al afgerond."))
    if verzoek.status != InzageStatus.GEREGISTREERD:
        raise _invalid(
            _(
                "Het rapport van dit verzoek is al samengesteld; er kunnen geen andere gegevens "
                "meer worden ingevuld. Gaat het om een andere persoon, laat de FG dan een nieuw "
                "verzoek registreren."
            )
        )
    if attributes.is_empty():
        raise _invalid(
            _("Vul ten minste de naam en geboortedatum, of de werknaam en het telefoonnummer in.")
        )
    _require_enough(attributes)
    selectie = _find(actor, attributes)
    rapport = _build(actor, selectie)
    verzoek.status = InzageStatus.SAMENGESTELD
    verzoek.samengesteld_door = actor
    verzoek.samengesteld_op = timezone.now()
    verzoek.categorieen = rapport.categorieen
    _save_selectie(
        verzoek, selectie, "status", "samengesteld_door", "samengesteld_op", "categorieen"
    )
    _audit(AuditAction.REQUEST_COMPILED, actor, verzoek)
    return rapport


def _require_compiled(actor: User, verzoek: Inzageverzoek) -> Selectie:
    _require_compiler(actor, verzoek)
    if verzoek.status != InzageStatus.SAMENGESTELD:
        raise PermissionDenied
    return _selectie(verzoek)


def candidate_ids(*, actor: User, verzoek: Inzageverzoek) -> list[int]:
    """The weaker matches still waiting for the compiler's decision (ids only)."""
    verzoek = Inzageverzoek.objects.get(pk=verzoek.pk)
    return sorted(_require_compiled(actor, verzoek).kandidaten)


def rapport_for(*, actor: User, verzoek: Inzageverzoek, pdf: bool = False) -> Rapport:
    """The compiled report again, for its compiler: every reading (page or PDF) is an event.
    The PDF for the person exists only once every weaker match has been decided."""
    verzoek = Inzageverzoek.objects.get(pk=verzoek.pk)
    selectie = _require_compiled(actor, verzoek)
    if pdf and selectie.kandidaten:
        raise _invalid(
            _(
                "Beoordeel eerst de mogelijke overeenkomsten; daarna kan het rapport als PDF "
                "worden gemaakt."
            )
        )
    rapport = _build(actor, selectie)
    _audit(
        AuditAction.REQUEST_REPORT_EXPORTED if pdf else AuditAction.REQUEST_REPORT_READ,
        actor,
        verzoek,
    )
    return rapport


@transaction.atomic
def verzoek_candidates_decide(
    *, actor: User, verzoek: Inzageverzoek, bevestigd: Iterable[int]
) -> Rapport:
    """The coordinator decides, per weaker match, whether it concerns the person: the
    confirmed signals join the report, the others are dropped. Decided once per request."""
    verzoek = Inzageverzoek.objects.select_for_update().get(pk=verzoek.pk)
    selectie = _require_compiled(actor, verzoek)
    if not selectie.kandidaten:
        raise _invalid(_("Er zijn geen mogelijke overeenkomsten meer om te beoordelen."))
    chosen = set(bevestigd)
    unknown = chosen - set(selectie.kandidaten)
    if unknown:
        raise _invalid(
            _("Signaal %(refs)s hoort niet bij de mogelijke overeenkomsten van dit verzoek.")
            % {"refs": ", ".join(f"S{pk}" for pk in sorted(unknown))},
            "bevestigd",
        )
    for pk in sorted(chosen):
        selectie.signalen[pk] = selectie.kandidaten[pk]
        selectie.bevestigd.append(pk)
    selectie.kandidaten = {}
    rapport = _build(actor, selectie)
    verzoek.categorieen = rapport.categorieen
    _save_selectie(verzoek, selectie, "categorieen")
    _audit(AuditAction.REQUEST_CANDIDATES_DECIDED, actor, verzoek)
    return rapport


@transaction.atomic
def verzoek_unlink(*, actor: User, verzoek: Inzageverzoek, signaal_id: int) -> None:
    """Rectification: the person says a matched signal is not about them. Its tokens and
    hints go, so it no longer links to this person; the signal itself stays."""
    verzoek = Inzageverzoek.objects.select_for_update().get(pk=verzoek.pk)
    _require_compiler(actor, verzoek)
    selectie = _selectie(verzoek)
    if signaal_id not in selectie.signalen:
        raise PermissionDenied
    PseudoniemToken.objects.filter(signaal_id=signaal_id).delete()
    MatchHint.objects.filter(Q(signaal_id=signaal_id) | Q(ander_signaal_id=signaal_id)).delete()
    del selectie.signalen[signaal_id]
    selectie.bevestigd = [pk for pk in selectie.bevestigd if pk != signaal_id]
    _save_selectie(verzoek, selectie)
    _audit(AuditAction.REQUEST_UNLINKED, actor, verzoek)


# --- Erasure --------------------------------------------------------------------------------------


@dataclass
class WisCasus:
    referentie: str
    signalen: int
    bijdragen: int
    afspraken: int


@dataclass
class WisPlan:
    """Exactly what an erasure removes, and what a legal hold keeps; ``digest`` binds the
    confirmation to it."""

    casussen: list[WisCasus] = field(default_factory=list)
    signalen: list[str] = field(default_factory=list)  # signals without a casus, "S12"
    bewaard: list[str] = field(default_factory=list)  # kept because of a legal hold
    digest: str = ""

    @property
    def leeg(self) -> bool:
        return not (self.casussen or self.signalen)

    @property
    def aantal_signalen(self) -> int:
        return sum(c.signalen for c in self.casussen) + len(self.signalen)

    @property
    def aantal_bijdragen(self) -> int:
        return sum(c.bijdragen for c in self.casussen)

    @property
    def aantal_afspraken(self) -> int:
        return sum(c.afspraken for c in self.casussen)


def _erasure_plan(actor: User, verzoek: Inzageverzoek, selectie: Selectie) -> WisPlan:
    if verzoek.soort != "wissing":
        raise _invalid(_("Dit verzoek is geen verzoek tot wissing (art. 17)."))
    if selectie.kandidaten:
        raise _invalid(
            _("Beoordeel eerst de mogelijke overeenkomsten; daarna kan er worden gewist.")
        )
    rapport = _build(actor, selectie)
    casus_ids = [c.pk for c in rapport.casussen]
    held_casussen = set(
        LegalHold.objects.filter(casus_id__in=casus_ids, opgeheven_op__isnull=True).values_list(
            "casus_id", flat=True
        )
    )
    alone = [s for s in rapport.signalen if s.casus_id is None]
    held_signalen = set(
        LegalHold.objects.filter(
            signaal_id__in=[s.pk for s in alone], opgeheven_op__isnull=True
        ).values_list("signaal_id", flat=True)
    )
    going = [c for c in rapport.casussen if c.pk not in held_casussen]
    going_ids = [c.pk for c in going]
    # Everything that goes with a casus, also what the coordinator does not see on its page.
    rows = {
        "signalen": list(
            Signaal.objects.filter(casus_id__in=going_ids).values_list("casus_id", "pk")
        ),
        "bijdragen": list(
            Bijdrage.objects.filter(casus_id__in=going_ids).values_list("casus_id", "pk")
        ),
        "afspraken": list(
            Afspraak.objects.filter(casus_id__in=going_ids).values_list("casus_id", "pk")
        ),
    }
    counts: dict[str, dict[int | None, int]] = {name: defaultdict(int) for name in rows}
    for name, pairs in rows.items():
        for casus_id, _pk in pairs:
            counts[name][casus_id] += 1
    objects: dict[str, list[int]] = {
        name: sorted(pk for _casus_id, pk in pairs) for name, pairs in rows.items()
    }
    objects["casussen"] = sorted(going_ids)
    objects["signalen"] += sorted(s.pk for s in alone if s.pk not in held_signalen)
    plan = WisPlan(
        casussen=[
            WisCasus(
                c.referentie,
                counts["signalen"][c.pk],
                counts["bijdragen"][c.pk],
                counts["afspraken"][c.pk],
            )
            for c in going
        ],
        signalen=[f"S{s.pk}" for s in alone if s.pk not in held_signalen],
        bewaard=[c.referentie for c in rapport.casussen if c.pk in held_casussen]
        + [f"S{s.pk}" for s in alone if s.pk in held_signalen],
    )
    payload = json.dumps(
        {"verzoek": verzoek.pk, "selectie": selectie.digest, "objecten": objects}, sort_keys=True
    )
    plan.digest = hashlib.sha256(payload.encode()).hexdigest()
    return plan


def erasure_plan(*, actor: User, verzoek: Inzageverzoek) -> WisPlan:
    """The overview the coordinator confirms before anything is removed (an event: it names
    casussen)."""
    verzoek = Inzageverzoek.objects.get(pk=verzoek.pk)
    selectie = _require_compiled(actor, verzoek)
    plan = _erasure_plan(actor, verzoek, selectie)
    _audit(AuditAction.REQUEST_ERASURE_PREVIEWED, actor, verzoek)
    return plan


@transaction.atomic
def verzoek_erase(*, actor: User, verzoek: Inzageverzoek, bevestiging: str) -> list[str]:
    """Erasure: purge the person's casussen and signals now, unless a legal hold applies, and
    only with the confirmation of exactly this overview (``bevestiging``: its digest). Returns
    the references kept because of a hold."""
    verzoek = Inzageverzoek.objects.select_for_update().get(pk=verzoek.pk)
    selectie = _require_compiled(actor, verzoek)
    # Lock the casussen first: nothing can be added to them between the check and the purge.
    casus_ids = Signaal.objects.filter(pk__in=list(selectie.signalen)).values_list(
        "casus_id", flat=True
    )
    list(Casus.objects.select_for_update().filter(pk__in=list(casus_ids)).values_list("pk"))
    plan = _erasure_plan(actor, verzoek, selectie)
    if plan.leeg:
        raise _invalid(_("Er is niets gevonden om te wissen; er is niets verwijderd."))
    if not bevestiging:
        raise _invalid(
            _("Bevestig eerst het overzicht van wat er gewist wordt; er is niets verwijderd."),
            "bevestiging",
        )
    if bevestiging != plan.digest:
        raise _invalid(
            _(
                "Wat er gewist zou worden is veranderd sinds u het overzicht zag (bijvoorbeeld "
                "een nieuwe bijdrage of een losgekoppeld signaal). Er is niets verwijderd: "
                "bekijk het nieuwe overzicht en bevestig opnieuw."
            ),
            "bevestiging",
        )
    rapport = _build(actor, selectie)
    kept = []
    for casus in rapport.casussen:
        if not retention.casus_purge(casus=casus):
            kept.append(casus.referentie)
    for signaal in rapport.signalen:
        if signaal.casus_id is None and not retention.signaal_purge(signaal=signaal):
            kept.append(f"S{signaal.pk}")
    remaining = set(
        Signaal.objects.filter(pk__in=list(selectie.signalen)).values_list("pk", flat=True)
    )
    selectie.signalen = {pk: kinds for pk, kinds in selectie.signalen.items() if pk in remaining}
    selectie.bevestigd = [pk for pk in selectie.bevestigd if pk in remaining]
    _save_selectie(verzoek, selectie)
    _audit(AuditAction.REQUEST_ERASED, actor, verzoek)
    return kept


@transaction.atomic
def verzoek_close(*, actor: User, verzoek: Inzageverzoek) -> Inzageverzoek:
    """Closing forgets which signals matched: the link to the person is not kept."""
    verzoek = Inzageverzoek.objects.select_for_update().get(pk=verzoek.pk)
    if not (
        has_permission(actor, Permission.AVG_REPORTS) or verzoek.samengesteld_door_id == actor.pk
    ):
        raise PermissionDenied
    verzoek.gevonden = ""
    verzoek.status = InzageStatus.AFGEROND
    verzoek.afgerond_op = timezone.now()
    verzoek.save(update_fields=["gevonden", "status", "afgerond_op"])
    _audit(AuditAction.REQUEST_CLOSED, actor, verzoek)
    return verzoek
