import Operations

extension BrowserSession {
    /// Blocks until the work every effect so far started on the session's worker pools has
    /// ended and posted its answers. Transfers (the transfer engine's own threads and the
    /// sampler) are not waited for. No worker submits to another pool, so one pass is enough.
    /// For a recorded run loop: perform one effect, wait, then read what it posted.
    public func waitUntilIdle() {
        listings.waitUntilIdle()
        heads.waitUntilIdle()
        operations.background.waitUntilIdle()
        invalidations.waitUntilIdle()
        cache.pool.waitUntilIdle()
        images.pool.waitUntilIdle()
    }
}
