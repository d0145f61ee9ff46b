"""Hostile free text in every form that takes it, through the real views as the real role.

Oversized input, control characters, bidi overrides, NUL, HTML/JS and SQL-looking text get a
clear answer: a redirect when the text is accepted, or the form again with the error (400, or
200 where the view re-renders), never a 500 (the test client re-raises any server error). What
the views answer and where accepted text is shown again never contains raw HTML from the
input. A second, deterministic test stores HTML-looking text in every place it can go and reads
it back everywhere it is shown: the pages (escaped), the minutes PDF (the literal text: it was
escaped in the HTML the PDF is made of), and the CSV export, calendar invite and e-mails, which
carry no content at all.

Bounded: at most 12 derandomized examples per form, no example database, no deadline.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from casus.casussen import services
from casus.models import Afspraak, Agendapunt, Casus, Overleg, OverlegSerie, Signaal
from casus.overleg import agenda
from casus.overleg import services as overleg_services
from casus.overleg import tasks as overleg_tasks
from casus.signalen import services as intake
from partners.models import Partner, PartnerKind, Role, User
from tests.casus.factories import CasusFactory
from tests.factories import PartnerFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.hostile]

EXAMPLES = 12

SCRIPT = '<script>alert("kr-xss")</script>'
IMG = '"><img src=x onerror=alert("kr-xss")>'
RAW_MARKUP = ("<script>alert(", "<img src=x onerror")  # what must never come back unescaped
PAYLOADS = [
    SCRIPT,
    IMG,
    "<b onmouseover=alert(1)>vet</b>",
    "javascript:alert(document.cookie)",
    "'; DROP TABLE casus_casus; --",
    "1' OR '1'='1",
    "Robert'); DELETE FROM audit_auditevent WHERE ('1'='1",
    "%(reden)s {{ request.user }} {% debug %}",
    "Gezien bij \u202eraam 12\u202c op de Weaze.",  # right-to-left override
    "Afspraak \u2066morgen\u2069 bevestigd.",  # isolate
    "Tekst met een\x00nul-teken.",
    "Tekst met \x1b[31m kleurcode.",
    "Tekst met \x85 teken.",
    "Zero\u200bwidth en \ufeffBOM",
]
CONTROL_CHARACTERS = st.characters(categories=["Cc", "Cf", "Zl", "Zp"])


def _oversized(length: int) -> str:
    return ("Lange tekst zonder einde. " * (length // 26 + 1))[:length]


HOSTILE_TEXT = st.one_of(
    st.sampled_from(PAYLOADS),
    st.builds(
        lambda before, payload, after: before + payload + after,
        st.text(max_size=20),
        st.sampled_from(PAYLOADS),
        st.text(max_size=20),
    ),
    st.integers(min_value=2_000, max_value=200_000).map(_oversized),
    st.text(alphabet=CONTROL_CHARACTERS, min_size=1, max_size=20),
    st.text(max_size=300),
)


@dataclass
class Small:
    """A small world: one casus of Fier and the police, an afspraak, a signal and a meeting
    whose agenda is fixed (meeting mode for the chair)."""

    users: dict[str, User]
    partners: dict[str, Partner]
    casus: Casus
    afspraak: Afspraak
    signaal: Signaal
    meeting: Overleg
    clients: dict[str, Client] = field(default_factory=dict)

    @property
    def agendapunt(self) -> Agendapunt:
        return Agendapunt.objects.get(overleg=self.meeting, casus=self.casus)


def build_small() -> Small:
    partners = {
        "fier": PartnerFactory.create(name="Fier", kind=PartnerKind.ZORG),
        "politie": PartnerFactory.create(name="Politie", kind=PartnerKind.POLITIE),
        "gemeente": PartnerFactory.create(name="Gemeente", kind=PartnerKind.GEMEENTE),
    }
    specs = {
        "coordinator": (Role.ZORGCOORDINATOR, "fier"),
        "medewerker": (Role.MEDEWERKER, "politie"),
        "voorzitter": (Role.VOORZITTER, "gemeente"),
        "fg": (Role.PRIVACY_OFFICER, "gemeente"),
    }
    users = {
        name: UserFactory.create(
            username=f"hostile.{name}",
            role=role,
            partner=partners[partner],
            mfa=True,
            email=f"{name}@example.nl",
        )
        for name, (role, partner) in specs.items()
    }
    coordinator = users["coordinator"]
    casus = CasusFactory.create(
        coordinator=coordinator, partners=[partners["fier"], partners["politie"]]
    )
    afspraak = services.afspraak_create(
        actor=coordinator,
        casus=casus,
        omschrijving="Gesprek plannen.",
        partner=partners["politie"],
        deadline=timezone.localdate() + datetime.timedelta(days=14),
    )
    signaal = intake.signaal_submit(
        actor=users["medewerker"],
        datum_waargenomen=timezone.localdate() - datetime.timedelta(days=1),
        bron="controle",
        sector="raam",
        omschrijving="Tekenen van afhankelijkheid gezien.",
        zichtbaarheid="keten",
        attributes=None,
    )
    serie = OverlegSerie.objects.create(
        naam="Ketenoverleg", interval_weken=4, plaats="Stadskantoor", voorzitter=users["voorzitter"]
    )
    serie.partners.set(partners.values())
    meeting = overleg_services.overleg_plan(
        actor=users["voorzitter"], serie=serie, datum=timezone.now() + datetime.timedelta(days=7)
    )
    agenda.agenda_generate(overleg=meeting, actor=users["voorzitter"])
    if not Agendapunt.objects.filter(overleg=meeting, casus=casus, verwijderd=False).exists():
        overleg_services.agendapunt_add(actor=coordinator, overleg=meeting, casus=casus)
    overleg_services.agenda_finalise(actor=users["voorzitter"], overleg=meeting)
    return Small(users, partners, casus, afspraak, signaal, Overleg.objects.get(pk=meeting.pk))


@pytest.fixture
def small(db: None, mfa_client) -> Small:
    world = build_small()
    world.clients = {name: mfa_client(user) for name, user in world.users.items()}
    return world


@dataclass(frozen=True)
class FormSpec:
    """One form: who posts it where, with which valid values, and which fields are free text."""

    role: str
    url: Callable[[Small], str]
    valid: Callable[[Small], dict[str, Any]]
    text_fields: tuple[str, ...]
    method: str = "post"


def _next_week() -> str:
    return (timezone.localdate() + datetime.timedelta(days=7)).isoformat()


FORMS: dict[str, FormSpec] = {
    "casus openen": FormSpec(
        "coordinator",
        lambda w: reverse("casussen:open"),
        lambda w: {
            "risico": "midden",
            "grondslag": "overig",
            "grondslag_toelichting": "Afstemming op verzoek.",
            "sector": "raam",
            "gemeente": "",
            "partners": [w.partners["politie"].pk],
            "reden": "Zorgen over afhankelijkheid.",
        },
        ("reden", "grondslag_toelichting"),
    ),
    "casus zoeken": FormSpec(
        "coordinator", lambda w: reverse("casussen:list"), lambda w: {"zoek": "K"}, ("zoek",), "get"
    ),
    "status": FormSpec(
        "coordinator",
        lambda w: reverse("casussen:status", args=[w.casus.referentie]),
        lambda w: {"status": "in_behandeling", "toelichting": "Gesprek gevoerd."},
        ("toelichting",),
    ),
    "betrokkenheid": FormSpec(
        "coordinator",
        lambda w: reverse("casussen:betrokkenheid_add", args=[w.casus.referentie]),
        lambda w: {
            "partner": w.partners["gemeente"].pk,
            "grondslag": "overig",
            "reden": "Huisvesting nodig.",
            "grondslag_toelichting": "Op verzoek van de persoon.",
        },
        ("reden", "grondslag_toelichting"),
    ),
    "bijdrage": FormSpec(
        "medewerker",
        lambda w: reverse("casussen:bijdrage_create", args=[w.casus.referentie]),
        lambda w: {"categorie": "algemeen", "zichtbaarheid": "keten", "tekst": "Gesprek gehad."},
        ("tekst",),
    ),
    "afspraak": FormSpec(
        "coordinator",
        lambda w: reverse("casussen:afspraak_create", args=[w.casus.referentie]),
        lambda w: {
            "omschrijving": "Woonruimte zoeken.",
            "partner": w.partners["politie"].pk,
            "deadline": _next_week(),
        },
        ("omschrijving",),
    ),
    "afspraak uitkomst": FormSpec(
        "medewerker",
        lambda w: reverse("casussen:afspraak_update", args=[w.casus.referentie, w.afspraak.pk]),
        lambda w: {
            "versie": Afspraak.objects.get(pk=w.afspraak.pk).versie,
            "uitkomst": "open",
            "uitkomst_toelichting": "Nog bezig.",
            "deadline": _next_week(),
        },
        ("uitkomst_toelichting",),
    ),
    "agenderen": FormSpec(
        "medewerker",
        lambda w: reverse("casussen:agenderen", args=[w.casus.referentie]),
        lambda w: {"reden": "Graag bespreken."},
        ("reden",),
    ),
    "signaal melden": FormSpec(
        "medewerker",
        lambda w: reverse("signalen:new"),
        lambda w: {
            "datum_waargenomen": timezone.localdate().isoformat(),
            "bron": "controle",
            "sector": "raam",
            "niet_pluis": "2",
            "urgentie": "normaal",
            "omschrijving": "Ingestudeerd verhaal bij de controle.",
            "zichtbaarheid": "keten",
        },
        ("omschrijving", "voornamen", "achternaam", "land", "werknaam", "telefoon"),
    ),
    "signaal afsluiten": FormSpec(
        "coordinator",
        lambda w: reverse("signalen:close", args=[w.signaal.pk]),
        lambda w: {"reden": "Geen aanwijzingen na een gesprek."},
        ("reden",),
    ),
    "signaal koppelen": FormSpec(
        "coordinator",
        lambda w: reverse("signalen:link", args=[w.signaal.pk]),
        lambda w: {"referentie": w.casus.referentie},
        ("referentie",),
    ),
    "besluit": FormSpec(
        "voorzitter",
        lambda w: reverse("overleg:agendapunt", args=[w.meeting.pk, w.agendapunt.pk]),
        lambda w: {"formulier": "besluit", "besluit": "Doorgaan.", "besproken": "on"},
        ("besluit",),
    ),
    "bewaarplicht": FormSpec(
        "fg",
        lambda w: reverse("avg:hold_set"),
        lambda w: {"referentie": w.casus.referentie, "reden": "Lopende procedure."},
        ("referentie", "reden"),
    ),
    "auditlog filter": FormSpec(
        "fg",
        lambda w: reverse("fg:events"),
        lambda w: {"gebruiker": "hostile", "referentie": w.casus.referentie},
        ("gebruiker", "referentie"),
        "get",
    ),
}


def assert_no_raw_markup(content: bytes, where: str) -> None:
    text = content.decode("utf-8", errors="replace")
    for raw in RAW_MARKUP:
        assert raw not in text, f"raw {raw!r} in {where}"


def submit(world: Small, spec: FormSpec, data: dict[str, Any]) -> Any:
    client = world.clients[spec.role]
    url = spec.url(world)
    response = getattr(client, spec.method)(url, data)
    assert response.status_code in {200, 302, 400}, (url, response.status_code)
    assert_no_raw_markup(response.content, url)
    if response.status_code == 302:  # accepted: the page it leads to shows the text again
        page = client.get(response["Location"])
        assert page.status_code == 200, (response["Location"], page.status_code)
        assert_no_raw_markup(page.content, response["Location"])
    return response


# Forms where hostile input finds a defect in code owned by another worker right now (not to be
# edited from here): form -> what is wrong. Their hypothesis test is xfail(strict=True).
KNOWN_DEFECTS: dict[str, str] = {}


def _form_params() -> list[Any]:
    return [
        pytest.param(
            name,
            marks=[
                pytest.mark.xfail(strict=True, reason=KNOWN_DEFECTS[name]),
                # the failing example is a 200 kB text: hypothesis warns about its repr
                pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning"),
            ]
            if name in KNOWN_DEFECTS
            else [],
        )
        for name in FORMS
    ]


@pytest.mark.parametrize("name", _form_params())
def test_hostile_free_text_gets_a_clear_answer_and_comes_back_escaped(name, small) -> None:
    spec = FORMS[name]
    control = submit(small, spec, spec.valid(small))  # the valid values are valid indeed
    assert control.status_code == (200 if spec.method == "get" else 302), control.status_code

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(field_name=st.sampled_from(spec.text_fields), text=HOSTILE_TEXT)
    def hostile(field_name: str, text: str) -> None:
        submit(small, spec, {**spec.valid(small), field_name: text})

    hostile()
    assert not any("kr-xss" in message.body for message in mail.outbox)  # content-free


def _pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", text)


def test_stored_html_looking_text_is_escaped_wherever_it_is_shown(small) -> None:
    """Stored through the forms; read back on every page, in the minutes PDF, the CSV export,
    the calendar invite and the e-mails."""
    coordinator, medewerker = small.clients["coordinator"], small.clients["medewerker"]
    chair, fg = small.clients["voorzitter"], small.clients["fg"]
    ref = small.casus.referentie
    stored = {
        "bijdrage": medewerker.post(
            reverse("casussen:bijdrage_create", args=[ref]),
            {"categorie": "algemeen", "zichtbaarheid": "keten", "tekst": f"kr-bijdrage {SCRIPT}"},
        ),
        "afspraak": coordinator.post(
            reverse("casussen:afspraak_create", args=[ref]),
            {
                "omschrijving": f"kr-afspraak {IMG}",
                "partner": small.partners["politie"].pk,
                "deadline": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
            },
        ),
        "status": coordinator.post(
            reverse("casussen:status", args=[ref]),
            {"status": "in_behandeling", "toelichting": f"kr-status {SCRIPT}"},
        ),
        "signaal": medewerker.post(
            reverse("signalen:new"),
            {
                **FORMS["signaal melden"].valid(small),
                "omschrijving": f"kr-melding {SCRIPT} en {IMG}",
            },
        ),
        "besluit": chair.post(
            reverse("overleg:agendapunt", args=[small.meeting.pk, small.agendapunt.pk]),
            {"formulier": "besluit", "besluit": f"kr-besluit {SCRIPT}", "besproken": "on"},
        ),
    }
    for what, response in stored.items():
        assert response.status_code == 302, (what, response.status_code)
    new_signal = Signaal.objects.exclude(pk=small.signaal.pk).get()

    pages = {
        "casus (coordinator)": coordinator.get(reverse("casussen:detail", args=[ref])),
        "casus (medewerker)": medewerker.get(reverse("casussen:detail", args=[ref])),
        "signaal": medewerker.get(reverse("signalen:detail", args=[new_signal.pk])),
        "inbox": coordinator.get(reverse("signalen:inbox")),
        "agendapunt": chair.get(
            reverse("overleg:agendapunt", args=[small.meeting.pk, small.agendapunt.pk])
        ),
    }
    for where, page in pages.items():
        assert page.status_code == 200, where
        assert_no_raw_markup(page.content, where)
    assert "kr-bijdrage &lt;script&gt;alert(" in pages["casus (medewerker)"].content.decode()
    assert "&lt;script&gt;" in pages["signaal"].content.decode()  # shown, and escaped

    overleg_services.overleg_held(
        actor=small.users["voorzitter"], overleg=small.meeting, aanwezig=[small.partners["fier"]]
    )
    minutes = chair.get(reverse("overleg:minutes", args=[small.meeting.pk]))
    assert minutes.status_code == 200
    assert_no_raw_markup(minutes.content, "minutes")
    assert "kr-besluit &lt;script&gt;" in minutes.content.decode()
    pdf = chair.get(reverse("overleg:minutes_pdf", args=[small.meeting.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # Markup in the HTML the PDF is made of would have become an element (no text); escaped,
    # the reader sees the literal text.
    assert 'kr-besluit <script>alert("kr-xss")</script>' in _pdf_text(pdf.content)

    # The e-mails that exist: the reminder of an afspraak due tomorrow and "agenda ready".
    assert overleg_tasks.notify_afspraken() >= 1
    overleg_tasks._notify_agenda_ready(small.meeting.pk)
    assert len(mail.outbox) >= 2
    invite = chair.get(reverse("overleg:invite", args=[small.meeting.pk]))
    assert invite.status_code == 200
    export = fg.get(reverse("fg:export"))
    assert export.status_code == 200
    csv = b"".join(export.streaming_content).decode()
    assert ref in csv  # the export has rows about the casus, and nothing of its text
    for where, content in (
        ("calendar invite", invite.content.decode()),
        ("csv export", csv),
        *((f"e-mail {m.subject!r}", f"{m.subject}\n{m.body}") for m in mail.outbox),
    ):
        for text in (
            "kr-xss",
            "kr-bijdrage",
            "kr-afspraak",
            "kr-melding",
            "kr-besluit",
            "kr-status",
        ):
            assert text not in content, (where, text)
