"""Exit codes (`shared/cli-contract.md`): scripts and CI pipelines key on them."""

OK = 0  # every input valid, no worry (or --exit-zero)
FINDINGS = 1  # every input valid, at least one worry; `standards test`: an example failed
BAD_INPUT = 2  # bad usage, invalid standards, or an input file or case rejected
