"""The monthly close's lock, until now billing's (billing 0003): state only, the table
``billing_monthclose`` and its rows stay."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0004_adjustments_fy2024"),
        ("offices", "0002_office_regional_grade"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay where they are (and keep their names, ``Meta.db_table``): only Django's
        # idea of which app owns the models changes.
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="MonthClose",
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
                            "month",
                            models.DateField(
                                help_text="The first day of the month.", verbose_name="month"
                            ),
                        ),
                        ("is_closed", models.BooleanField(default=False, verbose_name="closed")),
                        (
                            "figures",
                            models.JSONField(
                                blank=True, default=dict, verbose_name="figures at closing"
                            ),
                        ),
                        (
                            "closed_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="closed at"),
                        ),
                        (
                            "reopened_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="reopened at"),
                        ),
                        (
                            "reopen_reason",
                            models.TextField(blank=True, verbose_name="reason for reopening"),
                        ),
                        (
                            "closed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="closed by",
                            ),
                        ),
                        (
                            "office",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="month_closes",
                                to="offices.office",
                                verbose_name="office",
                            ),
                        ),
                        (
                            "reopened_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="reopened by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "monthly close",
                        "verbose_name_plural": "monthly closes",
                        "db_table": "billing_monthclose",
                        "ordering": ["office", "-month"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("office", "month"), name="one_close_per_office_month"
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
