"""The instructor's `gdgrade` subcommands: each module defines `register(subparsers)` and
`run(args)`; the student's `check` and the shared helpers live in `gdgrade.commands`."""
