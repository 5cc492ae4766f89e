from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("contacts", "0008_sharing_dates_to_rows")]

    operations = [
        migrations.RemoveField(model_name="supportreport", name="shared_with_client_on"),
        migrations.RemoveField(model_name="supportreport", name="shared_with_employer_on"),
    ]
