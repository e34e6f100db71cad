"""`studio batch`: many requests into one folder, resumable after anything."""
