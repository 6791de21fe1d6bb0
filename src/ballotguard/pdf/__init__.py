"""PDF documents for the record: decision packets, audit reports; built with fpdf2 (bytes out)."""
