from django.http import HttpResponse


def bench_ceiling(request):
    """The benchmark's ceiling: the cheapest answer the same server and middleware can give.

    Routed only when DJANGO_BENCH_CEILING=1 (bench/run.sh sets it)."""
    return HttpResponse(b"ok", content_type="text/plain")
