"""Canadian and UK postal codes stored without their space ("K1A0B1") get it ("K1A 0B1"),
as the clerk's form and Address.save now store them: one UPDATE per country."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Left, Length, Right, Upper

# the stored codes of each country that lack their space (upper or lower case)
WITHOUT_SPACE = {
    "CA": r"^[A-Za-z][0-9][A-Za-z][0-9][A-Za-z][0-9]$",
    "GB": r"^[A-Za-z]{1,2}[0-9][A-Za-z0-9]?[0-9][A-Za-z]{2}$",
}


def add_the_space(apps, schema_editor):
    Address = apps.get_model("customers", "Address")
    for country, pattern in WITHOUT_SPACE.items():
        Address.objects.filter(country=country, postal_code__regex=pattern).update(
            postal_code=Upper(
                Concat(
                    Left("postal_code", Length("postal_code") - 3),
                    Value(" "),
                    Right("postal_code", 3),
                )
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0010_customer_version"),
    ]

    operations = [
        migrations.RunPython(add_the_space, migrations.RunPython.noop, elidable=True),
    ]
