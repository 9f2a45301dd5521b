"""The audit folder: its cp-audit.yaml (`config`), found once for every command
(`resolve`), and the files `cp-audit init` writes (`init`)."""
