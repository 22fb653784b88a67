"""Property-based tests: whatever a person types, pastes or an administrator saves."""
