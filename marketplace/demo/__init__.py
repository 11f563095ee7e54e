"""Demo data: a small but complete world to click through, loaded by `flask demo load`.

Each area adds its part in its own module; every step is idempotent (objects are found by
their natural keys before being created), so the command can run on every `make run`.
"""
