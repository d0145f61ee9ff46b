"""Chain-partner organisations, their users and roles, and what each role may do."""
