"""Record ids grouped by facet value (country, network, role, kind), so that "organisations in
Togo" is a set look-up, not a scan: listing stays cheap at 5,000 organisations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable


class FacetIndex:
    def __init__(self, ids: Iterable[int]) -> None:
        self._all = frozenset(ids)
        self._by: dict[str, dict[Hashable, set[int]]] = defaultdict(lambda: defaultdict(set))

    def add(self, facet: str, value: Hashable | None, record_id: int) -> None:
        if value is not None:
            self._by[facet][value].add(record_id)

    def values(self, facet: str) -> Iterable[Hashable]:
        return self._by[facet].keys()

    def select(self, **wanted: Collection[Hashable] | None) -> list[int]:
        """Ids with one of the wanted values for each facet; None means "any value", an empty
        collection means "none"."""
        selected: set[int] | frozenset[int] = self._all
        for facet, values in wanted.items():
            if values is not None:
                by_value = self._by[facet]
                selected = selected & set().union(*(by_value.get(v, ()) for v in values))
        return sorted(selected)
