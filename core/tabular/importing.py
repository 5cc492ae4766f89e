"""The whole-or-nothing import runner (DESIGN 5.1) and the registry of import kinds.

The header is checked, every bad row is reported with its spreadsheet row number, column, value
and reason, and a file is written whole or not at all, as an upsert by its natural key so that
importing it again changes nothing.

Files are streamed: rows are read, checked and written in batches of ``BATCH_SIZE`` inside the
one transaction of the file, so memory does not grow with the file and the queries of a batch do
not grow with its rows (each kind loads what a batch refers to at once, in ``prepare``, and
writes it at once, in ``write``). After the first problem nothing more is written, but every row
is still checked, so one pass reports every problem (the first ``MAX_ERRORS`` of them).
"""

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import islice

from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditAction
from core.tabular.reading import FileRefused, RowError, header_key, open_csv, text

BATCH_SIZE = 2000  # rows read, checked and written together
MAX_ERRORS = 1000  # problems listed; those beyond are counted (``ImportResult.more_errors``)

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
    "month": "対象月",
    "shared_with_client_on": "本人共有日",
    "shared_with_employer_on": "企業共有日",
    "recipient_number": "受給者証番号",
    "municipality_number": "市町村番号",
    "decision_start": "支給決定開始日",
    "decision_end": "支給決定終了日",
    "copay_cap": "利用者負担上限月額",
    "plan_date": "計画作成日",
    "approved_on": "承認日",
    "consented_on": "本人同意日",
    "next_review_by": "次回見直し期限",
    "held_on": "開催日",
    "presenter": "説明者",
    "agencies": "出席した関係機関",
    "notes": "備考",
    "reported_back_on": "サービス管理責任者への報告日",
    # Written by a list's export beside the columns an import reads, and ignored by the import
    # (``ImportKind.ignored_columns``), so that an exported list imports again as it is.
    "client_name": "氏名",
    "face_to_face": "対面",
    "next_follow_up": "次回フォロー日",
    "deleted": "削除",
    "cap_manager_office_number": "上限額管理事業所番号",
    "cap_management_result": "管理結果",
    "cap_management_amount": "管理結果額",
    "service_code": "サービスコード",
    "item": "算定項目",
    "units": "単位数",
    "effective_from": "適用開始日",
    "verified": "照合済み",
    "source": "出典",
}


@dataclass(frozen=True)
class Column:
    name: str
    parse: object = text()
    required: bool = True  # the column must be in the header
    blank: bool = False  # a cell may be empty (then the value is ``default``)
    default: object = None
    example: str = ""  # the template's example cell
    japanese: str = ""  # this kind's own Japanese name, where the shared one does not fit

    @property
    def label(self):
        """The Japanese name (``japanese``, else ``JAPANESE_NAMES``), or the code for a column
        without one."""
        return self.japanese or JAPANESE_NAMES.get(self.name, self.name)

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
        return not self.failed or not self.failed.intersection(columns)


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
    more_errors: int = 0  # problems found beyond the first MAX_ERRORS, counted, not listed
    # Things worth a look that do not refuse the row (``ImportKind.warn``), as RowErrors.
    warnings: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    def add_errors(self, errors):
        """Keep the first ``MAX_ERRORS`` problems and count the rest."""
        room = MAX_ERRORS - len(self.errors)
        self.errors.extend(errors[: max(room, 0)])
        self.more_errors += max(len(errors) - max(room, 0), 0)

    def count(self, outcomes):
        """Add a batch's outcomes ({"created": n, "updated": n, "unchanged": n})."""
        for outcome, n in outcomes.items():
            setattr(self, outcome, getattr(self, outcome) + n)

    def as_dict(self):
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [e.as_dict() for e in self.errors],
            "more_errors": self.more_errors,
            "warnings": [w.as_dict() for w in self.warnings],
        }


class ImportKind:
    """One kind of CSV import. Subclasses give the columns and the rules; the runner does the rest.

    ``key`` names the natural-key columns. ``context`` gives per-run state (the user's offices);
    the runner adds ``ctx["actor"]`` (a ``core.audit.Actor``). For each batch of rows the runner
    calls ``prepare`` with the parsed rows (load what they refer to in a few queries), then
    ``validate`` on each row (raise RowInvalid), then, while the file has no problem, ``write``
    with the validated rows. ``write`` returns the outcomes and writes the audit events of the
    rows it creates or updates; by default it calls ``upsert`` row by row (which returns
    "created", "updated" or "unchanged"), a kind with many rows writes the batch set-based. The
    runner writes the one event of the whole import.
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

    def prepare(self, rows, ctx):
        """Load what a batch of parsed rows (``RowValues``) refers to, into ``ctx``."""

    def validate(self, values, ctx):
        return values

    def warn(self, values, ctx):
        """(column, value, reason) triples worth a look that do not refuse the row (a
        municipality number failing its check digit): listed with the result, never blocking."""
        return ()

    def write(self, rows, ctx):
        """Write a batch of validated (row_number, values); returns (Counter of outcomes,
        RowErrors). This default upserts row by row."""
        outcomes, errors = Counter(), []
        for row_number, values in rows:
            try:
                outcomes[self.upsert(values, ctx)] += 1
            except RowInvalid as exc:
                errors.extend(RowError(row_number, c, str(v), str(r)) for c, v, r in exc.problems)
        return outcomes, errors

    def upsert(self, values, ctx):
        raise NotImplementedError

    # Columns the kind's own export writes that the import accepts in a header and does not read
    # (codes of ``JAPANESE_NAMES``).
    ignored_columns = ()

    def aliases(self):
        """``header_key`` of each column's code and Japanese name → the code."""
        names = {}
        for column in self.columns:
            names[header_key(column.name)] = column.name
            names[header_key(column.label)] = column.name
        for name in self.ignored_columns:
            names[header_key(name)] = name
            names[header_key(JAPANESE_NAMES.get(name, name))] = name
        return names

    def template(self, user=None):
        """The header (Japanese names) and the example row of the downloadable template; a kind
        may fill the example from what ``user`` has (``example_row``)."""
        examples = self.example_row(user) if user is not None else {}
        return [c.label for c in self.columns], [
            [examples.get(c.name, c.example) for c in self.columns]
        ]

    def example_row(self, user):
        """``{column: cell}`` of the template's example taken from ``user``'s own data."""
        return {}


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


def open_checked(data, result, *, aliases=None, **header_rules):
    """The ``CsvStream`` of a CSV file (bytes or a binary file object), its header checked by
    ``check_header(**header_rules)`` (problems added to ``result.errors``, the stream is still
    returned so that its rows are checked too); None when the file cannot be read at all."""
    try:
        stream = open_csv(data, aliases=aliases)
    except FileRefused as exc:
        result.errors.append(RowError(1, "", "", str(exc)))
        return None
    result.add_errors(check_header(stream.header, **header_rules))
    return stream


def batches(stream, result, progress=None):
    """The rows of ``stream`` in lists of ``BATCH_SIZE``, counted in ``result.rows``. After each
    batch but the first, ``progress(done, total)`` (total: estimated from the file's lines).
    A file without data rows adds its problem to ``result``."""
    rows = iter(stream.rows)
    while batch := list(islice(rows, BATCH_SIZE)):
        result.rows += len(batch)
        yield batch
        if progress:
            progress(result.rows, max(result.rows, stream.lines - 1))
    if not result.rows:
        result.errors.append(RowError(2, "", "", _("The file has a header but no data rows.")))


def duplicate_key_errors(keyed_rows, seen, column):
    """RowErrors for rows whose natural key came earlier in the file; ``seen`` ({key: row})
    carries the keys over batches. ``keyed_rows``: (row_number, key) with a readable key."""
    errors = []
    for row_number, key in keyed_rows:
        first = seen.setdefault(key, row_number)
        if first != row_number:
            errors.append(
                RowError(
                    row_number,
                    column,
                    " / ".join(str(k) for k in key),
                    _("Same key as row %(row)s.") % {"row": first},
                )
            )
    return errors


@contextmanager
def whole_or_nothing(result, *, actor=None, filename="", obj=None):
    """Write a file's rows inside this block: all of them stay, or none does (a dry run, or any
    error added to ``result`` while writing, rolls everything back and zeroes the counts).

    With an ``actor``, the import's audit event is written inside the same transaction when the
    rows are kept, so a dry run or a refused file leaves no event.
    """
    with transaction.atomic():
        try:
            yield
        except FileRefused as exc:  # a malformed line found while streaming the rows
            result.errors.append(RowError(1, "", "", str(exc)))
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


_NOT_CACHED = object()
CACHED_CELLS = 4096  # distinct cells remembered per column (``Column.parse.cacheable``)


def _parse_row(kind, row_number, raw, missing, caches=None):
    """(values, problems) of one row. ``caches`` (``_cell_caches``) remembers the values of the
    columns whose parser is ``cacheable``, for the rest of the file."""
    values, errors = RowValues(), []
    failed = set(missing) if missing else None
    if None in raw:
        errors.append(
            RowError(row_number, "", ";".join(raw[None]), _("More cells than header columns."))
        )
    for column, cache in caches if caches is not None else _cell_caches(kind):
        name = column.name
        cell = raw.get(name, "")
        if failed and name in failed:
            values[name] = None
            continue
        if cell == "":
            if not column.blank and name in raw:
                errors.append(RowError(row_number, name, "", _("A value is required.")))
                failed = (failed or set()) | {name}
            values[name] = column.default() if callable(column.default) else column.default
            continue
        value = _NOT_CACHED if cache is None else cache.get(cell, _NOT_CACHED)
        if value is _NOT_CACHED:
            try:
                value = column.parse(cell)
            except ValueError as exc:
                errors.append(RowError(row_number, name, cell, str(exc)))
                values[name] = None
                failed = (failed or set()) | {name}
                continue
            if cache is not None and len(cache) < CACHED_CELLS:
                cache[cell] = value
        values[name] = value
    if failed:
        values.failed = frozenset(failed)
    return values, errors


def _cell_caches(kind):
    """(column, its cache or None) of each column of ``kind``, for ``_parse_row``: a
    ``cacheable`` parser's values are remembered per distinct cell."""
    return [(c, {} if getattr(c.parse, "cacheable", False) else None) for c in kind.columns]


def _unknown_column(name):
    return _(
        "Unknown column. The import page lists the columns of this kind; the template has them all."
    )


def _check_batch(kind, batch, ctx, result, missing, keys, caches=None):
    """Every problem of a batch's rows: the cells', then the rules' on the cells that could be
    read. Returns the validated (row_number, values)."""
    parsed, errors = [], []
    for row_number, raw in batch:
        values, cell_errors = _parse_row(kind, row_number, raw, missing, caches)
        parsed.append((row_number, values, cell_errors))
    kind.prepare([values for _number, values, _errors in parsed], ctx)
    cleaned, key_columns = [], kind.key
    for row_number, values, cell_errors in parsed:
        errors.extend(cell_errors)
        failed = values.failed
        try:
            validated = kind.validate(values, ctx)
            if len(result.warnings) < MAX_ERRORS:
                result.warnings.extend(
                    RowError(row_number, c, str(v), str(r)) for c, v, r in kind.warn(values, ctx)
                )
        except RowInvalid as exc:
            validated = values
            errors.extend(
                RowError(row_number, c, str(v), str(r))
                for c, v, r in exc.problems
                if c not in failed
            )
        if key_columns and failed.isdisjoint(key_columns):
            key = tuple(map(values.__getitem__, key_columns))
            if keys.setdefault(key, row_number) != row_number:
                errors.extend(duplicate_key_errors([(row_number, key)], keys, key_columns[0]))
        cleaned.append((row_number, validated))
    errors.sort(key=lambda e: e.row)
    result.add_errors(errors)
    return cleaned


def _labelled(errors, kind):
    labels = {c.name: c.label for c in kind.columns}
    return [
        replace(e, label=labels[e.column]) if e.column in labels and not e.label else e
        for e in errors
    ]


def run_import(kind_name, data, *, user=None, actor=None, filename="", dry_run=False,
               progress=None):  # fmt: skip
    """Import a CSV file (bytes, or a binary file object read as a stream) whole or not at all.
    ``user`` None means the command line (no scoping).

    Every problem of the file is reported in one pass: the header's, and each row's cells and
    rules (a rule that needs a cell that could not be read is left until the cell is fixed).
    Problems name the column by its Japanese name and its code. Rows are read, checked and
    written in batches inside one transaction; after the first problem nothing more is written
    and the transaction is rolled back at the end.

    ``actor`` (default: the command line acting as ``user``) is who the audit events name; they
    are written inside the import's transaction, so a dry run or a refused file leaves none.
    ``progress(done, total)`` is called after each batch (total is estimated from the file's
    lines until the end).
    """
    if actor is None:
        actor = audit.Actor.command(user)
    elif user is None:
        user = actor.user
    kind = get_kind(kind_name)
    result = ImportResult(kind=kind.name, dry_run=dry_run)
    stream = open_checked(
        data,
        result,
        aliases=kind.aliases(),
        known={c.name for c in kind.columns} | set(kind.ignored_columns),
        required=[c.name for c in kind.columns if c.required],
        unknown_reason=_unknown_column,
    )
    if stream is None:
        return result
    missing = {c.name for c in kind.columns if c.required and c.name not in stream.header}
    ctx = kind.context(user)
    ctx["actor"] = actor
    keys, caches = {}, _cell_caches(kind)
    with whole_or_nothing(result, actor=actor, filename=filename):
        for batch in batches(stream, result, progress):
            cleaned = _check_batch(kind, batch, ctx, result, missing, keys, caches)
            if result.errors:
                continue  # nothing more is written; the rest of the file is still checked
            outcomes, errors = kind.write(cleaned, ctx)
            result.count(outcomes)
            result.add_errors(errors)
    result.errors = _labelled(result.errors, kind)
    result.warnings = _labelled(result.warnings, kind)
    return result


def update_fields(instance, values):
    """Set attributes that differ; returns whether anything changed (for idempotent upserts)."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed
