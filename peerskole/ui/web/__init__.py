"""peerskole's own page for ``peerskole serve``, and the server that hands it out."""
