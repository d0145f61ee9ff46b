"""Every audit action the code emits is asserted with its complete record by some test.

The code is read, not imported. An action counts as emitted where production code passes it to
``event_record``, ``events_record_bulk`` or ``partners.events.record`` (partners reaches the
audit log through the recorder the audit app registers), or to a function that hands its own
action parameter on to one of those (the ``_audit`` helpers of the services). It counts as
asserted where a test passes it to ``tests.audit_records.audit_record``, which builds the
complete expected record, or to a test helper that hands it on to ``audit_record``. Mentioning
an action elsewhere ("an event exists") does not count. An action expression in production code
that this reader cannot resolve fails too, rather than slipping through.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from audit.models import AuditAction

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = ("casus", "audit", "partners", "config")
TESTS = ROOT / "tests"

# A function that takes an action: the name of that parameter and its position (None: by
# keyword only).
Parameter = tuple[str, int | None]
EMITTERS: Mapping[str, Parameter] = {
    "event_record": ("action", None),
    "events_record_bulk": ("action", None),
    "record": ("action", None),  # partners.events.record
}
ASSERTERS: Mapping[str, Parameter] = {"audit_record": ("action", 0)}

MEMBERS = {member.name: member.value for member in AuditAction}
VALUES = set(MEMBERS.values())

Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass
class Scan:
    found: dict[str, list[str]] = field(default_factory=dict)  # action value -> file:line
    unresolved: list[str] = field(default_factory=list)


def production_sources() -> Iterator[tuple[str, str]]:
    for package in PRODUCTION:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")


def suite_sources() -> Iterator[tuple[str, str]]:
    for path in sorted(TESTS.rglob("*.py")):
        yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")


def _callee(call: ast.Call) -> str:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return ""


def _argument(call: ast.Call, parameter: Parameter) -> ast.expr | None:
    name, position = parameter
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    if position is not None and len(call.args) > position:
        return call.args[position]
    return None


def _positional(function: Function) -> list[str]:
    return [a.arg for a in [*function.args.posonlyargs, *function.args.args]]


def _parameters(function: Function | None) -> set[str]:
    if function is None:
        return set()
    return {*_positional(function), *(a.arg for a in function.args.kwonlyargs)}


def _resolve(node: ast.expr, parameters: set[str]) -> tuple[set[str], set[str], bool]:
    """(action values, parameters passed on, resolved)."""
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "AuditAction"
        and node.attr in MEMBERS
    ):
        return {MEMBERS[node.attr]}, set(), True
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in VALUES:
        return {node.value}, set(), True
    if isinstance(node, ast.Name) and node.id in parameters:
        return set(), {node.id}, True
    if (  # AuditAction(action): a parameter passed on as a member
        isinstance(node, ast.Call)
        and _callee(node) == "AuditAction"
        and len(node.args) == 1
        and not node.keywords
    ):
        return _resolve(node.args[0], parameters)
    if isinstance(node, ast.IfExp):
        body = _resolve(node.body, parameters)
        orelse = _resolve(node.orelse, parameters)
        return body[0] | orelse[0], body[1] | orelse[1], body[2] and orelse[2]
    return set(), set(), False


def _calls(tree: ast.Module) -> Iterator[tuple[ast.Call, Function | None]]:
    """Every call with the innermost function around it (None at module level)."""

    def visit(
        node: ast.AST, function: Function | None
    ) -> Iterator[tuple[ast.Call, Function | None]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Call):
                yield child, function
            yield from visit(child, child if isinstance(child, Function) else function)

    yield from visit(tree, None)


def scan(sources: Iterable[tuple[str, str]], seeds: Mapping[str, Parameter]) -> Scan:
    """The actions passed to the ``seeds`` functions, or to any function that hands its own
    parameter on to one of them (followed until no new such function turns up)."""
    calls = [
        (name, call, function)
        for name, source in sources
        for call, function in _calls(ast.parse(source, filename=name))
    ]
    known = dict(seeds)
    while True:
        result, found = Scan(), dict(known)
        for name, call, function in calls:
            parameter = known.get(_callee(call))
            if parameter is None:
                continue
            where = f"{name}:{call.lineno}"
            argument = _argument(call, parameter)
            values, passed_on, resolved = (
                _resolve(argument, _parameters(function))
                if argument is not None
                else (set(), set(), False)
            )
            if not resolved:
                result.unresolved.append(where)
            for value in values:
                result.found.setdefault(value, []).append(where)
            if function is not None:
                positional = _positional(function)
                for passed in passed_on:
                    found.setdefault(
                        function.name,
                        (passed, positional.index(passed) if passed in positional else None),
                    )
        if found == known:
            return result
        known = found


def scan_emitted(sources: Iterable[tuple[str, str]]) -> Scan:
    return scan(sources, EMITTERS)


def scan_asserted(sources: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    return scan(sources, ASSERTERS).found


def missing_assertions(emitted: Scan, asserted: Mapping[str, list[str]]) -> dict[str, list[str]]:
    return {value: where for value, where in sorted(emitted.found.items()) if value not in asserted}


# --- the real code and tests -------------------------------------------------------------------


def test_every_emitted_action_is_asserted_with_its_complete_record() -> None:
    emitted = scan_emitted(production_sources())
    assert emitted.unresolved == [], "action expressions this test cannot read"
    missing = missing_assertions(emitted, scan_asserted(suite_sources()))
    assert missing == {}, (
        "audit actions emitted here have no test asserting their complete record "
        "(with tests.audit_records.audit_record): " + repr(missing)
    )


def test_the_reader_sees_every_way_the_code_emits() -> None:
    """A check on the reader itself, so an empty or partial scan cannot pass by itself."""
    emitted = scan_emitted(production_sources()).found
    for value, module in (
        (AuditAction.CASUS_OPENED, "casus/casussen/services.py"),  # through _audit(...)
        (AuditAction.CASUS_LISTED, "casus/casussen/selectors.py"),  # events_record_bulk
        (AuditAction.LOGIN, "audit/receivers.py"),  # event_record
        (AuditAction.USER_CREATED, "partners/services.py"),  # a string, via partners.events
        (AuditAction.MFA_ENROLLED, "partners/views.py"),
        (AuditAction.RETENTION_REPORT, "casus/management/commands/purge_expired.py"),
    ):
        assert any(where.startswith(module) for where in emitted.get(value, [])), value
    assert len(emitted) >= 55


# --- the check can fail ------------------------------------------------------------------------

SYNTHETIC_PRODUCTION = """\
from audit.models import AuditAction
from audit.services import event_record
from partners import events


def _audit(action, actor, thing):
    event_record(action=action, actor=actor, object_type="ding", object_ref=str(thing.pk))


def ding_create(*, actor, thing):
    _audit(AuditAction.CASUS_OPENED, actor, thing)


def ding_read(*, actor, thing, kort):
    event_record(action=AuditAction.CASUS_READ if kort else AuditAction.CASUS_LISTED, actor=actor)


def beheer(*, actor, user):
    events.record(action="user.created", actor=actor, object_type="user", object_ref="1")


def raadsel(*, actor, code):
    soort = code
    event_record(action=soort, actor=actor)


def filter_only():
    return {"action": AuditAction.LOGIN}  # a query, not an emission
"""

SYNTHETIC_TESTS = """\
from audit.models import AuditAction, AuditEvent
from tests.audit_records import audit_record, records_since


def _ding(pk, action, actor):
    return audit_record(action, actor=actor, object_type="ding", object_ref=str(pk))


def test_opened(before, actor):
    assert records_since(before) == [_ding(1, AuditAction.CASUS_OPENED, actor)]


def test_read(before):
    assert records_since(before) == [audit_record("casus.read")]


def test_listed_only_exists():
    assert AuditEvent.objects.filter(action=AuditAction.CASUS_LISTED).exists()
"""


def test_the_check_fails_for_an_emitted_action_without_a_complete_record_test() -> None:
    emitted = scan_emitted([("synthetic/services.py", SYNTHETIC_PRODUCTION)])
    assert emitted.found == {
        AuditAction.CASUS_OPENED: ["synthetic/services.py:11"],
        AuditAction.CASUS_READ: ["synthetic/services.py:15"],
        AuditAction.CASUS_LISTED: ["synthetic/services.py:15"],
        AuditAction.USER_CREATED: ["synthetic/services.py:19"],
    }
    # An action chosen at run time from something other than a parameter: unreadable, flagged.
    assert emitted.unresolved == ["synthetic/services.py:24"]

    asserted = scan_asserted([("tests/test_synthetic.py", SYNTHETIC_TESTS)])
    assert set(asserted) == {AuditAction.CASUS_OPENED, AuditAction.CASUS_READ}
    # Only mentioning an action ("an event exists") is not asserting its record.
    assert set(missing_assertions(emitted, asserted)) == {
        AuditAction.CASUS_LISTED,
        AuditAction.USER_CREATED,
    }


def test_the_real_check_fails_for_a_new_action_or_a_removed_test() -> None:
    emitted = scan_emitted(production_sources())
    asserted = scan_asserted(suite_sources())
    missing_now = set(missing_assertions(emitted, asserted))

    with_new_code = scan_emitted(
        [
            *production_sources(),
            ("synthetic/new.py", "event_record(action=AuditAction.SESSION_EXPIRED)\n"),
        ]
    )
    if AuditAction.SESSION_EXPIRED not in asserted:  # defined, but no code emits it yet
        assert set(missing_assertions(with_new_code, asserted)) == missing_now | {
            AuditAction.SESSION_EXPIRED
        }

    gone = AuditAction.CASUS_OPENED.value
    without_its_tests = {value: where for value, where in asserted.items() if value != gone}
    assert set(missing_assertions(emitted, without_its_tests)) == missing_now | {gone}
