from django.conf import settings
from django.core.paginator import Paginator
from django.urls import translate_url
from django.utils import translation
from django.views.generic import TemplateView

from . import registry, text
from .forms import SearchForm
from .query import FEW_HITS, MAX_LENGTH, Hits, Query, best_of_each, resolve, suggest


class Hit:
    """One search result as the page shows it: title and excerpt escaped and highlighted."""

    def __init__(self, document, source, words):
        self.source = source
        self.url = _localized(document.url)
        self.is_demo = document.is_demo
        self.title = text.highlight(document.title, words)
        # "" for a document indexed before titles knew their language: taken as Swedish.
        self.title_language = document.title_language or settings.LANGUAGE_CODE
        self.excerpt = text.excerpt(f"{document.summary}\n{document.body}", words)


def _localized(url: str) -> str:
    """Documents store the address in the default language; give this page's language's."""
    language = translation.get_language()
    if not language or language == settings.LANGUAGE_CODE:
        return url
    with translation.override(settings.LANGUAGE_CODE):
        return translate_url(url, language)


class SearchView(TemplateView):
    """/sok/?q=…: the best hits of every type, or all hits of one type page by page.

    Not in the page cache: the answer depends on free text, and searches are rarely repeated."""

    template_name = "search/search.html"
    form_class = SearchForm
    per_type = 5
    paginate_by = 20

    def get_context_data(self, **kwargs):
        form = self.form_class(self.request.GET or None)
        form.is_valid()
        cleaned = getattr(form, "cleaned_data", {})
        errors = {name: e for name, e in form.errors.items() if name != "q"}
        query = Query.parse(self.request.GET.get("q", ""))
        source = registry.get(cleaned.get("type") or "")
        municipality = cleaned.get("municipality")
        context = super().get_context_data(
            form=form,
            filter_errors=errors,
            query=query,
            max_length=MAX_LENGTH,
            searched="q" in self.request.GET,
            chosen_source=source,
            municipality=municipality,
            groups=[],
            total=0,
            **kwargs,
        )
        if not query:
            return context
        sources = [source] if source else registry.sources()
        resolve(query)  # typos and beginnings of words (search/vocabulary.py)
        found = self.found(query, source, sources, municipality)
        if query.corrections or found["total"] <= FEW_HITS:
            found["suggestion"] = suggest(
                query, found["total"], sources=sources, municipality=municipality
            )
        context.update(found)
        return context

    def found(self, query, source, sources, municipality) -> dict:
        """The hits: of one type page by page, or the best of every type."""
        if source:
            documents = Hits(query, source=source, municipality=municipality)
            paginator = Paginator(documents, self.paginate_by)
            page = paginator.get_page(self.request.GET.get("page"))
            hits = [Hit(d, source, query.marked) for d in page.object_list]
            return {
                "page_obj": page,
                "paginator": paginator,
                "total": paginator.count,
                "groups": [{"source": source, "hits": hits, "total": paginator.count}]
                if hits
                else [],
            }
        by_key = {s.key: s for s in sources}
        groups: dict[str, dict] = {}
        for document in best_of_each(
            query, sources=sources, municipality=municipality, per_type=self.per_type
        ):
            found = by_key[document.source]
            group = groups.setdefault(
                found.key, {"source": found, "hits": [], "total": document.type_total}
            )
            group["hits"].append(Hit(document, found, query.marked))
        ordered = [groups[s.key] for s in sources if s.key in groups]
        for group in ordered:
            group["more"] = group["total"] > len(group["hits"])
        return {"groups": ordered, "total": sum(g["total"] for g in ordered)}
