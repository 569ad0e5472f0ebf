# ui/: the curses console.
