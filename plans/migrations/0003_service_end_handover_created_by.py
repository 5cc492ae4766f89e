from django.db import migrations


class Migration(migrations.Migration):
    """ServiceEndHandover records who recorded it as every record kept as written does
    (``core.models.RecordedBy``): ``recorded_by`` is renamed ``created_by``; the rows keep it."""

    dependencies = [
        ("plans", "0002_handovers"),
    ]

    operations = [
        migrations.RenameField(
            model_name="serviceendhandover",
            old_name="recorded_by",
            new_name="created_by",
        ),
    ]
