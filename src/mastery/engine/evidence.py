"""At-bats (pieces of evidence) and the counting rules that decide which of them a rating uses.

The ledger is append-only. An at-bat starts as a ``record``; a ``correction`` replaces the entry it
``supersedes`` (its level, dates and context become the at-bat's); a ``void`` retracts the entry it
supersedes. Chains resolve to their last entry: correcting a correction replaces the correction,
and voiding a correction retracts the whole at-bat (to restore the original value, record another
correction carrying it). A void cannot be corrected or voided, and no entry is superseded twice.

Counted at-bats, in order (GRADING.md): teacher and external evidence, not superseded or void,
weight above 0. Self and peer evidence is shown beside the rating and never counted. When the
policy requires independent work for mastery, an at-bat done with support counts only when its
level is below the mastery value: with support, a student can show where they are on the way, not
that they have arrived.

Order ("most recent"): by ``assessed_on`` (or ``due_on``, or ``recorded_at``, as the policy's
``order_by`` says), then ``recorded_at``, then input order (``sequence``), then ``id`` (so the
order never depends on how rows happen to arrive). A correction keeps the
place of the at-bat it corrects among same-day at-bats: its tie-breakers are the original record's.
An at-bat with no due date is ordered by its assessed date under ``order_by = due_on``; one with no
``recorded_at`` comes before those with one on the same day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from mastery.engine.scales import ScaleError, to_decimal


class Source(StrEnum):
    TEACHER = "teacher"
    SELF = "self"
    PEER = "peer"
    EXTERNAL = "external"


class EntryKind(StrEnum):
    RECORD = "record"
    CORRECTION = "correction"
    VOID = "void"


class OrderBy(StrEnum):
    ASSESSED_ON = "assessed_on"
    DUE_ON = "due_on"
    RECORDED_AT = "recorded_at"


class LedgerError(ValueError):
    """Entries that do not form a valid ledger (a correction of nothing, a fork, a cycle...)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AtBat:
    """One ledger entry about one student and one target (subskill or competency).

    ``level`` is None only for a void. ``weight`` 0 marks practice: shown, never counted.
    ``independent`` False marks work done with support. ``sequence`` is the input order, the
    last tie-breaker.
    """

    id: str
    level: Decimal | None
    assessed_on: date
    recorded_at: datetime | None = None
    source: Source = Source.TEACHER
    context: str | None = None
    weight: Decimal = Decimal(1)
    independent: bool = True
    kind: EntryKind = EntryKind.RECORD
    supersedes: str | None = None
    reason: str = ""
    sequence: int = 0
    due_on: date | None = None

    def __post_init__(self) -> None:
        where = f"at-bat {self.id!r}"
        if self.level is not None and not isinstance(self.level, Decimal):
            object.__setattr__(self, "level", _exact(self.level, f"{where} level"))
        if not isinstance(self.weight, Decimal):
            object.__setattr__(self, "weight", _exact(self.weight, f"{where} weight"))
        object.__setattr__(self, "source", _member(Source, self.source, f"{where} source"))
        object.__setattr__(self, "kind", _member(EntryKind, self.kind, f"{where} kind"))
        if self.context is not None and not self.context.strip():
            object.__setattr__(self, "context", None)
        if self.weight < 0:
            raise LedgerError(f"{where}: weight must be 0 or more (got {self.weight})")
        if self.kind is EntryKind.VOID:
            if self.level is not None:
                raise LedgerError(f"{where}: a void entry carries no level")
        elif self.level is None:
            raise LedgerError(f"{where}: a {self.kind} needs a level")
        if self.kind is EntryKind.RECORD and self.supersedes is not None:
            raise LedgerError(f"{where}: a record cannot supersede; use a correction or a void")
        if self.kind is not EntryKind.RECORD and not self.supersedes:
            raise LedgerError(f"{where}: a {self.kind} must name the entry it supersedes")

    @property
    def counts_as_evidence(self) -> bool:
        return self.source in {Source.TEACHER, Source.EXTERNAL}


def _member[E: StrEnum](kind: type[E], raw: object, field_name: str) -> E:
    for member in kind:
        if member.value == raw:
            return member
    allowed = ", ".join(member.value for member in kind)
    raise LedgerError(f"{field_name} must be one of {allowed} (got {raw!r})")


def _exact(raw: object, field_name: str) -> Decimal:
    try:
        return to_decimal(raw, field=field_name)
    except ScaleError as error:
        raise LedgerError(str(error)) from None


class NotCounted(StrEnum):
    """Why an entry is shown but not counted."""

    SELF_ASSESSMENT = "self_assessment"
    PEER_ASSESSMENT = "peer_assessment"
    SUPERSEDED = "superseded"
    VOIDED = "voided"
    RETRACTION = "retraction"
    PRACTICE = "practice"
    SUPPORTED = "supported"
    AFTER_AS_OF = "after_as_of"


_PLAIN_WORDS = {
    NotCounted.SELF_ASSESSMENT: "a self-assessment (shown beside your rating, never counted)",
    NotCounted.PEER_ASSESSMENT: "a peer assessment (shown beside your rating, never counted)",
    NotCounted.SUPERSEDED: "corrected later: the correction counts instead",
    NotCounted.VOIDED: "retracted, so it no longer counts",
    NotCounted.RETRACTION: "this note retracts an earlier entry",
    NotCounted.PRACTICE: "practice (weight 0): shown, not counted",
    NotCounted.SUPPORTED: (
        "done with support: at this level this school needs work done on your own"
    ),
    NotCounted.AFTER_AS_OF: "done after the date this rating is for",
}


@dataclass(frozen=True, slots=True)
class LedgerLine:
    """An entry in rating order, with whether it counts and, when it does not, why."""

    entry: AtBat
    counted: bool
    reason: NotCounted | None = None
    detail: str = ""

    @property
    def why(self) -> str:
        """The reason in plain words ('' for a counted entry)."""
        return self.detail


@dataclass(frozen=True, slots=True)
class _Resolved:
    entry: AtBat
    root: AtBat
    depth: int
    replaced_by: AtBat | None = field(default=None)


def _resolve(entries: Sequence[AtBat]) -> list[_Resolved]:
    if len({entry.recorded_at.tzinfo is None for entry in entries if entry.recorded_at}) > 1:
        raise LedgerError("recorded_at mixes times with and without a time zone")
    by_id: dict[str, AtBat] = {}
    for entry in entries:
        if entry.id in by_id:
            raise LedgerError(f"at-bat id {entry.id!r} appears twice")
        by_id[entry.id] = entry
    replaced_by: dict[str, AtBat] = {}
    for entry in entries:
        if entry.supersedes is None:
            continue
        target = by_id.get(entry.supersedes)
        if target is None:
            raise LedgerError(
                f"at-bat {entry.id!r} supersedes {entry.supersedes!r}, which is not in the ledger"
            )
        if target.kind is EntryKind.VOID:
            raise LedgerError(f"at-bat {entry.id!r} supersedes a void entry ({target.id!r})")
        if target.id in replaced_by:
            raise LedgerError(
                f"at-bat {target.id!r} is superseded twice "
                f"(by {replaced_by[target.id].id!r} and {entry.id!r})"
            )
        replaced_by[target.id] = entry
    resolved = []
    for entry in entries:
        root, depth, seen = entry, 0, {entry.id}
        while root.supersedes is not None:
            root = by_id[root.supersedes]
            depth += 1
            if root.id in seen:
                raise LedgerError(f"at-bat {entry.id!r} is part of a cycle of corrections")
            seen.add(root.id)
        resolved.append(_Resolved(entry, root, depth, replaced_by.get(entry.id)))
    return resolved


def _chain_end(entry: AtBat, replaced_by: dict[str, AtBat]) -> AtBat:
    while entry.id in replaced_by:
        entry = replaced_by[entry.id]
    return entry


def order_key(entry: AtBat, order_by: OrderBy, *, root: AtBat | None = None) -> tuple[object, ...]:
    """The sort key for `entry` (the place of its original record `root` breaks same-day ties)."""
    root = root or entry
    stamp = (0,) if root.recorded_at is None else (1, root.recorded_at)
    if order_by is OrderBy.RECORDED_AT:
        return (stamp, root.assessed_on, root.sequence, root.id)
    primary = entry.assessed_on
    if order_by is OrderBy.DUE_ON and entry.due_on is not None:
        primary = entry.due_on
    return (primary, stamp, root.sequence, root.id)


def count_entries(
    entries: Iterable[AtBat],
    order_by: OrderBy = OrderBy.ASSESSED_ON,
    *,
    independent_required_from: Decimal | None = None,
    as_of: date | None = None,
) -> tuple[LedgerLine, ...]:
    """Every entry in rating order, each marked counted or not (with the reason).

    `independent_required_from`: when set (the mastery value, for a policy that requires
    independent work for mastery), an at-bat done with support at or above it is not counted.
    `as_of`: entries assessed after this date are shown as not counted.

    Example: a teacher record r1 (level 2) corrected by c1 (level 3), and a self-assessment s1:
    r1 not counted (superseded), c1 counted, s1 not counted (self-assessment).
    """
    entries = list(entries)
    resolved = _resolve(entries)
    replaced_by = {item.entry.id: item.replaced_by for item in resolved if item.replaced_by}
    by_id = {entry.id: entry for entry in entries}

    def key(item: _Resolved) -> tuple[object, ...]:
        shown = item.entry
        if shown.kind is EntryKind.VOID:
            # A retraction sits just after the entry it retracts.
            shown = by_id[shown.supersedes or ""]
        return (*order_key(shown, order_by, root=item.root), item.depth)

    lines = []
    for item in sorted(resolved, key=key):
        entry = item.entry
        reason: NotCounted | None = None
        extra = ""
        if entry.kind is EntryKind.VOID:
            reason = NotCounted.RETRACTION
        elif item.replaced_by is not None:
            retracted = _chain_end(entry, replaced_by).kind is EntryKind.VOID
            reason = NotCounted.VOIDED if retracted else NotCounted.SUPERSEDED
        elif entry.source is Source.SELF:
            reason = NotCounted.SELF_ASSESSMENT
        elif entry.source is Source.PEER:
            reason = NotCounted.PEER_ASSESSMENT
        elif entry.weight == 0:
            reason = NotCounted.PRACTICE
        elif as_of is not None and entry.assessed_on > as_of:
            reason = NotCounted.AFTER_AS_OF
        elif (
            independent_required_from is not None
            and not entry.independent
            and entry.level is not None
            and entry.level >= independent_required_from
        ):
            reason = NotCounted.SUPPORTED
        if entry.kind is EntryKind.VOID:
            extra = f" (the {spoken_date(by_id[entry.supersedes or ''].assessed_on)} entry)"
        if reason is None:
            lines.append(LedgerLine(entry, counted=True))
        else:
            lines.append(LedgerLine(entry, False, reason, _PLAIN_WORDS[reason] + extra))
    return tuple(lines)


def counted_at_bats(lines: Iterable[LedgerLine]) -> tuple[AtBat, ...]:
    """The counted entries of `lines`, oldest first."""
    return tuple(line.entry for line in lines if line.counted)


def plain_words(reason: NotCounted) -> str:
    return _PLAIN_WORDS[reason]


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def spoken_date(day: date) -> str:
    """'1 Sep 2026': unambiguous in every country, and independent of the process locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
