"""Pure serialisers: items in, text or bytes out to a stream they are given; no terminal, no Rich."""
