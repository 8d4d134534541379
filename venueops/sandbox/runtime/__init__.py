"""Running a venue's own code: process functions, preprocesses and date processes, on the sandbox clock.

    worker.py    the worker process: runs one script at a time with a super-user openreview-py client,
                 the globals OpenReview gives scripts, and the sandbox's clock (time-machine)
    pool.py      worker processes with a time and a memory limit; a failing worker is replaced
    schedule.py  when date processes fire: ``dates`` expressions, ``delay``, ``cron``; log ids
    runtime.py   the server's side: dispatcher and scheduler threads, preprocess, time travel, idling

Status: the workers, the pool and the schedule are built and tested (tests/sandbox/runtime/); the
runtime is not yet wired into the edit pipeline, the store and the routes (issue 9, in progress).
"""
