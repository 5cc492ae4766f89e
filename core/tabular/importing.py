"""The whole-or-nothing import runner (DESIGN 5.1) and the registry of import kinds.

The header is checked, every bad row is reported with its spreadsheet row number, column, value
and reason, and a file is written whole or not at all, as an upsert by its natural key so that
importing it again changes nothing.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditAction
from core.tabular.reading import FileRefused, RowError, header_key, read_csv, text

# The Japanese name of each column code (DESIGN 5.1), whatever the kind: a header may use it
# instead of the code, the template and the import page show it, and problems name it. Names are
# data of the file format (like the codes), not translations of the interface.
JAPANESE_NAMES = {
    "office_number": "事業所番号",
    "name": "事業所名",
    "corporation_number": "法人番号",
    "corporation_name": "法人名",
    "corporation_type": "法人種別",
    "prefecture_code": "都道府県コード",
    "municipality": "市区町村",
    "service_types": "サービス種別",
    "uses_system": "システム利用",
    "client_code": "利用者コード",
    "family_name": "姓",
    "given_name": "名",
    "family_name_kana": "姓（フリガナ）",
    "given_name_kana": "名（フリガナ）",
    "birth_date": "生年月日",
    "disability_types": "障害種別",
    "referral_office_number": "送り出し元事業所番号",
    "plan_type": "計画の種別",
    "consultation_office_number": "相談支援事業所番号",
    "service_start": "利用開始日",
    "service_end": "利用終了日",
    "service_end_reason": "利用終了理由",
    "early_start_reason": "早期開始の理由",
    "start_date": "入社日",
    "employer_name": "就職先",
    "end_date": "最終出勤日",
    "separation_reason": "離職理由",
    "supported_job_change": "支援付き転職",
    "returned_from_leave_on": "復職日",
    "contacted_at": "日時",
    "method": "方法",
    "counterpart": "相手",
    "duration_minutes": "時間（分）",
    "staff": "担当職員",
    "summary": "内容",
    "recipient_number": "受給者証番号",
    "municipality_number": "市町村番号",
    "decision_start": "支給決定開始日",
    "decision_end": "支給決定終了日",
    "copay_cap": "利用者負担上限月額",
}


@dataclass(frozen=True)
class Column:
    name: str
    parse: object = text()
    required: bool = True  # the column must be in the header
    blank: bool = False  # a cell may be empty (then the value is ``default``)
    default: object = None
    example: str = ""  # the template's example cell

    @property
    def label(self):
        """The Japanese name (``JAPANESE_NAMES``), or the code for a column without one."""
        return JAPANESE_NAMES.get(self.name, self.name)

    @property
    def format(self):
        """What a cell takes, for the import page (the parser's ``describe()``)."""
        describe = getattr(self.parse, "describe", None)
        return describe() if describe else ""


class RowValues(dict):
    """A parsed row; ``failed`` names the columns whose cells could not be read (or that are
    missing from the header). Their values are None; a rule that needs one of them is skipped,
    since the cell's own problem is already reported."""

    failed = frozenset()

    def usable(self, *columns):
        return not self.failed.intersection(columns)


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

    def aliases(self):
        """``header_key`` of each column's code and Japanese name → the code."""
        names = {}
        for column in self.columns:
            names[header_key(column.name)] = column.name
            names[header_key(column.label)] = column.name
        return names

    def template(self):
        """The header (Japanese names) and the example row of the downloadable template."""
        return [c.label for c in self.columns], [[c.example for c in self.columns]]


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


def _parse_row(kind, row_number, raw, missing):
    values, errors = RowValues(), []
    failed = set(missing)
    if None in raw:
        errors.append(
            RowError(row_number, "", ";".join(raw[None]), _("More cells than header columns."))
        )
    for column in kind.columns:
        cell = raw.get(column.name, "")
        if column.name in failed:
            values[column.name] = None
            continue
        if cell == "":
            if not column.blank and column.name in raw:
                errors.append(RowError(row_number, column.name, "", _("A value is required.")))
                failed.add(column.name)
            values[column.name] = column.default() if callable(column.default) else column.default
            continue
        try:
            values[column.name] = column.parse(cell)
        except ValueError as exc:
            errors.append(RowError(row_number, column.name, cell, str(exc)))
            values[column.name] = None
            failed.add(column.name)
    values.failed = frozenset(failed)
    return values, errors


def _unknown_column(name):
    return _(
        "Unknown column. The import page lists the columns of this kind; the template has them all."
    )


def _check_rows(kind, table, ctx, result, missing):
    """Every problem of every row: the cells', then the rules' on the cells that could be read."""
    cleaned, keys = [], {}
    for row_number, raw in table.rows:
        values, errors = _parse_row(kind, row_number, raw, missing)
        failed = values.failed
        try:
            validated = kind.validate(values, ctx)
        except RowInvalid as exc:
            validated = values
            errors.extend(
                RowError(row_number, c, str(v), str(r))
                for c, v, r in exc.problems
                if c not in failed
            )
        if kind.key and not failed.intersection(kind.key):
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
            keys.setdefault(key, row_number)
        result.errors.extend(errors)
        cleaned.append((row_number, validated))
    return cleaned


def _labelled(errors, kind):
    labels = {c.name: c.label for c in kind.columns}
    return [
        replace(e, label=labels[e.column]) if e.column in labels and not e.label else e
        for e in errors
    ]


def run_import(kind_name, data, *, user=None, actor=None, filename="", dry_run=False,
               progress=None):  # fmt: skip
    """Import CSV bytes whole or not at all. ``user`` None means the command line (no scoping).

    Every problem of the file is reported in one pass: the header's, and each row's cells and
    rules (a rule that needs a cell that could not be read is left until the cell is fixed).
    Problems name the column by its Japanese name and its code.

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
    try:
        table = read_csv(data, aliases=kind.aliases())
    except FileRefused as exc:
        result.errors.append(RowError(1, "", "", str(exc)))
        return result
    result.rows = len(table.rows)
    result.errors.extend(
        check_header(
            table.header,
            known={c.name for c in kind.columns},
            required=[c.name for c in kind.columns if c.required],
            unknown_reason=_unknown_column,
        )
    )
    if not table.rows:
        result.errors.append(RowError(2, "", "", _("The file has a header but no data rows.")))
    missing = {c.name for c in kind.columns if c.required and c.name not in table.header}
    ctx = kind.context(user)
    ctx["actor"] = actor
    cleaned = _check_rows(kind, table, ctx, result, missing)
    if result.errors:
        result.errors = _labelled(result.errors, kind)
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
    result.errors = _labelled(result.errors, kind)
    return result


def update_fields(instance, values):
    """Set attributes that differ; returns whether anything changed (for idempotent upserts)."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed
