"""``InArray``: "this column is one of the ids a subquery selects", written so that PostgreSQL
reaches the rows from an index whatever the size of the table.

``column IN (SELECT …)`` leaves the planner to guess how many ids the subquery gives; when the
subquery's filter is one it cannot estimate (an ``OR`` of two subqueries, as office scoping has)
or the table is small enough, it guesses many and reads the whole table (a sequential scan of
every client or contact in the country for one office). ``column = ANY(ARRAY(SELECT …))`` runs
the subquery once, first, and then probes the column's index with the ids it gave. Other
databases get the plain ``IN (SELECT …)``.
"""

from django.db.models import BooleanField, Expression, F


class InArray(Expression):
    """A condition to ``filter`` with: ``column`` (a field name or path, e.g. ``"client_id"``)
    is one of the values of ``subquery`` (a queryset of one column, ``.values("pk")``)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column, subquery):
        super().__init__()
        self.column = F(column) if isinstance(column, str) else column
        self.subquery = subquery

    def get_source_expressions(self):
        return [self.column, self.subquery]

    def set_source_expressions(self, expressions):
        self.column, self.subquery = expressions

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False,
                           for_save=False):  # fmt: skip
        resolved = self.copy()
        resolved.column = self.column.resolve_expression(query, allow_joins, reuse, summarize)
        resolved.subquery = self.subquery.resolve_expression(query, allow_joins, reuse, summarize)
        return resolved

    def _compiled(self, compiler):
        column, column_params = compiler.compile(self.column)
        subquery, subquery_params = compiler.compile(self.subquery)
        if not subquery.startswith("("):
            subquery = f"({subquery})"
        return column, subquery, (*column_params, *subquery_params)

    def as_sql(self, compiler, connection):
        column, subquery, params = self._compiled(compiler)
        return f"{column} IN {subquery}", params

    def as_postgresql(self, compiler, connection):
        column, subquery, params = self._compiled(compiler)
        return f"{column} = ANY(ARRAY{subquery})", params
