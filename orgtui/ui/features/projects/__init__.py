"""projects: the feature's screens, widgets and action handlers."""
