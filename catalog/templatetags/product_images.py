"""Product pictures in lists (item suggestions, order lines) in one query per list."""

from django import template
from django.utils.html import format_html

from ..models import Product, ProductImage

register = template.Library()


def _loaded_image(item) -> tuple[bool, ProductImage | None]:
    """(True, its image or None) when the item's product was read with its image."""
    if not isinstance(item, Product):
        descriptor = getattr(type(item), "product", None)
        if descriptor is None or not descriptor.is_cached(item):
            return False, None
        item = item.product
    if item is None:
        return True, None
    if not Product.image.is_cached(item):
        return False, None
    return True, Product.image.related.get_cached_value(item)


def _images_for(context, among) -> dict[int, ProductImage]:
    """The images of the products of ``among`` (products, or rows with a ``product_id``),
    read once per list and rendering; none read when the list came with them
    (``select_related("product__image")``)."""
    key = ("product_images", id(among))
    cache = context.render_context
    if key not in cache:
        loaded = [_loaded_image(item) for item in among]
        if all(known for known, _image in loaded):
            cache[key] = {image.product_id: image for _known, image in loaded if image}
            return cache[key]
        ids = {item.pk if isinstance(item, Product) else item.product_id for item in among}
        ids.discard(None)
        cache[key] = (
            {image.product_id: image for image in ProductImage.objects.filter(product_id__in=ids)}
            if ids
            else {}
        )
    return cache[key]


@register.simple_tag(takes_context=True)
def product_thumbnail(context, product_id, among, size: int = 32):
    """A small picture of the product, or nothing when it has none.

    The product name is next to it, so the picture is decorative (empty alt)
    unless the image has a description of its own.
    """
    image = _images_for(context, among).get(product_id)
    if image is None or not image.url:
        return ""
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" class="product-thumb me-2 rounded"'
        ' loading="lazy">',
        image.url,
        image.alt_text,
        size,
        size,
    )
