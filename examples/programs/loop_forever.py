# A candidate that never stops: Assay reports time_limit instead of hanging.
while True:
    pass
