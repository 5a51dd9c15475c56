// Package httpx holds the version-neutral HTTP plumbing shared by the Cachet
// API clients (package cachet for API v1, package cachet3 for Cachet 3.x):
// retry backoff and Retry-After parsing, context-aware sleeping, request
// rate limiters, a read-only transport, a tracing transport and the
// classification of transport errors. It knows nothing of Cachet's wire
// formats.
package httpx
