from django.db import migrations, models


def companies_for_existing_gift_cards(apps, schema_editor):
    """Gift cards that predate companies belong to the company, when the database knows
    exactly one (of its call centers and customers): until now every center took every
    card, which is right only then.

    With several companies nobody can tell whose a card is: it is left without a company,
    and no call center takes it until an administrator sets its company in the admin
    (Payments > Gift cards lists and filters the cards by company)."""
    GiftCard = apps.get_model("payments", "GiftCard")
    CallCenter = apps.get_model("callcenter", "CallCenter")
    Customer = apps.get_model("customers", "Customer")
    if not GiftCard.objects.filter(company="").exists():
        return
    companies = set(CallCenter.objects.values_list("company", flat=True).distinct())
    companies |= set(Customer.objects.values_list("company", flat=True).distinct())
    companies.discard("")
    if len(companies) == 1:
        GiftCard.objects.filter(company="").update(company=companies.pop())


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0006_codes_letters_digits_hyphens"),
        ("callcenter", "0001_initial"),
        ("customers", "0002_customer_company"),
    ]

    operations = [
        migrations.AddField(
            model_name="giftcard",
            name="company",
            field=models.CharField(db_index=True, default="", max_length=20, verbose_name="company"),
            preserve_default=False,
        ),
        migrations.RunPython(companies_for_existing_gift_cards, migrations.RunPython.noop),
    ]
