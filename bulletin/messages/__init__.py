"""Authors' messages (French), one module per pipeline stage; the error types stay in bulletin.errors."""
