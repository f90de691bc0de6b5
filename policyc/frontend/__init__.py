"""Front ends: each turns a source file into the IR (YAML here; the DSL beside it)."""
