"""Files in and out, Rich-free: items and reports written as text or bytes (JSON, CSV, Excel,
iCalendar, Markdown, HTML, slides, Word, PDF), and imported files (JSON, CSV, Excel) read back into
rows. Nothing here prints to the terminal or opens the file it writes: the command hands it a
stream, or takes its bytes."""
