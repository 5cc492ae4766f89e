"""The fee tables and unit prices move to ``clients`` (clients 0008), the monthly close's lock to
``offices`` (offices 0003): state only, the tables and their rows stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("offices", "0003_month_close_from_billing"),
        ("clients", "0008_fee_tables_from_billing"),
        ("billing", "0004_adjustments_fy2024"),
    ]

    operations = [
        # The tables stay where they are (and keep their names, ``Meta.db_table``): only Django's
        # idea of which app owns the models changes.
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name="feetier",
                    name="table",
                ),
                migrations.RemoveField(
                    model_name="monthclose",
                    name="closed_by",
                ),
                migrations.RemoveField(
                    model_name="monthclose",
                    name="office",
                ),
                migrations.RemoveField(
                    model_name="monthclose",
                    name="reopened_by",
                ),
                migrations.DeleteModel(
                    name="RegionalUnitPrice",
                ),
                migrations.DeleteModel(
                    name="FeeTable",
                ),
                migrations.DeleteModel(
                    name="FeeTier",
                ),
                migrations.DeleteModel(
                    name="MonthClose",
                ),
            ],
        ),
    ]
