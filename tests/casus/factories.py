"""Deterministic casus factories that go through casus.services (involvement, audit, permissions)."""

from __future__ import annotations

from typing import Any

import factory

from casus.casussen import services
from casus.models import Casus, Grondslag, Risico, Sector, Status
from partners.models import PartnerKind, Role
from tests.factories import PartnerFactory, UserFactory


class CoordinatorFactory(UserFactory):
    role = Role.ZORGCOORDINATOR
    partner = factory.SubFactory(PartnerFactory, kind=PartnerKind.ZORG)


class CasusFactory(factory.django.DjangoModelFactory):
    """``CasusFactory(partners=[p1, p2])``; traits ``afgesloten``, ``toestemming``, ``acuut``."""

    class Meta:
        model = Casus
        skip_postgeneration_save = True

    coordinator = factory.SubFactory(CoordinatorFactory)
    partners: Any = factory.LazyFunction(lambda: [PartnerFactory.create()])
    risico = Risico.MIDDEN
    grondslag = Grondslag.WETTELIJKE_TAAK
    sector = Sector.RAAM
    reden = "Afstemming tussen hulpverlening en handhaving."
    status = Status.NIEUW

    class Params:
        afgesloten = factory.Trait(status=Status.AFGESLOTEN)
        toestemming = factory.Trait(grondslag=Grondslag.TOESTEMMING)
        acuut = factory.Trait(risico=Risico.ACUUT)

    @classmethod
    def _create(cls, model_class: type[Casus], *args: Any, **kwargs: Any) -> Casus:
        coordinator = kwargs["coordinator"]
        casus = services.casus_open(
            actor=coordinator,
            risico=kwargs["risico"],
            grondslag=kwargs["grondslag"],
            sector=kwargs["sector"],
            partners=kwargs["partners"],
            reden=kwargs["reden"],
        )
        if kwargs["status"] == Status.AFGESLOTEN:
            casus = services.casus_change_status(
                actor=coordinator,
                casus=casus,
                status=Status.AFGESLOTEN,
                uitkomst="geen_zorgen_meer",
            )
        return casus
