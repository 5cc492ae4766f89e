"""Moving the test database along the migration graph, for the tests of data migrations.

A test that migrates an app back unapplies every migration that depends on it, in other apps too
(billing's depend on clients', voice's on contacts'), so it must end on ``latest()``, every
app's leaf, never on its own app's step: the tests after it need the whole schema."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def latest():
    """Every app's last migration."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()
