"""Every middleware of the site: security headers, the page cache, database faults."""
