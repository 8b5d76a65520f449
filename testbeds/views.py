from django.views.generic import DetailView, ListView, TemplateView, View


class HomeView(TemplateView):
    template_name = "testbeds/home.html"


class TestbedListView(ListView):
    pass


class TestbedGeoJSONView(View):
    pass


class TestbedDetailView(DetailView):
    pass


class MunicipalityListView(ListView):
    pass


class MunicipalityDetailView(DetailView):
    pass
