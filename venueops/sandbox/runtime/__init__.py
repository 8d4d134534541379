"""Running a venue's own code: process functions, preprocesses and date processes, on the sandbox clock.

    worker.py    the worker process: runs one script at a time with a super-user openreview-py client,
                 the globals OpenReview gives scripts, and the sandbox's clock (time-machine)
    pool.py      worker processes with a time and a memory limit; a failing worker is replaced
    schedule.py  when date processes fire: ``dates`` expressions, ``delay``, ``cron``; log ids
    runtime.py   the server's side: dispatcher and scheduler threads, preprocess, time travel, idling
    host.py      Processes: what the edit pipeline tells the runtime (an edit stored, an invitation
                 saved, a preprocess to run) and the store reads behind the runtime's threads

Where a date process fires: ``Runtime._schedule_forever`` → ``Processes.fire`` → the queue →
``Runtime._run`` on a worker; its moments come from ``schedule.firings`` when the invitation is saved.

On: ``venueops sandbox serve`` (``--no-processes`` turns it off) and ``Sandbox(processes=True)``. Off
by default for ``Sandbox`` in Python (the test suite's API server), and for ``/_sandbox/batch``.
Not yet: edges' and tags' processes, messages, ``postprocesses``, OpenReview's support setup.
"""
