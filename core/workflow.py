"""Every process's moves, declared once.

A process (a project's life, a report's, an order's, a case's …) is a table of moves. Each move
names the states it may start from, the state it leads to (or the few it may lead to, when the
service chooses one: a declined dispatched request goes back to the federation, a declined
order ends), the parties who may make it, whether it needs a reason or the page asks before it
is made, and which notice it sends.

The table is read by everything that moves a record: the service guards with it (`guard`) and
records with it (`advance`), the pages show the buttons it allows (`available`), the API's
actions and the admin's actions refuse what it does not declare. Take a move out of the table
and every way of making it refuses. docs/workflows.md draws each table (`mermaid`).

The tables live in each app's `workflows.py` (they speak of that app's states and parties);
this module is their machinery and their register.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.errors import InvalidTransition, NotAllowed, ServiceError
from core.tasks import enqueue_on_commit

PROCESSES: dict[str, "Process"] = {}


def locked(record):
    """The record's row again, locked for the rest of the transaction: of two people making a
    move at once, the second waits, then finds the state the first one left."""
    return type(record)._default_manager.select_for_update().get(pk=record.pk)


@dataclass(frozen=True)
class Move:
    name: str
    label: Any  # lazily translated
    sources: frozenset
    # The state the move leads to; more than one when the service picks (the first is the
    # usual). Empty for a step that keeps the state (a note on a case's timeline).
    targets: tuple = ()
    parties: tuple = ()
    # The move is refused without a reason (which is kept): the refusal's words, lazily
    # translated. Empty when no reason is needed.
    reason: Any = ""
    confirm: bool = False  # the page asks "are you sure?" before making it
    # The notices the move sends once committed: an event name (or a tuple of them), or
    # {target: event} when the state it led to decides. The app's notify task knows, for each
    # event, whom it tells and in what words.
    notice: str | tuple | Mapping = ""

    @property
    def target(self):
        return self.targets[0] if self.targets else None

    def notices_for(self, target) -> tuple:
        notice = self.notice.get(target, "") if isinstance(self.notice, Mapping) else self.notice
        return (notice,) if isinstance(notice, str) and notice else tuple(notice)


@dataclass
class Process:
    """One process's table. `parties` maps a party's name to a function that refuses
    (raises NotAllowed) an actor who does not play that part for the record."""

    name: str
    states: Any  # the TextChoices of the record's status
    moves: list[Move]
    parties: dict[str, Callable]
    notify_task: str = ""  # the task told (record id, event) after a move with a notice
    initial: tuple = ()  # the states a record is created in
    status_field: str = "status"
    table: dict[str, Move] = field(init=False)

    def __post_init__(self):
        self.table = {move.name: move for move in self.moves}
        PROCESSES[self.name] = self

    # Reading the table -------------------------------------------------------------------

    def move(self, name) -> Move:
        """The declared move; one that is not (or no longer) declared is refused."""
        try:
            return self.table[name]
        except KeyError:
            raise InvalidTransition(_("This step is not part of the process.")) from None

    def declared(self, name) -> bool:
        return name in self.table

    def state_of(self, record):
        return getattr(record, self.status_field)

    def moves_to(self, source, target) -> Move | None:
        """The declared move from `source` to `target` (the admin's "set status" actions)."""
        for move in self.table.values():
            if source in move.sources and target in move.targets:
                return move
        return None

    def plays(self, party, actor, record) -> bool:
        try:
            self.parties[party](actor, record)
        except NotAllowed:
            return False
        return True

    def may(self, name, actor, record) -> bool:
        """Whether the actor may make the move on the record now (the page's buttons)."""
        move = self.table.get(name)
        return (
            move is not None
            and self.state_of(record) in move.sources
            and any(self.plays(party, actor, record) for party in move.parties)
        )

    def available(self, actor, record) -> list[Move]:
        return [move for move in self.table.values() if self.may(move.name, actor, record)]

    # What the services call ----------------------------------------------------------------

    def guard(self, name, actor, record, *, reason=None) -> Move:
        """Refuse the move unless it is declared, the actor plays one of its parties (403),
        the record is in one of its source states (409) and, where the table asks, a reason is
        given (400), in that order."""
        move = self.move(name)
        self.require_party(move, actor, record)
        self.require_state(move, record)
        if move.reason and not (reason or "").strip():
            raise ServiceError(move.reason)
        return move

    def require_party(self, move, actor, record):
        refusal = None
        for party in move.parties:
            try:
                self.parties[party](actor, record)
            except NotAllowed as error:
                refusal = refusal or error
            else:
                return
        raise refusal or NotAllowed(_("Your role does not allow this."))

    def require_state(self, move, record):
        state = self.state_of(record)
        if state not in move.sources:
            raise InvalidTransition(
                _("“%(move)s” cannot be done while it is “%(state)s”.")
                % {"move": move.label, "state": self.states(state).label}
            )

    def advance(self, record, name, target=None):
        """Set the record's new state (the move's, or the one of its targets the service
        chose) and queue the move's notice for after the commit. Returns the state left."""
        move = self.move(name)
        target = move.target if target is None else target
        if target not in move.targets:
            raise InvalidTransition(_("This step is not part of the process."))
        left = self.state_of(record)
        setattr(record, self.status_field, target)
        self.announce(record, move, target)
        return left

    def make(self, name, *, actor, record, reason=None, **changes):
        """The whole of a move that changes only the state (and the fields in `changes`): in one
        transaction, the row locked, the move guarded, made and saved."""
        with transaction.atomic():
            record = locked(record)
            self.guard(name, actor, record, reason=reason)
            self.advance(record, name)
            for field_name, value in changes.items():
                setattr(record, field_name, value)
            record.save()
        return record

    def announce(self, record, move, target=None):
        for event in move.notices_for(move.target if target is None else target):
            self.tell(record, event)

    def tell(self, record, event):
        """Queue the process's notice `event` about the record for after the commit (also for
        what is not a move: a new case, a break-glass opening)."""
        enqueue_on_commit(self.notify_task, record.pk, event)

    # The diagram ---------------------------------------------------------------------------

    def mermaid(self) -> str:
        """The state diagram drawn from the table (docs/workflows.md holds each)."""
        lines = ["stateDiagram-v2"]
        lines += [f"    [*] --> {state}" for state in self.initial]
        for move in self.table.values():
            for source in sorted(move.sources):
                for target in move.targets:
                    lines.append(f"    {source} --> {target}: {move.name}")
        return "\n".join(lines)


def workflows_document() -> str:
    """docs/workflows.md: every process's moves and state diagram, from the tables (the
    `workflow_diagrams` command writes it; a test checks it is current)."""
    autodiscover_modules("workflows")  # each app's tables register themselves on import
    parts = [
        "# Workflows\n",
        "Written by `python manage.py workflow_diagrams` from the tables in each app's "
        "`workflows.py` (see `core/workflow.py`); `tests/test_workflow_tables.py` fails when "
        "this file is out of date. Do not edit it by hand.\n",
    ]
    with override("en"):
        for process in sorted(PROCESSES.values(), key=lambda process: process.name):
            parts.append(process_section(process))
    return "\n".join(parts)


def process_section(process) -> str:
    rows = [
        "| move | from | to | who | reason | asks first | notice |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for move in process.table.values():
        notices = ", ".join(
            sorted(
                {event for target in move.targets or (None,) for event in move.notices_for(target)}
            )
        )
        rows.append(
            f"| `{move.name}` ({move.label}) | {', '.join(sorted(move.sources))} "
            f"| {', '.join(move.targets) or '(stays)'} | {', '.join(move.parties)} "
            f"| {'yes' if move.reason else ''} | {'yes' if move.confirm else ''} | {notices} |"
        )
    return "\n".join(
        [
            f"## {process.name}\n",
            *rows,
            "",
            "```mermaid",
            process.mermaid(),
            "```",
            "",
        ]
    )
