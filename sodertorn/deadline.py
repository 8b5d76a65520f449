"""A time limit per request that really ends the work (DJANGO_REQUEST_TIMEOUT seconds).

Gunicorn's `timeout` does not do this with thread workers: it restarts a worker whose main
loop stops answering, while a request running in one of its threads goes on for as long as it
likes (an indicator import ran 34 s and 44 s against the 30 s the deployment guide promised).
So the limit is kept here, in two parts:

- Python work: one watchdog thread per process raises RequestTimeout in the request's thread
  when its deadline passes (PyThreadState_SetAsyncExc; it takes effect at the next Python
  instruction). The request answers 503 with a short page; open transactions roll back.
- Database work: a query blocks in C, where that exception cannot reach it, so web processes
  also give PostgreSQL a statement_timeout (DJANGO_DB_STATEMENT_TIMEOUT, set by
  sodertorn/wsgi.py to the same limit): PostgreSQL cancels the query and the request ends the
  same way.

A streamed response (a file download) is not limited once it is returned.
"""

import ctypes
import heapq
import itertools
import logging
import threading
import time

from django.conf import settings
from django.db import OperationalError
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class RequestTimeout(Exception):
    """Raised inside a request's thread when the request ran past DJANGO_REQUEST_TIMEOUT."""


class Watchdog:
    """Deadlines of the running requests of this process, and one thread that enforces them."""

    def __init__(self):
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._heap: list[tuple[float, int]] = []
        self._armed: dict[int, int] = {}  # token -> thread id, while the request runs
        self._fired: set[int] = set()
        self._counter = itertools.count()
        self._thread = None
        self._pid = None

    def _ensure_thread(self):
        import os

        if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
            self._pid = os.getpid()  # a forked worker needs its own thread
            self._thread = threading.Thread(target=self._run, name="request-deadline", daemon=True)
            self._thread.start()

    def arm(self, seconds: float) -> int:
        token = next(self._counter)
        with self._lock:
            self._ensure_thread()
            self._armed[token] = threading.get_ident()
            heapq.heappush(self._heap, (time.monotonic() + seconds, token))
            self._wake.notify()
        return token

    def disarm(self, token: int) -> bool:
        """End the watch; True when the deadline had fired. An exception that fired but was
        not raised yet is withdrawn, so it cannot surface after the request."""
        with self._lock:
            thread_id = self._armed.pop(token, None)
            fired = token in self._fired
            self._fired.discard(token)
            if fired and thread_id is not None:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), None)
            return fired

    def _run(self):
        with self._lock:
            while True:
                now = time.monotonic()
                while self._heap and (self._heap[0][1] not in self._armed):
                    heapq.heappop(self._heap)  # finished in time
                if not self._heap:
                    self._wake.wait()
                    continue
                deadline, token = self._heap[0]
                if deadline > now:
                    self._wake.wait(deadline - now)
                    continue
                heapq.heappop(self._heap)
                self._fired.add(token)
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(self._armed[token]), ctypes.py_object(RequestTimeout)
                )


watchdog = Watchdog()


def timeout_response(request):
    seconds = settings.REQUEST_TIMEOUT
    response = render(
        request,
        "503_timeout.html",
        {"seconds": round(seconds), "page_title": _("The request took too long")},
        status=503,
    )
    add_never_cache_headers(response)
    return response


def is_statement_timeout(exc) -> bool:
    cause = exc.__cause__
    return isinstance(exc, OperationalError) and type(cause).__name__ == "QueryCanceled"


class RequestDeadlineMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.REQUEST_TIMEOUT
        if not seconds or seconds <= 0:
            return self.get_response(request)
        token = watchdog.arm(seconds)
        timed_out = False
        try:
            response = self.get_response(request)
        except RequestTimeout:
            timed_out = True
        finally:
            timed_out = watchdog.disarm(token) or timed_out
        if timed_out:
            logger.error("Request ended after the %s s time limit: %s", seconds, request.path)
            return timeout_response(request)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, RequestTimeout) or is_statement_timeout(exception):
            logger.error("Request ended after the time limit: %s", request.path)
            return timeout_response(request)
        return None
