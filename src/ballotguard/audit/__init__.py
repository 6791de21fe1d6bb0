"""Risk-limiting audit mathematics: pure functions, plain values in, numbers out.

Nothing here does I/O, reads the clock, or draws randomness without an explicit seed, and
nothing here imports the rest of Ballotguard. Each module cites the paper it implements.
"""
