"""Indexes that make item lookup and suggestions fast on PostgreSQL (see
``callcenter.postgres_indexes``): the item number in any case, as typed or by its start
(``UPPER(item_number) LIKE 'G12%'``), and any part of the name (trigrams)."""

from callcenter.postgres_indexes import index_operations

PRODUCT_INDEXES = {
    "catalog_product_item_number_upper": ("catalog_product (UPPER(item_number) text_pattern_ops)"),
    "catalog_product_name_upper_trgm": "catalog_product USING gin (UPPER(name) gin_trgm_ops)",
}

create_product_indexes, drop_product_indexes = index_operations(PRODUCT_INDEXES)
