"""The local model manager: finding, identifying, vetting, hashing and loading models."""
