from django.http import HttpResponse


def bench_ceiling(request):
    """The benchmark's ceiling: the cheapest answer the same server and middleware can give.

    Routed only when DJANGO_BENCH_CEILING=1 (bench/run.sh sets it)."""
    return HttpResponse(b"ok", content_type="text/plain")


def bench_sleep(request):
    """Benchmark/test hook (DJANGO_BENCH_CEILING=1 only): busy for ?seconds=N in Python, or
    in PostgreSQL with ?db=1 (pg_sleep), to show the request time limit ending it."""
    import time

    from django.db import connection

    try:
        seconds = min(max(float(request.GET.get("seconds", "1")), 0), 120)
    except ValueError:
        return HttpResponse(b"seconds: a number", status=400, content_type="text/plain")
    if request.GET.get("db"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(%s)", [seconds])
    else:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            time.sleep(0.05)
    return HttpResponse(b"done", content_type="text/plain")
