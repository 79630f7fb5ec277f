"""Running one request: the schema at run time, request limits and cost, caches bounded in
bytes, worker threads.
"""
