"""A newsroom's rules over a stream of stories: which version is the latest, what is held until when."""
