"""The audit trail: append-only, hash-chained records of every change that matters."""
