// The preload exposes the typed API client to the renderer; filled in with the API router.
export {};
