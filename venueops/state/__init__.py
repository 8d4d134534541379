"""Reading the live venue: only the objects the configuration manages (and its inventory names)."""
