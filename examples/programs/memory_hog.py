# A candidate that keeps allocating: Assay reports memory_limit, and the host is unaffected.
chunks = []
while True:
    chunks.append(bytearray(16 * 1024 * 1024))
