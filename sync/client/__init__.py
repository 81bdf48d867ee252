"""The laptop side of sync: enrollment, push of the journal, pull of changes, audit upload, revocation.

Import the submodules (``sync.client.engine``, ``sync.client.enrollment``) where needed: httpx loads on first use.
"""
