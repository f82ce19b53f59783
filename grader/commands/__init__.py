"""One module per `gdgrade` subcommand: each defines `register(subparsers)` and `run(args)`."""
