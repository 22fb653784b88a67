"""The subcommands of `prdesk`, one module per group."""
