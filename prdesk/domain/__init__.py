"""What the patient relations department knows and decides. Imports neither Qt nor PDF code."""
