"""Use cases: each takes a unit of work (a Session) and returns frozen read models."""
