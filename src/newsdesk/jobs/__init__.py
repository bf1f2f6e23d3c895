"""Work that runs on a schedule or in a worker: idempotent units with plain id arguments."""
