// How much one registry is asked at once, in a module of its own so that the command line can
// show the defaults without loading undici at start-up.

/**
 * HTTP/1.1 connections per registry at most, however many requests may be in flight: a browser
 * opens 6 per origin; 8 keeps the figures measured before HTTP/2 and stays polite when more
 * requests per registry are allowed (they queue; over HTTP/2 they share one connection).
 */
export const HTTP1_CONNECTIONS_PER_ORIGIN = 8
/** Streams on the one HTTP/2 connection; undici's default, below Go's (distribution's) 250. */
export const HTTP2_MAX_STREAMS = 100
/**
 * Requests in flight per registry: as many as the one HTTP/2 connection carries at once (the
 * streams we allow on it; distribution allows 250). Over HTTP/1.1 the registry still sees at
 * most HTTP1_CONNECTIONS_PER_ORIGIN at once, the rest wait in our pool. A run is a few hundred
 * small requests, each a round trip of waiting: on the benchmark's workload (20 images, token
 * auth, 50 ms each way) 32 at once left a cold run queued behind our own limit (1.7-1.9 s
 * against 1.4 s with 100, back to back), as 8 did on issue 10's workload before.
 */
export const DEFAULT_REQUESTS_PER_REGISTRY = HTTP2_MAX_STREAMS
/**
 * HTTP/1.1 connections to a token service at another origin than its registry (Docker Hub's
 * auth.docker.io): one small GET per repository, all in the run's first round trips, so with 8
 * connections 20 images waited in 3 rounds for their tokens, each round a round trip on every
 * image's critical path. A token service is built to answer one request per pull.
 */
export const TOKEN_CONNECTIONS_PER_ORIGIN = 32
