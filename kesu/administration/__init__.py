"""Administration: regions, dealers, departments, users and roles, set up without a shell."""
