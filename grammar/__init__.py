"""Data package: ships the DSL grammar inside the installed policyc."""
