"""The access feature (role-based access control): the Groups screen, its forms and handlers."""
