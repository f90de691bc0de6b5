"""Data package: ships policy.schema.json inside the installed policyc."""
