// How much one registry is asked at once, in a module of its own so that the command line can
// show the defaults without loading undici at start-up.

/**
 * HTTP/1.1 connections per registry at most, however many requests may be in flight: near what
 * a browser opens to one origin, enough for a latency-bound run to keep several requests going,
 * and polite when more requests per registry are allowed (they queue; over HTTP/2 they share
 * one connection).
 */
export const HTTP1_CONNECTIONS_PER_ORIGIN = 8
/** Streams on the one HTTP/2 connection; undici's default, below Go's (distribution's) 250. */
export const HTTP2_MAX_STREAMS = 100
/**
 * Requests in flight per registry: as many as the one HTTP/2 connection carries at once (the
 * streams we allow on it). Over HTTP/1.1 the registry still sees at most
 * HTTP1_CONNECTIONS_PER_ORIGIN at once, the rest wait in our pool. A run is a few hundred small
 * requests, each a round trip of waiting, so a lower limit leaves a cold run queued behind our
 * own limit rather than the registry's (docs/bench.md has the measurements).
 */
export const DEFAULT_REQUESTS_PER_REGISTRY = HTTP2_MAX_STREAMS
/**
 * HTTP/1.1 connections to a token service at another origin than its registry (Docker Hub's
 * auth.docker.io): one small GET per repository, all in the run's first round trips, so with
 * the registry's own bound the images wait in rounds for their tokens, each round a round trip
 * on every image's critical path (docs/performance.md). A token service is built to answer one
 * request per pull.
 */
export const TOKEN_CONNECTIONS_PER_ORIGIN = 32
