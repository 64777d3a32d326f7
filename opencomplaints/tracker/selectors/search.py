"""Search across every case the user may see, open or closed: references, names, words of the summary."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.paginator import Page, Paginator
from django.db import connections, models
from django.db.models import IntegerField, Prefetch, Q, QuerySet, Value, When

from opencomplaints.accounts.models import User
from opencomplaints.cases import constants as c
from opencomplaints.cases.access import case_queryset_for_user
from opencomplaints.cases.models import CaseChild, CaseComplainant, OmbudsmanDetail, Person
from opencomplaints.councils.selectors import councils_for_user
from opencomplaints.tracker.selectors.rows import type_label

SEARCH_PAGE_SIZE = 20
# Longer search texts are cut here; nobody types more than this into a search box on purpose.
SEARCH_MAX_TERMS = 10
# A search shows at most this many cases: nobody pages further, and a search this broad needs more words. Within
# the limit PostgreSQL ranks the matches, which recomputes each one's text; for every case a very common word
# matches that would take seconds.
SEARCH_LIMIT = 1_000


@dataclass(frozen=True, kw_only=True)
class SearchResult:
    case_id: int
    reference: str
    type_label: str
    status_label: str
    received_date: date
    complainants: tuple[str, ...]
    children: tuple[str, ...]
    summary: str


@dataclass(frozen=True, kw_only=True)
class SearchPage:
    text: str
    results: list[SearchResult]
    page: Page[int]
    ranked: bool
    truncated: bool


def search_terms(text: str) -> list[str]:
    """The words of a search, lower case, without punctuation (at most ``SEARCH_MAX_TERMS``)."""
    return re.findall(r"\w+", text.lower())[:SEARCH_MAX_TERMS]


def _all_terms(fields: Sequence[str], terms: Sequence[str]) -> Q:
    """Every term appears in at least one of ``fields`` (case-insensitive, anywhere in the text)."""
    condition = Q()
    for term in terms:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": term})
        condition &= any_field
    return condition


def _people_matching(*, user: User | AnonymousUser, terms: Sequence[str], postgres: bool) -> QuerySet[Person]:
    """People of the user's councils whose name has every term: on PostgreSQL as words or beginnings of words
    (the ``tracker_person_name`` index), elsewhere anywhere in the first or last name."""
    people = Person.objects.filter(council__in=councils_for_user(user=user).values("pk"))
    if postgres:
        prefixes = " & ".join(f"'{term}':*" for term in terms)
        return people.annotate(name=SearchVector("first_name", "last_name", config="simple")).filter(
            name=SearchQuery(prefixes, config="simple", search_type="raw")
        )
    return people.filter(_all_terms(("first_name", "last_name"), terms))


def case_search(
    *,
    user: User | AnonymousUser,
    text: str,
    page_number: int | str | None = 1,
    page_size: int | None = None,
) -> SearchPage:
    """Cases ``user`` may see, open or closed, found by ``text``: a reference (the council's, or the Ombudsman's),
    a complainant's or child's name, or words of the summary or topic.

    On PostgreSQL the words are matched by full-text search (English stemming, ``websearch`` syntax) over the
    reference, summary and topic, and names by word beginnings, each with its index; elsewhere each word must appear
    somewhere in those fields or in one person's name. The case with exactly that reference comes first, then those
    whose reference begins with it, then (on PostgreSQL) the best text matches, then the newest. At most
    ``SEARCH_LIMIT`` cases are found.

    Queries: the matching cases' ids in order, (on PostgreSQL) their ranks, the page's cases, their complainants
    and their children.
    """
    text = text.strip()
    terms = search_terms(text)
    visible = case_queryset_for_user(user=user)
    if not text:
        return SearchPage(text=text, results=[], page=Paginator([], 1).get_page(1), ranked=False, truncated=False)
    postgres = connections[visible.db].vendor == "postgresql"
    reference = text.upper()

    # Each way of matching is its own branch, so on PostgreSQL each uses its own index.
    branches: list[QuerySet[Any]] = [OmbudsmanDetail.objects.filter(lgsco_reference__iexact=text).values("case_id")]
    document = SearchVector("reference", "summary", "topic", config="english")
    text_query = SearchQuery(text, config="english", search_type="websearch") if postgres and terms else None
    if terms:
        people = _people_matching(user=user, terms=terms, postgres=postgres).values("pk")
        branches += [
            CaseComplainant.objects.filter(person__in=people).values("case_id"),
            CaseChild.objects.filter(person__in=people).values("case_id"),
        ]
        if text_query is not None:
            branches.append(visible.annotate(document=document).filter(document=text_query).values("pk"))
        else:
            branches.append(visible.filter(_all_terms(("reference", "summary", "topic"), terms)).values("pk"))
    by_reference = visible.filter(reference__istartswith=reference).values("pk")
    reference_order = models.Case(
        When(reference__iexact=reference, then=Value(0)),
        When(reference__istartswith=reference, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    candidates = list(
        visible.filter(pk__in=by_reference.union(*branches))
        .annotate(reference_order=reference_order)
        .order_by("reference_order", "-received_date", "-id")
        .values_list("pk", "reference_order", "received_date")[: SEARCH_LIMIT + 1]
    )
    truncated = len(candidates) > SEARCH_LIMIT
    del candidates[SEARCH_LIMIT:]
    ranked = False
    if text_query is not None and not truncated and candidates:
        ranked = True
        ranks = dict(
            visible.filter(pk__in=[pk for pk, _, _ in candidates])
            .annotate(rank=SearchRank(document, text_query))
            .values_list("pk", "rank")
        )
        candidates.sort(key=lambda row: (row[1], -ranks.get(row[0], 0.0), -row[2].toordinal(), -row[0]))
    page = Paginator([pk for pk, _, _ in candidates], page_size or SEARCH_PAGE_SIZE).get_page(page_number)
    cases = visible.filter(pk__in=list(page.object_list)).prefetch_related(
        Prefetch(
            "complainants", queryset=CaseComplainant.objects.select_related("person").order_by("-is_primary", "id")
        ),
        Prefetch("children", queryset=CaseChild.objects.select_related("person").order_by("id")),
    )
    by_id = {case.pk: case for case in cases}
    results = [
        SearchResult(
            case_id=case.pk,
            reference=case.reference,
            type_label=type_label(case),
            status_label=c.CaseStatus(case.status).label,
            received_date=case.received_date,
            complainants=tuple(str(link.person) for link in case.complainants.all()),
            children=tuple(str(link.person) for link in case.children.all()),
            summary=case.topic or case.summary,
        )
        for case in (by_id[pk] for pk in page.object_list if pk in by_id)
    ]
    return SearchPage(text=text, results=results, page=page, ranked=ranked, truncated=truncated)
