from django.db import migrations

from catalog.search_backend import create_product_indexes, drop_product_indexes


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_guided_selling")]

    operations = [migrations.RunPython(create_product_indexes, drop_product_indexes)]
