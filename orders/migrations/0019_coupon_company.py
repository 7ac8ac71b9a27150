"""A coupon belongs to a company (legal entity): only that company's call centers take it.
Existing coupons are left blank, which means every company: they keep working
everywhere, as before, until an administrator gives them their company (Sales orders >
Coupons)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("orders", "0018_salesline_fixed_price")]

    operations = [
        migrations.AddField(
            model_name="coupon",
            name="company",
            field=models.CharField(
                blank=True,
                db_index=True,
                help_text=(
                    "The company (legal entity) whose call centers take this coupon. Blank: "
                    "every company."
                ),
                max_length=20,
                verbose_name="company",
            ),
        ),
    ]
