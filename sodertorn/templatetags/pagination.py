from django import template

register = template.Library()


@register.simple_tag
def elided_pages(page_obj, on_each_side=2, on_ends=1):
    """``{% elided_pages page_obj as pages %}``: the page numbers to link around ``page_obj``,
    with ``None`` for each gap (``Paginator.get_elided_page_range``), so the pagination costs
    the same at 3 pages as at 3,000."""
    paginator = page_obj.paginator
    return [
        None if number == paginator.ELLIPSIS else number
        for number in paginator.get_elided_page_range(
            page_obj.number, on_each_side=on_each_side, on_ends=on_ends
        )
    ]
