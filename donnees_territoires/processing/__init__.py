"""Processing provider and its algorithms: thin wrappers over the core packages."""
