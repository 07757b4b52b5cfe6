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
 * HTTP/1.1 connections to a token service at another origin than its registry (Docker Hub's
 * auth.docker.io): one small GET per repository, all in the run's first round trips, so with 8
 * connections 20 images waited in 3 rounds for their tokens, each round a round trip on every
 * image's critical path. A token service is built to answer one request per pull.
 */
export const TOKEN_CONNECTIONS_PER_ORIGIN = 32
