"""Build-time helpers of the site hook (hooks/vendor_runtime.py)."""
