"""stidiplo: a command-line tracker for science, technology and innovation diplomacy."""

__version__ = "0.1.0"
