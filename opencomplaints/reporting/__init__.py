"""The statutory annual report (R1.39 to R1.41): selectors (database → records) → pure metrics (records → tables)
→ renderers (tables → HTML, DOCX, PDF, XLSX and JSON)."""
