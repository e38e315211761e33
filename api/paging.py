"""Keyset paging for the lists: the same two queries on the last page as on the first."""

from rest_framework.pagination import CursorPagination


class TreeOrder(CursorPagination):
    ordering = "path"
    page_size = 100


class NewestFirst(CursorPagination):
    ordering = "-id"
    page_size = 100
