"""`python -m cp_audit`: the same as the `cp-audit` command."""

from cp_audit.cli import main

if __name__ == "__main__":
    main()
