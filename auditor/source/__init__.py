"""Reading a report file: its bytes decoded, Word and PDF read as text, legacy encodings and OCR-damaged diacritics normalised."""
