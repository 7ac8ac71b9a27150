from django.db import migrations, models


def companies_for_existing_customers(apps, schema_editor):
    """Customers that predate companies belong to the company of the first call center."""
    Customer = apps.get_model("customers", "Customer")
    CallCenter = apps.get_model("callcenter", "CallCenter")
    if not Customer.objects.filter(company="").exists():
        return
    first = CallCenter.objects.order_by("pk").first()
    if first is None:
        raise RuntimeError("Customers exist but no call center: create one, then migrate again.")
    Customer.objects.filter(company="").update(company=first.company)


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0001_initial"),
        ("callcenter", "0002_call_center_configuration"),
    ]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="company",
            field=models.CharField(db_index=True, default="", max_length=20, verbose_name="company"),
            preserve_default=False,
        ),
        migrations.RunPython(companies_for_existing_customers, migrations.RunPython.noop),
    ]
