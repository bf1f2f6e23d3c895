"""Jobs: the work that runs on a schedule or in a worker.

The refresh of one source or of every due one, the full-text fetch, the
writer, the enrichment queue and its enrichers, the scheduler and the
``serve`` supervisor. Each unit is a function with plain arguments that a
thread, a process or a task queue can run, and running it twice changes
nothing.
"""
