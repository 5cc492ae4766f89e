"""The fee tables and regional unit prices, until now billing's (billing 0001, loaded by billing
0002): state only, the tables ``billing_feetable``, ``billing_feetier`` and
``billing_regionalunitprice`` and their rows stay."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0004_adjustments_fy2024"),
        ("clients", "0007_client_search_key"),
    ]

    operations = [
        # The tables stay where they are (and keep their names, ``Meta.db_table``): only Django's
        # idea of which app owns the models changes.
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="FeeTable",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "effective_from",
                            models.DateField(unique=True, verbose_name="effective from"),
                        ),
                        (
                            "source",
                            models.TextField(
                                blank=True,
                                help_text="Where the values come from: the notice and its table.",
                                verbose_name="source",
                            ),
                        ),
                        (
                            "verified",
                            models.BooleanField(
                                default=False,
                                help_text="On only when every value has been checked against the cited source.",
                                verbose_name="verified",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "fee table",
                        "verbose_name_plural": "fee tables",
                        "db_table": "billing_feetable",
                        "ordering": ["-effective_from"],
                    },
                ),
                migrations.CreateModel(
                    name="RegionalUnitPrice",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "grade",
                            models.CharField(
                                choices=[
                                    ("1", "Grade 1"),
                                    ("2", "Grade 2"),
                                    ("3", "Grade 3"),
                                    ("4", "Grade 4"),
                                    ("5", "Grade 5"),
                                    ("6", "Grade 6"),
                                    ("7", "Grade 7"),
                                    ("other", "Other"),
                                ],
                                max_length=8,
                                verbose_name="regional grade",
                            ),
                        ),
                        ("effective_from", models.DateField(verbose_name="effective from")),
                        (
                            "yen_per_unit",
                            models.DecimalField(
                                decimal_places=2, max_digits=5, verbose_name="yen per unit"
                            ),
                        ),
                        ("source", models.TextField(blank=True, verbose_name="source")),
                        (
                            "verified",
                            models.BooleanField(
                                default=False,
                                help_text="On only when the value has been checked against the cited source.",
                                verbose_name="verified",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "regional unit price",
                        "verbose_name_plural": "regional unit prices",
                        "db_table": "billing_regionalunitprice",
                        "ordering": ["-effective_from", "grade"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("grade", "effective_from"),
                                name="unique_regional_unit_price",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="FeeTier",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "min_percent",
                            models.DecimalField(
                                decimal_places=2,
                                help_text="The tier applies from this rate upwards (the bound included). 0 for the lowest tier.",
                                max_digits=5,
                                verbose_name="minimum retention rate (%)",
                            ),
                        ),
                        ("units", models.PositiveIntegerField(verbose_name="units per month")),
                        (
                            "table",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="tiers",
                                to="clients.feetable",
                                verbose_name="fee table",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "fee tier",
                        "verbose_name_plural": "fee tiers",
                        "db_table": "billing_feetier",
                        "ordering": ["table", "-min_percent"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("table", "min_percent"), name="unique_fee_table_tier"
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
