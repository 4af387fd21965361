"""Engines that run the pipeline somewhere other than this process (see :func:`pipeline.runner.run`).

The process-pool engine lives in :mod:`pipeline.runner` itself; engines that need
an optional extra (``vnpipe[dask]``) live here and are imported only when asked for.
"""
