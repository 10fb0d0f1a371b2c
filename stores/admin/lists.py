"""Changelists that stay cheap however many rows a merchant has (issue 18).

Django's changelist counts every matching row on each page view (twice: the filtered and
the unfiltered total), and a related-only filter reads the distinct related IDs of every
matching row. With hundreds of thousands of orders those scans cost more than the page.
"""

from functools import cached_property

from django.contrib import admin
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q

COUNT_CAP = 10_000


class BoundedCountPaginator(Paginator):
    """Counts at most ``COUNT_CAP`` rows (a bounded scan, no sort): the first pages are
    numbered as usual; past the cap a merchant narrows the list with its filters or search
    instead of paging (the page links end at the cap)."""

    @cached_property
    def count(self) -> int:
        return self.object_list.values("pk").order_by()[:COUNT_CAP].count()


class UsedRelatedFilter(admin.RelatedOnlyFieldListFilter):
    """The choices ``RelatedOnlyFieldListFilter`` offers (the related rows that some listed
    row points to), asked per related row with an indexed EXISTS instead of a DISTINCT over
    every listed row."""

    def field_choices(self, field, request, model_admin):
        listed = model_admin.get_queryset(request).filter(**{field.name: OuterRef("pk")})
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False, ordering=ordering, limit_choices_to=Q(Exists(listed))
        )
