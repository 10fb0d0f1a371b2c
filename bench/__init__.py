"""The benchmark (``make bench``): not part of the application, never installed with it."""
