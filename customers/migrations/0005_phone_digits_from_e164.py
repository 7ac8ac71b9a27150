"""Phones saved as typed ("555-010-2001") are searched by the digits of their E.164 form."""

from django.db import migrations

from customers.normalize import phone_digits


def recompute_phone_digits(apps, schema_editor):
    Customer = apps.get_model("customers", "Customer")
    changed = []
    for customer in Customer.objects.exclude(phone="").only("pk", "phone", "phone_digits").iterator(
        chunk_size=2000
    ):
        digits = phone_digits(customer.phone)
        if digits != customer.phone_digits:
            customer.phone_digits = digits
            changed.append(customer)
    Customer.objects.bulk_update(changed, ["phone_digits"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("customers", "0004_search_indexes")]

    operations = [migrations.RunPython(recompute_phone_digits, migrations.RunPython.noop)]
