"""A catalog belongs to a company (legal entity): only that company's call centers take its
source codes and requests for it. Existing catalogs are left blank, which means every
company: they keep working everywhere, as before, until an administrator gives them
their company (Catalog > Catalogs)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_codes_letters_digits_hyphens")]

    operations = [
        migrations.AddField(
            model_name="catalog",
            name="company",
            field=models.CharField(
                blank=True,
                db_index=True,
                help_text=(
                    "The company (legal entity) whose call centers use this catalog and its "
                    "source codes. Blank: every company."
                ),
                max_length=20,
                verbose_name="company",
            ),
        ),
    ]
