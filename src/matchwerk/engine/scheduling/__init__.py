"""The meeting scheduler behind ``matchwerk schedule`` (entry point: ``matchwerk.engine.schedule.run``).

problem (input checks) -> state (mutable schedule) -> search (greedy, ejection chains, gap
compaction) with bound (proven upper bound); generate makes benchmark instances.
See docs/engine-schedule.md.
"""
