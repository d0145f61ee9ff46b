"""The workflows: which status may follow which, for casussen and for meetings."""

from __future__ import annotations

from casus.models.choices import OverlegStatus, Status

# The workflow: which status may follow which. Reopening a closed casus is allowed.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NIEUW: frozenset({Status.IN_BEHANDELING, Status.AFGESLOTEN}),
    Status.IN_BEHANDELING: frozenset({Status.MONITOREN, Status.AFGESLOTEN}),
    Status.MONITOREN: frozenset({Status.IN_BEHANDELING, Status.AFGESLOTEN}),
    Status.AFGESLOTEN: frozenset({Status.IN_BEHANDELING}),
}


OVERLEG_TRANSITIONS: dict[str, frozenset[str]] = {
    OverlegStatus.GEPLAND: frozenset({OverlegStatus.AGENDA_CONCEPT, OverlegStatus.GEANNULEERD}),
    OverlegStatus.AGENDA_CONCEPT: frozenset(
        {OverlegStatus.AGENDA_DEFINITIEF, OverlegStatus.GEANNULEERD}
    ),
    OverlegStatus.AGENDA_DEFINITIEF: frozenset({OverlegStatus.GEHOUDEN, OverlegStatus.GEANNULEERD}),
    OverlegStatus.GEHOUDEN: frozenset({OverlegStatus.VERSLAG_VASTGESTELD}),
    OverlegStatus.VERSLAG_VASTGESTELD: frozenset(),
    OverlegStatus.GEANNULEERD: frozenset(),
}
