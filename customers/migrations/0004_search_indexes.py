from django.db import migrations

from customers.search_backend import create_search_indexes, drop_search_indexes


class Migration(migrations.Migration):
    dependencies = [("customers", "0003_customer_service")]

    operations = [migrations.RunPython(create_search_indexes, drop_search_indexes)]
