"""The whole-or-nothing import runner (DESIGN 5.1) and the registry of import kinds.

The header is checked, every bad row is reported with its spreadsheet row number, column, value
and reason, and a file is written whole or not at all, as an upsert by its natural key so that
importing it again changes nothing.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditAction
from core.tabular.reading import FileRefused, RowError, read_csv, text


@dataclass(frozen=True)
class Column:
    name: str
    parse: object = text()
    required: bool = True  # the column must be in the header
    blank: bool = False  # a cell may be empty (then the value is ``default``)
    default: object = None


class RowInvalid(Exception):
    """Raised by ImportKind.validate with (column, value, reason) triples."""

    def __init__(self, *problems):
        self.problems = problems
        super().__init__(problems)


@dataclass
class ImportResult:
    kind: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    def as_dict(self):
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [e.as_dict() for e in self.errors],
        }


class ImportKind:
    """One kind of CSV import. Subclasses give the columns and the rules; the runner does the rest.

    ``key`` names the natural-key columns. ``validate`` checks a parsed row against the database
    (raise RowInvalid); ``upsert`` writes it and returns "created", "updated" or "unchanged".
    ``context`` gives per-run state (lookups loaded once, the user's offices); the runner adds
    ``ctx["actor"]`` (a ``core.audit.Actor``) for the audit events ``upsert`` writes for each row
    it creates or updates. The runner writes the one event of the whole import.
    """

    name = ""
    label = ""
    columns = ()
    key = ()

    def allowed(self, user):
        """Whether ``user`` may import this kind through the upload page."""
        return False

    def context(self, user):
        return {"user": user}

    def validate(self, values, ctx):
        return values

    def upsert(self, values, ctx):
        raise NotImplementedError


KINDS = {}


def register(kind_class):
    kind = kind_class()
    KINDS[kind.name] = kind
    return kind_class


def get_kind(name):
    try:
        return KINDS[name]
    except KeyError as exc:
        raise FileRefused(
            _("Unknown import kind “%(kind)s”. Known kinds: %(kinds)s")
            % {"kind": name, "kinds": ", ".join(sorted(KINDS))}
        ) from exc


def check_header(header, *, known, required, unknown_reason=None):
    """Errors of a header row: a column twice, an unknown column, a required column missing.

    ``unknown_reason(name)`` may say more precisely why a column is unknown.
    """
    errors = []
    seen = set()
    for name in header:
        if name in seen:
            errors.append(RowError(1, name, name, _("This column appears twice.")))
        seen.add(name)
        if name not in known:
            reason = unknown_reason(name) if unknown_reason else _("Unknown column.")
            errors.append(RowError(1, name, name, reason))
    for name in required:
        if name not in seen:
            errors.append(RowError(1, name, "", _("Required column is missing.")))
    return errors


def read_checked(data, result, **header_rules):
    """The table of a CSV file whose header passes ``check_header(**header_rules)`` and that has
    data rows; otherwise None, with the reasons added to ``result.errors``."""
    try:
        table = read_csv(data)
    except FileRefused as exc:
        result.errors.append(RowError(1, "", "", str(exc)))
        return None
    result.rows = len(table.rows)
    result.errors.extend(check_header(table.header, **header_rules))
    if result.errors:
        return None
    if not table.rows:
        result.errors.append(RowError(2, "", "", _("The file has a header but no data rows.")))
        return None
    return table


@contextmanager
def whole_or_nothing(result, *, actor=None, filename="", obj=None):
    """Write a file's rows inside this block: all of them stay, or none does (a dry run, or any
    error added to ``result`` while writing, rolls everything back and zeroes the counts).

    With an ``actor``, the import's audit event is written inside the same transaction when the
    rows are kept, so a dry run or a refused file leaves no event.
    """
    with transaction.atomic():
        yield
        if result.dry_run or result.errors:
            transaction.set_rollback(True)
        elif actor is not None:
            audit.record(
                actor=actor,
                action=AuditAction.IMPORT,
                obj=obj,
                detail=f"{result.kind} {filename}".rstrip()
                + f": {result.rows} rows, {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged",
            )
    if result.errors:
        result.created = result.updated = result.unchanged = 0


def _parse_row(kind, row_number, raw):
    values, errors = {}, []
    if None in raw:
        errors.append(
            RowError(row_number, "", ";".join(raw[None]), _("More cells than header columns."))
        )
    for column in kind.columns:
        cell = raw.get(column.name, "")
        if cell == "":
            if not column.blank and column.name in raw:
                errors.append(RowError(row_number, column.name, "", _("A value is required.")))
            values[column.name] = column.default() if callable(column.default) else column.default
            continue
        try:
            values[column.name] = column.parse(cell)
        except ValueError as exc:
            errors.append(RowError(row_number, column.name, cell, str(exc)))
    return values, errors


def run_import(kind_name, data, *, user=None, actor=None, filename="", dry_run=False,
               progress=None):  # fmt: skip
    """Import CSV bytes whole or not at all. ``user`` None means the command line (no scoping).

    ``actor`` (default: the command line acting as ``user``) is who the audit events name; they
    are written inside the import's transaction, so a dry run or a refused file leaves none.
    ``progress(done, total)`` is called now and then while rows are written.
    """
    if actor is None:
        actor = audit.Actor.command(user)
    elif user is None:
        user = actor.user
    kind = get_kind(kind_name)
    result = ImportResult(kind=kind.name, dry_run=dry_run)
    table = read_checked(
        data,
        result,
        known={c.name for c in kind.columns},
        required=[c.name for c in kind.columns if c.required],
    )
    if table is None:
        return result

    ctx = kind.context(user)
    ctx["actor"] = actor
    cleaned, keys = [], {}
    for row_number, raw in table.rows:
        values, errors = _parse_row(kind, row_number, raw)
        if not errors:
            try:
                values = kind.validate(values, ctx)
            except RowInvalid as exc:
                errors = [RowError(row_number, c, str(v), str(r)) for c, v, r in exc.problems]
        if not errors and kind.key:
            key = tuple(values[k] for k in kind.key)
            if key in keys:
                errors.append(
                    RowError(
                        row_number,
                        kind.key[0],
                        " / ".join(str(k) for k in key),
                        _("Same key as row %(row)s.") % {"row": keys[key]},
                    )
                )
            keys[key] = row_number
        result.errors.extend(errors)
        cleaned.append((row_number, values))
    if result.errors:
        return result

    total = len(cleaned)
    with whole_or_nothing(result, actor=actor, filename=filename):
        for done, (row_number, values) in enumerate(cleaned, start=1):
            try:
                outcome = kind.upsert(values, ctx)
            except RowInvalid as exc:
                result.errors.extend(
                    RowError(row_number, c, str(v), str(r)) for c, v, r in exc.problems
                )
                continue
            setattr(result, outcome, getattr(result, outcome) + 1)
            if progress and (done % 200 == 0 or done == total):
                progress(done, total)
    return result


def update_fields(instance, values):
    """Set attributes that differ; returns whether anything changed (for idempotent upserts)."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed
