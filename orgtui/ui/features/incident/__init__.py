"""The incident panel: what changed in the last 15 and 60 minutes, and one key to contain it."""
